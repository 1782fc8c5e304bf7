"""The data behind each chart and table, as a CSV a reader can download.

Every figure a report shows is displayed through :func:`analysis.report.charts.show_as_svg`,
which attaches the chart's data to the output's metadata (``data_csv``, ``data_name``): the
frame given to :func:`analysis.report.charts.finish` with ``data=`` (each chart function passes
the frame it draws), else every series drawn on the chart (:func:`plotted_data`). Every table
drawn with :func:`analysis.report.html.html_table`, and every data frame a notebook displays,
carries the same link (:func:`download_link`). The report template puts "Download the data"
under the chart or table, and the exporter writes the file beside the report
(``reports/<run>/data/<name>.csv``).

The CSV starts with ``#`` comment lines: the chart's or table's title, its sources and the
report's parameters in words (:mod:`analysis.report.wording`). Text cells that a spreadsheet
would read as a formula (``= + - @``) are prefixed with ``'`` (OWASP's CSV-injection advice).

The module also keeps, for the appendix, every frame published in this kernel
(:func:`published`), so the report can state the date of the latest data it shows
(:func:`latest_shown`).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: The link text under every chart and table.
LINK_TEXT = "Download the data (CSV)"
#: The prefix of an embedded CSV link (the exporter turns each into a file in ``data/``).
CSV_URI_PREFIX = "data:text/csv;charset=utf-8;base64,"

#: The report's parameters (set once per kernel by :func:`set_parameters`).
_PARAMETERS: dict[str, object] = {}
#: The same in words (computed once, with the events table when given).
_WORDS: list[str] = []
#: Every frame published so far in this kernel, by download name, in order.
_PUBLISHED: dict[str, pd.DataFrame] = {}
#: How many names of each kind ("chart", "table") were given so far.
_COUNTS: dict[str, int] = {}
#: The events table given with the parameters (dates the events a parameter names).
_EVENTS: list[pd.DataFrame] = []


def set_parameters(
    parameters: Mapping[str, object] | None, events: pd.DataFrame | None = None
) -> None:
    """Record the report's parameters (written, in words, into every CSV's header) and start a
    new report: names and the published frames begin again."""
    from analysis.report.wording import parameter_phrases

    _PARAMETERS.clear()
    _PARAMETERS.update(parameters or {})
    _WORDS[:] = parameter_phrases(_PARAMETERS, events)
    _EVENTS[:] = [] if events is None else [events]
    _PUBLISHED.clear()
    _COUNTS.clear()


def parameters() -> dict[str, object]:
    """The parameters recorded by :func:`set_parameters` (a copy)."""
    return dict(_PARAMETERS)


def events() -> pd.DataFrame | None:
    """The events table given to :func:`set_parameters`, if any."""
    return _EVENTS[0] if _EVENTS else None


def next_name(kind: str, title: str) -> str:
    """A new download name in this report: ``chart-3-rial-per-us`` or ``table-2-the-two-...``."""
    _COUNTS[kind] = _COUNTS.get(kind, 0) + 1
    return f"{kind}-{_COUNTS[kind]}-{slug(unescape(title))}"


def unescape(text: str) -> str:
    """A chart title as a reader sees it: ``\\$`` (escaped from matplotlib's mathtext) as ``$``."""
    return text.replace("\\$", "$")


def slug(text: str, limit: int = 48) -> str:
    """A file-name-safe lower-case slug of ``text`` ("Rial per US$, 2018" -> "rial-per-us-2018")."""
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (words[:limit].rstrip("-")) or "chart"


def defuse(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells a spreadsheet would run as formulas, prefixed with ``'``."""

    def cell(value: object) -> object:
        return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value

    text = [
        c
        for c in frame.columns
        if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])
    ]
    return frame.assign(**{str(c): frame[c].map(cell) for c in text}) if text else frame


def csv_text(
    frame: pd.DataFrame,
    *,
    title: str,
    source: str,
    parameters: Mapping[str, object] | None = None,
) -> str:
    """The CSV of ``frame`` with a header of ``#`` lines: title, source, the report's
    parameters in words (``parameters``, else those of :func:`set_parameters`)."""
    from analysis.report.wording import parameter_phrases

    words = parameter_phrases(parameters) if parameters is not None else _WORDS
    header = [
        f"# {unescape(title)}",
        f"# {unescape(source)}",
        "# Report settings: " + ("; ".join(words) or "the report's defaults"),
    ]
    body = defuse(frame).to_csv(index=False, lineterminator="\n")
    return "\n".join(line.replace("\n", " ") for line in header) + "\n" + body


def publish(name: str, frame: pd.DataFrame) -> None:
    """Keep ``frame`` as published under ``name`` (for :func:`latest_shown`)."""
    _PUBLISHED[name] = frame


def published() -> dict[str, pd.DataFrame]:
    """The frames published so far in this report, by download name."""
    return dict(_PUBLISHED)


def download_link(name: str, text: str) -> str:
    """The "Download the data" paragraph for CSV ``text`` (embedded; the exporter writes it to
    ``data/<name>.csv`` and links that file)."""
    from analysis.report.html import escape

    uri = CSV_URI_PREFIX + base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (
        f'<p class="download"><a class="data-link" download="{escape(name)}.csv" '
        f'href="{uri}">{LINK_TEXT}</a></p>'
    )


def table_download(frame: pd.DataFrame, caption: str | None, source: str | None = None) -> str:
    """The download link of a table: ``frame`` (the rows and columns shown) as CSV, named and
    titled after its caption, and kept as published."""
    title = caption or "Table"
    name = next_name("table", title)
    publish(name, frame)
    text = csv_text(frame, title=title, source=source or "Source: see the report's sources")
    return download_link(name, text)


def frame_html_with_download(frame: pd.DataFrame) -> str:
    """A data frame a notebook displays (pandas' own table) with its download link."""
    shown = frame.reset_index() if _named_index(frame) else frame
    return frame.to_html() + table_download(shown, None)


def _named_index(frame: pd.DataFrame) -> bool:
    return any(name is not None for name in frame.index.names)


#: Column names read as a time (a year, or a date) by :func:`latest_shown`.
YEAR_COLUMNS = re.compile(r"^(year|.*_year)$")
DATE_COLUMNS = re.compile(r"(^|_)(date|month|day)($|_)")


def _latest(frame: pd.DataFrame) -> tuple[pd.Timestamp, str] | None:
    """The latest time in ``frame``: as a timestamp to compare and as text ("2024", "May 2024")."""
    found: list[tuple[pd.Timestamp, str]] = []
    for column in frame.columns:
        name, values = str(column), frame[column]
        if pd.api.types.is_datetime64_any_dtype(values) or DATE_COLUMNS.search(name):
            when = pd.to_datetime(values, errors="coerce", format="mixed").dropna()
            if not when.empty:
                latest = when.max()
                found.append((latest, f"{latest:%B %Y}"))
        elif YEAR_COLUMNS.match(name):
            years = pd.to_numeric(values, errors="coerce").dropna()
            years = years[(years > 1000) & (years < 3000)]
            if not years.empty:
                year = int(years.max())
                found.append((pd.Timestamp(year=year, month=12, day=31), str(year)))
    return max(found, default=None, key=lambda item: item[0])


def latest_shown(frames: Mapping[str, pd.DataFrame] | None = None) -> str | None:
    """The date of the latest data among the charts and tables published (:func:`published`):
    a year ("2024") or a month ("November 2024"); None when none has a time column."""
    candidates = [
        found
        for frame in (published() if frames is None else frames).values()
        if (found := _latest(frame)) is not None
    ]
    return max(candidates, key=lambda item: item[0])[1] if candidates else None


def plotted_data(fig: Figure) -> pd.DataFrame:
    """Every series drawn on ``fig`` in long form (panel, series, x, y): each line's points
    (event markers and reference lines spanning the axes excepted), each scatter's points and
    each bar set's bars (x, top), labelled by their legend label (else the panel's title)."""
    import matplotlib.dates as mdates
    from matplotlib.collections import PathCollection
    from matplotlib.container import BarContainer

    rows: list[dict[str, object]] = []
    for number, ax in enumerate(fig.axes, start=1):
        panel = unescape(ax.get_title(loc="left") or ax.get_title() or f"panel {number}")
        dated = isinstance(
            ax.xaxis.get_major_formatter(), mdates.AutoDateFormatter | mdates.ConciseDateFormatter
        )
        start = len(rows)

        def name(label: object, panel: str = panel) -> str:
            text = str(label)
            return panel if text.startswith("_") else unescape(text)

        for line in ax.get_lines():
            if _spans_axes(line):
                continue  # event markers, zero lines, the article's date
            xs, ys = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
            for x, y in zip(list(xs), list(ys), strict=False):
                rows.append({"panel": panel, "series": name(line.get_label()), "x": x, "y": y})
        for collection in ax.collections:
            if isinstance(collection, PathCollection):
                for x, y in np.asarray(collection.get_offsets()):
                    rows.append(
                        {"panel": panel, "series": name(collection.get_label()), "x": x, "y": y}
                    )
        for container in ax.containers:
            if not isinstance(container, BarContainer):
                continue
            for bar in container.patches:
                x = bar.get_x() + bar.get_width() / 2
                top = bar.get_y() + bar.get_height()
                rows.append({"panel": panel, "series": name(container.get_label()), "x": x,
                             "y": top})  # fmt: skip
        if dated:
            for row in rows[start:]:
                if isinstance(row["x"], float | int | np.floating | np.integer):
                    row["x"] = mdates.num2date(float(row["x"])).date().isoformat()
    frame = pd.DataFrame(rows, columns=["panel", "series", "x", "y"])
    whole = pd.to_numeric(frame["x"], errors="coerce")
    if len(frame) and whole.notna().all() and (whole.round(6) % 1 == 0).all():
        frame["x"] = whole.round().astype(int)
    return frame


def _spans_axes(line: object) -> bool:
    """True for ``axvline``/``axhline`` lines (drawn in axes coordinates on one side)."""
    transform = line.get_transform()  # type: ignore[attr-defined]
    axes = line.axes  # type: ignore[attr-defined]
    return axes is not None and transform != axes.transData
