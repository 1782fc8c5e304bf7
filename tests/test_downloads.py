"""Every chart and table publishes the data it draws as a CSV, linked under it.

On SYNTHETIC tables (``synthetic_processed``): each chart of the four reports registers the frame
it draws, and every value drawn (lines, bars, dots) is a value of that CSV; each table's CSV has
its rows. Over a built report folder: every chart and table is followed by its "Download the
data" link, the file is beside the report and not empty, and a table's CSV has as many rows as
the table shows. The real build is checked when ``reports/`` holds one.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
import synthetic_processed as syn

from analysis import config
from analysis.finance import annual_rates
from analysis.report import charts, downloads, finance_story, finances, funding, rapprochement
from analysis.report.finance_charts import fdi_chart, inflation_chart
from analysis.report.html import html_table

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402


def load(name: str) -> pd.DataFrame:
    return syn.TABLES[name]()


def csv_frame(text: str) -> pd.DataFrame:
    """A downloaded CSV without its ``#`` header lines."""
    body = "".join(line for line in io.StringIO(text) if not line.startswith("#"))
    return pd.read_csv(io.StringIO(body))


def _numbers(frame: pd.DataFrame) -> np.ndarray:
    values = [pd.to_numeric(frame[c], errors="coerce") for c in frame.columns]
    flat = pd.concat(values, ignore_index=True) if values else pd.Series(dtype=float)
    return flat.dropna().to_numpy(dtype=float)


def _categorical_panels(fig: object) -> set[str]:
    """The panels whose y axis names categories (a strip or lanes), not values: their tick
    labels hold no digit."""
    fig.canvas.draw()  # type: ignore[attr-defined]
    panels = set()
    for ax in fig.axes:  # type: ignore[attr-defined]
        labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
        if labels and not any(re.search(r"\d", t) for t in labels):
            panels.add(downloads.unescape(ax.get_title(loc="left") or ax.get_title()))
    return panels


def drawn_values_missing(fig: object, frame: pd.DataFrame) -> list[str]:
    """The values drawn on ``fig`` (each line's, bar's and dot's y) that its CSV lacks."""
    drawn = downloads.plotted_data(fig)  # type: ignore[arg-type]
    published = _numbers(frame)
    categorical = _categorical_panels(fig)
    missing = []
    for row in drawn.itertuples(index=False):
        y = float(row.y) if pd.notna(row.y) else float("nan")
        if not np.isfinite(y) or str(row.panel) in categorical:
            continue
        if not np.isclose(published, y, rtol=1e-9, atol=1e-12).any():
            missing.append(f"{row.panel} / {row.series}: {y}")
    return missing


def _rapprochement_figures() -> dict[str, Callable[[], object]]:
    r = rapprochement.make(
        load, start_year=2000, end_year=2024, min_grade="think_tank_academic", statuses=[]
    )
    return {
        "money": lambda: rapprochement.money_figure(r),
        "timeline": lambda: rapprochement.timeline_figure(r),
        "squeeze": lambda: rapprochement.squeeze_figure(r),
        "capacity": lambda: rapprochement.capacity_figure(r),
        "palestine": lambda: rapprochement.palestine_figure(r),
    }


def _funding_figures(scope: str) -> dict[str, Callable[[], object]]:
    r = funding.make(load, recipient_scope=scope, start_year=1990, end_year=2025)
    return {
        f"{scope} timeline": lambda: funding.timeline_figure(r),
        f"{scope} by period": lambda: funding.by_period_figure(r),
    }


def _finance_figures() -> dict[str, Callable[[], object]]:
    ind, fx, oil_prices = load("indicators"), load("fx_rates"), load("oil_prices")
    span = {"start_year": 2000, "end_year": 2024}
    events = charts.key_events(load("events"), 2000, 2024)
    annual = annual_rates(fx, ind)
    milex = finance_story.military_in_constant_dollars(
        ind, annual, load("us_cpi"), rate_type="open_market", base_year=2024, **span
    )
    return {
        "inflation": lambda: inflation_chart(
            finances.series(ind, finances.INFLATION, **span), events
        ),
        "rates": lambda: finance_story.rate_chart(
            fx, ind, events, fx_rate_type="open_market", **span
        ),
        "oil": lambda: finance_story.oil_chart(
            finances.oil(oil_prices, ind, **span), oil_prices, ind, events, **span
        ),
        "exports": lambda: finance_story.exports_chart(
            finances.crude_exports(ind, load("oil_trade"), **span), events
        ),
        "military": lambda: finance_story.military_chart(
            milex, events, fx_rate_type="open_market", base_year=2024
        ),
        "fdi": lambda: fdi_chart(finances.fdi(ind, **span), ind, events),
    }


FIGURES: dict[str, Callable[[], dict[str, Callable[[], object]]]] = {
    "rapprochement": _rapprochement_figures,
    "hamas only": lambda: _funding_figures("hamas_only"),
    "including aggregates": lambda: _funding_figures("including_aggregates"),
    "iran_finances": _finance_figures,
}


@pytest.mark.parametrize("report", list(FIGURES))
def test_every_chart_publishes_the_frame_it_draws_and_every_value_drawn_is_in_it(
    report: str,
) -> None:
    charts.set_theme({"start_year": 2000, "end_year": 2024})
    for name, draw in FIGURES[report]().items():
        fig = draw()
        try:
            assert isinstance(getattr(fig, "_report_data", None), pd.DataFrame), (
                f"{report} {name}: the chart does not pass the frame it draws to charts.finish"
            )
            _, text = charts.chart_data(fig)  # type: ignore[arg-type]
            frame = csv_frame(text)
            assert len(frame) > 0, f"{report} {name}: empty CSV"
            assert drawn_values_missing(fig, frame) == [], f"{report} {name}"
        finally:
            plt.close(fig)  # type: ignore[arg-type]


def test_the_drawn_values_check_catches_a_frame_that_lacks_them() -> None:
    """Guards the test above: a chart whose frame misses a drawn line is reported."""
    charts.set_theme()
    fig, ax = plt.subplots()
    ax.plot([2000, 2001], [1.5, 2.5])
    ax.bar([2000, 2001], [7.0, 8.0])
    ax.axvline(2000.5)  # an event marker: not data
    try:
        assert downloads.plotted_data(fig)["y"].tolist() == [1.5, 2.5, 7.0, 8.0]
        partial = pd.DataFrame({"year": [2000, 2001], "bars": [7.0, 8.0]})
        assert drawn_values_missing(fig, partial) == [
            "panel 1 / panel 1: 1.5",
            "panel 1 / panel 1: 2.5",
        ]
    finally:
        plt.close(fig)


def test_csv_header_states_title_without_mathtext_escape_and_settings_in_words() -> None:
    events = pd.DataFrame(
        {"event_id": ["E1", "E2"], "event_date": pd.to_datetime(["2012-02-24", "2017-08-28"])}
    )
    charts.set_theme(
        {
            "start_year": 2000,
            "end_year": 2024,
            "break_event": "E1",
            "return_event": "E2",
            "min_grade": "think_tank_academic",
            "recipient_scope": "hamas_only",
            "fx_rate_type": "open_market",
        },
        events,
    )
    fig, ax = plt.subplots()
    ax.plot([2000, 2001], [1.0, 2.0])
    charts.finish(ax, title=r"From \$4m to \$1.95bn a year", ylabel="", sources="synthetic")
    try:
        name, text = charts.chart_data(fig)
    finally:
        plt.close(fig)
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert header[0] == "# From $4m to $1.95bn a year" and "\\$" not in text
    assert name == "chart-1-from-4m-to-1-95bn-a-year"
    settings = header[2]
    assert "none recorded" not in settings
    for words in (
        "years 2000–2024",
        "the rift dated February 2012 to August 2017",
        "graded think tank or academic or better",
        "statements about Hamas only",
        "open-market rate",
    ):
        assert words in settings
    assert "fx_rate_type" not in settings and "E1" not in settings


def test_every_table_links_its_rows_as_csv_and_is_counted_as_published() -> None:
    charts.set_theme()
    frame = pd.DataFrame({"date": ["2018-05-08", "2019-11-30"], "value": [1.0, -2.0]})
    page = html_table(frame, caption="Synthetic values")
    link = re.search(r'download="([^"]+)" href="data:text/csv;charset=utf-8;base64,([^"]+)"', page)
    assert link is not None and link.group(1) == "table-1-synthetic-values.csv"
    text = base64.b64decode(link.group(2)).decode()
    assert csv_frame(text).to_dict("list") == {
        "date": ["2018-05-08", "2019-11-30"],
        "value": [1.0, -2.0],
    }
    assert "Download the data" in page
    assert downloads.latest_shown() == "November 2019"


def test_latest_shown_compares_years_and_dates() -> None:
    frames = {
        "a": pd.DataFrame({"year": [2021, 2023], "value": [1, 2]}),
        "b": pd.DataFrame({"month": pd.to_datetime(["2023-03-01", "2023-05-01"])}),
        "c": pd.DataFrame({"label": ["no time column"]}),
    }
    assert downloads.latest_shown(frames) == "2023"  # the year 2023 runs to December
    assert downloads.latest_shown({"b": frames["b"]}) == "May 2023"
    assert downloads.latest_shown({"c": frames["c"]}) is None


# --- a built report folder ---------------------------------------------------------------------

#: A chart or a table in report HTML, and a data link.
_DRAWN = re.compile(r'<img class="chart"|<table class="(?:report-table|dataframe)[^"]*"')
_LINK = re.compile(r'<a class="data-link" download="[^"]+" href="([^"]+)"')


def folder_problems(folder: Path) -> list[str]:
    """What is wrong with the downloads of one built report folder (empty: nothing)."""
    page = next(folder.glob("*.html")).read_text(encoding="utf-8")
    drawn = [m.start() for m in _DRAWN.finditer(page)]
    problems = []
    for number, start in enumerate(drawn):
        end = drawn[number + 1] if number + 1 < len(drawn) else len(page)
        link = _LINK.search(page, start, end)
        what = page[start : start + 40]
        if link is None:
            problems.append(f"{folder.name}: no data link after {what!r}")
            continue
        path = folder / link.group(1)
        if not path.is_file():
            problems.append(f"{folder.name}: {link.group(1)} is not beside the report")
            continue
        frame = csv_frame(path.read_text(encoding="utf-8"))
        if frame.empty:
            problems.append(f"{folder.name}: {link.group(1)} has no row")
        if what.startswith("<table"):
            body = page[start:end].split("</table>", 1)[0].split("<tbody>", 1)[-1]
            shown = len(re.findall(r"<tr(?![^>]*class=\"detail\")[\s>]", body))
            if shown != len(frame):
                problems.append(f"{folder.name}: {link.group(1)} has {len(frame)} rows, the "
                                f"table shows {shown}")  # fmt: skip
    return problems


def test_the_folder_check_catches_a_missing_link_an_empty_file_and_a_short_table(
    tmp_path: Path,
) -> None:
    (tmp_path / "r" / "data").mkdir(parents=True)
    (tmp_path / "r" / "data" / "chart-1-x.csv").write_text("# x\n# source\n# settings\na,b\n")
    (tmp_path / "r" / "data" / "table-1-t.csv").write_text("# t\na\n1\n")
    (tmp_path / "r" / "r.html").write_text(
        '<img class="chart" src="x"><p><a class="data-link" download="chart-1-x.csv" '
        'href="data/chart-1-x.csv">Download</a></p>'
        '<table class="report-table"><tbody><tr><td>1</td></tr><tr><td>2</td></tr></tbody>'
        '</table><a class="data-link" download="table-1-t.csv" href="data/table-1-t.csv">D</a>'
        '<img class="chart" src="y">'
    )
    assert folder_problems(tmp_path / "r") == [
        "r: data/chart-1-x.csv has no row",
        "r: data/table-1-t.csv has 1 rows, the table shows 2",
        'r: no data link after \'<img class="chart" src="y">\'',
    ]


def _built_folders() -> list[Path]:
    reports = config.paths().reports
    return sorted(p.parent for p in reports.glob("*/build.json")) if reports.is_dir() else []


@pytest.mark.parametrize("folder", _built_folders(), ids=lambda p: p.name)
def test_every_chart_and_table_of_the_built_reports_has_its_data_beside_it(folder: Path) -> None:
    assert folder_problems(folder) == []
