"""Shared chart styling for every report: one theme, one palette, event markers, captions.

Every chart in a report is titled, labelled with units, and sourced in a caption: use
:func:`finish` to do all three at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from analysis.report.wording import plain_words

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Colours by meaning, used across reports: Okabe-Ito, safe for the common colour-vision
#: deficiencies, with a distinct hue for each category a chart sets side by side.
PALETTE: dict[str, str] = {
    "open_market": "#d55e00",
    "official": "#0072b2",
    "nima": "#009e73",
    "brent": "#000000",
    "wti": "#999999",
    "iran": "#0072b2",
    "event": "#6f6f6f",
    "hamas": "#cc79a7",
    "aggregate": "#e69f00",
}

#: Further Okabe-Ito hues for charts with more categories than :data:`PALETTE` names, in the
#: order to use them (no two near-identical oranges side by side).
CATEGORY_COLOURS: tuple[str, ...] = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
)

#: Column of the processed ``events`` table whose value marks an event on time axes: an event
#: with a ``chart_label`` in the ledger (data/raw/ledgers/events.csv) is drawn with that label.
MARKER_COLUMN = "chart_label"

#: The default chart size, in inches. A chart's SVG is scaled to the column: 366 CSS px on a
#: 390 px phone, at most 100 mm high on A4. At 6 in wide, 11 pt text reads at 9-10 px on the phone
#: and prints at 9-11 pt.
FIGSIZE = (6.0, 3.8)
#: The report column on a 390 px phone (390 px minus report.css's 2 x 0.75rem padding).
PHONE_COLUMN_PX = 366
#: The smallest text of any chart, in CSS px, when its SVG is scaled to :data:`PHONE_COLUMN_PX`.
MIN_PHONE_PX = 9.0
#: The theme's text sizes, in points, for a chart :data:`FIGSIZE` wide.
TEXT_PT: dict[str, float] = {
    "font.size": 11,
    "axes.titlesize": 12.5,
    "axes.labelsize": 11,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "legend.title_fontsize": 11,
    "figure.titlesize": 12.5,
}
#: Caption (source line, event key) and event-number sizes, in points.
CAPTION_PT = 11
MARKER_PT = 11
#: The height of one row of event numbers above the plot, in points.
MARKER_ROW_PT = 1.35 * MARKER_PT

#: Fixed salt for the ids matplotlib writes into SVG files: the same chart, the same bytes.
SVG_HASHSALT = "analysis-report"

#: Publisher and series named in captions, by the ``source_id`` column of the processed tables.
PUBLISHERS: dict[str, str] = {
    "worldbank": "World Bank WDI",
    "datahub-inflation": "World Bank WDI",
    "datahub-gdp": "World Bank WDI",
    "datahub-cpi-us": "US BLS CPI-U",
    "eia-oil-prices": "US EIA spot prices",
    "eia-intl": "US EIA international energy statistics",
    "eu-coir": "European Commission crude oil imports register",
    "sipri": "SIPRI Military Expenditure Database",
    "imf-weo": "IMF World Economic Outlook",
    "energy-institute": "Energy Institute Statistical Review",
    "owid-oil-production": "Our World in Data",
    "bonbast": "bonbast.com open-market rates",
    "tgju": "TGJU.org",
    "iran-sci-cpi": "Statistical Centre of Iran",
    "signalmap": "signalmap compilation",
    "ledger": "the project's curated ledger",
}

#: Archives a publisher's series was read through, named after the series in captions.
VIA: dict[str, str] = {
    "datahub-inflation": "datahub.io",
    "datahub-gdp": "datahub.io",
    "datahub-cpi-us": "datahub.io",
}


#: The download name given to each figure shown so far in this kernel, by figure id.
_DATA_NAMES: dict[int, str] = {}


def set_theme(
    parameters: Mapping[str, object] | None = None, events: pd.DataFrame | None = None
) -> None:
    """Apply the report theme (call once at the top of a notebook): legible sizes, the palette,
    and charts shown as deterministic SVG whose alt text is the chart's title, each with its
    data attached for download (:mod:`analysis.report.downloads`); ``parameters`` (the
    report's) are written in words into those CSVs' headers (``events``, the processed events
    table, dates the events a parameter names)."""
    import matplotlib as mpl

    from analysis.report import downloads

    downloads.set_parameters(parameters, events)
    _DATA_NAMES.clear()
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook", palette=list(CATEGORY_COLOURS))
    mpl.rcParams.update(
        {
            "figure.figsize": FIGSIZE,
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.titleweight": "bold",
            "legend.frameon": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.family": "DejaVu Sans",
            "svg.hashsalt": SVG_HASHSALT,
            "svg.fonttype": "path",
        }
    )
    mpl.rcParams.update(TEXT_PT)  # type: ignore[arg-type]  # (rc keys are typed as literals)
    show_as_svg()


def figure_svg(fig: Figure) -> str:
    """The figure as SVG text: no date in the metadata, ids from :data:`SVG_HASHSALT`."""
    import io

    import matplotlib as mpl

    buffer = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": SVG_HASHSALT}):
        fig.savefig(
            buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None}
        )
    return buffer.getvalue()


def figure_title(fig: Figure) -> str:
    """The chart's finding-stating title: the figure's suptitle, else the first axes title."""
    from analysis.report.downloads import unescape

    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text():
        return unescape(str(suptitle.get_text()))
    titles = [ax.get_title(loc="left") or ax.get_title() for ax in fig.axes]
    return unescape(next((t for t in titles if t), "Chart"))


def _data_name(fig: Figure) -> str:
    from analysis.report.downloads import next_name

    if id(fig) not in _DATA_NAMES:
        _DATA_NAMES[id(fig)] = next_name("chart", figure_title(fig))
    return _DATA_NAMES[id(fig)]


def chart_data(fig: Figure) -> tuple[str, str]:
    """The download name and CSV text of the data behind ``fig``: the frame given to
    :func:`finish` as ``data``, else the series drawn (:func:`downloads.plotted_data`)."""
    from analysis.report.downloads import csv_text, plotted_data, publish

    frame = getattr(fig, "_report_data", None)
    if not isinstance(frame, pd.DataFrame):
        frame = plotted_data(fig)
    source = str(getattr(fig, "_report_source", "Source: see the report"))
    name = _data_name(fig)
    publish(name, frame)
    return name, csv_text(frame, title=figure_title(fig), source=source)


def min_text_pt(width_in: float) -> float:
    """The smallest text size (pt) that reads at :data:`MIN_PHONE_PX` when a chart
    ``width_in`` inches wide is scaled to the phone column."""
    return MIN_PHONE_PX * 72 * width_in / PHONE_COLUMN_PX


def _svg_with_alt(fig: Figure) -> tuple[str, dict[str, str]]:
    name, data = chart_data(fig)
    return figure_svg(fig), {"alt": figure_title(fig), "data_name": name, "data_csv": data}


def show_as_svg() -> None:
    """In a kernel, display matplotlib figures as SVG only (no PNG), with the title as alt text."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of the kernel
        return
    shell = get_ipython()
    if shell is None:
        return
    import matplotlib as mpl
    from matplotlib.figure import Figure

    if "inline" in str(mpl.rcParams["backend"]):
        # Importing the inline backend registers its PNG formatter: do it now, then replace it.
        import matplotlib_inline.backend_inline  # noqa: F401

    formatters = shell.display_formatter.formatters
    for mime in ("image/png", "image/jpeg", "application/pdf", "image/svg+xml"):
        formatters[mime].pop(Figure, None)
    formatters["image/svg+xml"].for_type(Figure, _svg_with_alt)
    from analysis.report.downloads import frame_html_with_download

    formatters["text/html"].for_type(pd.DataFrame, frame_html_with_download)


def source_line(frame: pd.DataFrame, series: str, *, time_column: str = "year") -> str:
    """The caption's source line from a frame's provenance: publisher (from ``source_id``),
    ``series`` and the latest data point, e.g. "World Bank WDI FP.CPI.TOTL.ZG, data to 2023"."""
    ids = list(dict.fromkeys(frame["source_id"].dropna().astype(str))) if len(frame) else []
    publishers = list(dict.fromkeys(PUBLISHERS.get(i, i) for i in ids)) or ["no data"]
    via = list(dict.fromkeys(VIA[i] for i in ids if i in VIA))
    latest = latest_point(frame, time_column)
    return (
        f"{' and '.join(publishers)} {series}"
        + (f" (via {', '.join(via)})" if via else "")
        + (f", data to {latest}" if latest else "")
    )


def latest_point(frame: pd.DataFrame, time_column: str = "year") -> str:
    """The latest data point of ``frame`` as text: a year, or a day for dated series."""
    if time_column not in frame or frame[time_column].dropna().empty:
        return ""
    value = frame[time_column].dropna().max()
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return str(int(value)) if isinstance(value, int | float) else str(value)


def key_events(
    events: pd.DataFrame, start_year: int | None = None, end_year: int | None = None
) -> pd.DataFrame:
    """The events to mark (``date``, ``label``): rows of the processed ``events`` table with a
    :data:`MARKER_COLUMN`, limited to a span of years, in date order."""
    marked = events[events[MARKER_COLUMN].notna()]
    frame = pd.DataFrame(
        {"date": pd.to_datetime(marked["event_date"]), "label": marked[MARKER_COLUMN]}
    )
    if start_year is not None:
        frame = frame[frame["date"].dt.year >= start_year]
    if end_year is not None:
        frame = frame[frame["date"].dt.year <= end_year]
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def events_note(marked: pd.DataFrame) -> str:
    """The key to the numbered event markers (from :func:`key_events`): "(1) 2015-07-14 JCPOA"."""
    items = [
        f"({number}) {row.date:%Y-%m-%d} {row.label}"
        for number, row in enumerate(marked.itertuples(index=False), start=1)
    ]
    return "Events: " + ("; ".join(items) if items else "no marked event in this span")


#: Two markers closer than this (fraction of the axes width) go on different rows of the strip.
MARKER_GAP = 0.05


def _event_x(date: pd.Timestamp, yearly: bool) -> float:
    if yearly:
        return float(date.year + (date.dayofyear - 1) / 365.25)
    import matplotlib.dates as mdates

    return float(mdates.date2num(date))


def marker_rows(positions: Sequence[float], gap: float = MARKER_GAP) -> list[int]:
    """The strip row of each marker (positions as fractions of the axes width, in order): a
    marker goes on the lowest row whose last marker is at least ``gap`` away, so no two
    numbers overlap."""
    last: list[float] = []
    rows = []
    for x in positions:
        row = next((i for i, prev in enumerate(last) if x - prev >= gap), len(last))
        if row == len(last):
            last.append(x)
        else:
            last[row] = x
        rows.append(row)
    return rows


def mark_events(
    ax: Axes,
    events: pd.DataFrame,
    *,
    yearly: bool = False,
    label: bool = True,
) -> Axes:
    """Draw a dashed vertical line at each event of ``events`` (``date``, ``label``: see
    :func:`key_events`) on a time axis, numbered in a strip above the plot (never over the
    data); :func:`events_note` writes the key under the chart with the same numbers.

    ``yearly=True`` for axes whose x values are years (ints): events are placed at
    year + day-of-year fraction.
    """
    lo, hi = ax.get_xlim()
    shown = [
        (number, _event_x(pd.Timestamp(str(row.date)), yearly))
        for number, row in enumerate(events.itertuples(index=False), start=1)
    ]
    shown = [(n, x) for n, x in shown if lo <= x <= hi]
    for _, x in shown:
        ax.axvline(x, color=PALETTE["event"], linestyle="--", linewidth=0.8, zorder=0)
    if label and shown:
        from matplotlib.transforms import blended_transform_factory

        transform = blended_transform_factory(ax.transData, ax.transAxes)
        fractions = [(x - lo) / (hi - lo) for _, x in shown]
        for (number, x), row in zip(shown, marker_rows(fractions), strict=True):
            ax.annotate(
                str(number),
                xy=(x, 1.0),
                xycoords=transform,
                xytext=(0, 2 + MARKER_ROW_PT * row),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=MARKER_PT,
                fontweight="bold",
                color=PALETTE["event"],
                annotation_clip=False,
            )
        ax._report_marker_rows = max(marker_rows(fractions)) + 1  # type: ignore[attr-defined]
    return ax


def finish(
    ax: Axes,
    *,
    title: str,
    ylabel: str,
    sources: Sequence[str] | str,
    xlabel: str = "",
    note: str | None = None,
    data: pd.DataFrame | None = None,
) -> Figure:
    """Title (the finding), axis labels with units, and a caption under the figure: the source
    line (see :func:`source_line`) and an optional note, such as :func:`events_note`'s key.

    ``data``: the frame behind the chart, published as its CSV (default: the series drawn).
    """
    rows = int(getattr(ax, "_report_marker_rows", 0))
    ax.set_title(title, loc="left", pad=6 + MARKER_ROW_PT * rows)
    ax.set_ylabel(ylabel)
    ax.set_xlabel(xlabel)
    text = "Source: " + (sources if isinstance(sources, str) else "; ".join(sources))
    if note:
        text += "\n" + (note if note.startswith("Events:") else f"Note: {note}")
    fig = ax.figure
    fig._report_source = text  # type: ignore[union-attr]
    if data is not None:
        fig._report_data = data  # type: ignore[union-attr]
    fig.text(
        0.01, -0.01, text, fontsize=CAPTION_PT, color="#444444", ha="left", va="top", wrap=True
    )
    if hasattr(fig, "tight_layout"):
        fig.tight_layout()
    return fig  # type: ignore[return-value]


def years_axis(ax: Axes, years: Iterable[int]) -> Axes:
    """Integer year ticks, no thousands separators."""
    from matplotlib.ticker import MaxNLocator

    years = list(years)
    if years:
        ax.set_xlim(min(years) - 0.5, max(years) + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return ax


def proper_label(code: str) -> str:
    """A code as a legend label: ``"us_government"`` -> ``"US government"``,
    ``"hamas"`` -> ``"Hamas"``, ``"open_market"`` -> ``"Open market"``."""
    words = plain_words(str(code).replace("-", " "))
    return words[:1].upper() + words[1:]


#: The gap between the x tick labels and a legend under the plot, in inches.
LEGEND_GAP_IN = 0.42
#: A legend label under the plot is wrapped at this many characters (the theme's width).
LEGEND_LABEL_CHARS = 52


def legend_below(ax: Axes) -> Axes:
    """The axes' legend under its plot, below the year ticks, one entry a line at the theme's
    size, labels wrapped at :data:`LEGEND_LABEL_CHARS`: long labels never cover the data or
    widen the chart, and the figure's caption follows it."""
    import textwrap

    from matplotlib.transforms import ScaledTranslation

    handles, labels = ax.get_legend_handles_labels()
    below = ax.transAxes + ScaledTranslation(0, -LEGEND_GAP_IN, ax.figure.dpi_scale_trans)
    ax.legend(handles, [textwrap.fill(label, LEGEND_LABEL_CHARS) for label in labels],
              loc="upper left", bbox_to_anchor=(0, 0), bbox_transform=below, borderaxespad=0,
              frameon=False)  # fmt: skip
    return ax
