"""Events about a rial level, checked against the project's own exchange rates.

An event of the ``events`` table with a ``rial_per_usd_level`` says the rial first reached that
many rials per US dollar on its date. The level refers to bonbast's open-market dollar
(:data:`LEVEL_RATE`), so the first day on which ``fx_rates`` holds a rate at or above the level
must be the event's date (compared at the date's precision: a ``2018-07`` event only needs the
month to match).
"""

from __future__ import annotations

import pandas as pd

#: The rate the ledger's rial levels refer to.
LEVEL_RATE = {"source_id": "bonbast", "rate_type": "open_market", "currency": "USD"}
#: strftime pattern for a date written with each precision.
FORMAT_BY_PRECISION = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def first_day_at_or_above(fx_rates: pd.DataFrame, level: float) -> pd.Timestamp | None:
    """The first date on which the :data:`LEVEL_RATE` rate is at or above ``level`` (or None)."""
    mask = pd.Series(True, index=fx_rates.index)
    for column, value in LEVEL_RATE.items():
        mask &= fx_rates[column] == value
    reached = fx_rates.loc[mask & (fx_rates["irr_per_unit"] >= level), "date"]
    return None if reached.empty else pd.Timestamp(reached.min())


def check_rial_levels(events: pd.DataFrame, fx_rates: pd.DataFrame) -> pd.DataFrame:
    """Each rial-level event with the first day the rate reached its level and ``matches``.

    Columns: ``event_id``, ``date`` (as the ledger writes it), ``rial_per_usd_level``,
    ``first_day`` (NaT when the level is never reached) and ``matches``.
    """
    levels = events[events["rial_per_usd_level"].notna()]
    first = levels["rial_per_usd_level"].map(lambda v: first_day_at_or_above(fx_rates, float(v)))
    first_day = pd.to_datetime(pd.Series(list(first), index=levels.index, dtype="object"))
    written = [
        pd.NA if pd.isna(day) else day.strftime(FORMAT_BY_PRECISION[precision])
        for day, precision in zip(first_day, levels["date_precision"], strict=True)
    ]
    matches = [w is not pd.NA and w == d for w, d in zip(written, levels["date"], strict=True)]
    return pd.DataFrame(
        {
            "event_id": levels["event_id"],
            "date": levels["date"],
            "rial_per_usd_level": levels["rial_per_usd_level"],
            "first_day": first_day,
            "matches": matches,
        }
    ).reset_index(drop=True)
