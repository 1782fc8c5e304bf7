"""``events``: the curated events ledger (``ledgers/events.csv``), checked and dated.

A row with an empty field, a date that is not a real ``YYYY[-MM[-DD]]``, a category outside
:data:`analysis.schemas.events.CATEGORIES`, a non-http(s) source URL or a repeat of an earlier
row (same date and event) is quarantined with the reason. Kept rows gain ``event_date`` (the
first day of what the date names: ``2006-01`` → 2006-01-01), ``date_precision`` and ``year``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.clean import ledgers
from analysis.clean.base import Quarantine, TableResult
from analysis.schemas.events import CATEGORIES, COLUMNS, LEDGER_COLUMNS, REQUIRED_COLUMNS

INPUTS: tuple[str, ...] = ("ledgers/events.csv",)
#: Characters in a date → its precision.
PRECISION_BY_LENGTH = {4: "year", 7: "month", 10: "day"}
#: What completes a date of each length to its first day.
FIRST_DAY_SUFFIX = {4: "-01-01", 7: "-01", 10: ""}


def check_rows(frame: pd.DataFrame) -> tuple[pd.Series, Quarantine]:
    """Mask of ledger rows failing any check, and every failure."""
    q = Quarantine()
    bad = ledgers.check_required(frame, REQUIRED_COLUMNS, q)
    bad |= ledgers.check_vocabulary(frame, "category", CATEGORIES, q)
    bad |= ledgers.check_dates(frame, "date", q)
    bad |= ledgers.check_urls(frame, "source_url", q)
    key = frame["date"].fillna("") + "\x1f" + frame["event"].fillna("")
    repeated = key.duplicated(keep="first") & frame["event"].notna()
    bad |= ledgers.flag(
        frame, repeated, "event", "unique", "the same date and event as an earlier row", q
    )
    return bad, q


def add_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """``event_date`` (first day of the period written), ``date_precision`` and ``year``."""
    lengths = frame["date"].str.len()
    filled = frame["date"] + lengths.map(FIRST_DAY_SUFFIX)
    return frame.assign(
        event_date=pd.to_datetime(filled, format="%Y-%m-%d"),
        date_precision=lengths.map(PRECISION_BY_LENGTH),
        year=frame["date"].str[:4].astype("int64"),
    )


def build(raw_dir: Path) -> TableResult:
    """The ``events`` table from the ledger (pure: reads only)."""
    path = raw_dir / INPUTS[0]
    frame = ledgers.read_ledger(path, raw_dir, LEDGER_COLUMNS)
    bad, quarantine = check_rows(frame)
    table = frame[~bad].pipe(add_dates).reindex(columns=COLUMNS).reset_index(drop=True)
    return TableResult(
        table=table,
        quarantine=quarantine.frame(),
        rows_read=len(frame),
        inputs=[INPUTS[0]],
        notes=[f"events: {table['category'].value_counts().to_dict()}"],
    )
