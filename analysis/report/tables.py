"""Read processed tables (what notebooks use): ``load("indicators")``, ``indicator(code)``.

Notebooks read only the processed tables, through :mod:`analysis.store` (the one reader of
``data/processed/``).
"""

from __future__ import annotations

import pandas as pd

from analysis.store import load

__all__ = ["indicator", "load"]


def indicator(
    code: str,
    country: str = "IRN",
    *,
    source_id: str | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
) -> pd.DataFrame:
    """One indicator for one country from the ``indicators`` table, sorted by year.

    When several sources carry the indicator and ``source_id`` is not given, all are returned
    (the ``source_id`` column tells them apart).
    """
    frame = load("indicators").query("indicator_code == @code and country_code == @country")
    if source_id is not None:
        frame = frame[frame["source_id"] == source_id]
    if start_year is not None:
        frame = frame[frame["year"] >= start_year]
    if end_year is not None:
        frame = frame[frame["year"] <= end_year]
    return frame.sort_values(["source_id", "year"]).reset_index(drop=True)
