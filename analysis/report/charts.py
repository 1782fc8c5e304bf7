"""Shared chart styling for every report: one theme, one palette, event markers, captions.

Every chart in a report is titled, labelled with units, and sourced in a caption: use
:func:`finish` to do all three at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Colours by meaning, used across reports (colour-blind safe: seaborn "colorblind").
PALETTE: dict[str, str] = {
    "open_market": "#d55e00",
    "official": "#0072b2",
    "nima": "#009e73",
    "brent": "#000000",
    "wti": "#999999",
    "iran": "#0072b2",
    "event": "#7f7f7f",
    "hamas": "#cc79a7",
    "aggregate": "#e69f00",
}

#: Column of the processed ``events`` table whose value marks an event on time axes: an event
#: with a ``chart_label`` in the ledger (data/raw/ledgers/events.csv) is drawn with that label.
MARKER_COLUMN = "chart_label"

FIGSIZE = (9.0, 4.2)


def set_theme() -> None:
    """Apply the report theme (call once at the top of a notebook)."""
    import matplotlib as mpl
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook", palette="colorblind")
    mpl.rcParams.update(
        {
            "figure.figsize": FIGSIZE,
            "figure.dpi": 110,
            "savefig.dpi": 110,
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.family": "DejaVu Sans",
        }
    )


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
    """A caption line naming each marked event and its date (from :func:`key_events`)."""
    items = [f"{row.date:%Y-%m-%d} {row.label}" for row in marked.itertuples(index=False)]
    return "dashed lines: " + ("; ".join(items) if items else "no marked event in this span")


def mark_events(
    ax: Axes,
    events: pd.DataFrame,
    *,
    yearly: bool = False,
    label: bool = True,
) -> Axes:
    """Draw a dashed vertical line (and a label) at each event of ``events`` (``date``,
    ``label``: see :func:`key_events`) on a time axis.

    ``yearly=True`` for axes whose x values are years (ints): events are placed at
    year + day-of-year fraction.
    """
    lo, hi = ax.get_xlim()
    ymax = ax.get_ylim()[1]
    for row in events.itertuples(index=False):
        date = pd.Timestamp(str(row.date))
        if yearly:
            x: float = date.year + (date.dayofyear - 1) / 365.25
        else:
            import matplotlib.dates as mdates

            x = float(mdates.date2num(date))
        if not lo <= x <= hi:
            continue
        ax.axvline(x, color=PALETTE["event"], linestyle="--", linewidth=0.8, zorder=0)
        if label:
            ax.text(
                x,
                ymax,
                f" {row.label}",
                rotation=90,
                va="top",
                ha="right",
                fontsize=7,
                color=PALETTE["event"],
            )
    return ax


def finish(
    ax: Axes,
    *,
    title: str,
    ylabel: str,
    sources: Sequence[str] | str,
    xlabel: str = "",
    note: str | None = None,
) -> Figure:
    """Title, axis labels with units, and a source caption under the figure."""
    ax.set_title(title, loc="left")
    ax.set_ylabel(ylabel)
    ax.set_xlabel(xlabel)
    text = "Source: " + (sources if isinstance(sources, str) else "; ".join(sources))
    if note:
        text += f"\nNote: {note}"
    fig = ax.figure
    fig.text(0.01, -0.02, text, fontsize=7.5, color="#555555", ha="left", va="top", wrap=True)
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
