"""Our World in Data grapher export: oil production by country, in TWh of energy.

Long layout ``Entity,Code,Year,<series> (<unit>)``. The unit is read from the value column's
header ("Oil production (TWh)") and is part of the indicator code (``OWID.OIL_PROD.TWH``):
TWh are not barrels (about 1.7 MWh per barrel).

Regions and groups have an empty ``Code`` and names that say whose definition they follow
("Africa (BP)", "Africa (Shift)", "High-income countries"); with ``OWID_WRL`` (World) they are
excluded as ``aggregate``, since the two region sets would count the same oil twice. OWID's own
codes for historic states become ISO 3166-3 codes (``OWID_USS`` → ``SUN``).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from analysis.clean import countries
from analysis.clean.base import Collector, TableResult, relative
from analysis.clean.longform import (
    approximate_vintage,
    is_gap,
    load_each,
    observations,
    parse_cells,
    reject,
)
from analysis.errors import DataError

SOURCE_ID = "owid-oil-production"
INPUTS = ("owid-oil-production/*.csv",)
#: OWID codes for aggregates that do have a code.
AGGREGATE_CODES = frozenset({"OWID_WRL"})
_VALUE_HEADER = re.compile(r"^(?P<name>.+?)\s*\((?P<unit>[^()]+)\)\s*$")


def series_of(header: str) -> tuple[str, str, str]:
    """(code, name, unit) from a value column header.

    >>> series_of("Oil production (TWh)")
    ('OWID.OIL_PROD.TWH', 'Oil production', 'TWh')
    """
    match = _VALUE_HEADER.match(header.strip())
    if not match:
        raise DataError(f"OWID value column '{header}' does not state its unit in parentheses")
    name, unit = match.group("name"), match.group("unit")
    unit_code = unicodedata.normalize("NFKC", unit)  # "m³" → "m3"
    stem = re.sub(r"\bproduction\b", "PROD", name, flags=re.IGNORECASE)
    stem = re.sub(r"[^A-Za-z0-9]+", "_", stem).strip("_").upper()
    unit_code = re.sub(r"[^A-Za-z0-9]+", "_", unit_code).strip("_").upper()
    return f"OWID.{stem}.{unit_code}", name, unit


def _load_file(path: Path, raw_dir: Path, out: Collector) -> None:
    rel = relative(path, raw_dir)
    out.inputs.append(rel)
    frame = pd.read_csv(
        path,
        encoding="utf-8-sig",
        dtype={"Entity": "string", "Code": "string"},
        keep_default_na=False,
        na_values=[""],
    )
    if list(frame.columns[:3]) != ["Entity", "Code", "Year"] or len(frame.columns) != 4:
        raise DataError("not an OWID grapher export (Entity,Code,Year,<value>)", file=rel)
    value_column = str(frame.columns[3])
    code, name, unit = series_of(value_column)
    cells = frame.rename(columns={value_column: "raw"}).assign(
        source_file=rel, source_row=frame.index + 2, column=value_column
    )
    cells = cells[~is_gap(cells["raw"])]
    out.read(cells)
    aggregate = cells["Code"].isna() | cells["Code"].isin(AGGREGATE_CODES)
    out.exclude(cells[aggregate], "aggregate")
    cells = cells[~aggregate]
    years = pd.to_numeric(cells["Year"], errors="coerce")
    bad_year = years.isna() | (years % 1 != 0)
    reject(out, cells[bad_year], "Year", "year", "Year is not a whole number")
    cells = parse_cells(
        cells[~bad_year].assign(year=years[~bad_year].astype("int64")), out, what=rel
    )
    codes = countries.fix_codes(cells["Code"].astype(str).str.strip())
    out.keep(
        observations(
            cells,
            country_code=codes,
            country_name=countries.short_names(codes, cells["Entity"]),
            indicator_code=code,
            indicator_name=name,
            unit=unit,
            source_id=SOURCE_ID,
            vintage=approximate_vintage(cells["year"]),
        )
    )
    out.notes.append(f"{rel}: {code} in {unit}; no release date in the file")


def load(raw_dir: Path) -> TableResult:
    """Every OWID export in ``owid-oil-production/``."""
    return load_each(sorted((raw_dir / "owid-oil-production").glob("*.csv")), raw_dir, _load_file)
