"""Consumer prices of the Statistical Centre of Iran (SCI), as compiled by the IranEconomyData
dashboard (``iran-sci-cpi/``). Every year is a Jalali year (see :mod:`analysis.clean.jalali`).

* ``cpi.csv`` — ``Year,region,CPI,<~40 sub-indices>``: an ``Urban`` panel (1381–1402) stacked on
  a ``Rural`` one (1361–1402); ``-`` is a gap; a trailing line of commas. Codes
  ``SCI.CPI.URBAN`` / ``SCI.CPI.RURAL`` for the headline, ``SCI.CPI.URBAN.FOOD_FOOD`` etc.
* ``CPIU.xlsx`` — the urban CPI by item at full precision (``a_year`` 81–102, i.e. 1381–1402),
  codes ``SCI.CPIU.<ITEM>`` (``SCI.CPIU.TOTAL`` is the headline, = ``SCI.CPI.URBAN`` unrounded).
* ``inflation.xlsx`` — sheet ``Data``: yearly series as the workbook labels them (``D2Inf``,
  ``D2FoodInf`` are ratios, 0.22 = 22 %; ``CPI``, ``HousePI``… indices), years written 77–102,
  codes ``SCI.INFL.<COLUMN>``. Its ``Sheet1`` (monthly rows for 1398–1400, and yearly rows that
  contradict ``Data``, e.g. CPI 1397 = 143.842 there vs 137.302) is not read.

**Base year.** No file states it. It is inferred per series as the year in which the index is
exactly 100 and written in the unit: ``index, 1400=100`` for ``cpi.csv`` and ``CPIU.xlsx`` (every
series is 100 in 1400), ``index, 1395=100`` for the indices of ``inflation.xlsx``.

**Rounding.** ``cpi.csv`` writes one decimal, so early rural sub-indices below 0.05 read
``0.0``: such a level carries no information (and would divide by zero in a growth rate); those
cells are quarantined as a defect of the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.clean import jalali, xlsx
from analysis.clean.base import Collector, TableResult, has_control, reading, relative
from analysis.clean.longform import finish, melt_years, observations, parse_cells, reject
from analysis.errors import DataError
from analysis.parse.dates import expand_jalali_year

SOURCE_ID = "iran-sci-cpi"
FOLDER = "iran-sci-cpi"
INPUTS = (f"{FOLDER}/cpi.csv", f"{FOLDER}/CPIU.xlsx", f"{FOLDER}/inflation.xlsx")
#: (file, sheet) → code prefix; sheets not listed are not read (see the module docstring).
WORKBOOKS: dict[tuple[str, str], str] = {
    ("CPIU.xlsx", "Sheet3"): "SCI.CPIU",
    ("inflation.xlsx", "Data"): "SCI.INFL",
}
#: Series whose values are ratios (0.22 = 22 %), not index levels: D2Inf, D2FoodInf…
RATIO_COLUMN = re.compile(r"Inf$")
#: An index equals 100 in its base year, to float noise (CPIU.xlsx: 99.99999999999997).
BASE_TOLERANCE = 1e-6
#: Why a cell, or a line whose year or region, holds a NUL (or other control) character is
#: quarantined.
DAMAGED = "text holds a NUL or other control character: the file is damaged here"
COUNTRY = {"country_code": "IRN", "country_name": "Iran", "year_basis": "iranian_year"}


def _code_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text.strip()).strip("_").upper()


def base_years(cells: pd.DataFrame) -> pd.Series:
    """The Jalali year in which each series (``indicator_code``) is 100, or NaN if none."""
    at_100 = cells[np.isclose(cells["value"], 100.0, atol=BASE_TOLERANCE, rtol=0.0)]
    first = at_100.groupby("indicator_code")["jalali_year"].min()
    return cells["indicator_code"].map(first)


def unit_for(code: str, column: str, base: float) -> str:
    """The unit of one series, stating how the base year was found."""
    if RATIO_COLUMN.search(column):
        return "ratio (0.22 = 22%)"
    if pd.notna(base):
        year = int(base)
        return (
            f"index, {year}=100 (Jalali year; the file states no base year: "
            f"the series equals 100 in {year})"
        )
    return "index (the file states no base year)"


def _finish(cells: pd.DataFrame, rel: str, out: Collector) -> None:
    """Quarantine zero levels, then keep ``cells`` (with indicator_code/name, jalali_year)."""
    cells = parse_cells(cells, out, what=rel)
    zero = cells["value"] == 0
    reject(
        out,
        cells[zero],
        None,
        "positive_index",
        "index level 0.0: the file rounds to one decimal, so a level below 0.05 is lost",
    )
    cells = cells[~zero]
    bases = base_years(cells)
    units = {
        (code, column): unit_for(code, column, base)
        for code, column, base in zip(cells["indicator_code"], cells["series"], bases, strict=True)
    }
    last = int(cells["year"].max()) if not cells.empty else 0
    out.keep(
        observations(
            cells,
            unit=[units[k] for k in zip(cells["indicator_code"], cells["series"], strict=True)],
            source_id=SOURCE_ID,
            vintage=f"~{last + 1}",
            **COUNTRY,
        )
    )
    found = sorted({u.split(" (")[0] for u in units.values()})
    out.notes.append(f"{rel}: Jalali years → Gregorian start year; units {found}")


def _years(cells: pd.DataFrame, column: str, out: Collector) -> pd.DataFrame:
    """Cells with a whole Jalali year in ``column``: adds ``jalali_year`` and ``year``."""
    years = pd.to_numeric(cells[column], errors="coerce")
    bad = years.isna() | (years % 1 != 0) | (years < 0)
    reject(out, cells[bad], column, "jalali_year", "year is not a whole Jalali year")
    cells = cells[~bad]
    full = years[~bad].astype("int64").map(expand_jalali_year)
    return cells.assign(jalali_year=full, year=jalali.to_start_years(full))


def load_csv(path: Path, raw_dir: Path, out: Collector) -> None:
    """``cpi.csv``: two stacked regional panels of indices."""
    rel = relative(path, raw_dir)
    out.inputs.append(rel)
    # the python engine keeps a NUL byte in its field, as pandas 3's C engine does; pandas 2's
    # C engine cuts the field at it ("Urb\0an" → "Urb"), so a damaged line would pass as data
    frame = pd.read_csv(
        path,
        encoding="utf-8-sig",
        dtype="object",
        keep_default_na=False,
        na_values=[""],
        engine="python",
    )
    if list(frame.columns[:2]) != ["Year", "region"]:
        raise DataError("SCI cpi.csv header does not start with Year,region", file=rel, row=1)
    series = [c for c in frame.columns[2:] if not str(c).startswith("Unnamed")]
    lines = frame.assign(source_file=rel, source_row=frame.index + 2)
    cells = melt_years(
        lines, {c: 0 for c in series}, ["Year", "region", "source_file", "source_row"]
    )
    out.read(cells)
    for column in ("Year", "region", None):  # None: the value cell itself
        damaged = has_control(cells["raw" if column is None else column])
        reject(out, cells[damaged], column, "printable_text", DAMAGED)
        cells = cells[~damaged]
    region = cells["region"].astype("string").str.strip().str.upper()
    no_region = region.isna() | (region == "")
    reject(out, cells[no_region], "region", "region", "value on a line with no region")
    cells = _years(cells[~no_region], "Year", out)
    region = region[cells.index]
    headline = cells["column"] == "CPI"
    code = ("SCI.CPI." + region).where(
        headline, "SCI.CPI." + region + "." + cells["column"].map(_code_part)
    )
    area = region.str.lower() + " areas"
    name = ("Consumer price index, " + area).where(
        headline, "Consumer price index, " + area + ": " + cells["column"]
    )
    _finish(
        cells.assign(indicator_code=code, indicator_name=name, series=cells["column"]), rel, out
    )


def load_sheet(path: Path, sheet: str, prefix: str, raw_dir: Path, out: Collector) -> None:
    """A yearly sheet: first column the (short) Jalali year, one column per series."""
    rel = relative(path, raw_dir)
    frame = xlsx.read_frame(path, sheet)
    header = frame.loc[1]
    if not str(header[0]).strip().lower().endswith("year"):
        raise DataError(f"SCI sheet '{sheet}' does not start with a year column", file=rel, row=1)
    series = {
        pos: str(label).strip()
        for pos, label in header.items()
        if pos != 0 and isinstance(label, str) and label.strip()
    }
    lines = frame.loc[2:].assign(source_file=rel, source_row=frame.loc[2:].index)
    lines = lines.rename(columns={pos: f"s{pos}" for pos in series} | {0: "Year"})
    cells = melt_years(
        lines, {f"s{pos}": 0 for pos in series}, ["Year", "source_file", "source_row"]
    )
    out.read(cells)
    labels = cells["column"].str[1:].astype("int64").map(series)
    cells = _years(cells.assign(series=labels, column=labels), "Year", out)
    item = cells["series"].str.replace(r"^cpi_", "", regex=True)
    code = prefix + "." + item.map(_code_part)
    if prefix == "SCI.CPIU":
        name = "Consumer price index, urban areas: " + item.str.replace(r"[._]", " ", regex=True)
    else:
        name = cells["series"] + f" (as labelled in {path.name})"
    _finish(cells.assign(indicator_code=code, indicator_name=name), f"{rel} [{sheet}]", out)


def load(raw_dir: Path) -> TableResult:
    """``cpi.csv`` and the yearly sheets of the two workbooks."""
    out = Collector()
    folder = raw_dir / FOLDER
    if (folder / "cpi.csv").exists():
        with reading(folder / "cpi.csv", raw_dir):
            load_csv(folder / "cpi.csv", raw_dir, out)
    for (name, sheet), prefix in WORKBOOKS.items():
        path = folder / name
        if not path.exists():
            continue
        with reading(path, raw_dir) as rel:
            if sheet not in xlsx.sheet_names(path):
                raise DataError(f"SCI workbook lacks sheet '{sheet}'", file=rel)
            out.inputs.append(rel)
            load_sheet(path, sheet, prefix, raw_dir, out)
    return finish(out)
