"""``oil_trade``: EU crude-oil imports by month, reporting EU country, country of origin and
crude grade, in thousand barrels, thousand US$ and US$ a barrel (European Commission, DG ENER).

From the yearly workbooks of the EU crude-oil import register, 2013-2019; see
:mod:`analysis.clean.sources.eu_coir` for the layout, the rows excluded and the check against the
cumulative-year sheet. It shows the EU side of Iran's oil sales (origin ``IRN``), not Iran's total
exports.
"""

from __future__ import annotations

from pathlib import Path

from analysis.clean.base import TableResult
from analysis.clean.sources import eu_coir

INPUTS: tuple[str, ...] = eu_coir.INPUTS
SORT_KEYS = ["month", "reporter_code", "origin_name", "crude_grade"]


def build(raw_dir: Path) -> TableResult:
    """Every monthly import row of the register (pure: reads only)."""
    result = eu_coir.load(raw_dir)
    result.table = result.table.sort_values(SORT_KEYS).reset_index(drop=True)
    return result
