"""The context the article invokes, as tidy frames: Iran's squeeze month by month, the dated
timeline of events, and the Palestinian side (Gaza's economy, the Palestinian Authority's budget,
the 2017 salary cut, Qatar's payments).

Pure functions: processed tables in, frames out. What each series can and cannot say about Hamas
is in :data:`PSE_MEANING`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd

from analysis.report import finances
from analysis.report.oil_trade import monthly_imports_kbd

PALESTINE = "PSE"
#: West Bank and Gaza series and what they say about Hamas (World Bank WDI, IMF WEO).
UNEMPLOYMENT = "SL.UEM.TOTL.ZS"
FISCAL_BALANCE_PCT = "WEO.GGXCNL_NGDP"
PSE_SERIES: dict[str, str] = {
    UNEMPLOYMENT: "Unemployment, West Bank and Gaza together (% of labour force)",
    FISCAL_BALANCE_PCT: "Palestinian Authority net lending/borrowing (% of GDP)",
}
PSE_MEANING: dict[str, tuple[str, str]] = {
    UNEMPLOYMENT: (
        "how hard times were for the people Hamas governs and taxes",
        "it covers the West Bank and Gaza together (neither the World Bank nor the IMF series "
        "here gives Gaza alone, where Hamas governs), and says nothing of Hamas's own budget",
    ),
    FISCAL_BALANCE_PCT: (
        "how squeezed the Palestinian Authority was when it cut its Gaza salaries",
        "the Authority is Hamas's rival in Ramallah; its deficit is not Hamas's",
    ),
}
#: Event categories of the timeline, in lane order, with their readable names.
LANES: dict[str, str] = {
    "hamas_iran_relations": "Hamas–Iran relations",
    "sanctions": "Sanctions on Iran",
    "iran_economy": "Iran's economy",
    "gaza": "Gaza and the Palestinian side",
}
#: Actors of the Palestinian-side money events in the events ledger.
GAZA_MONEY_ACTORS = ("Palestinian Authority", "Qatar")


def squeeze_monthly(
    fx_rates: pd.DataFrame, oil_trade: pd.DataFrame, start_year: int, end_year: int
) -> pd.DataFrame:
    """Month by month over ``start_year``–``end_year``: ``month``, ``open_market`` and ``nima``
    (rial per US$, monthly averages of quoted days), ``eu_kbd`` (EU crude imports from Iran,
    thousand barrels a day; missing for months the register does not cover)."""
    rates = (
        finances.monthly_rates(fx_rates, start_year=start_year, end_year=end_year)
        .pivot(index="month", columns="rate_type", values="irr_per_usd")
        .reindex(columns=["open_market", "nima"])
    )
    eu = monthly_imports_kbd(oil_trade).set_index("month")["kbd"].rename("eu_kbd")
    months = pd.date_range(f"{start_year}-01-01", f"{end_year}-12-01", freq="MS")
    frame = rates.join(eu, how="outer").reindex(months)
    frame.columns.name = None
    return frame.rename_axis("month").reset_index()


def source_name(urls: pd.Series) -> pd.Series:
    """The publisher of each source URL as readers know it: the web address's host without
    "www." (``washingtonpost.com``); "source" where a URL is missing or has no host. Events
    tables show it as the link text instead of the bare word "source"."""

    def host(url: object) -> str:
        name = urlsplit(str(url)).hostname if isinstance(url, str) else None
        return name.removeprefix("www.") if name else "source"

    return urls.map(host).astype(str)


def events_between(
    events: pd.DataFrame,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    categories: tuple[str, ...] = tuple(LANES),
) -> pd.DataFrame:
    """The ledger's events (not SignalMap's) of ``categories`` dated ``start``–``end``, in date
    order: ``event_id``, ``event_date``, ``date`` (as written), ``category``, ``lane``,
    ``event``, ``chart_label``, ``source_url``, ``source_name`` (:func:`source_name`)."""
    dates = pd.to_datetime(events["event_date"])
    keep = (
        events["source_id"].eq("ledger")
        & events["category"].isin(list(categories))
        & (dates >= pd.Timestamp(start))
        & (dates <= pd.Timestamp(end))
    )
    return (
        events[keep]
        .assign(
            event_date=dates[keep],
            lane=lambda d: d["category"].map(LANES),
            source_name=lambda d: source_name(d["source_url"]),
        )
        .sort_values(["event_date", "event_id"], kind="stable")[
            [
                "event_id",
                "event_date",
                "date",
                "category",
                "lane",
                "event",
                "chart_label",
                "source_url",
                "source_name",
            ]  # fmt: skip
        ]
        .reset_index(drop=True)
    )


#: The sanctions drawn on the month-by-month squeeze chart (events ledger ids): the US leaves the
#: nuclear deal, the first and second wind-downs end, the oil waivers expire.
SQUEEZE_SANCTIONS = ("E023", "E026", "E027", "S25")


def short_label(events: pd.DataFrame) -> pd.Series:
    """A short name per event: its ``chart_label``, else its text up to the first ":" without
    what is in brackets."""
    text = (
        events["event"]
        .str.replace(r"\s*\([^)]*\)", "", regex=True)
        .str.split(":", n=1)
        .str[0]
        .str.strip()
    )
    return events["chart_label"].fillna(text)


def sanction_marks(events: pd.DataFrame, ids: tuple[str, ...] = SQUEEZE_SANCTIONS) -> pd.DataFrame:
    """``event_id``, ``event_date``, ``short`` of the chosen sanction events, in date order."""
    rows = events[events["event_id"].isin(list(ids))]
    return (
        rows.assign(event_date=pd.to_datetime(rows["event_date"]), short=short_label(rows))
        .sort_values("event_date")[["event_id", "event_date", "short"]]
        .reset_index(drop=True)
    )


def gaza_money_events(events: pd.DataFrame) -> pd.DataFrame:
    """The Palestinian Authority's salary cut and Qatar's payments from the events ledger:
    ``event_id``, ``event_date``, ``date`` (as written), ``actor``, ``event``,
    ``amount_usd_as_reported`` (a pledge or
    delivery as reported, not a flow series), ``source_url``, ``source_name``
    (:func:`source_name`)."""
    actor = events["actor"].fillna("")
    keep = events["category"].eq("gaza") & actor.str.startswith(GAZA_MONEY_ACTORS)
    return (
        events[keep]
        .assign(source_name=lambda d: source_name(d["source_url"]))
        .sort_values("event_date", kind="stable")[
            [
                "event_id",
                "event_date",
                "date",
                "actor",
                "event",
                "amount_usd_as_reported",
                "source_url",
                "source_name",
            ]  # fmt: skip
        ]
        .reset_index(drop=True)
    )


def palestine(
    indicators: pd.DataFrame, start_year: int, end_year: int, *, full_history: bool = False
) -> pd.DataFrame:
    """West Bank and Gaza by year: one column per :data:`PSE_SERIES` code (missing where the
    source has no value), ``year`` first, ``start_year`` to ``end_year``: the edition's years,
    so a chart title and the text that quote this frame give the same span.

    With ``full_history`` the frame starts at the first year any of the series has, when that
    is before ``start_year``. The series cover the West Bank and Gaza together; the data hold
    no Gaza-only series."""
    codes = indicators["indicator_code"].isin(list(PSE_SERIES)) & indicators["country_code"].eq(
        PALESTINE
    )
    held = indicators.loc[codes & indicators["value"].notna(), "year"]
    if full_history and not held.empty:
        start_year = min(start_year, int(held.min()))
    frames = [
        finances.series(
            indicators, code, country=PALESTINE, start_year=start_year, end_year=end_year
        )[["year", "value"]]
        .astype({"year": int, "value": float})
        .rename(columns={"value": code})
        for code in PSE_SERIES
    ]
    out = pd.DataFrame({"year": range(start_year, end_year + 1)})
    for frame in frames:
        out = out.merge(frame, on="year", how="left")
    return out


def span_text(frame: pd.DataFrame, column: str, unit: str) -> str:
    """A by-year column over all the years it has: "X in FIRST, Y in LAST (lowest L in YEAR,
    highest H in YEAR)", an extreme left out when it is the first or last year already quoted,
    or "" when it has no value. For titles that should not start at a chosen low."""
    values = frame.dropna(subset=[column]).set_index("year")[column].astype(float)
    if values.empty:
        return ""
    first, last = int(values.index.min()), int(values.index.max())
    low, high = int(values.idxmin()), int(values.idxmax())  # type: ignore[call-overload]
    extremes = [
        f"{word} {values.loc[year]:.1f}{unit} in {year}"
        for word, year in (("lowest", low), ("highest", high))
        if year not in (first, last)  # an end already quoted is not said twice
    ]
    return f"{values.loc[first]:.1f}{unit} in {first}, {values.loc[last]:.1f}{unit} in {last}" + (
        f" ({', '.join(extremes)})" if extremes else ""
    )
