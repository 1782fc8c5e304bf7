"""Iran's liquidity (broad money, M2, «نقدینگی») at the end of each Iranian year, as compiled
by the signalmap project from Central Bank of Iran figures
(``signalmap/iran_cbi_liquidity_levels_solar.json``: ``{"_meta": {...}, "levels": {"1387":
1901366, ...}}``).

**Unit.** ``_meta.unit`` says ``thousand_billion_rial``, but the numbers are the CBI's levels in
*billion* rial: 1387 = 1,901,366 billion rial (≈ 1,901 thousand billion); end-1396 =
15,299,800 billion rial, the widely reported «۱۵۳۰ هزار میلیارد تومان» (1,530 thousand billion
toman = 15,300 thousand billion rial). Read with the file's label, Iran's money supply would be
1,000 times too large. The values are kept as written, with unit "billion rial".

**Estimates.** ``_meta.source_note``: 1397 is "implied from CBI-communicated ≈23% YoY" and
1398–1403 are a "rounded continuation": those years are flagged ``is_estimate``
(:data:`ESTIMATED_FROM`).

``year`` is the Gregorian year in which the Iranian year starts (1387 → 2008), as for every
Iranian series (``year_basis = 'iranian_year'``); the level is a stock at the year's *end*
(about 20 March of ``year + 1``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from analysis.clean import jalali
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
from analysis.parse.dates import expand_jalali_year

SOURCE_ID = "signalmap"
FILE = "signalmap/iran_cbi_liquidity_levels_solar.json"
INPUTS = (FILE,)
CODE = "CBI.M2.LEVEL"
NAME = "Liquidity (broad money, M2), end of Iranian year"
#: The file's ``_meta.unit`` label, which does not fit its numbers (see the module docstring).
FILE_UNIT_LABEL = "thousand_billion_rial"
UNIT = (
    "billion rial, end of Iranian year (the file labels it 'thousand_billion_rial', but its "
    "numbers match the CBI's levels in billion rial)"
)
#: First Jalali year the file's own note calls implied or rounded, not a published level.
ESTIMATED_FROM = 1397


def _line_numbers(text: str) -> dict[str, int]:
    """1-based line of each ``"<year>":`` key in the JSON text."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        for key in re.findall(r'"(\d{2,4})"\s*:', line):
            lines.setdefault(key, number)
    return lines


def load(raw_dir: Path) -> TableResult:
    """The liquidity levels, one observation per Jalali year."""
    return load_each(sorted(raw_dir.glob(FILE)), raw_dir, _load_file)


def _load_file(path: Path, raw_dir: Path, out: Collector) -> None:
    rel = relative(path, raw_dir)
    out.inputs.append(rel)
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    levels = data.get("levels") if isinstance(data, dict) else None
    if not isinstance(levels, dict):
        raise DataError("CBI liquidity file has no 'levels' object", file=rel)
    label = (data.get("_meta") or {}).get("unit")
    if label != FILE_UNIT_LABEL:
        raise DataError(
            f"CBI liquidity unit label is now {label!r} (was {FILE_UNIT_LABEL!r}): check the "
            "numbers' scale and update UNIT",
            file=rel,
        )
    lines = _line_numbers(text)
    cells = pd.DataFrame(
        {
            "Year": list(levels),
            "raw": pd.Series(list(levels.values()), dtype="object"),
            "source_row": [lines.get(k, 1) for k in levels],
        }
    ).assign(source_file=rel, column=list(levels))
    cells = cells[~is_gap(cells["raw"])]
    out.read(cells)
    years = pd.to_numeric(cells["Year"], errors="coerce")
    bad = years.isna() | (years % 1 != 0)
    reject(out, cells[bad], "Year", "jalali_year", "key is not a Jalali year")
    full = years[~bad].astype("int64").map(expand_jalali_year)
    cells = cells[~bad].assign(jalali_year=full, year=jalali.to_start_years(full))
    cells = parse_cells(cells, out, what=rel)
    out.keep(
        observations(
            cells,
            country_code="IRN",
            country_name="Iran",
            indicator_code=CODE,
            indicator_name=NAME,
            unit=UNIT,
            year_basis="iranian_year",
            is_estimate=cells["jalali_year"] >= ESTIMATED_FROM,
            source_id=SOURCE_ID,
            vintage=approximate_vintage(cells["year"]),
        )
    )
    out.notes.append(
        f"{rel}: unit label {label!r} taken as billion rial (values match CBI billion-rial "
        f"levels); Jalali {ESTIMATED_FROM}+ flagged is_estimate (implied/rounded per the file)"
    )
