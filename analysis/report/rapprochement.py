"""The article's argument against the data: the evidence the report shows, built once.

:func:`build` gathers every frame the ``rapprochement`` report draws or quotes (claims placed and
filtered, money by period, the tally of stops and cuts, the month-by-month squeeze, the
Palestinian side, the verdicts), so its text, tables and charts take their counts from the same
frames. The article (Al Jazeera opinion, 26 July 2018) argues that Hamas lost Iran's "steady flow of
funding" when it backed the Syrian uprising in 2012, that support resumed from mid-2017 "at a
much lower rate", and that Iran's own squeeze (inflation, a falling rial, oil sales at risk)
limits what it can give. These helpers put Iran's capacity and the claimed support side by side
by period, express each claim as a share of Iran's military spending under each exchange-rate
choice, and set the article's "most of the $260m" beside Lieberman's own January 2018 figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.config import DEFAULT_BASE_YEAR, FX_RATE_TYPES
from analysis.report import article, context, evidence, finances, periods, plots
from analysis.report import claims as claims_view
from analysis.report.claims import GRADE_NAMES

#: Ledger rows the article's Lieberman claim is checked with (data/raw/ledgers/claims.csv).
#: C057: the founding article's report that Lieberman said "most of the $260m" came from Tehran.
FOUNDING_CLAIM_ID = "C057"
#: C054: Lieberman, 15 January 2018 (Times of Israel): about $100m of a $260m 2017 budget.
LIEBERMAN_JANUARY_2018_ID = "C054"

SIPRI_BASIS = finances.SIPRI_BASIS


def yearly_capacity(
    indicators: pd.DataFrame,
    oil: pd.DataFrame,
    annual_rates: pd.DataFrame,
    *,
    rate_type: str,
    milex_basis: str = "sipri_usd",
    start_year: int | None = None,
    end_year: int | None = None,
    breaks: tuple[int, int] = periods.PERIOD_BREAKS,
) -> pd.DataFrame:
    """Iran's capacity by year: ``inflation`` (%), ``irr_per_usd`` (at ``rate_type``),
    ``brent_usd_per_barrel``, ``output_value_usd_bn`` (oil output at Brent, see
    :func:`analysis.report.finances.oil`), ``milex_usd_m`` (military spending in US$ m: SIPRI's
    own dollars when ``milex_basis`` is ``sipri_usd``, else SIPRI's rials at that rate type),
    ``period``."""
    inflation = finances.series(
        indicators, finances.INFLATION, start_year=start_year, end_year=end_year
    )[["year", "value"]]
    rate = finances.rate_for(annual_rates, rate_type).rename("irr_per_usd").rename_axis("year")
    milex = finances.military(
        indicators,
        annual_rates,
        rate_type=rate_type if milex_basis == SIPRI_BASIS else milex_basis,
        start_year=start_year,
        end_year=end_year,
    )
    if milex_basis == SIPRI_BASIS:
        milex = milex.assign(usd_m_at_rate=milex["usd_m_sipri"])
    frame = (
        inflation.rename(columns={"value": "inflation"})
        .merge(rate.reset_index(), on="year", how="outer")
        .merge(oil[["year", "brent_usd_per_barrel", "output_value_usd_bn"]], on="year", how="outer")
        .merge(
            milex[["year", "usd_m_at_rate"]].rename(columns={"usd_m_at_rate": "milex_usd_m"}),
            on="year",
            how="outer",
        )
        .astype({"year": int})
    )
    if start_year is not None:
        frame = frame[frame["year"] >= start_year]
    if end_year is not None:
        frame = frame[frame["year"] <= end_year]
    return (
        frame.assign(period=lambda d: periods.period_of(d["year"], breaks))
        .sort_values("year")
        .reset_index(drop=True)
    )


def capacity_by_period(
    yearly: pd.DataFrame, breaks: tuple[int, int] = periods.PERIOD_BREAKS
) -> pd.DataFrame:
    """Mean of each capacity measure by period, with the years each mean covers.

    Columns: ``period``, ``years`` (first–last year with any value), and the means of
    ``inflation``, ``irr_per_usd``, ``brent_usd_per_barrel``, ``output_value_usd_bn``,
    ``milex_usd_m`` (each over the years that measure has data).
    """
    measures = [
        "inflation",
        "irr_per_usd",
        "brent_usd_per_barrel",
        "output_value_usd_bn",
        "milex_usd_m",
    ]
    means = yearly.groupby("period", observed=False)[measures].mean()
    spans = yearly.dropna(subset=measures, how="all").groupby("period", observed=False)["year"]
    years = (
        spans.min().astype("Int64").astype("string")
        + "–"
        + spans.max().astype("Int64").astype("string")
    )
    return (
        means.assign(years=years)
        .reindex(periods.labels(breaks))[["years", *measures]]
        .rename_axis("period")
        .reset_index()
    )


def share_of_military(claim_ranges: pd.DataFrame, bases: pd.DataFrame) -> pd.DataFrame:
    """Each annual claim as a share of Iran's military spending in its reference year, under
    every conversion basis (nominal US$ against nominal US$ of the same year).

    Columns: ``claim_id``, ``reference_year``, ``period``, ``basis``, ``milex_usd_m``,
    ``share_low``, ``share_high`` (fractions; empty on an open side or without spending data).
    """
    merged = claim_ranges[
        ["claim_id", "reference_year", "period", "nominal_low", "nominal_high"]
    ].merge(bases, left_on="reference_year", right_on="year", how="left")
    milex_usd = merged["milex_usd_m"] * 1e6
    return (
        merged.assign(
            share_low=merged["nominal_low"] / milex_usd,
            share_high=merged["nominal_high"] / milex_usd,
        )[
            [
                "claim_id",
                "reference_year",
                "period",
                "basis",
                "milex_usd_m",
                "share_low",
                "share_high",
            ]
        ]
        .dropna(subset=["basis"])
        .reset_index(drop=True)
    )


def share_summary(
    shares: pd.DataFrame, breaks: tuple[int, int] = periods.PERIOD_BREAKS
) -> pd.DataFrame:
    """Period × basis: the median and the largest share of military spending a claim implies
    (each claim's midpoint, or its one stated bound when open-ended), and how many claims. Only
    claims that every basis present can convert are counted, so the bases compare the same
    claims in the same years."""
    mid = shares.assign(
        mid=lambda d: d[["share_low", "share_high"]].mean(axis=1, skipna=True)
    ).dropna(subset=["mid"])
    # compare like with like: only the claims every basis can convert
    bases = mid.groupby("claim_id")["basis"].nunique()
    mid = mid[mid["claim_id"].isin(bases[bases == mid["basis"].nunique()].index)]
    table = (
        mid.groupby(["period", "basis"], observed=True)
        .agg(
            claims=("claim_id", "nunique"), median_share=("mid", "median"), max_share=("mid", "max")
        )
        .reset_index()
    )
    order = {label: i for i, label in enumerate(periods.labels(breaks))}
    basis_order = {b: i for i, b in enumerate([*FX_RATE_TYPES, SIPRI_BASIS])}
    return (
        table.assign(_p=table["period"].astype(str).map(order), _b=table["basis"].map(basis_order))
        .sort_values(["_p", "_b"])
        .drop(columns=["_p", "_b"])
        .reset_index(drop=True)
    )


def founding_claim_check(
    claims: pd.DataFrame,
    founding_id: str = FOUNDING_CLAIM_ID,
    lieberman_id: str = LIEBERMAN_JANUARY_2018_ID,
) -> dict[str, object]:
    """The article's "most of the $260m" beside Lieberman's own January 2018 figure.

    Returns ``founding`` and ``lieberman`` (the two ledger rows as dicts), ``total_usd`` (the X
    of "most of X": the founding claim's high amount divided by its high share),
    ``article_share_low``/``article_share_high`` (what "most" means: 0.5–1.0),
    ``lieberman_usd`` (his stated amount) and ``lieberman_share`` (that amount / X).
    Raises KeyError naming a missing claim id.
    """
    by_id = claims.set_index("claim_id")
    for claim_id in (founding_id, lieberman_id):
        if claim_id not in by_id.index:
            raise KeyError(f"claim {claim_id} is not in the claims table")
    founding = by_id.loc[founding_id].to_dict()
    lieberman = by_id.loc[lieberman_id].to_dict()
    share_high = float(founding["share_high"])
    total = float(founding["amount_high"]) / share_high if share_high else np.nan
    amount = float(lieberman["amount_low"])
    if np.isnan(amount):
        amount = float(lieberman["amount_high"])
    return {
        "founding": {"claim_id": founding_id, **founding},
        "lieberman": {"claim_id": lieberman_id, **lieberman},
        "total_usd": total,
        "article_share_low": float(founding["share_low"]),
        "article_share_high": share_high,
        "lieberman_usd": amount,
        "lieberman_share": amount / total if total else np.nan,
    }


# --- the evidence the report shows, built once ----------------------------------------------


@dataclass
class Evidence:
    """Every frame the report's text, tables and charts quote (see :func:`build`)."""

    breaks: tuple[int, int]
    break_date: pd.Timestamp
    return_date: pd.Timestamp
    published: pd.Timestamp
    min_grade: str
    statuses: tuple[str, ...]
    #: Iran's money for Hamas alone, at or above the grade, with the chosen statuses, placed
    #: (the article's own statements left out: they are what is tested).
    shown: pd.DataFrame
    #: Iran's money for Hamas alone, every grade and status (the article's statements left out).
    hamas: pd.DataFrame
    #: Money paid with a yearly amount and a year: what the by-period chart draws.
    ranges: pd.DataFrame
    #: :func:`analysis.report.claims.spread_by_period` of ``ranges``.
    spread: pd.DataFrame
    #: :func:`analysis.report.evidence.tally` of ``shown``.
    tally: pd.DataFrame
    #: The stops, cuts and denials of ``shown`` (placed).
    flow: pd.DataFrame
    #: The claims of ``shown`` with no year.
    undated: pd.DataFrame
    base_year: int


def article_rows(claims: pd.DataFrame, claim_id: str = article.ARTICLE_CLAIM_ID) -> pd.Series:
    """True for the article's own statements in the claims table (same source URL as its row)."""
    url = claims.loc[claims["claim_id"].eq(claim_id), "source_url"]
    return claims["source_url"].isin(url.tolist())


def build(
    claims: pd.DataFrame,
    events: pd.DataFrame,
    us_cpi: pd.DataFrame,
    *,
    min_grade: str,
    statuses: Sequence[str] = (),
    break_event: str = periods.BREAK_EVENT,
    return_event: str = periods.RETURN_EVENT,
    end_year: int | None = None,
) -> Evidence:
    """The evidence on Iran's money for Hamas, filtered by grade and status, placed by the
    years the money is for, in the periods dated by the break and return events."""
    break_date, return_date = periods.event_dates(events, break_event, return_event)
    breaks = periods.check_breaks((break_date.year, return_date.year))
    base_year = min(DEFAULT_BASE_YEAR, int(us_cpi["year"].max()))
    hamas = claims_view.select(claims, recipient_scope="hamas_only", end_year=end_year)
    hamas = hamas[~article_rows(hamas).to_numpy()]
    shown = evidence.place(
        evidence.restrict(hamas, min_grade=min_grade, statuses=statuses), breaks
    ).reset_index(drop=True)
    ranges = claims_view.ranges(
        evidence.money_paid(shown), us_cpi=us_cpi, base_year=base_year, breaks=breaks
    )
    return Evidence(
        breaks=breaks,
        break_date=break_date,
        return_date=return_date,
        published=article.article_date(claims),
        hamas=hamas.reset_index(drop=True),
        min_grade=min_grade,
        statuses=tuple(statuses),
        shown=shown,
        ranges=ranges,
        spread=claims_view.spread_by_period(ranges, breaks),
        tally=evidence.tally(shown, breaks),
        flow=shown[shown["status"].isin(evidence.FLOW_STATUSES)],
        undated=evidence.undated(shown),
        base_year=base_year,
    )


def filter_text(ev: Evidence) -> str:
    """Which statements the report counts, in words."""
    grade = GRADE_NAMES[ev.min_grade]
    which = (
        "every source grade"
        if ev.min_grade == evidence.GRADES[-1]
        else f"sources graded “{grade}” or better"
    )
    status = ", ".join(ev.statuses) if ev.statuses else "every status"
    return f"Iran's money for Hamas alone; {which}; {status}"


def verdicts(
    ev: Evidence,
    claims: pd.DataFrame,
    events: pd.DataFrame,
    *,
    inflation: pd.DataFrame,
    monthly_rates: pd.DataFrame,
    eu_monthly: pd.DataFrame,
    exports: pd.DataFrame,
    fdi: pd.DataFrame,
    pse: pd.DataFrame,
) -> list[article.Verdict]:
    """The article's factual claims, one by one, each with its verdict (in the article's
    order)."""
    year = ev.published.year
    grades = filter_text(ev).split("; ", 1)[1]
    pa_cut = context.gaza_money_events(events)
    unemployment = context.change_text(pse, context.UNEMPLOYMENT, 2012, year, "%")
    hamas_cash = article.Verdict(
        "Hamas short of money",
        "Hamas is strapped for cash; the Palestinian Authority cut funding for salaries in "
        "Gaza, precipitating a financial crisis.",
        (f"The Authority announced a Gaza pay cut on {pa_cut.iloc[0]['date']} (events ledger). "
         if not pa_cut.empty else "")
        + (f"Unemployment in the West Bank and Gaza rose {unemployment} (World Bank)."
           if unemployment else ""),  # fmt: skip
        article.PARTLY,
        "the pay cut and the hard times are on record; no public series measures Hamas's own "
        "budget",
    )
    return [
        article.check_event(events, "E024", "The July 16 conference",
                            "A Gaza conference on July 16 heard Quds Force deputy Gheybparvar "
                            "from Tehran; Hamas and Islamic Jihad leaders cancelled."),  # fmt: skip
        article.check_event(events, periods.BREAK_EVENT, "The break",
                            "In 2012 Hamas decided to back the Syrian opposition, effectively "
                            "breaking relations with Damascus and Tehran."),  # fmt: skip
        hamas_cash,
        article.check_rift(ev.tally, ev.breaks, grades),
        article.untestable("Egypt's tunnel closures",
                           "The Egyptian army destroyed Hamas's smuggling tunnels, one of its "
                           "main sources of income.",
                           "no series measures smuggling income; one dated testimony is in the "
                           "events ledger (E014)"),  # fmt: skip
        article.check_lower_rate(ev.spread, ev.breaks, grades),
        article.check_no_official_figures(ev.hamas),
        article.check_260m(founding_claim_check(claims)),
        article.check_inflation(inflation, year),
        article.check_currency(monthly_rates, ev.published),
        article.check_investment(fdi, year),
        article.check_oil_sales(eu_monthly, exports, ev.published),
        article.untestable("Wars abroad",
                           "Tehran supports allies in Lebanon and Iraq and wages a costly war in "
                           "Syria.",
                           "no series here measures Iran's spending abroad; SIPRI's military "
                           "total does not break it down"),  # fmt: skip
        article.untestable("Public anger", "Iran faces a growing wave of public anger.",
                           "no series here measures protest or opinion"),  # fmt: skip
    ]


def key_findings(ev: Evidence, checks: list[article.Verdict], squeeze: pd.DataFrame) -> list[str]:
    """Three to six sentences, every number computed from ``ev``, ``checks`` and ``squeeze``
    (:func:`analysis.report.context.squeeze_monthly`)."""
    by_topic = {c.topic: c for c in checks}
    before, middle, after = periods.labels(ev.breaks)
    spread = ev.spread.set_index(ev.spread["period"].astype(str))
    flow_rift = int(ev.tally.loc[middle, evidence.FLOW])
    paid_rift = int(ev.tally.loc[middle, evidence.MONEY_PAID])
    n_rift = int(spread.loc[middle, "claims"])
    sentences = [
        f"For the rift years ({middle}), {plots.statements(flow_rift)} say Iran's money stopped, "
        f"fell or never came and {plots.statements(paid_rift)} say money was paid; "
        f"{plots.statements(n_rift)} with a yearly amount paid "
        f"{'covers' if n_rift < 2 else 'cover'} those years."
    ]
    nb, na = int(spread.loc[before, "claims"]), int(spread.loc[after, "claims"])
    if nb and na:
        sentences.append(
            f"Yearly amounts said to have been paid run from {_range(spread.loc[before])} "
            f"{before} ({plots.statements(nb)}) and from {_range(spread.loc[after])} from "
            f"{ev.breaks[1]} on ({plots.statements(na)}), in {ev.base_year} dollars: "
            f"{by_topic['A lower rate'].why} ({by_topic['A lower rate'].verdict})."
        )
    sentences.append(
        by_topic["The $260m"].shows + " The article's “most” is not borne out."
    )
    sentences.append(_squeeze_sentence(squeeze, ev.published))
    return [s for s in sentences if s]


def _range(row: pd.Series) -> str:
    """ "$X to $Y" of one row of a spread table."""
    return f"{claims_view.money(row['lowest'])} to {claims_view.money(row['highest'])}"


def _squeeze_sentence(squeeze: pd.DataFrame, published: pd.Timestamp) -> str:
    """The rial's fall and the EU's oil purchases in the article's year, from ``squeeze``."""
    year = published.year
    in_year = squeeze[squeeze["month"].dt.year.eq(year)].set_index("month")
    rates = in_year["open_market"].dropna()
    if rates.empty:
        return ""
    text = (
        f"Iran's squeeze was real: a dollar cost {rates.iloc[0]:,.0f} rial on the open market "
        f"in {rates.index[0]:%B %Y} and {rates.max():,.0f} in {rates.idxmax():%B}"
    )
    eu = squeeze.dropna(subset=["eu_kbd"]).rename(columns={"eu_kbd": "kbd"})
    zero = article.first_zero_month(eu, published)
    first_half = in_year["eu_kbd"].iloc[:6].dropna()
    if zero is None or first_half.empty:
        return text + "."
    return (
        text + f"; the EU, which bought {first_half.mean():,.0f} thousand barrels a day of "
        f"Iranian crude in the first half of {year}, bought none from {zero:%B %Y}."
    )
