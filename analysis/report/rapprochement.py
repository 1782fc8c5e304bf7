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

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import numpy as np
import pandas as pd

from analysis.config import DEFAULT_BASE_YEAR, FX_RATE_TYPES
from analysis.report import article, context, evidence, finance_story, finances, periods, plots
from analysis.report import claims as claims_view
from analysis.report.claims import GRADE_NAMES
from analysis.report.html import escape, html_table
from analysis.report.translations import with_translations

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Ledger rows the article's Lieberman claim is checked with (data/raw/ledgers/claims.csv).
#: C057: the founding article's report that Lieberman said "most of the $260m" came from Tehran.
FOUNDING_CLAIM_ID = "C057"
#: C054: Lieberman, 15 January 2018 (Times of Israel): about $100m of a $260m 2017 budget.
LIEBERMAN_JANUARY_2018_ID = "C054"

SIPRI_BASIS = finances.SIPRI_BASIS

#: The classes of the two longest tables: report.css gives their columns fixed widths in print.
VERDICT_TABLE_CLASS = "verdict-table"
EVENTS_TABLE_CLASS = "events-table"


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
    frame = finances.in_years(frame, start_year, end_year)
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
    (each claim's midpoint, or its one stated bound when open-ended), and how many claims. In
    each period a basis is listed only when it converts every claim that the period's widest
    basis converts, so the bases listed compare the same claims in the same years."""
    mid = shares.assign(
        mid=lambda d: d[["share_low", "share_high"]].mean(axis=1, skipna=True)
    ).dropna(subset=["mid"])
    if mid.empty:  # no yearly amount paid in a year with spending data (e.g. a strict filter)
        return pd.DataFrame(columns=["period", "basis", "claims", "median_share", "max_share"])
    # compare like with like: in each period, a basis is shown only when it converts every
    # claim the period's widest basis converts (the same claims in the same years)
    sets = mid.groupby(["period", "basis"], observed=True)["claim_id"].apply(frozenset)
    widest = {str(p): max(g, key=len) for p, g in sets.groupby(level="period", observed=True)}
    full: set[tuple[str, str]] = set()
    for key, ids in sets.items():
        period, basis = (str(k) for k in cast(tuple[object, object], key))
        if ids == widest[period]:
            full.add((period, basis))
    keys = zip(mid["period"].astype(str), mid["basis"].astype(str), strict=True)
    mid = mid[[key in full for key in keys]]
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


def missing_claims(
    claims: pd.DataFrame, ids: tuple[str, ...] = (FOUNDING_CLAIM_ID, LIEBERMAN_JANUARY_2018_ID)
) -> list[str]:
    """The claim ids among ``ids`` that the claims table lacks (quarantined by the cleaner, or
    removed from the ledger): a report says so instead of failing."""
    present = set(claims["claim_id"])
    return [i for i in ids if i not in present]


def missing_claims_note(missing: list[str]) -> str:
    """One HTML paragraph saying which claims are missing and where to look."""
    ids = ", ".join(html.escape(i) for i in missing)
    return (
        f"<p><b>Left out:</b> claim {ids} is not in the claims table (a statement that fails "
        "the data checks is set aside, and the appendix counts it), so this comparison cannot be "
        "made.</p>"
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
    #: ``spread`` of the statements made on or before the article's date: what a verdict as of
    #: that date rests on (:func:`analysis.report.evidence.said_by`).
    known_spread: pd.DataFrame
    #: The rows of ``ranges`` made after the article's date (or undated): what happened next.
    said_later: pd.DataFrame
    #: :func:`analysis.report.evidence.tally` of ``shown``.
    tally: pd.DataFrame
    #: The stops, cuts and denials of ``shown`` (placed): :func:`analysis.report.evidence.flow`.
    flow: pd.DataFrame
    #: The denials of reports of ``shown`` (not evidence about the flow: its own table).
    denials: pd.DataFrame
    #: The claims of ``shown`` with no year.
    undated: pd.DataFrame
    base_year: int
    #: How the record's statements on Hamas alone come down to ``shown`` (:func:`coverage`).
    counts: dict[str, int]


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
    counts = coverage(claims, min_grade=min_grade, statuses=statuses, end_year=end_year)
    ranges = claims_view.ranges(
        evidence.money_paid(shown), us_cpi=us_cpi, base_year=base_year, breaks=breaks
    )
    published = article.article_date(claims)
    known, later = evidence.said_by(ranges, published)
    return Evidence(
        breaks=breaks,
        break_date=break_date,
        return_date=return_date,
        published=published,
        hamas=hamas.reset_index(drop=True),
        min_grade=min_grade,
        statuses=tuple(statuses),
        shown=shown,
        ranges=ranges,
        spread=claims_view.spread_by_period(ranges, breaks),
        known_spread=claims_view.spread_by_period(known, breaks),
        said_later=later,
        tally=evidence.tally(shown, breaks),
        flow=evidence.flow(shown),
        denials=shown[evidence.kinds(shown).eq(evidence.DENIED_REPORTS).to_numpy()],
        undated=evidence.undated(shown),
        base_year=base_year,
        counts=counts,
    )


def coverage(
    claims: pd.DataFrame,
    *,
    min_grade: str,
    statuses: Sequence[str] = (),
    end_year: int | None = None,
) -> dict[str, int]:
    """How the record's statements on Iran's money for Hamas alone come down to the ones the
    report counts, step by step (each step leaves out the statements named by its key):

    ``all`` (every statement of the record), ``record`` (every statement on Hamas alone, as
    the claims report with that scope lists
    them before its own year filter), ``article`` (the article's own sentences: what is tested),
    ``later_years`` (about years after ``end_year``), ``below_grade`` (graded below
    ``min_grade``), ``other_status`` (outside ``statuses``) and ``counted`` (what is left:
    ``record`` minus the four). ``government``: statements about the Hamas-led Palestinian
    Authority government, which are not in ``record`` (not money for the movement)."""
    record = claims_view.select(claims, recipient_scope="hamas_only")
    own = record[article_rows(record).to_numpy()]
    rest = record[~article_rows(record).to_numpy()]
    in_years = claims_view.select(rest, recipient_scope="hamas_only", end_year=end_year)
    graded = evidence.restrict(in_years, min_grade=min_grade)
    counted = evidence.restrict(in_years, min_grade=min_grade, statuses=statuses)
    return {
        "all": len(claims),
        "record": len(record),
        "article": len(own),
        "later_years": len(rest) - len(in_years),
        "below_grade": len(in_years) - len(graded),
        "other_status": len(graded) - len(counted),
        "counted": len(counted),
        "government": claims_view.government_left_out(claims),
    }


def grade_words(min_grade: str) -> str:
    """The grade filter in words: "statements graded think tank or academic or better"."""
    if min_grade == evidence.GRADES[-1]:
        return "statements of every source grade"
    return f"statements graded {GRADE_NAMES[evidence.check_grade(min_grade)]} or better"


def filter_text(ev: Evidence) -> str:
    """Which statements the report counts, in words."""
    status = (
        "with the status " + ", ".join(claims_view.STATUS_NAMES[s] for s in ev.statuses)
        if ev.statuses
        else "of every status"
    )
    return f"Iran's money for Hamas alone; {grade_words(ev.min_grade)}; {status}"


def coverage_text(ev: Evidence, end_year: int | None = None) -> str:
    """How many statements the report counts and which it leaves out, in words, so that its
    counts reconcile with the report listing every statement (:func:`coverage`)."""
    c = ev.counts
    lower = [GRADE_NAMES[g] for g in evidence.GRADES[evidence.GRADES.index(ev.min_grade) + 1 :]]
    parts = [
        (c["article"], "of the article's own sentences (they are what is tested)"),
        (c["later_years"], f"about years after {end_year}"),
        (c["below_grade"], "graded lower (" + "; ".join(lower) + ")"),
        (c["other_status"], "of other statuses"),
    ]
    out = "; ".join(f"{n} {what}" for n, what in parts if n)
    text = (
        f"This report counts {plots.statements(c['counted'])} of the {c['record']} on record "
        "about Iran's money for Hamas alone, whatever the years"
        + (
            f" (the record holds {c['all']} in all; the other {c['all'] - c['record']} are "
            "about money for groups that include Hamas, the Hamas-led government or donor pools)"
            if c.get("all", c["record"]) > c["record"]
            else ""
        )
        + (f"; it leaves out {out}" if out else "")
        + "."
    )
    if c["government"]:
        text += (
            f" {plots.statements(c['government']).capitalize()} about money for the Hamas-led "
            f"Palestinian Authority government of 2006–07 {'is' if c['government'] == 1 else 'are'}"
            " not counted as money for Hamas: "
            "it was the Authority's government, not the movement."
        )
    return text


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
    grades = grade_words(ev.min_grade)
    pa_cut = context.gaza_money_events(events)
    known = year - 1  # the last full year before the article
    unemployment = context.span_text(pse[pse["year"] <= known], context.UNEMPLOYMENT, "%")
    hamas_cash = article.Verdict(
        "Hamas short of money",
        "Hamas is strapped for cash; the Palestinian Authority cut funding for salaries in "
        "Gaza, precipitating a financial crisis.",
        (
            "The Palestinian Authority announced a pay cut for its Gaza employees on "
            f"{article._date(pa_cut.iloc[0]['date'])}. "
            if not pa_cut.empty
            else ""
        )
        + (
            "Unemployment in the West Bank and Gaza together (World Bank; no series covers Gaza "
            f"alone): {unemployment}."
            if unemployment
            else ""
        ),  # fmt: skip
        article.PARTLY,
        "the pay cut and the hard times are on record; no public series measures Hamas's own "
        "budget",
        as_of=ev.published,
        data_to=article.year_end(known),
    )
    return [
        article.check_event(
            events,
            "E024",
            "The July 16 conference",
            "A Gaza conference on July 16 heard Quds Force deputy Gheybparvar "
            "from Tehran; Hamas and Islamic Jihad leaders cancelled.",
        ),  # fmt: skip
        article.check_event(
            events,
            periods.BREAK_EVENT,
            "The break",
            "In 2012 Hamas decided to back the Syrian opposition, effectively "
            "breaking relations with Damascus and Tehran.",
        ),  # fmt: skip
        hamas_cash,
        article.check_rift(ev.tally, ev.breaks, grades, armed_wing_in_rift(ev)),
        article.untestable(
            "Egypt's tunnel closures",
            "The Egyptian army destroyed Hamas's smuggling tunnels, one of its "
            "main sources of income.",
            "no series measures smuggling income; one dated testimony is on the timeline below",
        ),  # fmt: skip
        article.check_lower_rate(
            ev.known_spread, ev.breaks, grades, later=ev.said_later, as_of=ev.published
        ),  # fmt: skip
        article.check_no_official_figures(ev.hamas),
        article.check_260m(None if missing_claims(claims) else founding_claim_check(claims)),
        article.check_inflation(inflation, ev.published),
        article.check_currency(monthly_rates, ev.published),
        article.check_investment(fdi, ev.published),
        article.check_oil_sales(eu_monthly, exports, ev.published),
        article.untestable(
            "Wars abroad",
            "Tehran supports allies in Lebanon and Iraq and wages a costly war in Syria.",
            "no series here measures Iran's spending abroad; SIPRI's military "
            "total does not break it down",
        ),  # fmt: skip
        article.untestable(
            "Public anger",
            "Iran faces a growing wave of public anger.",
            "no series here measures protest or opinion",
        ),  # fmt: skip
    ]


def armed_wing_in_rift(ev: Evidence) -> int:
    """How many statements of money paid in the rift years name the armed wing as recipient."""
    rift = periods.labels(ev.breaks)[1]
    in_rift = ev.shown[ev.shown["period"].astype(str).eq(rift)]
    return int(
        (in_rift["status"].eq("paid") & in_rift["recipient_scope"].eq("hamas_military_wing")).sum()
    )


def key_findings(ev: Evidence, checks: list[article.Verdict], squeeze: pd.DataFrame) -> list[str]:
    """Three to six sentences, every number computed from ``ev``, ``checks`` and ``squeeze``
    (:func:`analysis.report.context.squeeze_monthly`)."""
    by_topic = {c.topic: c for c in checks}
    before, middle, after = periods.labels(ev.breaks)
    spread = ev.spread.set_index(ev.spread["period"].astype(str))
    known = ev.known_spread.set_index(ev.known_spread["period"].astype(str))
    flow_rift = int(evidence.number(ev.tally.loc[middle, evidence.FLOW]))
    paid_rift = int(evidence.number(ev.tally.loc[middle, evidence.MONEY_PAID]))
    n_rift = int(evidence.number(spread.loc[middle, "claims"]))
    counts = pd.Series([c.verdict for c in checks]).value_counts()
    parts = [f"{int(counts[v])} {v}" for v in article.VERDICTS[:3] if v in counts.index]
    tested = " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)
    untested = int(counts.get(article.UNTESTABLE, 0))
    sentences = [
        f"Of the article's {len(checks)} factual claims listed below, {tested}; {untested} "
        "cannot be tested with public data.",
        f"For the rift years ({middle}), {plots.statements(flow_rift)} say Iran's money stopped, "
        f"fell or never came and {plots.statements(paid_rift)} say money was paid; "
        f"{plots.statements(n_rift)} with a yearly amount paid "
        f"{'covers' if n_rift < 2 else 'cover'} those years.",
    ]
    nb, na = (int(evidence.number(known.loc[p, "claims"])) for p in (before, after))
    lower = by_topic["A lower rate"]
    if nb and na:
        sentences.append(
            f"Statements made by the article's date give yearly amounts paid from "
            f"{_range(known.loc[before])} for {before} ({plots.statements(nb)}) and from "
            f"{_range(known.loc[after])} from {ev.breaks[1]} on ({plots.statements(na)}), in "
            f"{ev.base_year} dollars: {lower.why} ({lower.verdict})."
            + (f" What happened next: {lower.later}." if lower.later else "")
        )
    elif nb or na:
        sentences.append(f"{lower.shows} The lower rate {lower.verdict}: {lower.why}.")
    tunnels = by_topic["The $260m"]
    not_borne_out = tunnels.verdict == article.UNTESTABLE and "not the more than" in tunnels.why
    sentences.append(
        tunnels.shows
        + (
            " The article's “most” is not borne out by his words on record, and what Iran paid "
            "cannot be tested."
            if not_borne_out
            else " What Iran paid cannot be tested."
        )
    )
    sentences.append(_squeeze_sentence(squeeze, ev.published))
    hamas = by_topic["Hamas short of money"]
    if hamas.shows:
        sentences.append(f"{hamas.shows} {hamas.why[0].upper()}{hamas.why[1:]}.")
    return [s for s in sentences if s]


def _range(row: pd.Series | pd.DataFrame) -> str:
    """ "$X to $Y" of one row of a spread table."""
    low, high = (evidence.number(row[c]) for c in ("lowest", "highest"))
    return f"{claims_view.money(low)} to {claims_view.money(high)}"


def _squeeze_sentence(squeeze: pd.DataFrame, published: pd.Timestamp) -> str:
    """The rial's fall and the EU's oil purchases in the article's year, from ``squeeze``: what
    was known by the article's date, then what happened next."""
    year = published.year
    in_year = squeeze[squeeze["month"].dt.year.eq(year)]
    known, later = article.split_months(in_year, published)
    rates = known.set_index("month")["open_market"].dropna()
    if rates.empty:
        return ""
    text = (
        f"Iran's squeeze was real by the article's date: a dollar cost {rates.iloc[0]:,.0f} rial "
        f"on the open market in {rates.index[0]:%B %Y} and {rates.iloc[-1]:,.0f} in "
        f"{rates.index[-1]:%B}"
    )
    after = later.set_index("month")["open_market"].dropna()
    if not after.empty and after.max() > rates.iloc[-1]:
        text += f". After it, the dollar reached {after.max():,.0f} rial in {after.idxmax():%B}"
    eu = squeeze.dropna(subset=["eu_kbd"]).rename(columns={"eu_kbd": "kbd"})
    zero = article.first_zero_month(eu, published)
    first_half = known["eu_kbd"].dropna()
    if zero is None or first_half.empty:
        return text + "."
    span = f"{known['month'].iloc[0]:%B}–{known['month'].iloc[-1]:%B}"
    return (
        text + f"; the EU, which bought {first_half.mean():,.0f} thousand barrels a day of "
        f"Iranian crude in {span} {year}, bought none from {zero:%B %Y}."
    )


# --- the report, assembled once from the processed tables --------------------------------------

#: Years of the month-by-month squeeze chart (the article's year and the next).
SQUEEZE_YEARS = (2018, 2019)
#: Span of the events timeline: the year before the break to the year after the article.
TIMELINE_PAD_YEARS = 1
#: The event categories of the article-claims and Palestinian-side sections.
TABLES = ("indicators", "fx_rates", "oil_prices", "oil_trade", "us_cpi", "claims", "events")


@dataclass
class Report:
    """Everything the ``rapprochement`` notebook shows, computed once (see :func:`make`)."""

    ev: Evidence
    checks: list[article.Verdict]
    squeeze: pd.DataFrame
    sanctions: pd.DataFrame
    timeline: pd.DataFrame
    yearly: pd.DataFrame
    milex_basis: str
    shares: pd.DataFrame
    pse: pd.DataFrame
    gaza: pd.DataFrame
    lieberman: dict[str, object] | None  # None: a statement it needs is missing
    events: pd.DataFrame
    #: The last year shown (statements about later years are left out and counted).
    end_year: int | None = None
    #: The statements the $260m comparison needs that the claims table lacks.
    missing_ids: tuple[str, ...] = ()
    #: (first year, rial per US$) of the official rate's last unchanged run
    #: (:func:`analysis.report.finances.fixed_since`), or None.
    official_fixed: tuple[int, float] | None = None
    #: Why SIPRI's dollars fall in some years (:func:`finance_story.conversion_note`), or None.
    milex_note: str | None = None
    #: Which SIPRI release the military-spending figures come from, in words.
    milex_release: str = "SIPRI"


def make(
    load: Callable[[str], pd.DataFrame],
    *,
    start_year: int,
    end_year: int,
    min_grade: str,
    statuses: Sequence[str] = (),
    break_event: str = periods.BREAK_EVENT,
    return_event: str = periods.RETURN_EVENT,
    milex_basis: str = SIPRI_BASIS,
) -> Report:
    """Build the report's frames from the processed tables (``load(name)`` returns one)."""
    from analysis.finance import annual_rates
    from analysis.report.oil_trade import monthly_imports_kbd

    if start_year > end_year:
        raise ValueError(f"start_year {start_year} is after end_year {end_year}")
    if milex_basis not in (*FX_RATE_TYPES, SIPRI_BASIS):
        raise ValueError(f"unknown milex_basis {milex_basis!r}")
    t = {name: load(name) for name in TABLES}
    ev = build(t["claims"], t["events"], t["us_cpi"], min_grade=min_grade, statuses=statuses,
               break_event=break_event, return_event=return_event, end_year=end_year)  # fmt: skip
    annual = annual_rates(t["fx_rates"], t["indicators"])
    oil = finances.oil(t["oil_prices"], t["indicators"], start_year=start_year, end_year=end_year)
    yearly = yearly_capacity(t["indicators"], oil, annual, rate_type="open_market",
                             milex_basis=milex_basis, start_year=start_year, end_year=end_year,
                             breaks=ev.breaks)  # fmt: skip
    official = finances.rate_for(annual, "official").rename("official_irr_per_usd")
    exports = finances.crude_exports(t["indicators"], t["oil_trade"])
    yearly = yearly.merge(official.rename_axis("year").reset_index(), on="year", how="left").merge(
        exports[["year", "exports_kbd", "eu_imports_kbd"]], on="year", how="left"
    )
    pse = context.palestine(t["indicators"], start_year, end_year)
    checks = verdicts(
        ev, t["claims"], t["events"],
        inflation=finances.series(t["indicators"], finances.INFLATION),
        monthly_rates=finances.monthly_rates(t["fx_rates"]),
        eu_monthly=monthly_imports_kbd(t["oil_trade"]),
        exports=exports,
        fdi=finances.fdi(t["indicators"]),
        pse=pse,
    )  # fmt: skip
    first = min(ev.break_date.year, ev.published.year) - TIMELINE_PAD_YEARS
    last = ev.published.year + TIMELINE_PAD_YEARS
    return Report(
        ev=ev,
        checks=checks,
        squeeze=context.squeeze_monthly(t["fx_rates"], t["oil_trade"], *SQUEEZE_YEARS),
        sanctions=context.sanction_marks(t["events"]),
        timeline=context.events_between(t["events"], f"{first}-01-01", f"{last}-12-31"),
        yearly=yearly,
        milex_basis=milex_basis,
        shares=share_summary(
            share_of_military(ev.ranges, finances.military_bases(t["indicators"], annual)),
            ev.breaks,
        ),
        pse=pse,
        gaza=context.gaza_money_events(t["events"]),
        lieberman=None if missing_claims(t["claims"]) else founding_claim_check(t["claims"]),
        events=t["events"],
        end_year=end_year,
        missing_ids=tuple(missing_claims(t["claims"])),
        official_fixed=finances.fixed_since(official),
        milex_note=milex_conversion_note(
            t["indicators"], annual, milex_basis, start_year=start_year, end_year=end_year
        ),  # fmt: skip
        milex_release=finances.release_label(
            finances.military(t["indicators"], annual, rate_type="open_market")
        ),
    )


def milex_conversion_note(
    indicators: pd.DataFrame,
    annual: pd.DataFrame,
    milex_basis: str,
    *,
    start_year: int | None = None,
    end_year: int | None = None,
) -> str | None:
    """The years from ``start_year`` to ``end_year`` (the years the chart draws) in which SIPRI's
    dollars fall only because of the rate SIPRI converts at
    (:func:`analysis.report.finance_story.conversion_note`), when the chart draws SIPRI's own
    dollars; None otherwise."""
    if milex_basis != SIPRI_BASIS:
        return None
    milex = finances.military(indicators, annual, rate_type="open_market")
    note = finance_story.conversion_note(milex, annual, start_year=start_year, end_year=end_year)
    # this report has no text on SIPRI's conversion: the note stands alone
    return note.replace(" (see text)", "") if note else None


def findings_html(r: Report) -> str:
    """The key findings as a list, and which statements they count."""
    items = "".join(f"<li>{escape(s)}</li>" for s in key_findings(r.ev, r.checks, r.squeeze))
    return (
        f"<ul class='findings'>{items}</ul><p class='muted'>Statements counted: "
        f"{escape(filter_text(r.ev))}. {escape(coverage_text(r.ev, r.end_year))} "
        f"{escape(evidence.ladder_text())}</p>"
    )


def verdicts_html(r: Report) -> str:
    """The article's claims one by one: claim | what the data shows | verdict and why."""
    frame = article.table(r.checks)
    later = frame["later"].where(
        frame["later"].eq(""), "\nWhat happened next: " + frame["later"] + "."
    )
    shown = pd.DataFrame(
        {
            "The article says": frame["claim"],
            "What the data showed at the article's date": frame["shows"] + later,
            "Verdict": frame["verdict"].str.capitalize()
            + ".\n"
            + frame["why"].str[:1].str.upper()
            + frame["why"].str[1:]
            + ".",
        }
    )
    return html_table(
        shown,
        caption="The article's factual claims, one by one",
        css_class=f"report-table {VERDICT_TABLE_CLASS}",
    )


def money_title(r: Report) -> str:
    """The by-period chart's title: its finding, computed from ``r.ev.spread``."""
    spread = r.ev.spread.set_index(r.ev.spread["period"].astype(str))
    middle = periods.labels(r.ev.breaks)[1]
    if evidence.number(spread.loc[middle, "claims"]) == 0:
        return f"No yearly amount of Iranian money paid to Hamas is on record for {middle}"
    return f"Yearly amounts said to have been paid, by period ({middle}: the rift)"


def money_figure(r: Report) -> Figure:
    """Money paid with a yearly amount, by period, coloured by source grade."""
    return plots.by_period_figure(
        r.ev.ranges,
        r.ev.spread,
        title=money_title(r),
        ylabel=f"US$ a year, {r.ev.base_year} prices (log scale)",
        sources="the project's record of statements on Iran's money for Hamas (each with its "
        "source, listed in the report on those statements); US CPI-U for constant dollars",
        note="money said to have been paid only (no pledges, offers or requests); placed in the "
        "years the money was for; grey bar: lowest to highest figure of the period.",
        color_by="source_grade",
    )


def tally_html(r: Report) -> str:
    """Statements by period and by what they are evidence of (the tally of :func:`build`)."""
    frame = r.ev.tally.rename(index={evidence.UNDATED: "no year given"}).reset_index()
    return html_table(
        frame.rename(columns={"period": "years the statement is about"}),
        caption="What was said about Iran's money for Hamas, by period",
        numeric=[c for c in frame.columns if c != "period"],
    )


def statements_html(frame: pd.DataFrame, caption: str) -> str:
    """Statements as a table: when, who (and grade), what, source link and quote."""
    year = frame["placed_year"].astype("string").fillna("no year")
    table = pd.DataFrame(
        {
            "about": year,
            "who": frame["claimant"] + "\n(" + frame["source_grade"].map(GRADE_NAMES) + ")",
            "said": claims_view.stated_amounts(frame)
            + "\n("
            + claims_view.status_text(frame["status"])
            + ")",
            "source": frame["source_publisher"].fillna(frame["source_url"]),
            "url": frame["source_url"],
            "quote": with_translations(frame)["quote_shown"],
        }
    )
    return html_table(table, links={"source": "url"}, hide=["url"], caption=caption,
                      detail="quote")  # fmt: skip


def timeline_figure(r: Report) -> Figure:
    """The dated timeline (events ledger) with the break, the return and the article."""
    marks = {"break": r.ev.break_date, "return": r.ev.return_date}
    first, last = r.timeline["event_date"].min(), r.timeline["event_date"].max()
    title = f"From break to return: {len(r.timeline)} dated events, {first:%Y}–{last:%Y}"
    return plots.timeline_figure(r.timeline, marks=marks, published=r.ev.published, title=title)


def timeline_html(r: Report) -> str:
    """The timeline's events as a table with their sources."""
    table = pd.DataFrame(
        {
            "date": r.timeline["date"],
            "about": r.timeline["lane"],
            "event": r.timeline["event"],
            "source": r.timeline["source_name"],
            "url": r.timeline["source_url"],
        }
    )
    return html_table(table, links={"source": "url"}, hide=["url"],
                      caption="The events on the timeline",
                      css_class=f"report-table {EVENTS_TABLE_CLASS}")  # fmt: skip


def squeeze_title(r: Report) -> str:
    """The squeeze chart's title: the rial's fall in the article's year, computed."""
    year = r.ev.published.year
    rates = r.squeeze[r.squeeze["month"].dt.year.eq(year)]["open_market"].dropna()
    if rates.empty:
        return f"The rial and Iran's oil sales to the EU, {SQUEEZE_YEARS[0]}–{SQUEEZE_YEARS[1]}"
    lost = 1 - rates.iloc[0] / rates.max()
    return f"The rial lost {lost:.0%} of its dollar value between January and its {year} low"


def squeeze_figure(r: Report) -> Figure:
    """Month by month: rial rates and EU crude imports from Iran, with the sanction dates."""
    return plots.squeeze_figure(r.squeeze, r.sanctions, published=r.ev.published,
                                title=squeeze_title(r))  # fmt: skip


def palestine_figure(r: Report) -> Figure:
    """Unemployment in the West Bank and Gaza and the PA's budget balance, by year."""
    span = context.span_text(r.pse, context.UNEMPLOYMENT, "%")
    title = "Unemployment, West Bank and Gaza together"
    if span:
        title += ":\n" + span.replace(" (", "\n(")
    fiscal = r.pse.dropna(subset=[context.FISCAL_BALANCE_PCT])
    title2 = "Palestinian Authority budget balance"
    if not fiscal.empty:
        deficits = int((fiscal[context.FISCAL_BALANCE_PCT] < 0).sum())
        span = f"{int(fiscal['year'].min())}–{int(fiscal['year'].max())}"
        title2 = (
            f"The PA ran a deficit every year, {span}"
            if deficits == len(fiscal)
            else f"The PA ran a deficit in {deficits} of {len(fiscal)} years, {span}"
        )
    return plots.palestine_figure(r.pse, r.gaza, published=r.ev.published,
                                  titles=(title, title2))  # fmt: skip


def palestine_html(r: Report) -> str:
    """The salary cut and Qatar's payments (events ledger), and what each series can and cannot
    say about Hamas."""
    gaza = pd.DataFrame(
        {
            "date": r.gaza["date"],
            "who": r.gaza["actor"],
            "what": r.gaza["event"],
            "US$ as reported": r.gaza["amount_usd_as_reported"].map(claims_view.money),
            "source": r.gaza["source_name"],
            "url": r.gaza["source_url"],
        }
    )
    rows = "".join(
        f"<li><b>{escape(context.PSE_SERIES[code])}</b> can show {escape(can)}; it cannot "
        f"show Hamas's finances: {escape(cannot)}.</li>"
        for code, (can, cannot) in context.PSE_MEANING.items()
    )
    return (
        html_table(
            gaza,
            links={"source": "url"},
            hide=["url"],
            numeric=["US$ as reported"],
            caption="The Palestinian Authority's pay cut and Qatar's payments "
            "(pledges and deliveries as reported, not a flow series)",
        )  # fmt: skip
        + f"<ul>{rows}</ul>"
    )


def lieberman_html(r: Report) -> str:
    """The article's "most of the $260m" beside Lieberman's January 2018 words (or which of the
    two statements is missing)."""
    if r.lieberman is None:
        return missing_claims_note(list(r.missing_ids))
    rows = pd.DataFrame([r.lieberman["founding"], r.lieberman["lieberman"]])
    return html_table(
        pd.DataFrame(
            {
                "said": rows["claim_date"].astype("string"),
                "who": rows["claimant"],
                "words": rows["amount_as_stated"].str.split(" | ", regex=False).str[0],
                "source": rows["source_publisher"].fillna(rows["source_url"]),
                "url": rows["source_url"],
                "quote": with_translations(rows)["quote_shown"],
            }
        ),
        links={"source": "url"},
        hide=["url"],
        detail="quote",
        caption="The two statements",
    )


def share_html(r: Report) -> str:
    """The money paid as a share of Iran's military spending, by conversion basis, over the
    same statements and years for every basis."""
    if r.shares.empty:
        return "<p>No yearly amount falls in a year with military-spending data.</p>"
    pivot = r.shares.pivot_table(index="period", columns="basis", values="median_share",
                                 observed=True)  # fmt: skip
    counts = r.shares.groupby("period", observed=True)["claims"].max()
    order = [b for b in (SIPRI_BASIS, "open_market", "nima", "official") if b in pivot.columns]
    table = pivot[order].map(lambda v: f"{v:.1%}" if pd.notna(v) else "—")
    not_market = " — not a market price from 2018"
    table.columns = [
        finances.RATE_LABELS[b] + (not_market if b == "official" else "") for b in order
    ]
    table.insert(0, "statements", counts.reindex(table.index).astype(int))
    shown = html_table(table.rename_axis("period").reset_index(), numeric=list(table.columns),
                       caption="Median yearly amount paid as a share of Iran's military "
                       "spending (the same statements and years in every column; "
                       f"{r.milex_release})")  # fmt: skip
    return official_text(r, pivot) + shown


def official_text(r: Report, shares: pd.DataFrame) -> str:
    """Since when the official rate has stayed fixed (:attr:`Report.official_fixed`) and, from
    ``shares`` (median share by period × basis), whether it makes every sum a smaller share than
    the market rates do; "" when the rate has not stayed fixed."""
    if r.official_fixed is None:
        return ""
    year, value = r.official_fixed
    text = (
        f"The official rate has stayed at {value:,.0f} rial per dollar every year since {year} "
        "(World Bank yearly averages): a fixed rate, not a market price, so it is shown for "
        "comparison only"
    )
    market = [b for b in ("open_market", "nima") if b in shares.columns]
    if "official" in shares.columns and market:
        both = shares[["official", *market]].dropna()
        if not both.empty and (both["official"] < both[market].min(axis=1)).all():
            text += (
                ". It makes Iran's spending look larger, and each sum a smaller share of it, "
                "than the market rates do"
            )
    return f"<p>{escape(text)}.</p>"


def capacity_title(r: Report) -> str:
    """The yearly chart's title: inflation and the open-market dollar in the article's year
    against the break year, computed."""
    by_year = r.yearly.set_index("year")
    year, first = r.ev.published.year, r.ev.breaks[0]
    parts = []
    inflation = by_year["inflation"].dropna()
    if year in inflation.index:
        parts.append(f"inflation of {evidence.number(inflation[year]):.0f}% in {year}")
    rate = by_year["irr_per_usd"].dropna()
    if year in rate.index and first in rate.index:
        times = claims_view.ratio_text(rate[year] / rate[first])
        parts.append(f"a dollar at {times} times its {first} price")
    return "Iran's squeeze by year: " + (", ".join(parts) if parts else "prices, rial, oil, army")


def capacity_figure(r: Report) -> Figure:
    """Iran by year: inflation, the rial, crude exports, military spending (basis named)."""
    basis = finances.RATE_LABELS[r.milex_basis]
    return plots.capacity_figure(r.yearly, breaks=r.ev.breaks, published=r.ev.published,
                                 title=capacity_title(r), milex_label=basis,
                                 milex_note=r.milex_note,
                                 rift=(r.ev.break_date, r.ev.return_date))  # fmt: skip
