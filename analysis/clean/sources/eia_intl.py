"""EIA international energy series, one JSON object per file (``eia-intl/eia_intl_*.json``).

Each file is one series of EIA's bulk ``INTL`` file: ``series_id`` (``INTL.57-4-IRN-TBPD.A``),
``name`` ("Crude oil including lease condensate exports, Iran, Annual"), ``units``
("thousand barrels per day"), ``f`` (frequency, ``A`` = annual), ``geography`` (ISO alpha-3),
``last_updated`` (``2021-07-09T09:36:18-04:00``), ``geoset_id`` (the series without its
country: ``INTL.57-4-TBPD.A``) and ``data``, a list of ``[year, value]`` pairs, newest first.

* ``indicator_code`` is ``EIA.`` + ``geoset_id`` with ``-`` written ``_``
  (``EIA.INTL.57_4_TBPD.A``): one code per EIA series for every country, as for the other
  families; ``indicator_name`` is ``name`` without its country and frequency.
* ``unit`` is the file's ``units``; ``year_basis`` is ``calendar`` (EIA's annual international
  data are calendar years); ``vintage`` is the date of ``last_updated``.
* ``source_row`` is the line of the file on which the ``[year, value]`` pair opens.
* A value that is not a finite number, or a year that is not a four-digit year, is quarantined;
  ``null`` and EIA's ``--``/``NA`` are gaps. Series that are not annual (``f`` other than ``A``)
  and EIA regions (geography codes longer than three letters, ``WORL``, ``OPEC``) are excluded
  and counted. A file that is not such an object stops ``clean`` with a :class:`DataError`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

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

SOURCE_ID = "eia-intl"
INPUTS = ("eia-intl/eia_intl_*.json",)
#: Keys every series object must have.
REQUIRED = ("series_id", "name", "units", "f", "geography", "data")
#: EIA's frequency code for annual series (the only ones the ``indicators`` table holds).
ANNUAL = "A"
_FREQUENCIES = {"A": "Annual", "Q": "Quarterly", "M": "Monthly"}
_DATA_START = re.compile(r'"data"\s*:\s*\[')
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"^\d{4}$")


def read_series(path: Path, rel: str) -> tuple[dict[str, Any], str]:
    """(the series object, the file's text); :class:`DataError` naming ``rel`` if it is not one."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        series = json.loads(text)
    except UnicodeDecodeError as err:
        raise DataError(f"EIA series file is not UTF-8 text: {err.reason}", file=rel) from err
    except json.JSONDecodeError as err:
        raise DataError(
            f"EIA series file is not valid JSON: {err.msg}", file=rel, row=err.lineno
        ) from err
    if not isinstance(series, dict):
        raise DataError("EIA series file is not a JSON object", file=rel)
    missing = [k for k in REQUIRED if k not in series]
    if missing:
        raise DataError(f"EIA series object lacks {', '.join(missing)}", file=rel)
    if not isinstance(series["data"], list):
        raise DataError("EIA series 'data' is not a list of [year, value] pairs", file=rel)
    return series, text


def pair_lines(text: str, count: int) -> list[int]:
    """The 1-based line on which each of the first ``count`` elements of ``data`` opens.

    Each element is decoded in place from its offset (``raw_decode``), so the lines are right
    whatever the layout (one pair per line, pretty-printed, or all on one line).
    """
    match = _DATA_START.search(text)
    if match is None:
        return [1] * count
    decoder = json.JSONDecoder()
    lines: list[int] = []
    pos = match.end()
    try:
        while len(lines) < count:
            while text[pos] in " \t\r\n,":
                pos += 1
            lines.append(text.count("\n", 0, pos) + 1)
            _, pos = decoder.raw_decode(text, pos)
    except (json.JSONDecodeError, IndexError):  # "data": [ matched elsewhere than the key
        return [1] * count
    return lines


def code_of(series: dict[str, Any]) -> str:
    """``EIA.`` + the country-free series id (``geoset_id``, else ``series_id``), ``-`` → ``_``.

    >>> code_of({"geoset_id": "INTL.57-4-TBPD.A", "series_id": "INTL.57-4-IRN-TBPD.A"})
    'EIA.INTL.57_4_TBPD.A'
    """
    stem = str(series.get("geoset_id") or series["series_id"]).strip()
    return "EIA." + re.sub(r"[^A-Za-z0-9_.]", "_", stem)


def name_of(name: str, frequency: str, country: str) -> str:
    """The series name without its trailing country and frequency.

    >>> name_of("Crude oil including lease condensate exports, Iran, Annual", "A", "Iran")
    'Crude oil including lease condensate exports'
    """
    text = name.strip()
    suffix = _FREQUENCIES.get(frequency)
    if suffix and text.endswith(f", {suffix}"):
        text = text[: -len(suffix) - 2]
    if text.endswith(f", {country}"):
        text = text[: -len(country) - 2]
    return text


def vintage_of(updated: object, years: pd.Series) -> str:
    """The date of ``last_updated``, else ``~YYYY`` (the year after the last year with data)."""
    match = _DATE.match(str(updated or ""))
    if match:
        return match.group(0)
    return approximate_vintage(years)


def _cells(series: dict[str, Any], text: str, rel: str, out: Collector) -> pd.DataFrame:
    """One cell per pair of ``data`` (``Year``, ``raw``, provenance); malformed pairs rejected."""
    data = series["data"]
    pairs = pd.DataFrame(
        {
            "pair": pd.Series(data, dtype="object"),
            "source_row": pair_lines(text, len(data)),
        }
    ).assign(source_file=rel, column="data")
    shaped = pairs["pair"].map(lambda p: isinstance(p, list) and len(p) == 2).astype(bool)
    bad = pairs[~shaped]
    bad = bad.assign(raw=bad["pair"].astype(str))
    out.read(bad)
    reject(out, bad, None, "pair", "element of 'data' is not a [year, value] pair")
    good = pairs[shaped]
    return good.assign(
        Year=good["pair"].map(lambda p: str(p[0]).strip()),
        raw=good["pair"].map(lambda p: p[1]).astype("object"),
    )


def _load_file(path: Path, raw_dir: Path, out: Collector) -> None:
    rel = relative(path, raw_dir)
    out.inputs.append(rel)
    series, text = read_series(path, rel)
    cells = _cells(series, text, rel, out)
    cells = cells[~is_gap(cells["raw"])]
    out.read(cells)
    frequency = str(series["f"]).strip()
    geography = str(series["geography"]).strip().upper()
    if frequency != ANNUAL:
        out.exclude(cells, "not_annual")
        out.notes.append(f"{rel}: frequency {frequency!r}, not annual: left out")
        return
    if not re.fullmatch(r"[A-Z]{3}", geography):
        out.exclude(cells, "aggregate")
        out.notes.append(f"{rel}: EIA region {geography!r}, not a country: left out")
        return
    bad_year = ~cells["Year"].str.fullmatch(_YEAR)
    reject(out, cells[bad_year], "Year", "year", "year of the pair is not a four-digit year")
    cells = cells[~bad_year].assign(year=lambda c: c["Year"].astype("int64"))
    cells = parse_cells(cells, out, what=rel)
    code = countries.fix_codes(pd.Series([geography]))
    country = str(countries.short_names(code, pd.Series([geography])).iloc[0])
    vintage = vintage_of(series.get("last_updated"), cells["year"])
    out.keep(
        observations(
            cells,
            country_code=str(code.iloc[0]),
            country_name=country,
            indicator_code=code_of(series),
            indicator_name=name_of(str(series["name"]), frequency, country),
            unit=str(series["units"]).strip() or "not stated",
            source_id=SOURCE_ID,
            vintage=vintage,
        )
    )
    out.notes.append(f"{rel}: EIA {series['series_id']}, vintage {vintage} (last_updated)")


def load(raw_dir: Path) -> TableResult:
    """Every ``eia-intl/eia_intl_*.json`` series file."""
    return load_each(sorted((raw_dir / "eia-intl").glob("eia_intl_*.json")), raw_dir, _load_file)
