"""datahub.io copies of World Bank series (``datahub-inflation/``, ``datahub-gdp/``).

* ``datahub-inflation/FP.CPI.TOTL.ZG.csv`` and ``NY.GDP.DEFL.KD.ZG.csv``: WDI wide files without
  the preamble — read by :func:`analysis.clean.sources.worldbank.load_file`.
* ``datahub-inflation/inflation-consumer.csv`` and ``inflation-gdp.csv``: the same two series in
  long form (``Country,Country Code,Year,Inflation``) with their **labels swapped** upstream
  (the "consumer" file holds the GDP deflator). The series a long file holds is decided by
  comparing its values with the wide ``FP.CPI.TOTL.ZG`` file, never by its name; a long file
  that matches neither wide series is excluded (``unverified_series``). Long rows that repeat a
  wide value are excluded as ``copy_of_wide_file``; rows the wide file lacks are kept.
* ``datahub-gdp/gdp.csv``: WDI ``NY.GDP.MKTP.CD`` in long form (``Country Name,Country Code,
  Year,Value``), values to 2023 — newer than the raw World Bank GDP file in the snapshot.

World Bank aggregates are kept and flagged, as in :mod:`analysis.clean.sources.worldbank`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.clean import countries
from analysis.clean.base import Collector, TableResult, concat_frames, reading, relative
from analysis.clean.longform import (
    approximate_vintage,
    finish,
    is_gap,
    observations,
    parse_cells,
    reject,
)
from analysis.clean.sources import worldbank
from analysis.errors import DataError

INFLATION_ID = "datahub-inflation"
GDP_ID = "datahub-gdp"
INPUTS = ("datahub-inflation/*.csv", "datahub-gdp/gdp.csv")
CPI_CODE = "FP.CPI.TOTL.ZG"
DEFLATOR_CODE = "NY.GDP.DEFL.KD.ZG"
#: Share of overlapping (country, year) values that must agree for a long file to be taken as
#: holding a wide series; both real files agree on 100 % of their overlap with one series and
#: on well under 1 % with the other.
MATCH_SHARE = 0.95
#: Two values agree when they differ by less than this (relative); both are WDI floats.
REL_TOL = 1e-9
GDP_CODE = "NY.GDP.MKTP.CD"
GDP_NAME = "GDP (current US$)"
_LONG_COLUMNS = ["Country", "Country Code", "Year", "Inflation"]


def read_long(path: Path, columns: list[str]) -> pd.DataFrame:
    """A long datahub CSV with provenance; values left as read (text where not numbers)."""
    frame = pd.read_csv(
        path,
        encoding="utf-8-sig",
        dtype={columns[0]: "string", columns[1]: "string"},
        keep_default_na=False,
        na_values=[""],
    )
    return frame.assign(source_row=frame.index + 2)


def _cells(frame: pd.DataFrame, rel: str, value: str, out: Collector) -> pd.DataFrame:
    """Long rows as cells (gaps dropped, counted as read, text quarantined)."""
    missing = [c for c in ("Country Code", "Year", value) if c not in frame.columns]
    if missing:
        raise DataError(f"datahub long file lacks column(s) {', '.join(missing)}", file=rel)
    cells = frame.rename(columns={value: "raw"}).assign(source_file=rel, column=value)
    cells = cells[~is_gap(cells["raw"])]
    out.read(cells)
    no_code = cells["Country Code"].isna()
    reject(out, cells[no_code], "Country Code", "country_code", "value with no country code")
    cells = cells[~no_code]
    years = pd.to_numeric(cells["Year"], errors="coerce")
    bad_year = years.isna() | (years % 1 != 0)
    reject(out, cells[bad_year], "Year", "year", "Year is not a whole number")
    cells = cells[~bad_year].assign(year=years[~bad_year].astype("int64"))
    return parse_cells(cells, out, what=rel)


def _agreement(cells: pd.DataFrame, wide: pd.DataFrame) -> float:
    """Share of ``cells`` (country, year) found in ``wide`` whose values agree."""
    both = cells.merge(
        wide[["country_code", "year", "value"]],
        left_on=["Country Code", "year"],
        right_on=["country_code", "year"],
        suffixes=("", "_wide"),
    )
    if both.empty:
        return 0.0
    close = np.isclose(both["value"], both["value_wide"], rtol=REL_TOL, atol=0.0)
    return float(close.mean())


def _load_long_inflation(path: Path, raw_dir: Path, wide: pd.DataFrame, out: Collector) -> None:
    rel = relative(path, raw_dir)
    out.inputs.append(rel)
    cells = _cells(read_long(path, _LONG_COLUMNS), rel, "Inflation", out)
    scores = {
        code: _agreement(cells, wide[wide["indicator_code"] == code])
        for code in (CPI_CODE, DEFLATOR_CODE)
    }
    code = max(scores, key=lambda c: scores[c])
    label = "consumer" if "consumer" in path.stem else "gdp" if "gdp" in path.stem else "?"
    if scores[code] < MATCH_SHARE:
        out.exclude(cells, "unverified_series")
        out.notes.append(
            f"{rel}: matches neither wide series (agreement {scores}); excluded, label unverified"
        )
        return
    named = {CPI_CODE: "consumer", DEFLATOR_CODE: "gdp"}[code]
    swapped = named != label
    out.notes.append(
        f"{rel}: values match wide {code} on {scores[code]:.1%} of shared (country, year)"
        + (f" — file name says '{label}': LABELS SWAPPED upstream" if swapped else "")
    )
    series = wide[wide["indicator_code"] == code]
    merged = cells.merge(
        series[["country_code", "year", "value"]].rename(
            columns={"country_code": "Country Code", "value": "value_wide"}
        ),
        on=["Country Code", "year"],
        how="left",
    )
    merged.index = cells.index
    in_wide = merged["value_wide"].notna()
    same = in_wide & np.isclose(merged["value"], merged["value_wide"], rtol=REL_TOL, atol=0.0)
    out.exclude(cells[same], "copy_of_wide_file")
    out.exclude(cells[in_wide & ~same], "differs_from_wide_file")
    extra = cells[~in_wide]
    if extra.empty:
        return
    first = series.iloc[0]
    _keep_long(
        extra,
        raw_dir,
        out,
        source_id=INFLATION_ID,
        code=code,
        name=str(first["indicator_name"]),
        unit=str(first["unit"]),
        vintage=str(first["vintage"]),
        name_column="Country",
    )


def _keep_long(
    cells: pd.DataFrame,
    raw_dir: Path,
    out: Collector,
    *,
    source_id: str,
    code: str,
    name: str,
    unit: str,
    vintage: str,
    name_column: str,
) -> None:
    codes = cells["Country Code"].astype(str).str.strip()
    names = cells[name_column].astype(str)
    aggregate = countries.wb_is_aggregate(codes, raw_dir)
    out.keep(
        observations(
            cells,
            country_code=codes,
            country_name=countries.short_names(codes, names).where(~aggregate, names),
            indicator_code=code,
            indicator_name=name,
            unit=unit,
            source_id=source_id,
            is_aggregate=aggregate,
            year_basis=countries.wb_year_basis(codes, pd.Series(code, index=codes.index), raw_dir),
            vintage=vintage,
        )
    )


def load_inflation(raw_dir: Path) -> TableResult:
    """``datahub-inflation/``: the wide WDI copies, then the long files checked against them."""
    out = Collector()
    folder = raw_dir / "datahub-inflation"
    paths = sorted(folder.glob("*.csv"))
    wide_paths = [p for p in paths if _is_wdi_wide(p, raw_dir)]
    for path in wide_paths:
        with reading(path, raw_dir):
            worldbank.load_file(path, raw_dir, INFLATION_ID, out)
    wide = concat_frames(out.tables) if out.tables else None
    for path in paths:
        if path in wide_paths:
            continue
        with reading(path, raw_dir) as rel:
            if wide is None:
                out.inputs.append(rel)
                cells = _cells(read_long(path, _LONG_COLUMNS), rel, "Inflation", out)
                out.exclude(cells, "unverified_series")
                out.notes.append(f"{rel}: no wide {CPI_CODE} file to check its label; excluded")
                continue
            _load_long_inflation(path, raw_dir, wide, out)
    return finish(out)


def _is_wdi_wide(path: Path, raw_dir: Path) -> bool:
    """True when ``path`` is a wide WDI copy (its header names ``Indicator Code``)."""
    with reading(path, raw_dir), path.open(encoding="utf-8-sig") as handle:
        header = handle.readline()
    return "Indicator Code" in header


def load_gdp(raw_dir: Path) -> TableResult:
    """``datahub-gdp/gdp.csv``: GDP (current US$), long."""
    out = Collector()
    path = raw_dir / "datahub-gdp" / "gdp.csv"
    if not path.exists():
        return finish(out)
    with reading(path, raw_dir) as rel:
        out.inputs.append(rel)
        cells = _cells(read_long(path, ["Country Name", "Country Code"]), rel, "Value", out)
        vintage = approximate_vintage(cells["year"])
        out.notes.append(f"{rel}: {GDP_CODE} long copy, vintage {vintage} (no date in the file)")
        _keep_long(
            cells,
            raw_dir,
            out,
            source_id=GDP_ID,
            code=GDP_CODE,
            name=GDP_NAME,
            unit=worldbank.unit_from_name(GDP_NAME),
            vintage=vintage,
            name_column="Country Name",
        )
    return finish(out)


def load(raw_dir: Path) -> TableResult:
    """Both datahub families."""
    return TableResult.combine([load_inflation(raw_dir), load_gdp(raw_dir)])
