"""Energy Institute Statistical Review of World Energy, all-data workbook.

One sheet per series (:data:`SHEETS`). Each has title rows, then a header row whose first cell
states the unit ("Thousand barrels daily") followed by the years; after the last year come
growth-rate and share columns (a repeated year, "2013-23") that are not read. Country lines are
interleaved with region totals ("Total Middle East"), residual groups ("Other Middle East") and
group lines after "Total World" ("of which: OECD", "OPEC", "European Union #"); footnotes close
the sheet. ``n/a``, ``-`` and blank cells are gaps.

Each unit is its own indicator: ``EI.OIL_PROD.KBD`` (thousand barrels a day) and
``EI.OIL_PROD.MT`` (million tonnes) are the same production measured two ways. Region totals
and group lines are excluded (``region_total``) so nothing is counted twice; "Other ..." lines
have no country code and are excluded as ``residual_group``. ``USSR`` (to 1984) is the historic
state ``SUN``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.clean import countries, xlsx
from analysis.clean.base import Collector, TableResult, relative
from analysis.clean.longform import (
    known_countries,
    load_each,
    melt_years,
    observations,
    parse_cells,
)
from analysis.errors import DataError

SOURCE_ID = "energy-institute"
FILE = "energy-institute/EI-Stats-Review-All-Data.xlsx"
INPUTS = (FILE,)


@dataclass(frozen=True)
class Series:
    """One sheet of the workbook."""

    code: str
    name: str
    unit: str
    header_unit: str  #: the unit as the sheet's header row states it (checked)


SHEETS: dict[str, Series] = {
    "Oil Production - barrels": Series(
        "EI.OIL_PROD.KBD",
        "Oil production (crude oil, shale oil, oil sands, condensates and NGLs)",
        "thousand barrels per day",
        "Thousand barrels daily",
    ),
    "Oil Production - tonnes": Series(
        "EI.OIL_PROD.MT",
        "Oil production (crude oil, shale oil, oil sands, condensates and NGLs)",
        "million tonnes",
        "Million tonnes",
    ),
    "Crude+cond production - barrels": Series(
        "EI.CRUDE_COND_PROD.KBD",
        "Crude oil and condensate production",
        "thousand barrels per day",
        "Thousand barrels daily",
    ),
    "NGLs production - barrels": Series(
        "EI.NGL_PROD.KBD",
        "Natural gas liquids production",
        "thousand barrels per day",
        "Thousand barrels daily",
    ),
    "Oil Consumption - barrels": Series(
        "EI.OIL_CONS.KBD",
        "Oil consumption",
        "thousand barrels per day",
        "Thousand barrels daily",
    ),
    "Gas Production - Bcm": Series(
        "EI.GAS_PROD.BCM",
        "Natural gas production",
        "billion cubic metres",
        "Billion cubic metres",
    ),
}
#: Lines that sum other lines: regional totals and the groups listed under "Total World".
REGION_TOTAL = re.compile(
    r"^(Total\b|of which\b|Non-OECD$|OECD$|OPEC$|Non-OPEC$|European Union$)", re.IGNORECASE
)
#: Residual lines ("Other Middle East"), and the sub-regions the consumption sheets use in
#: place of small countries (they have no country code, and are not totals).
RESIDUAL = re.compile(
    r"^(Other\b|Central America$|Eastern Africa$|Middle Africa$|Western Africa$)", re.IGNORECASE
)
_EDITION = re.compile(r"^(\d{4}) Energy Institute Statistical Review")


def vintage_of(path: Path, last_year: int) -> str:
    """The edition year from the Contents sheet ("2024 Energy Institute Statistical Review…"),
    else ``~YYYY`` (the year after the last data year)."""
    try:
        rows = xlsx.read_rows(path, "Contents")
    except DataError:
        rows = []
    for row in rows[:10]:
        for cell in row:
            if isinstance(cell, str) and (match := _EDITION.match(cell.strip())):
                return match.group(1)
    return f"~{last_year + 1}"


def _header(frame: pd.DataFrame, sheet: str, series: Series) -> tuple[int, dict[int, int]]:
    """(header row, {column position: year}): the first row whose first cell is the unit."""
    first = frame[0].astype("string").str.strip()
    found = first[first.str.lower() == series.header_unit.lower()]
    if found.empty:
        raise DataError(
            f"Energy Institute sheet '{sheet}' has no header row stating "
            f"'{series.header_unit}' (layout or unit changed)",
            file=FILE,
        )
    row = int(found.index[0])
    years: dict[int, int] = {}
    for pos in frame.columns[1:]:
        cell = frame.at[row, pos]
        if not isinstance(cell, float | int) or not float(cell).is_integer():
            break
        year = int(cell)
        if years and year <= max(years.values()):
            break  # growth-rate and share columns repeat the last year
        years[int(pos)] = year
    return row, years


def _load_sheet(path: Path, rel: str, sheet: str, series: Series, out: Collector) -> int:
    frame = xlsx.read_frame(path, sheet)
    row, years = _header(frame, sheet, series)
    lines = frame.loc[row + 1 :]
    lines = pd.DataFrame(
        {"country": lines[0], "source_row": lines.index, "source_file": rel}
        | {str(year): lines[pos] for pos, year in years.items()},
        index=lines.index,
    )
    cells = melt_years(lines, {str(y): y for y in years.values()}, list(lines.columns[:3]))
    out.read(cells)
    label = cells["country"].astype("string").map(countries.clean_name, na_action="ignore")
    total = label.str.match(REGION_TOTAL).fillna(False).astype(bool)
    residual = label.str.match(RESIDUAL).fillna(False).astype(bool) & ~total
    out.exclude(cells[total], "region_total")
    out.exclude(cells[residual], "residual_group")
    cells = cells[~total & ~residual]
    cells = known_countries(cells, out, what=f"EI sheet '{sheet}'")
    cells = parse_cells(cells, out, what=f"EI sheet '{sheet}'")
    out.keep(
        observations(
            cells,
            country_code=cells["code"],
            country_name=countries.short_names(cells["code"], cells["country"]),
            indicator_code=series.code,
            indicator_name=series.name,
            unit=series.unit,
            source_id=SOURCE_ID,
            vintage="",
        )
    )
    return max(years.values()) if years else 0


def load(raw_dir: Path) -> TableResult:
    """The sheets in :data:`SHEETS` of the all-data workbook."""
    return load_each(sorted(raw_dir.glob(FILE)), raw_dir, _load_workbook)


def _load_workbook(path: Path, raw_dir: Path, out: Collector) -> None:
    rel = relative(path, raw_dir)
    out.inputs.append(rel)
    present = set(xlsx.sheet_names(path))
    last = 0
    for sheet, series in SHEETS.items():
        if sheet not in present:
            raise DataError(f"Energy Institute workbook lacks sheet '{sheet}'", file=rel)
        last = max(last, _load_sheet(path, rel, sheet, series, out))
    vintage = vintage_of(path, last)
    out.tables = [observations(table, vintage=vintage) for table in out.tables]
    out.notes.append(f"{rel}: Statistical Review {vintage} edition (data to {last})")
