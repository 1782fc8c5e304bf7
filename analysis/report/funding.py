"""The ``hamas_funding_claims`` report's frames and text, built once from the processed tables.

The report lists what has been said about Iran's money for Hamas, with a chosen recipient scope
(Hamas alone, or also groups and donor pools that include it), minimum source grade and
statuses. Its counts, tables and charts all come from the one :class:`FundingReport` that
:func:`make` returns. The by-period comparison is always drawn from money said to have been paid
to Hamas alone, whatever the scope: an aggregate is never folded into a median called Iran's
money for Hamas.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.config import DEFAULT_BASE_YEAR
from analysis.report import article, charts, evidence, periods, plots
from analysis.report import claims as view
from analysis.report.claims import GRADE_NAMES
from analysis.report.html import escape

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

TABLES = ("claims", "us_cpi", "events")
#: The report's title for each recipient scope (what the run includes).
TITLES: dict[str, str] = {
    "hamas_only": "What has been said about Iran's money for Hamas: Hamas and its armed wing only",
    "including_aggregates": "What has been said about Iran's money for Hamas, including money "
    "for the Hamas-led Palestinian Authority government, for groups that include Hamas, or from "
    "donor pools",
}


@dataclass
class FundingReport:
    """Everything the notebook shows (see :func:`make`)."""

    recipient_scope: str
    all_claims: pd.DataFrame
    #: the statements shown, filtered and placed (:func:`analysis.report.evidence.place`)
    selected: pd.DataFrame
    #: the timeline's yearly ranges (``selected`` with a yearly amount and a year)
    ranges: pd.DataFrame
    #: ``selected`` without a yearly amount (the strip under the timeline)
    others: pd.DataFrame
    #: money paid to Hamas alone with a yearly amount: the by-period chart and table
    paid_ranges: pd.DataFrame
    spread: pd.DataFrame
    breaks: tuple[int, int]
    base_year: int
    events: pd.DataFrame
    filters: str
    #: what each filter leaves out of the record (:func:`left_out`)
    left_out: list[tuple[int, str]]
    #: the article's publication date, marked on the timeline
    published: pd.Timestamp


@dataclass(frozen=True)
class Filters:
    """The report's selection settings (the notebook's parameters), said once for the text
    that words them (:func:`_filters`) and the counts of what they leave out (:func:`left_out`)."""

    claimant_types: Sequence[str]
    recipient_scope: str
    start_year: int
    end_year: int
    include_vague: bool
    min_grade: str
    statuses: Sequence[str]


def make(
    load: Callable[[str], pd.DataFrame],
    *,
    recipient_scope: str,
    start_year: int,
    end_year: int,
    claimant_types: Sequence[str] = (),
    include_vague: bool = True,
    min_grade: str = evidence.GRADES[-1],
    statuses: Sequence[str] = (),
) -> FundingReport:
    """Select, filter and place the statements; compute what the charts draw."""
    if start_year > end_year:
        raise ValueError(f"start_year {start_year} is after end_year {end_year}")
    claims, us_cpi, events = (load(name) for name in TABLES)
    breaks = periods.breaks_from_events(events)
    base_year = min(DEFAULT_BASE_YEAR, int(us_cpi["year"].max()))
    chosen = view.select(claims, claimant_types=claimant_types, recipient_scope=recipient_scope,
                         start_year=start_year, end_year=end_year,
                         include_vague=include_vague)  # fmt: skip
    selected = (
        evidence.place(evidence.restrict(chosen, min_grade=min_grade, statuses=statuses), breaks)
        .sort_values(["placed_year", "claim_date", "claim_id"], na_position="last")
        .reset_index(drop=True)
    )
    settings = Filters(claimant_types, recipient_scope, start_year, end_year, include_vague,
                       min_grade, statuses)  # fmt: skip
    ranges = view.ranges(selected, us_cpi=us_cpi, base_year=base_year, breaks=breaks)
    paid = evidence.money_paid(selected[~selected["is_aggregate"]])
    paid_ranges = view.ranges(paid, us_cpi=us_cpi, base_year=base_year, breaks=breaks)
    return FundingReport(
        recipient_scope=recipient_scope,
        all_claims=claims,
        selected=selected,
        ranges=ranges,
        others=view.not_annual(selected.assign(reference_year=selected["placed_year"])),
        paid_ranges=paid_ranges,
        spread=view.spread_by_period(paid_ranges, breaks),
        breaks=breaks,
        base_year=base_year,
        events=charts.key_events(events, start_year, end_year),
        filters=_filters(settings),
        left_out=left_out(claims, settings),
        published=article.article_date(claims),
    )


def _filters(f: Filters) -> str:
    """What the report includes, in words."""
    claimant_types, recipient_scope, min_grade = f.claimant_types, f.recipient_scope, f.min_grade
    who = ", ".join(t.replace("_", " ") for t in claimant_types) or "every kind of source"
    scope = (
        "Iran's money for Hamas and its armed wing alone"
        if recipient_scope == "hamas_only"
        else "Iran's money for Hamas, and for the Hamas-led Palestinian Authority government, "
        "for groups that include Hamas, or from donor pools"
    )
    grade = (
        "every source grade"
        if min_grade == evidence.GRADES[-1]
        else f"sources graded “{GRADE_NAMES[min_grade]}” or better"
    )
    status = ", ".join(view.STATUS_NAMES[s] for s in evidence.check_statuses(f.statuses))
    parts = [who, scope, f"money for {f.start_year}–{f.end_year}", grade,
             status or "every status"]  # fmt: skip
    if not f.include_vague:
        parts.append("vague wordings left out")
    return "; ".join(parts)


def left_out(claims: pd.DataFrame, f: Filters) -> list[tuple[int, str]]:
    """What each filter of the report leaves out of the record, in the order applied: (count,
    what) per step with a count, so that the record minus the steps is what the report shows.
    The years step names the statements it leaves out (who, and the year they are about)."""
    claimant_types, recipient_scope, include_vague = (
        f.claimant_types,
        f.recipient_scope,
        f.include_vague,
    )
    start_year, end_year, min_grade, statuses = f.start_year, f.end_year, f.min_grade, f.statuses
    steps: list[tuple[int, str]] = []
    every = view.select(claims, recipient_scope="including_aggregates")
    scoped = view.select(claims, recipient_scope=recipient_scope)
    if len(every) > len(scoped):
        other = (
            "about money for groups that include Hamas, the Hamas-led government or donor pools "
            "(the other report shows them)"
        )
        steps.append((len(every) - len(scoped), other))
    typed = view.select(claims, recipient_scope=recipient_scope, claimant_types=claimant_types)
    if len(scoped) > len(typed):
        steps.append((len(scoped) - len(typed), "from other kinds of source"))
    clear = view.select(claims, recipient_scope=recipient_scope, claimant_types=claimant_types,
                        include_vague=include_vague)  # fmt: skip
    if len(typed) > len(clear):
        steps.append((len(typed) - len(clear), "with vague wordings"))
    dated = view.select(claims, recipient_scope=recipient_scope, claimant_types=claimant_types,
                        include_vague=include_vague, start_year=start_year,
                        end_year=end_year)  # fmt: skip
    outside = clear[~clear["claim_id"].isin(dated["claim_id"])]
    if len(outside):
        named = "; ".join(
            f"{c}, about {int(y)}" for c, y in zip(outside["claimant"], outside["reference_year"],
                                                  strict=True)
        )  # fmt: skip
        steps.append((len(outside), f"about years outside {start_year}–{end_year} ({named})"))
    graded = evidence.restrict(dated, min_grade=min_grade)
    if len(dated) > len(graded):
        steps.append((len(dated) - len(graded), "from lower source grades"))
    kept = evidence.restrict(dated, min_grade=min_grade, statuses=statuses)
    if len(graded) > len(kept):
        steps.append((len(graded) - len(kept), "of other statuses"))
    return steps


def left_out_text(steps: list[tuple[int, str]]) -> str:
    """:func:`left_out` in words: " It leaves out 1 about years outside 1990–2025 (…)." """
    if not steps:
        return ""
    return " It leaves out " + "; ".join(f"{n} {what}" for n, what in steps) + "."


def intro_html(r: FundingReport) -> str:
    """The counts the report rests on, from its frames."""
    placed = int(r.selected["placed_year"].notna().sum())
    undated = len(r.selected) - placed
    undated_yearly = int(
        (r.selected["placed_year"].isna()
         & (r.selected["annual_low_usd"].notna() | r.selected["annual_high_usd"].notna())).sum()
    )  # fmt: skip
    drawn_others = int(r.others["reference_year"].notna().sum())
    return (
        f"<p>The record holds <b>{len(r.all_claims)}</b> statements. This report shows "
        f"<b>{len(r.selected)}</b> of them: {escape(r.filters)}."
        f"{escape(left_out_text(r.left_out))} {escape(evidence.ladder_text())} "
        f"<b>{len(r.ranges)}</b> give an amount per year or per month and are drawn on the "
        f"timeline as yearly ranges in constant {r.base_year} dollars; <b>{drawn_others}</b> "
        "others (one-off sums, totals over several years, shares with no amount, no amount, or "
        "wording that could not be read) are drawn in the strip below it. "
        f"<b>{undated}</b> name no year and appear only in the table"
        + (f" ({undated_yearly} of them with a yearly amount)" if undated_yearly else "")
        + "."
        + government_note(r)
        + "</p>"
    )


def government_note(r: FundingReport) -> str:
    """For a report on Hamas alone: how many statements about the Hamas-led Palestinian
    Authority government it leaves out, and why (HTML; empty for the other scope)."""
    n = view.government_left_out(r.all_claims)
    if r.recipient_scope != "hamas_only" or not n:
        return ""
    return (
        f" <b>{n}</b> statement{'s' if n != 1 else ''} about money for the Hamas-led Palestinian "
        "Authority government of 2006–07 "
        + ("is" if n == 1 else "are")
        + " left out: it was the Authority's government, paying its budget and salaries, not the "
        "movement or its armed wing. The report including money for groups and governments "
        "shows " + ("it" if n == 1 else "them") + "."
    )


#: The claims timeline's size (inches) and its three rows' heights: ranges, strip, key.
TIMELINE_FIGSIZE = (6.0, 9.4)
TIMELINE_HEIGHTS = (3.0, 2.0, 1.0)
#: The money-by-period chart's size (inches), and how far below its plot its key starts (under
#: the two-line period labels).
BY_PERIOD_FIGSIZE = (6.0, 6.4)
BY_PERIOD_LEGEND_DROP_IN = 0.8
#: A period's x label is wrapped at this many characters (three periods share the width).
PERIOD_LABEL_CHARS = 16
#: Strip labels are wrapped at this many characters (they sit left of a narrow plot).
STRIP_LABEL_CHARS = 22


def _wrap(label: str, width: int = STRIP_LABEL_CHARS) -> str:
    """A label on lines of at most ``width`` characters."""
    import textwrap

    return textwrap.fill(label, width)


def _legend_under(ax: Axes, onto: Axes, n_types: int, *, y: float, drop_in: float = 0.0) -> None:
    """Move the ranges' legend (``plots.range_legend``, beside the plot) under it: into ``onto``
    at ``y`` (axes fraction) less ``drop_in`` inches, in two columns from the figure's left
    edge at the theme's size, the first ``n_types`` labels (claimant types) in proper case."""
    from matplotlib.transforms import ScaledTranslation, blended_transform_factory

    legend = ax.get_legend()
    if legend is None:
        return
    handles: list[Any] = list(legend.legend_handles)  # (typed Artist | None; none is None)
    labels = [t.get_text() for t in legend.get_texts()]
    labels = [charts.proper_label(x) if i < n_types else x for i, x in enumerate(labels)]
    legend.remove()
    fig = onto.figure
    drop = onto.transAxes + ScaledTranslation(0, -drop_in, fig.dpi_scale_trans)
    from_left = blended_transform_factory(fig.transFigure, drop)
    onto.legend(handles, labels, loc="upper left", ncols=2, frameon=False, borderaxespad=0,
                bbox_to_anchor=(0.01, y), bbox_transform=from_left,
                fontsize=charts.TEXT_PT["legend.fontsize"])  # fmt: skip


def timeline_figure(r: FundingReport) -> Figure:
    """Every placed statement: yearly ranges above, the rest in a strip below, the key under both
    (one column at about the theme's width, so its text reads on a phone)."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    fig = plt.figure(figsize=TIMELINE_FIGSIZE)
    grid = fig.add_gridspec(3, 1, height_ratios=TIMELINE_HEIGHTS)
    ax = fig.add_subplot(grid[0])
    strip = fig.add_subplot(grid[1], sharex=ax)
    key = fig.add_subplot(grid[2])
    plots.draw_ranges(ax, r.ranges)
    if not r.ranges.empty:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: view.money(v)))
        ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
    plots.draw_strip(strip, r.others)
    strip.set_yticks(strip.get_yticks(), [_wrap(t.get_text()) for t in strip.get_yticklabels()],
                     fontsize=charts.TEXT_PT["ytick.labelsize"])  # fmt: skip
    ax.tick_params(labelbottom=False)
    years = [*r.ranges["reference_year"].dropna(), *r.others["reference_year"].dropna()]
    placed = pd.Series(years, dtype=float)
    if not placed.empty:
        charts.years_axis(strip, range(int(placed.min()), int(placed.max()) + 1))
    for axis in (ax, strip):
        charts.mark_events(axis, r.events, yearly=True, label=axis is ax)
        plots.mark_article(axis, r.published, yearly=True, label=axis is ax)
    for text in ax.texts:  # the article's label
        text.set_fontsize(max(text.get_fontsize(), charts.TEXT_PT["font.size"]))
    types = sorted(r.selected["claimant_type"].dropna().unique())
    plots.range_legend(ax, types)
    key.set_axis_off()
    _legend_under(ax, key, len(types), y=1.0)
    strip.set_title("Statements with no yearly amount, by reason", loc="left",
                    fontsize=charts.TEXT_PT["font.size"])  # fmt: skip
    low = pd.concat([r.ranges["low"], r.ranges["high"]]).dropna()
    title = (
        f"{len(r.ranges)} yearly figures, from {view.money(low.min())} to "
        f"{view.money(low.max())} a year ({r.base_year} dollars)"
        if not low.empty
        else "No statement gives a yearly amount"
    )
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", parse_math=False, wrap=True)
    return charts.finish(
        ax,
        title="Statements giving a yearly amount",
        ylabel=f"US$ a year, {r.base_year} prices (log scale)",
        sources="the project's record of statements (each source is linked in the table below); "
        "US CPI-U",
        note="monthly figures × 12; other currencies at that year's ECB average rate; one-off sums "
        "and multi-year totals are not made yearly.",
        data=timeline_data(r),
    )


def timeline_data(r: FundingReport) -> pd.DataFrame:
    """What :func:`timeline_figure` draws: each yearly range (US$ a year), then each placed
    statement without one, with the reason (its row in the strip)."""
    others = r.others.dropna(subset=["reference_year"])
    strip = pd.DataFrame(
        {
            column: others[column]
            for column in (
                "claim_id",
                "claimant",
                "claimant_type",
                "source_grade",
                "status",
                "is_aggregate",
                "reference_year",
            )  # fmt: skip
            if column in others
        }
    ).assign(
        no_yearly_amount=others["category"], reference_year=others["reference_year"].astype("Int64")
    )
    return pd.concat([plots.ranges_data(r.ranges), strip], ignore_index=True)


def by_period_figure(r: FundingReport) -> Figure:
    """Money said to have been paid to Hamas alone, by period."""
    middle = periods.labels(r.breaks)[1]
    spread = r.spread.set_index(r.spread["period"].astype(str))
    title = (
        f"No yearly amount paid to Hamas is on record for {middle}"
        if evidence.number(spread.loc[middle, "claims"]) == 0
        else f"Yearly amounts said to have been paid to Hamas, by period ({middle}: the rift)"
    )
    fig = plots.by_period_figure(
        r.paid_ranges,
        r.spread,
        title=title,
        ylabel=f"US$ a year, {r.base_year} prices (log scale)",
        sources="the project's record of statements; US CPI-U",
        note="money said to have been paid to Hamas or its armed wing alone; grey bar: lowest to "
        "highest figure of the period.",
        color_by="source_grade",
    )
    fig.set_size_inches(BY_PERIOD_FIGSIZE)
    ax = fig.axes[0]
    # The finding, from the figure's left edge: from the plot's, it would run past the figure.
    fig.suptitle(ax.get_title(loc="left"), x=0.01, ha="left", fontweight="bold", wrap=True)
    ax.set_title("", loc="left")
    ticks = [t.get_text().split("\n") for t in ax.get_xticklabels()]
    ax.set_xticks(ax.get_xticks(), ["\n".join(_wrap(line, PERIOD_LABEL_CHARS) for line in lines)
                                    for lines in ticks])  # fmt: skip
    grades = r.paid_ranges["source_grade"].dropna().nunique()
    _legend_under(ax, ax, grades, y=0.0, drop_in=BY_PERIOD_LEGEND_DROP_IN)
    fig.tight_layout()
    return fig


def period_items_html(r: FundingReport) -> str:
    """One line per period, from the same spread the chart draws."""
    items = []
    for row in r.spread.itertuples():
        n = int(evidence.number(row.claims))
        items.append(
            f"<li><b>{escape(str(row.period))}</b>: "
            + (
                f"{plots.statements(n)}, from {view.money(evidence.number(row.lowest))} to "
                f"{view.money(evidence.number(row.highest))} a year; "
                f"{view.spread_phrase(evidence.number(row.spread))}; "
                f"median {view.money(evidence.number(row.median_mid))}.</li>"
                if n
                else "no statement with a yearly amount paid.</li>"
            )
        )
    return "<ul>" + "".join(items) + "</ul>"


def title_html(recipient_scope: str) -> str:
    """The report's heading: what this run includes (:data:`TITLES`)."""
    if recipient_scope not in TITLES:
        raise ValueError(f"unknown recipient_scope {recipient_scope!r}; expected one of {TITLES}")
    return f"<h1>{escape(TITLES[recipient_scope])}</h1>"
