"""The periods of the article's argument, dated by events: before the break, the rift, the return.

Hamas broke with Damascus and Tehran when it backed the Syrian uprising (the events ledger's
:data:`BREAK_EVENT`, February 2012); the rapprochement began in mid-2017 (:data:`RETURN_EVENT`,
Sinwar calling ties with Iran "excellent", August 2017). The report takes the years of those two
dated events as ``breaks = (break_year, return_year)`` and a year ``y`` falls in:

- ``before {break_year}`` when ``y < break_year``;
- ``{break_year}–{return_year - 1}`` (the rift) when ``break_year <= y < return_year``;
- ``{return_year} onwards`` when ``y >= return_year``.

So money claimed for 2017, the year the relationship was restored, counts as after the return,
not as rift money.
"""

from __future__ import annotations

import pandas as pd

from analysis.config import PERIOD_BREAKS

#: Events ledger rows (data/raw/ledgers/events.csv) that date the break and the return.
#: E009: Haniyeh publicly backs the Syrian uprising (2012-02-24).
BREAK_EVENT = "E009"
#: E021: Sinwar calls ties with Iran "excellent" and Iran Hamas's largest backer (2017-08-28).
RETURN_EVENT = "E021"


def labels(breaks: tuple[int, int] = PERIOD_BREAKS) -> list[str]:
    """The three period labels in time order."""
    start, end = check_breaks(breaks)
    return [f"before {start}", f"{start}–{end - 1}", f"{end} onwards"]


def check_breaks(breaks: tuple[int, int]) -> tuple[int, int]:
    """``breaks`` as two ints, break year < return year (else ValueError)."""
    start, end = int(breaks[0]), int(breaks[1])
    if start >= end:
        raise ValueError(f"the break year {start} must be before the return year {end}")
    return start, end


def period_of(years: pd.Series, breaks: tuple[int, int] = PERIOD_BREAKS) -> pd.Series:
    """The period label of each year (an ordered categorical; missing years stay missing)."""
    start, end = check_breaks(breaks)
    names = labels((start, end))
    numeric = pd.to_numeric(years, errors="coerce")
    codes = pd.Series(pd.NA, index=years.index, dtype="object")
    codes[numeric < start] = names[0]
    codes[(numeric >= start) & (numeric < end)] = names[1]
    codes[numeric >= end] = names[2]
    return pd.Series(
        pd.Categorical(codes, categories=names, ordered=True), index=years.index, name="period"
    )


def event_dates(
    events: pd.DataFrame, break_event: str = BREAK_EVENT, return_event: str = RETURN_EVENT
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The dates of the break and the return, read from the processed ``events`` table.

    Raises KeyError naming an event id the table lacks, ValueError when the return is not
    after the break."""
    by_id = events.set_index("event_id")
    for event_id in (break_event, return_event):
        if event_id not in by_id.index:
            raise KeyError(f"event {event_id} is not in the events table")
    start = pd.Timestamp(str(by_id.loc[break_event, "event_date"]))
    end = pd.Timestamp(str(by_id.loc[return_event, "event_date"]))
    if end <= start:
        raise ValueError(f"the return ({return_event}, {end:%Y-%m-%d}) is not after the break")
    return start, end


def breaks_from_events(
    events: pd.DataFrame, break_event: str = BREAK_EVENT, return_event: str = RETURN_EVENT
) -> tuple[int, int]:
    """``(break_year, return_year)`` from the two dated events (:func:`event_dates`)."""
    start, end = event_dates(events, break_event, return_event)
    return check_breaks((start.year, end.year))
