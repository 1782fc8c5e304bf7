"""Drawing helpers shared by the claims and rapprochement reports (matplotlib, on a given axis).

The frames they draw come from :mod:`analysis.report.claims`; the theme, event markers and
captions from :mod:`analysis.report.charts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.report.claims import CLAIMANT_TYPES, GRADE_NAMES, NOT_ANNUAL

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: One colour per claimant type (seaborn "colorblind", in ledger vocabulary order).
CLAIMANT_COLORS: dict[str, str] = dict(
    zip(
        CLAIMANT_TYPES,
        (
            "#0173b2",
            "#de8f05",
            "#029e73",
            "#d55e00",
            "#cc78bc",
            "#ca9161",
            "#fbafe4",
            "#949494",
            "#ece133",
            "#56b4e9",
        ),
        strict=True,
    )
)
#: One colour per source grade, dark (best) to pale (weakest): seaborn "rocket" steps.
GRADE_COLORS: dict[str, str] = dict(
    zip(
        GRADE_NAMES,
        ("#03051a", "#4c1d4b", "#a11a5b", "#e83f3f", "#f69c73", "#f4cfa9"),
        strict=True,
    )
)
#: Colour and style of the article's publication date on time axes.
ARTICLE_COLOR = "#b2182b"
#: How far an open-ended range's arrow reaches, as a factor of its stated bound (log axis).
OPEN_END_FACTOR = 2.0
#: Horizontal offset between claims placed on the same year, in years.
JITTER = 0.18

#: The charts' sizes in inches, at the theme's width (``charts.FIGSIZE``), multi-panel charts
#: stacked in one column: at the theme's text sizes, their text reads on a 390 px phone.
BY_PERIOD_FIGSIZE = (6.0, 6.4)
TIMELINE_FIGSIZE = (6.0, 5.6)
SQUEEZE_FIGSIZE = (6.0, 7.0)
PALESTINE_FIGSIZE = (6.0, 7.0)
CAPACITY_FIGSIZE = (6.0, 10.0)
#: A title or x label longer than this many characters is wrapped (it would run past the plot).
TITLE_CHARS = 44
PERIOD_LABEL_CHARS = 16
#: The timeline's lane names are wrapped at this many characters; at most this many year ticks.
LANE_CHARS = 14
TIMELINE_TICKS = 6
#: The timeline's title is wrapped at this many characters (it starts right of the lane names).
LANE_TITLE_CHARS = 34
#: The months ticked on the squeeze chart's time axis (January and July: five ticks in two years).
SQUEEZE_TICK_MONTHS = (1, 7)
#: How far below the plot the by-period chart's key starts (under the two-line period labels).
BY_PERIOD_LEGEND_DROP_IN = 0.8


#: The columns of a claims range frame a reader gets with a chart (:func:`ranges_data`).
RANGE_COLUMNS = ("claim_id", "claimant", "claimant_type", "source_grade", "status",
                 "is_aggregate", "reference_year", "period", "low", "high", "low_open",
                 "high_open")  # fmt: skip


def ranges_data(ranges: pd.DataFrame) -> pd.DataFrame:
    """The rows a range chart draws, as published in its CSV (US$ a year, low and high)."""
    frame = ranges[[c for c in RANGE_COLUMNS if c in ranges.columns]].reset_index(drop=True)
    if "reference_year" in frame:
        frame = frame.assign(reference_year=frame["reference_year"].astype("Int64"))
    return frame


def _offsets(years: pd.Series, jitter: float = JITTER) -> np.ndarray:
    """Small horizontal offsets so claims about the same year do not overlap."""
    rank = years.groupby(years).cumcount().to_numpy()
    size = years.map(years.value_counts()).to_numpy()
    return (rank - (size - 1) / 2) * jitter


def _arrow(ax: Axes, x: float, start: float, end: float, color: str) -> None:
    """An open-ended bound: a tick at the stated figure and an arrow towards the open side."""
    ax.annotate(
        "",
        xy=(x, end),
        xytext=(x, start),
        arrowprops={"arrowstyle": "-|>", "color": color, "lw": 1.6},
    )
    ax.plot([x], [start], marker="_", color=color, markersize=10, mew=2)


def draw_ranges(
    ax: Axes,
    ranges: pd.DataFrame,
    *,
    x: str = "reference_year",
    spans: bool = True,
    width: float | None = None,
    color_by: str = "claimant_type",
) -> Axes:
    """Each claim as its annual range on a log axis: a vertical bar from low to high, a dot for a
    single figure, an arrow for an open end ("at least" up, "up to" down), a faint horizontal
    line over the years a multi-year claim covers. Colour = claimant type; filled marker = Iran's
    money for Hamas alone, hollow = an aggregate (other recipients or other donors included).
    ``spans=False`` leaves out the multi-year lines (when ``x`` is not a year); ``width`` fits
    the claims sharing one ``x`` into that width. The y axis is logarithmic and covers every
    arrow. ``color_by`` "source_grade" colours by grade instead of claimant type.
    """
    palette = GRADE_COLORS if color_by == "source_grade" else CLAIMANT_COLORS
    if ranges.empty:
        ax.text(
            0.5,
            0.5,
            "no claim with an annual amount",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="#555555",
        )
        ax.set_yticks([])
        return ax
    jitter = JITTER
    if width is not None:
        jitter = width / max(int(ranges[x].value_counts().max()), 1)
    xs = ranges[x].astype(float).to_numpy() + _offsets(ranges[x], jitter)
    for xi, row in zip(xs, ranges.to_dict(orient="records"), strict=True):
        color = palette.get(str(row[color_by]), "#000000")
        face = "white" if row["is_aggregate"] else color
        low, high = float(row["low"]), float(row["high"])
        if row["high_open"] and not np.isnan(low):
            _arrow(ax, xi, low, low * OPEN_END_FACTOR, color)
        elif row["low_open"] and not np.isnan(high):
            _arrow(ax, xi, high, high / OPEN_END_FACTOR, color)
        elif low == high:
            ax.plot([xi], [low], marker="o", color=color, mfc=face, markersize=6, mew=1.4)
        else:
            ax.plot([xi, xi], [low, high], color=color, lw=2.2, solid_capstyle="round")
            ax.plot(
                [xi, xi],
                [low, high],
                ls="none",
                marker="o",
                color=color,
                mfc=face,
                markersize=4,
                mew=1.2,
            )
        span_end = float(row["span_end"])
        if spans and not np.isnan(span_end):
            level = low if not np.isnan(low) else high
            ax.plot(
                [float(row["reference_year"]), span_end],
                [level, level],
                color=color,
                lw=0.8,
                ls=":",
                alpha=0.8,
            )
    ax.set_yscale("log")
    stated = pd.concat([ranges["low"], ranges["high"]]).dropna()
    ax.set_ylim(stated.min() / OPEN_END_FACTOR / 1.3, stated.max() * OPEN_END_FACTOR * 1.3)
    return ax


def range_legend(
    ax: Axes,
    types: list[str],
    *,
    show_open: bool = True,
    color_by: str = "claimant_type",
    drop_in: float | None = None,
) -> Axes:
    """Legend: claimant-type (or source-grade) colours, filled vs hollow (Iran → Hamas alone vs
    aggregate), open ends; beside the plot, or under it (in two columns from the figure's left
    edge, ``drop_in`` inches below the plot) when ``drop_in`` is given. Theme text size."""
    from matplotlib.lines import Line2D
    from matplotlib.transforms import ScaledTranslation, blended_transform_factory

    from analysis.report import charts

    grades = color_by == "source_grade"
    palette = GRADE_COLORS if grades else CLAIMANT_COLORS
    handles = [
        Line2D(
            [],
            [],
            color=palette.get(t, "#000000"),
            marker="o",
            lw=2,
            label=GRADE_NAMES.get(t, t) if grades else t.replace("_", " "),
        )
        for t in types
    ]
    handles += [
        Line2D([], [], color="#555555", marker="o", ls="none", label="Iran → Hamas alone"),
        Line2D(
            [],
            [],
            color="#555555",
            marker="o",
            mfc="white",
            ls="none",
            label="aggregate (other recipients\nor donors included)",
        ),
    ]
    if show_open:
        handles.append(
            Line2D(
                [], [], color="#555555", marker="^", ls="none", label="open end (at least / up to)"
            )
        )
    size = charts.TEXT_PT["legend.fontsize"]
    if drop_in is None:
        ax.legend(handles=handles, fontsize=size, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  frameon=False)  # fmt: skip
        return ax
    fig = ax.figure
    drop = ax.transAxes + ScaledTranslation(0, -drop_in, fig.dpi_scale_trans)  # type: ignore[union-attr]
    ax.legend(handles=handles, fontsize=size, loc="upper left", ncols=2, frameon=False,
              borderaxespad=0, bbox_to_anchor=(0.01, 0.0),
              bbox_transform=blended_transform_factory(fig.transFigure, drop))  # type: ignore[union-attr]  # fmt: skip
    return ax


def draw_strip(ax: Axes, others: pd.DataFrame) -> Axes:
    """The claims with no annual range, as dots on one row per reason (same colours/fills)."""
    from analysis.report import charts

    rows = list(NOT_ANNUAL.values())
    ax.set_yticks(range(len(rows)), rows, fontsize=charts.TEXT_PT["ytick.labelsize"])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    placed = others.dropna(subset=["reference_year"])
    if placed.empty:
        return ax
    level = placed["category"].map({name: i for i, name in enumerate(rows)}).astype(float)
    xs = placed["reference_year"].astype(float).to_numpy() + _offsets(
        placed["reference_year"].astype(str) + placed["category"]
    )
    for xi, yi, row in zip(xs, level, placed.itertuples(index=False), strict=True):
        color = CLAIMANT_COLORS.get(str(row.claimant_type), "#000000")
        ax.plot(
            [xi],
            [yi],
            marker="o",
            color=color,
            mfc="white" if row.is_aggregate else color,
            markersize=5,
            mew=1.2,
        )
    return ax


# --- whole figures the two claims reports show (each returns its Figure) -------------------------


def _fraction_year(date: pd.Timestamp) -> float:
    """A date as a fractional year (for axes whose x values are years)."""
    return date.year + (date.dayofyear - 1) / 365.25


def _text_pt(key: str = "font.size") -> float:
    """The theme's size for ``key`` (``charts.TEXT_PT``), in points."""
    from analysis.report import charts

    return charts.TEXT_PT[key]


def _wrap(text: str, width: int = TITLE_CHARS) -> str:
    """``text`` on lines of at most ``width`` characters."""
    import textwrap

    return textwrap.fill(text, width)


def _num(date: pd.Timestamp) -> float:
    """A date as matplotlib's date number."""
    import matplotlib.dates as mdates

    return float(mdates.date2num(date))


def mark_article(ax: Axes, published: pd.Timestamp, *, yearly: bool, label: bool = True) -> Axes:
    """A solid line at the article's publication date, labelled "article" with its month."""
    import matplotlib.dates as mdates

    x = _fraction_year(published) if yearly else float(mdates.date2num(published))
    ax.axvline(x, color=ARTICLE_COLOR, lw=1.2, zorder=1)
    if label:
        ax.text(x, 1.0, f" article, {published:%b %Y}", transform=ax.get_xaxis_transform(),
                rotation=90, va="top", ha="left", fontsize=_text_pt(),
                color=ARTICLE_COLOR)  # fmt: skip
    return ax


def statements(n: int) -> str:
    """ "no statement", "1 statement", "3 statements"."""
    return "no statement" if n == 0 else f"{n} statement{'s' if n != 1 else ''}"


def yearly_amounts(n: int) -> str:
    """ "no yearly amount", "3 with a yearly amount": a period's label on the by-period chart,
    which draws only statements that give an amount per year (others may exist)."""
    return "no yearly amount" if n == 0 else f"{n} with a yearly amount"


def period_ticks(spread: pd.DataFrame) -> list[str]:
    """The x labels of :func:`by_period_figure`: each period with its number of statements that
    give a yearly amount (the same ``claims`` column the text quotes)."""
    return [f"{p}\n({yearly_amounts(int(n))})" for p, n in zip(spread["period"], spread["claims"],
                                                              strict=True)]  # fmt: skip


def by_period_figure(
    ranges: pd.DataFrame,
    spread: pd.DataFrame,
    *,
    title: str,
    ylabel: str,
    sources: str,
    note: str,
    color_by: str = "claimant_type",
) -> Figure:
    """Each period's yearly amounts (:func:`draw_ranges` by period) over a grey bar from the
    lowest to the highest stated figure; x labels from :func:`period_ticks`."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    from analysis.report import charts
    from analysis.report.claims import money

    fig, ax = plt.subplots(figsize=BY_PERIOD_FIGSIZE)
    position = {str(period): i for i, period in enumerate(spread["period"])}
    ax.bar(list(position.values()), spread["highest"] - spread["lowest"],
           bottom=spread["lowest"], width=0.7, color="#dddddd", zorder=0)  # fmt: skip
    draw_ranges(ax, ranges.assign(x=ranges["period"].astype(str).map(position)), x="x",
                spans=False, width=0.6, color_by=color_by)  # fmt: skip
    ax.set_xticks(list(position.values()), ["\n".join(_wrap(line, PERIOD_LABEL_CHARS)
                  for line in tick.split("\n")) for tick in period_ticks(spread)])  # fmt: skip
    ax.set_xlim(-0.6, len(position) - 0.4)
    if not ranges.empty:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: money(v)))
        ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
    kinds = [k for k in (GRADE_NAMES if color_by == "source_grade" else CLAIMANT_TYPES)
             if k in set(ranges[color_by].dropna())]  # fmt: skip
    range_legend(ax, kinds, color_by=color_by, drop_in=BY_PERIOD_LEGEND_DROP_IN)
    bars = spread[["period", "lowest", "highest"]].rename(
        columns={"lowest": "period_lowest", "highest": "period_highest"}
    )
    data = bars.astype({"period": str}).merge(
        ranges_data(ranges)
        .drop(columns="period", errors="ignore")
        .assign(period=ranges["period"].astype(str).to_numpy()),
        on="period",
        how="left",
    )
    fig = charts.finish(ax, title=title, ylabel=ylabel, sources=sources, note=note, data=data)
    # the title stays the plot's (callers may move it), wrapped at the figure's edge
    ax.set_title(title, loc="left", wrap=True)
    fig.tight_layout()
    return fig


def timeline_figure(
    timeline: pd.DataFrame,
    *,
    marks: dict[str, pd.Timestamp],
    published: pd.Timestamp,
    title: str,
) -> Figure:
    """One lane per event category (``lane`` of :func:`analysis.report.context.events_between`),
    a dot per event, the ``chart_label`` of labelled events beside their dot, and the dated
    ``marks`` (e.g. the break and the return) as shaded spans between them."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    from analysis.report import charts
    from analysis.report.context import LANES

    lanes = list(LANES.values())
    fig, ax = plt.subplots(figsize=TIMELINE_FIGSIZE)
    level = timeline["lane"].map({lane: i for i, lane in enumerate(lanes)})
    ax.scatter(timeline["event_date"], level, s=22, color=charts.PALETTE["iran"], zorder=3)
    labelled: dict[object, int] = {}
    middle = timeline["event_date"].min() + (timeline["event_date"].max()
                                             - timeline["event_date"].min()) / 2  # fmt: skip
    for row, y in zip(timeline.itertuples(index=False), level, strict=True):
        if isinstance(row.chart_label, str) and row.chart_label:
            k = labelled.get(y, 0)  # four heights in turn in each lane: neighbours do not collide
            lift = 5 + 12 * (k % 4)
            right = row.event_date > middle  # labels in the right half end at their dot
            ax.annotate(row.chart_label, (row.event_date, y), xytext=(-2 if right else 2, lift),
                        textcoords="offset points", fontsize=_text_pt(),
                        ha="right" if right else "left")  # fmt: skip
            labelled[y] = k + 1
    dates = sorted(marks.values())
    if len(dates) == 2:
        ax.axvspan(_num(dates[0]), _num(dates[1]), color="#eeeeee", zorder=0)
    for name, date in marks.items():
        ax.axvline(_num(date), color=charts.PALETTE["event"], ls="--", lw=0.8)
        ax.text(_num(date), len(lanes) - 0.45, f" {name}, {date:%b %Y}", fontsize=_text_pt(),
                va="bottom", color=charts.PALETTE["event"])  # fmt: skip
    mark_article(ax, published, yearly=False)
    ax.set_yticks(range(len(lanes)), [_wrap(lane, LANE_CHARS) for lane in lanes],
                  fontsize=_text_pt("ytick.labelsize"))  # fmt: skip
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=TIMELINE_TICKS))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_ylim(len(lanes) - 0.4, -1.0)  # top lane first, room above it for labels
    data = timeline[[c for c in ("event_date", "lane", "event", "chart_label") if c in timeline]]
    marked = pd.DataFrame({"event_date": list(marks.values()), "lane": "marked on the chart",
                           "event": list(marks)})  # fmt: skip
    # the title stays the plot's (it names the panel of the chart's data), wrapped to its width
    return charts.finish(ax, title=_wrap(title, LANE_TITLE_CHARS), ylabel="",
                         sources="the project's record of dated events "
                         "(each event with its source in the table below)",
                         data=pd.concat([data, marked], ignore_index=True))  # fmt: skip


def squeeze_figure(
    monthly: pd.DataFrame,
    sanctions: pd.DataFrame,
    *,
    published: pd.Timestamp,
    title: str,
) -> Figure:
    """Top: open-market and NIMA rial per US$ by month; bottom: EU crude imports from
    Iran by month; both with the sanction dates (``sanctions``: ``event_date``, ``chart_label``
    or ``event``) as dashed lines and the article's date."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    from analysis.report import charts

    fig, (top, bottom) = plt.subplots(2, 1, figsize=SQUEEZE_FIGSIZE, sharex=True)
    for rate, name in (("open_market", "open market"), ("nima", "NIMA (managed)")):
        top.plot(monthly["month"], monthly[rate], marker=".", color=charts.PALETTE[rate],
                 label=name)  # fmt: skip
    top.set_ylim(bottom=0)
    top.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    top.set_ylabel("rial per US$")
    top.legend(loc="best")  # where it covers the least data (under the plot, it would push the
    # chart past a printed page)
    top.set_title(_wrap(title), loc="left")
    bottom.bar(monthly["month"], monthly["eu_kbd"], width=25, color=charts.PALETTE["iran"])
    bottom.set_ylabel("thousand barrels a day")
    months = mdates.MonthLocator(bymonth=SQUEEZE_TICK_MONTHS)
    bottom.xaxis.set_major_locator(months)
    bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(months))
    for ax in (top, bottom):
        for row in sanctions.itertuples(index=False):
            ax.axvline(row.event_date, color=charts.PALETTE["event"], ls="--", lw=0.8)
        mark_article(ax, published, yearly=False, label=ax is top)
    names = "; ".join(f"{row.event_date:%d %b %Y} {row.short}" for row in sanctions.itertuples())
    return charts.finish(
        bottom,
        title=_wrap("EU crude-oil imports from Iran, by month"),
        ylabel="thousand barrels a day",
        sources=[
            "bonbast and TGJU daily quotes (monthly averages of quoted days)",
            "European Commission EU crude oil import register",
        ],  # fmt: skip
        note=f"dashed lines: {names}.",
        data=monthly[["month", "open_market", "nima", "eu_kbd"]].rename(
            columns={
                "open_market": "open_market_irr_per_usd",
                "nima": "nima_irr_per_usd",
                "eu_kbd": "eu_imports_kbd",
            }
        ),  # fmt: skip
    )


def palestine_figure(
    pse: pd.DataFrame,
    money_events: pd.DataFrame,
    *,
    published: pd.Timestamp,
    titles: tuple[str, str],
) -> Figure:
    """Top: West Bank and Gaza unemployment; below: the Palestinian Authority's net lending
    (% of GDP); the salary cut and Qatar's payments (``money_events``) as dashed lines."""
    import matplotlib.pyplot as plt

    from analysis.report import charts
    from analysis.report.context import FISCAL_BALANCE_PCT, UNEMPLOYMENT

    fig, axes = plt.subplots(2, 1, figsize=PALESTINE_FIGSIZE)
    for ax, code, title, unit in zip(axes, (UNEMPLOYMENT, FISCAL_BALANCE_PCT), titles,
                                     ("% of labour force", "% of GDP"), strict=True):  # fmt: skip
        data = pse.dropna(subset=[code])
        ax.plot(data["year"], data[code], marker=".", color=charts.PALETTE["hamas"])
        if code == FISCAL_BALANCE_PCT:
            ax.axhline(0, color="#555555", lw=0.8)
        else:
            ax.set_ylim(bottom=0)  # a share of the labour force: from zero, not from its low
        ax.set_title(_wrap(title), loc="left")
        ax.set_ylabel(unit)
        charts.years_axis(ax, pse["year"])
        for date in pd.to_datetime(money_events["event_date"]):
            ax.axvline(_fraction_year(date), color=charts.PALETTE["event"], ls="--", lw=0.8)
        mark_article(ax, published, yearly=True, label=ax is axes[0])
    note = (
        "dashed lines: "
        + "; ".join(
            f"{row.date} {row.actor}" for row in money_events.itertuples(index=False)
        )  # fmt: skip
        if not money_events.empty
        else None
    )
    fig = charts.finish(
        axes[1],
        title=_wrap(titles[1]),
        ylabel="% of GDP",
        sources=[
            "World Bank WDI SL.UEM.TOTL.ZS (modelled ILO estimate)",
            "IMF World Economic Outlook, Oct 2024, GGXCNL_NGDP (West Bank and Gaza)",
        ],  # fmt: skip
        note=note,
        data=pse[["year", UNEMPLOYMENT, FISCAL_BALANCE_PCT]].rename(
            columns={UNEMPLOYMENT: "unemployment_pct", FISCAL_BALANCE_PCT: "pa_net_lending_pct_gdp"}
        ),
    )
    return fig


def _rift_shade(
    breaks: tuple[int, int], rift: tuple[pd.Timestamp, pd.Timestamp] | None
) -> tuple[tuple[float, float], str]:
    """(x span to shade on a yearly axis, its words for the note): the rift's own dates when
    known ("the rift, February 2012 to August 2017"), else its whole years."""
    if rift is None:
        return (breaks[0] - 0.5, breaks[1] - 0.5), f"the rift years {breaks[0]}–{breaks[1] - 1}"
    start, end = (pd.Timestamp(d) for d in rift)
    return (
        (_fraction_year(start), _fraction_year(end)),
        f"the rift, {start:%B %Y} to {end:%B %Y}",
    )


def capacity_figure(
    yearly: pd.DataFrame,
    *,
    breaks: tuple[int, int],
    published: pd.Timestamp,
    title: str,
    milex_label: str,
    milex_note: str | None = None,
    rift: tuple[pd.Timestamp, pd.Timestamp] | None = None,
) -> Figure:
    """Four panels by year (``yearly``: :func:`analysis.report.rapprochement.make`'s frame):
    inflation; the open-market rial beside the official rate (marked as not a market price
    from 2018); crude exports (EIA) and EU imports from Iran; military spending in US$ at
    ``milex_label`` (from zero; ``milex_note``, e.g. why SIPRI's dollars fall in a year, is
    added to the chart's note). The rift is shaded: from ``rift``'s first date to its second when
    given (the dates the report names), else the rift years of ``breaks``; the article's date
    is marked."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    from analysis.report import charts

    fig, axes = plt.subplots(4, 1, figsize=CAPACITY_FIGSIZE, sharex=True)
    infl, rial, oil, army = axes
    infl.plot(yearly["year"], yearly["inflation"], marker=".", color=charts.PALETTE["iran"])
    infl.set_title("Consumer-price inflation, % a year", loc="left")
    rial.plot(yearly["year"], yearly["irr_per_usd"], marker=".",
              color=charts.PALETTE["open_market"], label="open market")  # fmt: skip
    rial.plot(yearly["year"], yearly["official_irr_per_usd"], ls="--",
              color=charts.PALETTE["official"],
              label="official (not a market price from 2018)")  # fmt: skip
    rial.set_yscale("log")
    rial.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    rial.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
    charts.legend_below(rial)
    rial.set_title(_wrap("Rial per US$, yearly average (log scale)"), loc="left")
    oil.plot(yearly["year"], yearly["exports_kbd"], marker=".", color=charts.PALETTE["iran"],
             label="Iran's crude exports (EIA, to 2018)")  # fmt: skip
    oil.bar(yearly["year"], yearly["eu_imports_kbd"], color="#999999", width=0.6,
            label="EU imports from Iran")  # fmt: skip
    charts.legend_below(oil)
    oil.set_title("Crude oil, thousand barrels a day", loc="left")
    yearly = yearly.assign(milex_usd_bn=yearly["milex_usd_m"] / 1e3)
    army.plot(yearly["year"], yearly["milex_usd_bn"], marker=".",
              color=charts.PALETTE["iran"])  # fmt: skip
    label = milex_label.replace("$", r"\$")  # a pair of "$" would start mathtext
    army.set_title(_wrap(f"Military spending, US\\$ bn ({label})"), loc="left")
    army.set_ylim(bottom=0)  # a level in dollars: its bar of comparison is zero
    shade, shaded = _rift_shade(breaks, rift)
    for ax in axes.flat:
        ax.axvspan(*shade, color="#eeeeee", zorder=0)
        charts.years_axis(ax, yearly["year"])
        mark_article(ax, published, yearly=True, label=ax is infl)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", wrap=True)
    out = charts.finish(
        army,
        title=army.get_title(loc="left"),
        ylabel="",
        sources=[
            "World Bank WDI FP.CPI.TOTL.ZG, PA.NUS.FCRF",
            "bonbast / TGJU open-market rates",
            "EIA international energy statistics",
            "EU crude oil import register",
            "SIPRI military expenditure database",
        ],  # fmt: skip
        note=f"shaded: {shaded}; red line: the article." + (f" {milex_note}" if milex_note else ""),
        data=yearly[
            [
                "year",
                "inflation",
                "irr_per_usd",
                "official_irr_per_usd",
                "exports_kbd",
                "eu_imports_kbd",
                "milex_usd_bn",
            ]
        ].rename(
            columns={"inflation": "inflation_pct", "irr_per_usd": "open_market_irr_per_usd"}
        ),  # fmt: skip
    )
    return out
