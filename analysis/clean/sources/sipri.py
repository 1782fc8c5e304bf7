"""SIPRI Military Expenditure Database → long observations.

Two vintages sit in the snapshot and stay distinguishable by ``vintage``:

* ``sipri/SIPRI-Milex-data-1949-2023.xlsx`` — the 2024 release, every sheet: 5–7 title rows,
  then a header row starting ``Country``; the columns between Country and the years differ by
  sheet (Currency, Fiscal Year, Notes, a blank one); countries grouped under region header rows
  that hold no values.
* ``sipri/SIPRI-Milex-data-1949-2024_2.csv`` — the 2025 release, "Current US$" sheet only,
  exported by a user: Windows-1252 (footnote marks ``‡ § ¶`` and ``Türkiye``), a blank line
  after the header, no title rows. It revises past years (Iran 2023: 7,390.9 here, 10,283.1 in
  the 2024 release).

This loader keeps both releases, each row with its ``vintage``. The ``indicators`` table then
takes every measure of a country-year from ONE release (``one_release_per_year`` in
:mod:`analysis.clean.tables.indicators`): the 2024 workbook wherever it has the country-year,
since it alone holds all seven measures; the 2025 CSV only for country-years the workbook lacks
(every country's 2024). Mixing them would put the 2025 release's current US$ beside the 2024
release's share of GDP and per-capita figures that imply another total (Iran 2023: 7.39 bn
against about 10.3 bn). Where the 2025 release revised a kept figure, its value stays on the row
(``other_vintage``, ``other_vintage_value``).

``...`` / ``. .`` (no data) and ``xxx`` (state did not exist) are gaps. Estimates are marked by
cell colour only, which neither reader keeps: ``is_estimate`` is false throughout. The
"Regional totals" sheet (US$ billions by region) is not read; the "European Union" line of the
country sheets is an aggregate and is excluded (counted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.clean import countries, xlsx
from analysis.clean.base import Collector, TableResult, reading
from analysis.clean.longform import (
    finish,
    known_countries,
    melt_years,
    observations,
    parse_cells,
)
from analysis.errors import DataError

SOURCE_ID = "sipri"
INPUTS = ("sipri/SIPRI-Milex-data-*.xlsx", "sipri/SIPRI-Milex-data-*.csv")
#: SIPRI's own aggregates among the country lines.
AGGREGATES = frozenset({"European Union"})
#: SIPRI exports its CSVs from one sheet, and the file does not say which. The only CSV in the
#: snapshot is the "Current US$" sheet (see the snapshot MANIFEST); its values are checked
#: against the xlsx's sheet of that name when both are present (see :func:`_check_csv_sheet`).
CSV_SHEET = "Current US$"
#: The CSV must agree with the xlsx sheet on this share of shared cells (rounded to 0.1): it is
#: 97 % for the real 2025 CSV against the 2024 release, the rest being revisions.
CSV_MATCH_SHARE = 0.5
_RELEASE = re.compile(r"(\d{4})-(\d{4})")


@dataclass(frozen=True)
class Sheet:
    """What one SIPRI sheet holds."""

    code: str
    name: str
    unit: str  #: may contain {currency} and {fy}
    year_basis: str = "calendar"


def sheet_spec(sheet: str) -> Sheet | None:
    """The indicator a sheet holds, or None for sheets that are not country series."""
    if sheet == "Local currency financial years":
        return Sheet(
            "SIPRI.MILEX.LCU_FY",
            "Military expenditure, local currency, financial years",
            "{currency}, current prices; financial year {fy} starting in year",
            "financial_year",
        )
    if sheet == "Local currency calendar years":
        return Sheet(
            "SIPRI.MILEX.LCU_CY",
            "Military expenditure, local currency, calendar years",
            "{currency}, current prices",
        )
    if match := re.fullmatch(r"Constant \((\d{4})\) US\$", sheet):
        base = match.group(1)
        return Sheet(
            f"SIPRI.MILEX.USD_CONST{base}_M",
            f"Military expenditure, constant ({base}) US$",
            f"US$ million, constant {base} prices and exchange rates",
        )
    if sheet == "Current US$":
        return Sheet(
            "SIPRI.MILEX.USD_CURRENT_M",
            "Military expenditure, current US$",
            "US$ million, current prices and exchange rates",
        )
    if sheet == "Share of GDP":
        return Sheet(
            "SIPRI.MILEX.GDP_SHARE",
            "Military expenditure, share of GDP",
            "fraction of GDP (0.021 = 2.1%)",
        )
    if sheet == "Per capita":
        return Sheet(
            "SIPRI.MILEX.USD_PER_CAPITA",
            "Military expenditure per capita, current US$",
            "current US$ per person",
        )
    if sheet.startswith("Share of Govt"):
        return Sheet(
            "SIPRI.MILEX.GOVT_SPENDING_SHARE",
            "Military expenditure, share of general government expenditure",
            "fraction of general government expenditure (0.15 = 15%)",
        )
    return None


def release_of(path: Path) -> str:
    """The release a file belongs to: its last data year + 1 (SIPRI publishes each April the
    data to the previous year). ``SIPRI-Milex-data-1949-2023.xlsx`` → ``'2024'``."""
    match = _RELEASE.search(path.name)
    if not match:
        raise DataError("SIPRI file name does not state its years (1949-YYYY)", file=str(path))
    return str(int(match.group(2)) + 1)


def _header(frame: pd.DataFrame, rel: str) -> tuple[int, dict[int, int], dict[str, int]]:
    """(header row, year columns {position: year}, named columns {name: position})."""
    first = frame[0].astype("string").str.strip()
    found = first[first == "Country"]
    if found.empty:
        raise DataError("SIPRI sheet has no header row starting 'Country'", file=rel)
    row = int(found.index[0])
    header = frame.loc[row]
    years: dict[int, int] = {}
    named: dict[str, int] = {}
    for pos, cell in header.items():
        number = pd.to_numeric(pd.Series([cell]), errors="coerce").iloc[0]
        if pd.notna(number) and float(number).is_integer() and 1900 <= number <= 2100:
            years[int(str(pos))] = int(number)
        elif isinstance(cell, str) and cell.strip():
            named[cell.strip()] = int(str(pos))
    return row, years, named


def _load_frame(
    frame: pd.DataFrame, rel: str, spec: Sheet, vintage: str, out: Collector, label: str
) -> pd.DataFrame:
    """Cells of one SIPRI country sheet (xlsx sheet or CSV), kept in ``out``; returns them.

    ``label`` names the sheet in quarantine reasons (a workbook's rows are per sheet).
    """
    row, years, named = _header(frame, rel)
    lines = frame.loc[row + 1 :]
    lines = lines[lines[0].notna()]
    ids = {"country": 0} | {
        key: named[col]
        for key, col in (("currency", "Currency"), ("fy", "Fiscal Year (Jan-Dec if not stated)"))
        if col in named
    }
    lines = pd.DataFrame(
        {key: lines[pos] for key, pos in ids.items()}
        | {"source_file": rel, "source_row": lines.index}
        | {str(year): lines[pos] for pos, year in years.items()},
        index=lines.index,
    )
    cells = melt_years(lines, {str(y): y for y in years.values()}, ["source_row", *ids])
    cells = cells.assign(source_file=rel)
    out.read(cells)
    name = cells["country"].map(countries.clean_name)
    aggregate = name.isin(AGGREGATES)
    out.exclude(cells[aggregate], "aggregate")
    cells = cells[~aggregate]
    cells = parse_cells(known_countries(cells, out, what=label), out, what=label)
    unit: pd.Series | str = spec.unit
    if "{currency}" in spec.unit:
        currency = cells.get("currency", pd.Series("local currency", index=cells.index))
        fy = cells.get("fy", pd.Series(None, index=cells.index)).fillna("Jan-Dec")
        unit = pd.Series(
            [
                spec.unit.format(currency=str(c).strip(), fy=str(f).strip())
                for c, f in zip(currency, fy, strict=True)
            ],
            index=cells.index,
        )
    out.keep(
        observations(
            cells,
            country_code=cells["code"],
            country_name=countries.short_names(cells["code"], cells["country"]),
            indicator_code=spec.code,
            indicator_name=spec.name,
            unit=unit,
            year_basis=spec.year_basis,
            source_id=SOURCE_ID,
            vintage=vintage,
        )
    )
    return cells


def read_csv_frame(path: Path) -> pd.DataFrame:
    """A SIPRI CSV export as raw cells (positional columns, index = line number)."""
    frame = pd.read_csv(
        path,
        header=None,
        encoding="cp1252",
        dtype="object",
        keep_default_na=False,
        na_values=[""],
        skip_blank_lines=False,
    )
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def _check_csv_sheet(csv_cells: pd.DataFrame, xlsx_cells: pd.DataFrame | None, rel: str) -> str:
    """Confirm the CSV holds :data:`CSV_SHEET` by comparing it with the xlsx sheet."""
    if xlsx_cells is None or xlsx_cells.empty:
        return f"{rel}: taken as the '{CSV_SHEET}' sheet (no xlsx to check it against)"
    both = csv_cells.merge(xlsx_cells, on=["code", "year"], suffixes=("", "_xlsx"))
    if both.empty:
        raise DataError(f"SIPRI CSV shares no cell with the xlsx '{CSV_SHEET}' sheet", file=rel)
    share = float(np.isclose(both["value"], both["value_xlsx"].round(1), atol=0.051).mean())
    if share < CSV_MATCH_SHARE:
        raise DataError(
            f"SIPRI CSV does not look like the '{CSV_SHEET}' sheet: only {share:.0%} of "
            f"{len(both)} shared cells agree",
            file=rel,
        )
    return (
        f"{rel}: '{CSV_SHEET}' sheet confirmed — {share:.0%} of {len(both)} cells shared with "
        "the older xlsx agree to 0.1; the rest are revisions"
    )


def load(raw_dir: Path) -> TableResult:
    """Every SIPRI workbook sheet of country series, then every CSV export."""
    out = Collector()
    folder = raw_dir / "sipri"
    reference: pd.DataFrame | None = None
    for path in sorted(folder.glob("SIPRI-Milex-data-*.xlsx")):
        with reading(path, raw_dir) as rel:
            out.inputs.append(rel)
            vintage = release_of(path)
            for sheet in xlsx.sheet_names(path):
                spec = sheet_spec(sheet)
                if spec is None:
                    continue
                frame = xlsx.read_frame(path, sheet)
                cells = _load_frame(frame, rel, spec, vintage, out, f"SIPRI sheet '{sheet}'")
                if sheet == CSV_SHEET:
                    reference = cells[["code", "year", "value"]]
            out.notes.append(f"{rel}: SIPRI {vintage} release (data to {int(vintage) - 1})")
    csv_spec = sheet_spec(CSV_SHEET)
    assert csv_spec is not None
    for path in sorted(folder.glob("SIPRI-Milex-data-*.csv")):
        with reading(path, raw_dir) as rel:
            out.inputs.append(rel)
            vintage = release_of(path)
            cells = _load_frame(read_csv_frame(path), rel, csv_spec, vintage, out, f"SIPRI {rel}")
            out.notes.append(_check_csv_sheet(cells[["code", "year", "value"]], reference, rel))
    return finish(out)
