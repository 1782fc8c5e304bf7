"""Money helpers: rial → US$ at a chosen rate, annual average rates, constant US$.

Which rial rate converts a figure changes the answer by a factor of several (official 42,000 per
US$ since 2018, NIMA, the open market many times higher), so every helper takes ``rate_type``
explicitly and never picks one silently.

The tables these helpers read are the processed ``fx_rates``, ``indicators`` and ``us_cpi``
(``analysis.report.tables.load(name)``); tests pass small frames with the same columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal, overload

import numpy as np
import pandas as pd

from analysis.errors import DataError, UsageError
from analysis.parse.dates import fiscal_years

RateType = Literal["open_market", "official", "nima"]
#: World Bank WDI "Official exchange rate (LCU per US$, period average)", in ``indicators``.
OFFICIAL_RATE_CODE = "PA.NUS.FCRF"
IRAN = "IRN"
#: The source used for a daily rate type when ``fx_rates`` has several and none is named:
#: bonbast is the quoted selling rate of Tehran exchange houses (the issue's reference series).
DEFAULT_SOURCE: dict[str, str] = {"open_market": "bonbast", "nima": "tgju"}
#: How far back :func:`rial_to_usd` looks for a quote by default (a long holiday, e.g. Nowruz,
#: can leave no quote for more than a week: then it raises rather than guess).
DEFAULT_MAX_GAP_DAYS = 7
ANNUAL_COLUMNS = ["year", "rate_type", "irr_per_usd", "n_days", "source_id"]

DateLike = date | str | pd.Timestamp


def _usd_quotes(fx_rates: pd.DataFrame, rate_type: str) -> pd.DataFrame:
    """The real (not carried-forward) US$ quotes of one rate type."""
    return fx_rates.loc[
        (fx_rates["currency"] == "USD")
        & (fx_rates["rate_type"] == rate_type)
        & ~fx_rates["is_carried_forward"].astype(bool)
    ]


def annual_rates(
    fx_rates: pd.DataFrame,
    indicators: pd.DataFrame | None = None,
    *,
    basis: Literal["gregorian", "fiscal"] = "gregorian",
) -> pd.DataFrame:
    """Average rials per US$ by year, rate type and source.

    ``open_market`` and ``nima``: the mean of the daily US$ quotes in ``fx_rates`` that are not
    carried-forward copies (weekends and holidays would otherwise count twice); ``n_days`` is the
    number of quoted days (a partial first or last year shows a small ``n_days``).
    ``official``: World Bank ``PA.NUS.FCRF`` for Iran from ``indicators`` (already an annual
    average; ``n_days`` is missing).

    ``basis="fiscal"`` averages over Iranian fiscal years (``year`` is then the Jalali year, 1397 =
    21 Mar 2018-20 Mar 2019). The official rate only exists by Gregorian year, so asking for it
    by fiscal year is an error rather than a silent mismatch.

    >>> fx = pd.DataFrame({"date": pd.to_datetime(["2018-01-01", "2018-01-02"]),
    ...     "rate_type": "open_market", "currency": "USD", "irr_per_unit": [42900.0, 43100.0],
    ...     "source_id": "bonbast", "is_carried_forward": False})  # synthetic
    >>> annual_rates(fx)[["year", "irr_per_usd", "n_days"]].to_dict("records")
    [{'year': 2018, 'irr_per_usd': 43000.0, 'n_days': 2}]
    """
    if basis not in ("gregorian", "fiscal"):
        raise UsageError(f"basis must be 'gregorian' or 'fiscal', not {basis!r}")
    if basis == "fiscal" and indicators is not None:
        raise UsageError(
            "the official rate (World Bank PA.NUS.FCRF) is an average by Gregorian year; "
            "there is no fiscal-year official rate: pass indicators=None with basis='fiscal'"
        )
    daily = fx_rates.loc[
        (fx_rates["currency"] == "USD") & ~fx_rates["is_carried_forward"].astype(bool)
    ]
    dates = pd.to_datetime(daily["date"])
    years = dates.dt.year if basis == "gregorian" else fiscal_years(dates)
    averaged = (
        daily.assign(year=years.astype("int64"), day=dates)
        .groupby(["year", "rate_type", "source_id"], as_index=False, observed=True)
        .agg(irr_per_usd=("irr_per_unit", "mean"), n_days=("day", "nunique"))
        .astype({"n_days": "Int64"})
    )
    parts = [averaged[ANNUAL_COLUMNS]]
    if indicators is not None:
        parts.append(_official(indicators))
    return (
        pd.concat(parts, ignore_index=True)
        .astype({"year": "int64", "irr_per_usd": "float64", "n_days": "Int64"})
        .sort_values(["rate_type", "source_id", "year"])
        .reset_index(drop=True)
    )


def _official(indicators: pd.DataFrame) -> pd.DataFrame:
    """Iran's official rate by year from the ``indicators`` table."""
    rows = indicators.loc[
        (indicators["indicator_code"] == OFFICIAL_RATE_CODE)
        & (indicators["country_code"] == IRAN)
        & indicators["value"].notna()
    ]
    return pd.DataFrame(
        {
            "year": rows["year"].astype("int64"),
            "rate_type": "official",
            "irr_per_usd": rows["value"].astype("float64"),
            "n_days": pd.array([pd.NA] * len(rows), dtype="Int64"),
            "source_id": rows["source_id"],
        }
    )


def _pick_source(quotes: pd.DataFrame, rate_type: str, source_id: str | None) -> pd.DataFrame:
    sources = sorted(quotes["source_id"].unique())
    if source_id is None:
        if len(sources) <= 1:
            return quotes
        source_id = DEFAULT_SOURCE.get(rate_type)
        if source_id not in sources:
            raise UsageError(
                f"fx_rates has several {rate_type} sources {sources}; name one with source_id="
            )
    chosen = quotes.loc[quotes["source_id"] == source_id]
    if chosen.empty:
        raise DataError(f"fx_rates has no {rate_type} US$ quotes from source {source_id!r}")
    return chosen


@overload
def rial_to_usd(  # type: ignore[overload-overlap]
    amount_irr: float,
    on: DateLike,
    rate_type: RateType,
    fx_rates: pd.DataFrame,
    max_gap_days: int = ...,
    *,
    source_id: str | None = ...,
) -> float: ...


@overload
def rial_to_usd(
    amount_irr: float | pd.Series,
    on: pd.Series | Sequence[DateLike],
    rate_type: RateType,
    fx_rates: pd.DataFrame,
    max_gap_days: int = ...,
    *,
    source_id: str | None = ...,
) -> pd.Series: ...


def rial_to_usd(
    amount_irr: float | pd.Series,
    on: DateLike | pd.Series | Sequence[DateLike],
    rate_type: RateType,
    fx_rates: pd.DataFrame,
    max_gap_days: int = DEFAULT_MAX_GAP_DAYS,
    *,
    source_id: str | None = None,
) -> float | pd.Series:
    """Convert rials to US$ at the ``rate_type`` quote of each date.

    Rule for dates with no quote: use the quote of the same day or, failing that, the nearest
    earlier quote at most ``max_gap_days`` days before; with none in that window raise
    :class:`DataError` naming the date(s). Carried-forward weekend/holiday copies are not quotes
    (the real quote they copy is found by the same rule). When ``fx_rates`` has several sources
    for the rate type, ``source_id`` chooses (default: :data:`DEFAULT_SOURCE`).

    ``on`` is one date (returns a float) or a Series/sequence of dates (returns a Series with
    ``on``'s index); ``amount_irr`` is a number or a Series aligned with ``on``.

    >>> fx = pd.DataFrame({"date": pd.to_datetime(["2018-01-01"]), "rate_type": "open_market",
    ...     "currency": "USD", "irr_per_unit": [42900.0], "source_id": "bonbast",
    ...     "is_carried_forward": False})  # synthetic
    >>> rial_to_usd(429_000, "2018-01-03", "open_market", fx)
    10.0
    """
    if max_gap_days < 0:
        raise UsageError(f"max_gap_days must be >= 0, not {max_gap_days}")
    scalar = isinstance(on, date | str | pd.Timestamp)
    dates = _as_dates(on)
    if rate_type == "official":
        raise DataError(
            "fx_rates has no daily official rate (the official rate is the World Bank annual "
            "PA.NUS.FCRF series): use annual_rates(fx_rates, indicators) and convert by year"
        )
    quotes = _pick_source(_usd_quotes(fx_rates, rate_type), rate_type, source_id)
    if quotes.empty:
        raise DataError(f"fx_rates has no {rate_type} US$ quotes")
    rates = _rate_on(dates, quotes, max_gap_days, rate_type)
    amounts = np.asarray(amount_irr, dtype="float64")
    if amounts.ndim and amounts.shape[0] != len(dates):
        raise UsageError(f"{amounts.shape[0]} amounts but {len(dates)} dates")
    usd = pd.Series(amounts / rates.to_numpy(), index=dates.index)
    return float(usd.iloc[0]) if scalar else usd


def _as_dates(on: DateLike | pd.Series | Sequence[DateLike]) -> pd.Series:
    """``on`` as a ``datetime64[ns]`` Series (one element for a single date); NaT if unreadable."""
    if isinstance(on, date | str | pd.Timestamp):
        return pd.Series([pd.to_datetime(on, errors="coerce")], dtype="datetime64[ns]")
    if isinstance(on, pd.Series):
        return pd.to_datetime(on, errors="coerce").astype("datetime64[ns]")
    return pd.to_datetime(pd.Series(list(on)), errors="coerce").astype("datetime64[ns]")


def _rate_on(
    dates: pd.Series, quotes: pd.DataFrame, max_gap_days: int, rate_type: str
) -> pd.Series:
    """The quote applying to each date under the nearest-earlier-within-N-days rule."""
    right = (
        quotes.assign(quote_date=pd.to_datetime(quotes["date"]).astype("datetime64[ns]"))
        .sort_values("quote_date")[["quote_date", "irr_per_unit"]]
        .drop_duplicates("quote_date", keep="last")
    )
    left = pd.DataFrame({"on": dates.to_numpy(), "position": np.arange(len(dates))})
    matched = pd.merge_asof(
        left.dropna(subset=["on"]).sort_values("on"),
        right,
        left_on="on",
        right_on="quote_date",
        direction="backward",
        tolerance=pd.Timedelta(days=max_gap_days),
    ).set_index("position")
    rate = matched["irr_per_unit"].reindex(np.arange(len(dates)))
    missing = rate.isna().to_numpy()
    if missing.any():
        bad = list(
            dict.fromkeys(str(d.date()) if pd.notna(d) else "missing date" for d in dates[missing])
        )
        shown = ", ".join(bad[:5]) + (f" and {len(bad) - 5} more dates" if len(bad) > 5 else "")
        raise DataError(
            f"no {rate_type} US$ quote on or within {max_gap_days} days before {shown}",
            value=bad[0],
        )
    return pd.Series(rate.to_numpy(), index=dates.index)


def to_constant_usd(
    values: pd.Series | Sequence[float],
    years: pd.Series | Sequence[int],
    base_year: int,
    us_cpi: pd.DataFrame,
) -> pd.Series:
    """Nominal US$ of ``years`` → constant US$ of ``base_year``: value × CPI[base] / CPI[year].

    ``us_cpi`` is the processed table (``year``, ``cpi_u_annual_average``). A year without a
    full-year CPI (or the base year) raises :class:`DataError` naming it; missing values stay
    missing. ``years`` pairs with ``values`` by position; the result keeps ``values``' index
    when it is a Series.

    >>> cpi = pd.DataFrame({"year": [2000, 2020], "cpi_u_annual_average": [172.2, 258.811]})
    >>> to_constant_usd([100.0], [2000], 2020, cpi).round(2).tolist()
    [150.3]
    """
    index = values.index if isinstance(values, pd.Series) else None
    amounts = pd.Series(np.asarray(values, dtype="float64"), index=index)
    year_array = np.asarray(years)
    if len(year_array) != len(amounts):
        raise UsageError(f"{len(amounts)} values but {len(year_array)} years")
    year_values = pd.Series(year_array, index=amounts.index)  # aligned by position
    cpi = us_cpi.set_index(us_cpi["year"].astype("int64"))["cpi_u_annual_average"]
    if base_year not in cpi.index:
        raise DataError(f"no full-year US CPI for base year {base_year}", value=base_year)
    wanted = year_values[amounts.notna()]
    absent = sorted({int(y) for y in wanted.dropna()} - set(cpi.index)) + (
        ["missing year"] if wanted.isna().any() else []
    )
    if absent:
        raise DataError(f"no full-year US CPI for year(s) {absent}", value=absent[0])
    factors = year_values.map(cpi).astype("float64")  # NaN where the value is missing
    return amounts * (float(cpi[base_year]) / factors)
