"""Read processed tables (what notebooks use): ``load("indicators")``, ``indicator(code)``.

Notebooks read only the processed tables, through :mod:`analysis.store` (the one reader of
``data/processed/``). When the builder runs a notebook it names a file in
``$ANALYSIS_TABLES_LOG`` (:data:`analysis.config.TABLES_LOG_ENV`): each table a run opens is
appended to it, and the build keys the report's cache on those tables.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import pandas as pd

from analysis import config, store

__all__ = ["indicator", "load"]


def record_read(name: str) -> None:
    """Append ``name`` to the builder's tables log, if the builder set one."""
    log = os.environ.get(config.TABLES_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(name + "\n")


def load(name: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The processed table ``name`` (recorded as read by this run)."""
    record_read(name)
    return store.load(name, columns)


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
