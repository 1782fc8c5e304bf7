"""``fx_rates``: daily rial exchange rates from bonbast (open market, 28 currencies) and tgju (open
market and NIMA US$), in rial per unit of foreign currency, the quoted selling/closing rate.

There is no daily official-rate file in the snapshot: the official rate is the World Bank annual
series PA.NUS.FCRF in the ``indicators`` table (see :func:`analysis.finance.annual_rates`).
Loaders: :mod:`analysis.clean.sources.bonbast`, :mod:`analysis.clean.sources.tgju`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.clean.base import TableResult, to_text
from analysis.clean.sources import bonbast, tgju
from analysis.schemas.fx_rates import TEXT_COLUMNS

INPUTS: tuple[str, ...] = bonbast.INPUTS + tgju.INPUTS
SORT_KEYS = ["rate_type", "currency", "source_id", "date"]


def _shared_categories(tables: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """The text columns of ``tables`` as categoricals with one sorted set of categories, so that
    they concatenate and sort (alphabetically) as small integer codes."""
    dtypes = {
        c: pd.CategoricalDtype(
            pd.Index(
                np.concatenate(
                    [np.asarray(t[c].astype("category").cat.categories, object) for t in tables]
                )
            )
            .unique()
            .sort_values()
        )
        for c in TEXT_COLUMNS
    }
    return [t.astype(dtypes) for t in tables]


def build(raw_dir: Path) -> TableResult:
    """Every daily rate, one row per date, rate type, currency and source (pure: reads only).

    Text columns stay categorical until the rows are sorted, then become Arrow strings once.
    """
    parts = [bonbast.load(raw_dir), tgju.load(raw_dir)]
    tables = _shared_categories([part.table for part in parts])
    result = TableResult.combine(
        [replace(part, table=table) for part, table in zip(parts, tables, strict=True)]
    )
    del parts, tables
    table = result.table.sort_values(SORT_KEYS, ignore_index=True)
    result.table = table.assign(**{c: to_text(table[c]) for c in TEXT_COLUMNS})
    return result
