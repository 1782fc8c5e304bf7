"""The data behind each chart, as a CSV a reader can download.

Every figure a report shows is displayed through :func:`analysis.report.charts.show_as_svg`,
which attaches the chart's data to the output's metadata (``data_csv``, ``data_name``): the
frame given to :func:`analysis.report.charts.finish` with ``data=``, else the series drawn on
the chart (each line's and bar set's x and y values). The report template puts a "Download
the data" link under the chart, and the exporter writes the file beside the report
(``reports/<run>/data/<name>.csv``). The CSV starts with ``#`` comment lines naming the
chart, its sources and the report's parameters. Text cells that a spreadsheet would read as a
formula (``= + - @``) are prefixed with ``'`` (OWASP's CSV-injection advice).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    """The CSV of ``frame`` with a header of ``#`` lines: title, source, parameters."""
    params = "; ".join(f"{k} = {v!r}" for k, v in (parameters or {}).items()) or "none recorded"
    header = [f"# {title}", f"# {source}", f"# report parameters: {params}"]
    body = defuse(frame).to_csv(index=False, lineterminator="\n")
    return "\n".join(line.replace("\n", " ") for line in header) + "\n" + body


def plotted_data(fig: Figure) -> pd.DataFrame:
    """The series drawn on ``fig`` in long form (panel, series, x, y): each line's points and
    each bar set's bars, labelled by their legend label (or panel title)."""
    import matplotlib.dates as mdates
    from matplotlib.container import BarContainer

    rows: list[dict[str, object]] = []
    for number, ax in enumerate(fig.axes, start=1):
        panel = ax.get_title(loc="left") or ax.get_title() or f"panel {number}"
        dated = isinstance(
            ax.xaxis.get_major_formatter(), mdates.AutoDateFormatter | mdates.ConciseDateFormatter
        )
        for line in ax.get_lines():
            label = str(line.get_label())
            if label.startswith("_"):
                continue  # event markers and helper lines
            xs, ys = list(np.asarray(line.get_xdata())), list(np.asarray(line.get_ydata()))
            for x, y in zip(xs, ys, strict=False):
                rows.append({"panel": panel, "series": label, "x": x, "y": y})
        for container in ax.containers:
            if not isinstance(container, BarContainer):
                continue
            label = str(container.get_label())
            label = panel if label.startswith("_") else label
            for bar in container.patches:
                x = bar.get_x() + bar.get_width() / 2
                rows.append({"panel": panel, "series": label, "x": x, "y": bar.get_height()})
        if dated:
            for row in rows:
                if row["panel"] == panel and isinstance(row["x"], float | int):
                    row["x"] = mdates.num2date(float(row["x"])).date().isoformat()
    frame = pd.DataFrame(rows, columns=["panel", "series", "x", "y"])
    whole = pd.to_numeric(frame["x"], errors="coerce")
    if whole.notna().all() and (whole.round(6) % 1 == 0).all():
        frame["x"] = whole.round().astype(int)
    return frame
