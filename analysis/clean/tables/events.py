"""``events``: the curated events ledger and the SignalMap events chosen for it, checked and dated.

*Ledger* (``ledgers/events.csv``): a row with an empty required field, a date that is not a real
``YYYY[-MM[-DD]]``, a category outside :data:`analysis.schemas.events.CATEGORIES`, a non-http(s)
source URL, a number column that is not a positive number, a repeated ``event_id`` or a repeat
of an earlier row (same date and event) is quarantined with the reason.

*SignalMap* (``signalmap/events_iran.json``, per-event sources inside): each event is looked up
in ``ledgers/signalmap_events.csv``, where an analyst decided ``keep`` (with a category) or
``leave_out`` (with a reason). An event named in a ledger row's ``also_in`` is the same event
as that row and is excluded (one row per event); a ``leave_out`` is excluded; an event not yet
reviewed, or kept with an unreadable date or no http(s) source, is quarantined. A kept event
becomes a row with ``event_id`` ``signalmap:<id>``, its title and description as ``event``, its
first source as ``source_url`` and the rest in ``notes``.

Kept rows gain ``event_date`` (the first day of what the date names: ``2006-01`` → 2006-01-01),
``date_precision`` and ``year``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.clean.base import Collector, TableResult, reading
from analysis.clean.sources import ledgers
from analysis.errors import DataError
from analysis.schemas.events import (
    CATEGORIES,
    COLUMNS,
    LEDGER_COLUMNS,
    NUMBER_COLUMNS,
    REQUIRED_COLUMNS,
)

LEDGER = "ledgers/events.csv"
SIGNALMAP = "signalmap/events_iran.json"
#: The analysts' decision for each SignalMap event.
SIGNALMAP_CHOICES = "ledgers/signalmap_events.csv"
CHOICE_COLUMNS = ["signalmap_id", "decision", "category", "reason"]
DECISIONS = ("keep", "leave_out")
INPUTS: tuple[str, ...] = (LEDGER, SIGNALMAP_CHOICES, SIGNALMAP)
#: Characters in a date → its precision.
PRECISION_BY_LENGTH = {4: "year", 7: "month", 10: "day"}
#: What completes a date of each length to its first day.
FIRST_DAY_SUFFIX = {4: "-01-01", 7: "-01", 10: ""}
#: A loader's columns before the dates are derived.
SOURCE_COLUMNS = [*LEDGER_COLUMNS, "source_id", "source_file", "source_row"]
#: ``also_in`` prefix naming a SignalMap event.
SIGNALMAP_PREFIX = "signalmap:"
#: Exclusion reasons (counted in the manifest).
SAME_AS_LEDGER = "signalmap_same_event_as_a_ledger_row"
LEFT_OUT = "signalmap_left_out_by_analyst"


def excluded_counts(masks: dict[str, pd.Series]) -> dict[str, int]:
    """Rows excluded by reason (reasons with none left out)."""
    return {reason: int(mask.sum()) for reason, mask in masks.items() if mask.any()}


def check_numbers(frame: pd.DataFrame, q: Collector) -> pd.Series:
    """Rows whose number columns hold something other than a positive number."""
    bad = pd.Series(False, index=frame.index)
    for column in NUMBER_COLUMNS:
        values = pd.to_numeric(frame[column], errors="coerce")
        # pandas 3 reads an absurd "1e999" as infinity (pandas 2: NaN): neither is a number here
        wrong = frame[column].notna() & ~((values > 0) & (values < math.inf))
        reason = f"{column} is not a positive number (digits only, no separators)"
        bad |= ledgers.flag(frame, wrong, column, "number", reason, q)
    return bad


def check_rows(frame: pd.DataFrame) -> tuple[pd.Series, Collector]:
    """Mask of ledger rows failing any check, and every failure."""
    q = Collector()
    bad = ledgers.check_required(frame, REQUIRED_COLUMNS, q)
    bad |= ledgers.check_vocabulary(frame, "category", CATEGORIES, q)
    bad |= ledgers.check_dates(frame, "date", q)
    bad |= ledgers.check_urls(frame, "source_url", q)
    bad |= check_numbers(frame, q)
    bad |= ledgers.check_duplicates(frame, "event_id", q)
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


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Number columns as numbers (after :func:`check_numbers` let only positive numbers by)."""
    return frame.assign(
        amount_usd_as_reported=pd.to_numeric(frame["amount_usd_as_reported"]).astype(float),
        rial_per_usd_level=pd.to_numeric(frame["rial_per_usd_level"]).astype("Int64"),
    )


def ledger_result(raw_dir: Path) -> TableResult:
    """The ledger's checked rows (``source_id`` ``ledger``)."""
    frame = ledgers.read_ledger(raw_dir / LEDGER, raw_dir, LEDGER_COLUMNS)
    bad, quarantine = check_rows(frame)
    table = frame[~bad].pipe(typed).assign(source_id="ledger")
    return TableResult(
        table=table, quarantine=quarantine.frame(), rows_read=len(frame), inputs=[LEDGER]
    )


def read_choices(raw_dir: Path) -> pd.DataFrame:
    """``ledgers/signalmap_events.csv``, indexed by SignalMap id; a bad row is a file defect."""
    choices = ledgers.read_ledger(raw_dir / SIGNALMAP_CHOICES, raw_dir, CHOICE_COLUMNS)
    wrong = (
        choices["signalmap_id"].isna()
        | choices["signalmap_id"].duplicated()
        | ~choices["decision"].isin(DECISIONS)
        | ((choices["decision"] == "keep") & ~choices["category"].isin(CATEGORIES))
        | ((choices["decision"] == "leave_out") & choices["reason"].isna())
    )
    if wrong.any():
        row = choices[wrong].iloc[0]
        raise DataError(
            f"each SignalMap event needs one row: decision one of {DECISIONS}, a category from "
            f"{CATEGORIES} to keep it, a reason to leave it out",
            file=SIGNALMAP_CHOICES,
            row=int(row["source_row"]),
        )
    return choices.set_index("signalmap_id")


def read_signalmap(raw_dir: Path) -> pd.DataFrame:
    """SignalMap's events as rows with ``source_row`` = 1-based position in the JSON array."""
    path = raw_dir / SIGNALMAP
    with reading(path, raw_dir):
        items: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(items, list):
            raise DataError("expected a JSON array of events", file=SIGNALMAP)
        rows = [
            {
                "signalmap_id": item.get("id"),
                "date": item.get("date"),
                "event": ": ".join(t for t in (item.get("title"), item.get("description")) if t),
                "sources": [str(s) for s in item.get("sources") or []],
                "actor": ", ".join(item.get("actors") or []) or None,
                "notes": f"SignalMap type {item.get('type')}, confidence {item.get('confidence')}",
                "source_file": SIGNALMAP,
                "source_row": position,
            }
            for position, item in enumerate(items, start=1)
        ]
        return pd.DataFrame(rows)


def signalmap_result(raw_dir: Path, ledger: pd.DataFrame) -> TableResult:
    """The SignalMap events the analysts kept, as event rows (``source_id`` ``signalmap``)."""
    events = read_signalmap(raw_dir)
    choices = read_choices(raw_dir)
    q = Collector()
    in_ledger = {
        v.removeprefix(SIGNALMAP_PREFIX)
        for v in ledger["also_in"].dropna()
        if v.startswith(SIGNALMAP_PREFIX)
    }
    same = events["signalmap_id"].isin(in_ledger)
    decision = events["signalmap_id"].map(choices["decision"])
    left_out = ~same & (decision == "leave_out")
    candidates = events[~same & ~left_out]
    bad = ledgers.flag(
        candidates,
        candidates["signalmap_id"].map(choices["decision"]).isna(),
        "id",
        "reviewed",
        f"SignalMap event not reviewed: add it to {SIGNALMAP_CHOICES}",
        q,
    )
    bad |= ledgers.check_dates(candidates, "date", q)
    first_source = candidates["sources"].map(lambda s: s[0] if s else None)
    bad |= ledgers.check_required(candidates.assign(source_url=first_source), ["source_url"], q)
    bad |= ledgers.check_urls(candidates.assign(source_url=first_source), "source_url", q)
    kept = candidates[~bad]
    chosen = choices.reindex(kept["signalmap_id"])
    table = kept.assign(
        event_id=SIGNALMAP_PREFIX + kept["signalmap_id"],
        category=chosen["category"].to_numpy(),
        source_url=kept["sources"].str[0],
        notes=kept["notes"]
        + "; "
        + chosen["reason"].fillna("").to_numpy()
        + kept["sources"].map(lambda s: "; other sources: " + " ".join(s[1:]) if s[1:] else ""),
        source_id="signalmap",
    )
    return TableResult(
        table=table.reindex(columns=SOURCE_COLUMNS).pipe(typed),
        quarantine=q.frame(),
        rows_read=len(events),
        excluded=excluded_counts({SAME_AS_LEDGER: same, LEFT_OUT: left_out}),
        inputs=[SIGNALMAP_CHOICES, SIGNALMAP],
        notes=unknown_references(in_ledger, events["signalmap_id"]),
    )


def unknown_references(in_ledger: set[str], ids: pd.Series) -> list[str]:
    """A note naming the SignalMap ids that ledger rows' ``also_in`` cite but the file lacks."""
    unknown = sorted(in_ledger - set(ids.dropna()))
    return [f"also_in names SignalMap events not in {SIGNALMAP}: {unknown}"] if unknown else []


def build(raw_dir: Path) -> TableResult:
    """The ``events`` table from the ledger and, when fetched, SignalMap (pure: reads only)."""
    parts = [ledger_result(raw_dir)]
    if (raw_dir / SIGNALMAP).exists():
        parts.append(signalmap_result(raw_dir, parts[0].table))
    result = TableResult.combine(parts)
    table = (
        result.table.pipe(add_dates)
        .sort_values(["event_date", "event_id"], kind="stable")
        .reindex(columns=COLUMNS)
        .reset_index(drop=True)
    )
    counts = table.groupby("source_id")["category"].value_counts().to_dict()
    result.table = table
    result.notes = [f"events by source and category: {counts}", *result.notes]
    return result
