"""World Bank WDI downloads (``worldbank/API_<CODE>_DS2_*.csv``) → long observations.

Every layout the Bank's files come in is read by one function: the 4-line preamble
(``"Data Source"`` … ``"Last Updated Date","2026-02-24"`` … blank) present or stripped, fields
quoted or not, UTF-8 with or without BOM, CRLF or LF, a trailing empty column. One file holds
one indicator, one line per country or aggregate, one column per year.

Aggregates (``MEA``, ``WLD``, income groups...) are kept and flagged ``is_aggregate`` (from the
``Metadata_Country`` side files, else :data:`~analysis.clean.countries.WB_AGGREGATE_CODES`);
sum countries only over rows where it is false.

``year_basis`` of national accounts series (``NY.``, ``NE.``, ``NV.``: GDP, its deflator...) is
the country's fiscal year where the side files' ``SpecialNotes`` say its national accounts are
fiscal-year based (Iran: "fiscal year-end: March 20" → ``iranian_year``, the Bank showing each
Iranian year under the Gregorian year in which it starts); see
:func:`~analysis.clean.countries.wb_fiscal_basis`. Every other series is ``calendar``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from analysis.clean import countries
from analysis.clean.base import Collector, TableResult, relative
from analysis.clean.longform import (
    approximate_vintage,
    as_category,
    load_each,
    melt_years,
    observations,
    parse_cells,
    reject,
)
from analysis.errors import DataError

SOURCE_ID = "worldbank"
INPUTS = ("worldbank/API_*_DS2_*.csv", "worldbank/Metadata_Country_*.csv")
#: Columns every WDI file has before its year columns.
ID_COLUMNS = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
_PREAMBLE = re.compile(r'^\ufeff?"?Data Source"?,')
_UPDATED = re.compile(r'^"?Last Updated Date"?,"?(\d{4}-\d{2}-\d{2})"?')
#: A year column's header: WDI's ``2018`` or DataBank's ``2018 [YR2018]``.
_YEAR = re.compile(r"^(\d{4})(?: \[YR\1\])?$")
#: DataBank's names for the indicator columns (``Series Name``, ``Series Code``).
_DATABANK_IDS = {"Series Name": "Indicator Name", "Series Code": "Indicator Code"}
#: The parentheses that end a WDI indicator name: "GDP (current US$)", "Unemployment, total
#: (% of total labor force) (modeled ILO estimate)".
_TRAILING = re.compile(r"(?:\s*\([^()]*\))+\s*$")
_GROUP = re.compile(r"\(([^()]*)\)")
#: A parenthesis that names how a value was estimated, not its unit.
_METHOD = re.compile(r"\bestimates?\b", re.IGNORECASE)


def read_wide(path: Path) -> tuple[pd.DataFrame, str | None, int]:
    """A WDI wide file as text cells, its "Last Updated Date" (or None) and its header line.

    Numbers stay as read by pandas (floats); a cell that is text where a number belongs stays
    text, for the caller to quarantine. Every column is the ID columns, a year (``2018`` or
    DataBank's ``2018 [YR2018]``, each year once) or an empty trailing column; any other header
    is a :class:`DataError` naming the file and the header, so that no cell goes unread.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        head = [handle.readline() for _ in range(5)]
    has_preamble = bool(_PREAMBLE.match(head[0]))
    updated = next((m.group(1) for line in head if (m := _UPDATED.match(line))), None)
    skip = 4 if has_preamble else 0
    header = next(csv.reader([head[skip]]), [])
    frame = pd.read_csv(
        path,
        skiprows=skip,
        encoding="utf-8-sig",
        dtype={c: "string" for c in [*ID_COLUMNS, *_DATABANK_IDS]},
        skip_blank_lines=False,
        keep_default_na=False,
        na_values=[""],
        low_memory=False,
    )
    frame = frame.rename(columns=_DATABANK_IDS)
    missing = [c for c in ID_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(
            "not a World Bank WDI file: header lacks " + ", ".join(missing),
            file=str(path),
            row=skip + 1,
        )
    check_header(frame, header, path, skip + 1)
    return frame, updated, skip + 1


def check_header(frame: pd.DataFrame, header: list[str], path: Path, line: int) -> None:
    """Refuse a header the loader would not read whole: an unknown column, a repeated year, or
    values under a column with no name."""
    labels = [h.strip() for h in header]
    seen: dict[int, str] = {}
    for label, column in zip(labels, frame.columns, strict=False):
        match = _YEAR.match(label)
        if match:
            year = int(match.group(1))
            if year in seen:
                raise DataError(
                    f"World Bank file names year {year} twice (columns {seen[year]!r} and "
                    f"{label!r}): which one holds the data is not known",
                    file=str(path),
                    row=line,
                    column=label,
                )
            seen[year] = label
        elif not _known(label, frame[column]):
            raise DataError(
                "World Bank file has a column this loader does not read "
                "(expected the ID columns and years such as 2018 or 2018 [YR2018])",
                file=str(path),
                row=line,
                column=label or "(no header)",
            )


def _known(label: str, cells: pd.Series) -> bool:
    """True for an ID column, or an unnamed column with no values (WDI's trailing comma)."""
    return (
        label in ID_COLUMNS or label in _DATABANK_IDS or (label == "" and bool(cells.isna().all()))
    )


def year_columns(frame: pd.DataFrame) -> dict[str, int]:
    """The year columns of a WDI frame ("1960" or "1960 [YR1960]" …), as label → year."""
    return {c: int(m.group(1)) for c in frame.columns if (m := _YEAR.match(str(c).strip()))}


def unit_from_name(name: str) -> str:
    """The unit a WDI indicator name states in its last parentheses, passing over a last one
    that names the estimation method ("modeled ILO estimate", "national estimate").

    >>> unit_from_name("Official exchange rate (LCU per US$, period average)")
    'LCU per US$, period average'
    >>> unit_from_name("Unemployment, total (% of total labor force) (modeled ILO estimate)")
    '% of total labor force'
    """
    tail = _TRAILING.search(name)
    if tail is None:
        return name
    groups = [g.strip() for g in _GROUP.findall(tail.group(0))]
    units = [g for g in groups if not _METHOD.search(g)]
    return units[-1] if units else groups[-1]


def vintage_of(updated: str | None, years: dict[str, int], frame: pd.DataFrame) -> str:
    """The file's "Last Updated Date", else ``~YYYY``: the year after its last year with data."""
    if updated:
        return updated
    has_data = frame[list(years)].notna().any()
    filled = [y for c, y in years.items() if has_data[c]]
    return approximate_vintage(filled)


def line_fields(frame: pd.DataFrame, raw_dir: Path) -> pd.DataFrame:
    """The processed fields of each line of a WDI frame (text as categoricals), worked out once
    per line rather than once per cell: codes, names, unit, ``year_basis`` and
    ``is_aggregate``."""
    codes = frame["Country Code"].astype(str).str.strip()
    names = frame["Country Name"].astype(str)
    indicator = frame["Indicator Name"].astype(str)
    aggregate = countries.wb_is_aggregate(codes, raw_dir)
    indicator_code = frame["Indicator Code"].astype(str).str.strip()
    text = {
        "country_code": codes,
        "country_name": countries.short_names(codes, names).where(~aggregate, names),
        "indicator_code": indicator_code,
        "indicator_name": indicator,
        "unit": indicator.map(unit_from_name),
        "year_basis": countries.wb_year_basis(codes, indicator_code, raw_dir),
    }
    return pd.DataFrame({k: as_category(v) for k, v in text.items()} | {"is_aggregate": aggregate})


def load_file(path: Path, raw_dir: Path, source_id: str, out: Collector) -> None:
    """Read one WDI wide file into ``out`` (also used for datahub's copies of WDI files)."""
    rel = relative(path, raw_dir)
    frame, updated, header_line = read_wide(path)
    years = year_columns(frame)
    vintage = vintage_of(updated, years, frame)
    fields = line_fields(frame, raw_dir)
    lines = frame.assign(source_file=rel, source_row=frame.index + header_line + 1, **fields)
    cells = melt_years(lines, years, [*ID_COLUMNS, "source_file", "source_row", *fields])
    out.read(cells)
    out.inputs.append(rel)
    no_code = cells["Country Code"].isna()
    reject(
        out, cells[no_code], "Country Code", "country_code", "value on a line with no country code"
    )
    cells = cells[~no_code]
    cells = parse_cells(cells, out, what="World Bank WDI value")
    out.keep(observations(cells, source_id=source_id, vintage=vintage))
    out.notes.append(
        f"{rel}: vintage {vintage}"
        + (" (Last Updated Date)" if updated else " (no date in the file: approximate)")
    )


def load(raw_dir: Path) -> TableResult:
    """Every ``worldbank/API_*_DS2_*.csv`` file, one indicator (and vintage) each."""
    result = load_each(
        sorted((raw_dir / "worldbank").glob("API_*_DS2_*.csv")),
        raw_dir,
        lambda path, raw, out: load_file(path, raw, SOURCE_ID, out),
    )
    result.inputs += [
        relative(p, raw_dir) for p in sorted((raw_dir / "worldbank").glob("Metadata_Country_*.csv"))
    ]
    return result
