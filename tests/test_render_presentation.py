"""What readers see: SVG charts with their title as alt text, numbered event markers that never
overlap, source captions from provenance, and a clear message when the PDF step's system
libraries are missing (all on synthetic figures, notebooks and frames)."""

from __future__ import annotations

import base64
import re
import sys
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from analysis.render import system_check  # noqa: E402
from analysis.render.export import Exporter  # noqa: E402
from analysis.report import charts  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _chart(title: str = "Synthetic prices doubled in year 3") -> plt.Figure:
    charts.set_theme()
    fig, ax = plt.subplots()
    ax.plot([2001, 2002, 2003], [1.0, 1.5, 2.0])
    charts.years_axis(ax, [2001, 2002, 2003])
    events = pd.DataFrame(
        {"date": pd.to_datetime(["2002-01-01", "2002-02-01"]), "label": ["A", "B"]}
    )
    charts.mark_events(ax, events, yearly=True)
    charts.finish(ax, title=title, ylabel="units", sources="synthetic", note="n")
    return fig


def test_figure_svg_is_deterministic_and_undated() -> None:
    first = charts.figure_svg(_chart())
    second = charts.figure_svg(_chart())
    plt.close("all")
    assert first == second
    assert "<dc:date>" not in first
    assert first.lstrip().startswith("<?xml")


def test_figure_title_is_the_alt_text() -> None:
    fig = _chart("Synthetic finding stated as a title")
    svg, meta = charts._svg_with_alt(fig)
    plt.close(fig)
    assert meta["alt"] == "Synthetic finding stated as a title"
    assert meta["data_name"].startswith("chart-") and meta["data_csv"].startswith("# Synthetic")
    assert "panel,series,x,y" in meta["data_csv"]  # the series drawn, when no frame is given
    assert "<svg" in svg


@pytest.mark.parametrize(
    ("positions", "rows"),
    [
        ([0.1, 0.12, 0.5], [0, 1, 0]),
        ([0.1, 0.11, 0.12, 0.9], [0, 1, 2, 0]),
        ([0.1, 0.3, 0.5], [0, 0, 0]),
    ],
)
def test_close_event_markers_go_on_different_rows(positions: list[float], rows: list[int]) -> None:
    assert charts.marker_rows(positions, gap=0.035) == rows


def test_event_numbers_sit_above_the_plot_not_on_the_data() -> None:
    fig = _chart()
    ax = fig.axes[0]
    numbers = [t for t in ax.texts if t.get_text() in {"1", "2"}]
    plt.close(fig)
    assert len(numbers) == 2
    assert all(t.get_position()[1] > 1.0 for t in numbers)  # axes fraction: above the plot
    assert numbers[0].get_position()[1] != numbers[1].get_position()[1]  # a month apart


def test_events_note_numbers_match_the_markers() -> None:
    events = pd.DataFrame(
        {"date": pd.to_datetime(["2015-07-14", "2018-05-08"]), "label": ["X", "Y"]}
    )
    assert charts.events_note(events) == "Events: (1) 2015-07-14 X; (2) 2018-05-08 Y"


def test_source_line_names_publisher_series_and_latest_point() -> None:
    frame = pd.DataFrame({"year": [2020, 2023, 2021], "source_id": ["worldbank"] * 3})
    assert charts.source_line(frame, "FP.CPI.TOTL.ZG") == (
        "World Bank WDI FP.CPI.TOTL.ZG, data to 2023"
    )
    daily = pd.DataFrame(
        {"date": pd.to_datetime(["2024-01-02", "2024-03-05"]), "source_id": ["tgju", "bonbast"]}
    )
    assert charts.source_line(daily, "US$ rates", time_column="date") == (
        "TGJU.org and bonbast.com open-market rates US$ rates, data to 2024-03-05"
    )


@pytest.mark.parametrize(
    ("code", "label"),
    [("us_government", "US government"), ("hamas", "Hamas"), ("open_market", "Open market")],
)
def test_proper_label(code: str, label: str) -> None:
    assert charts.proper_label(code) == label


def test_svg_chart_is_an_img_with_alt_text_in_the_report_html() -> None:
    svg = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Synthetic SVG report"),
            new_code_cell(
                "fig",
                execution_count=1,
                outputs=[
                    new_output(
                        "display_data",
                        data={"image/svg+xml": svg, "text/plain": "<Figure>"},
                        metadata={"image/svg+xml": {"alt": "Synthetic finding"}},
                    )
                ],
            ),
        ]
    )
    html = Exporter().html(nb)
    images = re.findall(
        r'<img class="chart" src="data:image/svg\+xml;base64,([^"]+)"\s+alt="([^"]*)"', html
    )
    assert len(images) == 1
    assert base64.b64decode(images[0][0]).decode() == svg
    assert images[0][1] == "Synthetic finding"
    assert "<script" not in html


def test_system_check_names_every_platforms_install_line_when_pango_is_hidden(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def hidden(name: str) -> object:
        raise OSError(f"cannot load {name}")

    assert system_check.main(hidden) == system_check.EXIT_MISSING
    message = capsys.readouterr().err
    assert "pango, pangoft2" in message
    for platform in ("Debian/Ubuntu", "Fedora", "macOS"):
        assert platform in message
    assert "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0" in message


def test_system_check_passes_when_the_libraries_load() -> None:
    assert system_check.missing_libraries(lambda name: object()) == []


def test_pdf_export_without_pango_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis.render import pdf_exporter

    class HideWeasyPrint:
        def find_spec(self, name: str, path: object = None, target: object = None) -> None:
            if name == "weasyprint":
                raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [HideWeasyPrint(), *sys.meta_path])
    monkeypatch.setattr(system_check, "missing_libraries", lambda: ["pango"])
    with pytest.raises(pdf_exporter.MissingSystemLibraries, match="apt-get install"):
        pdf_exporter.html_to_pdf("<p>synthetic</p>")


def test_make_reports_checks_the_system_before_anything_else() -> None:
    makefile = (ROOT / "Makefile").read_text()
    rule = re.search(r"^reports: (.*)$", makefile, re.MULTILINE)
    assert rule is not None
    assert rule.group(1).split()[0] == "check-system"
    assert "analysis/render/system_check.py" in makefile


def test_translations_join_under_the_quote_marked_as_the_projects() -> None:
    from analysis.report.translations import LABEL, with_translations

    claims = pd.DataFrame(
        {"claim_id": ["S1", "S2"], "quote": ["synthetisches Zitat", "in English"]}
    )
    ledger = pd.DataFrame(
        {"claim_id": ["S1"], "translation": ["synthetic quote"], "translator_note": ["n"]}
    )
    shown = with_translations(claims, ledger)["quote_shown"].tolist()
    assert shown == [f"synthetisches Zitat\n{LABEL}synthetic quote", "in English"]


def test_translations_ledger_rejects_a_repeated_claim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.report import translations

    ledgers = tmp_path / "data" / "raw" / "ledgers"
    ledgers.mkdir(parents=True)
    (ledgers / translations.FILE).write_text(
        "claim_id,translation,translator_note\nS1,a,n\nS1,b,n\n", encoding="utf-8"
    )
    monkeypatch.setenv("ANALYSIS_HOME", str(tmp_path))
    from analysis import config

    if hasattr(config.paths, "cache_clear"):
        config.paths.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"row 3, column claim_id: 'S1' repeated"):
            translations.load()
    finally:
        monkeypatch.delenv("ANALYSIS_HOME")
        if hasattr(config.paths, "cache_clear"):
            config.paths.cache_clear()


def test_every_translated_claim_is_in_the_claims_ledger() -> None:
    claims = pd.read_csv(ROOT / "data" / "raw" / "ledgers" / "claims.csv", dtype="string")
    table = pd.read_csv(
        ROOT / "data" / "raw" / "ledgers" / "quote_translations.csv", dtype="string"
    )
    assert set(table["claim_id"]) <= set(claims["claim_id"])
    assert table["translator_note"].str.contains("This project's translation").all()


def test_quotes_get_dir_auto_and_arabic_ones_the_arabic_font_class() -> None:
    from analysis.report.html import html_table

    frame = pd.DataFrame({"id": ["S1", "S2"], "quote": ["بالمال والسلاح", "plain synthetic"]})
    page = html_table(frame, detail="quote")
    assert page.count('dir="auto"') == 2
    assert page.count('class="quote-rtl"') == 1


def test_a_figure_with_panels_is_named_by_its_suptitle() -> None:
    fig, axes = plt.subplots(1, 2)
    axes[0].set_title("Panel one", loc="left")
    fig.suptitle("Synthetic panels tell one story")
    try:
        assert charts.figure_title(fig) == "Synthetic panels tell one story"
    finally:
        plt.close(fig)


def test_pdf_metadata_and_bookmarks_come_from_the_report_and_the_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from pypdf import PdfReader

    from analysis.render import pdf_exporter

    monkeypatch.setattr(pdf_exporter, "data_date", lambda: "2099-03-04")
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Synthetic metadata report\n\nText.\n\n## Synthetic section"),
        ]
    )
    exporter = Exporter()
    page = exporter.html(nb)
    reader = PdfReader(io.BytesIO(exporter.pdf(page)))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Synthetic metadata report"
    assert meta.subject == "Synthetic metadata report"
    assert "Iran" in str(meta.get("/Keywords"))
    assert str(meta.get("/CreationDate", "")).startswith("D:20990304")
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[0].startswith("Synthetic metadata report")


def test_fdi_chart_has_two_panels_not_a_dual_axis_and_publishes_its_frame() -> None:
    from analysis.report.finance_charts import fdi_chart
    from analysis.report.finances import FDI_PCT_GDP, FDI_USD

    charts.set_theme()
    investment = pd.DataFrame({"year": [2016, 2017], "usd_bn": [3.4, 5.0], "pct_gdp": [0.8, 1.0]})
    indicators = pd.DataFrame(
        {
            "indicator_code": [FDI_USD, FDI_PCT_GDP],
            "country_code": ["IRN", "IRN"],
            "year": [2017, 2017],
            "source_id": ["worldbank", "worldbank"],
        }
    )
    events = pd.DataFrame({"date": pd.to_datetime(["2016-01-16"]), "label": ["synthetic"]})
    fig = fdi_chart(investment, indicators, events)
    try:
        assert len(fig.axes) == 2  # twinx would add a third axes sharing one panel
        assert fig.axes[0].get_position().y0 > fig.axes[1].get_position().y0  # stacked
        assert charts.figure_title(fig) == "Foreign direct investment into Iran, net inflows"
        name, text = charts.chart_data(fig)
        assert "World Bank WDI" in text and "data to 2017" in text
        assert "year,usd_bn,pct_gdp" in text
    finally:
        plt.close(fig)


def test_export_writes_each_charts_csv_beside_the_report_and_links_it(tmp_path: Path) -> None:
    from analysis.render.export import publish_data
    from analysis.render.pdf_exporter import csv_data_uri

    uri = csv_data_uri("# t\na,b\n1,2\n")
    page = f'<a class="data-link" download="chart-1-x.csv" href="{uri}">Download the data (CSV)</a>'
    out, written = publish_data(page, tmp_path)
    assert written == [tmp_path / "data" / "chart-1-x.csv"]
    assert written[0].read_text(encoding="utf-8") == "# t\na,b\n1,2\n"
    assert 'href="data/chart-1-x.csv"' in out and "base64" not in out


def test_csv_cells_a_spreadsheet_would_run_are_defused() -> None:
    from analysis.report.downloads import csv_text

    text = csv_text(
        pd.DataFrame({"label": ["=HYPERLINK(1)", "plain"], "value": [-1.5, 2.0]}),
        title="Synthetic",
        source="Source: synthetic",
        parameters={"start_year": 2020, "end_year": 2021, "fx_rate_type": "open_market"},
    )
    assert "'=HYPERLINK(1)" in text and "-1.5" in text
    assert text.splitlines()[:3] == [
        "# Synthetic",
        "# Source: synthetic",
        "# Report settings: years 2020–2021; rial amounts in dollars at the open-market rate",
    ]


def test_report_html_has_a_table_of_contents_of_its_sections() -> None:
    nb = new_notebook(
        cells=[
            new_markdown_cell(
                "# Synthetic report\n\nIntro.\n\n## First part\n\nA.\n\n## Second part"
            ),
        ]
    )
    page = Exporter().html(nb)
    nav = re.search(r'<nav class="toc".*?</nav>', page, re.S)
    assert nav is not None
    assert re.findall(r'href="#([^"]+)">([^<]+)</a>', nav.group(0)) == [
        ("First-part", "First part"),
        ("Second-part", "Second part"),
    ]
    assert page.index("</h1>") < page.index('<nav class="toc"')
