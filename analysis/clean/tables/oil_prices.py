"""``oil_prices``: EIA Brent and WTI spot prices in US$ per barrel by day, week, month and year.

From the datahub CSVs, with the original EIA .xls files (an older vintage) only filling dates the
CSVs lack; see :mod:`analysis.clean.sources.eia` for the layouts and the choice.
"""

from __future__ import annotations

from pathlib import Path

from analysis.clean.base import TableResult
from analysis.clean.sources import eia

INPUTS: tuple[str, ...] = eia.CSV_INPUTS + eia.XLS_INPUTS
SORT_KEYS = ["benchmark", "frequency", "date"]


def build(raw_dir: Path) -> TableResult:
    """Every EIA price, one row per benchmark, frequency and date (pure: reads only)."""
    result = eia.load(raw_dir)
    result.table = result.table.sort_values(SORT_KEYS).reset_index(drop=True)
    return result
