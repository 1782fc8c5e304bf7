"""``fx_rates``: daily rial exchange rates from bonbast (open market, 28 currencies) and tgju (open
market and NIMA US$), in rial per unit of foreign currency, the quoted selling/closing rate.

There is no daily official-rate file in the snapshot: the official rate is the World Bank annual
series PA.NUS.FCRF in the ``indicators`` table (see :func:`analysis.finance.annual_rates`).
Loaders: :mod:`analysis.clean.bonbast`, :mod:`analysis.clean.tgju`.
"""

from __future__ import annotations

from pathlib import Path

from analysis.clean import bonbast, tgju
from analysis.clean.base import TableResult

INPUTS: tuple[str, ...] = bonbast.INPUTS + tgju.INPUTS
SORT_KEYS = ["rate_type", "currency", "source_id", "date"]


def build(raw_dir: Path) -> TableResult:
    """Every daily rate, one row per date, rate type, currency and source (pure: reads only)."""
    result = TableResult.combine([bonbast.load(raw_dir), tgju.load(raw_dir)])
    result.table = result.table.sort_values(SORT_KEYS).reset_index(drop=True)
    return result
