"""Report export without a kernel: offline HTML with code hidden, the WeasyPrint PDF, the
provenance appendix and the index page (all on synthetic notebooks and tables)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis.render.export import Exporter
from analysis.report.appendix import appendix

#: A 1×1 PNG (synthetic): enough to check that images are embedded as data URIs.
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4"
    "2mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
CODE_MARK = "synthetic_code_marker = 1"
TITLE = "Synthetic export report"


@pytest.fixture(scope="module")
def exporter() -> Exporter:
    return Exporter()


@pytest.fixture
def executed(tmp_path: Path) -> Path:
    """An executed notebook (synthetic): heading, a figure, a table, a warning, a parameter."""
    params = new_code_cell("year: int = 2018  # synthetic parameter", execution_count=1)
    params.metadata["tags"] = ["parameters"]
    nb = new_notebook(
        cells=[
            new_markdown_cell(f"# {TITLE}\n\nSynthetic values only; <b>escaped</b> as markdown."),
            params,
            new_code_cell(
                CODE_MARK,
                execution_count=2,
                outputs=[
                    new_output("stream", name="stderr", text="FutureWarning: synthetic noise\n"),
                    new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
                ],
            ),
            new_code_cell(
                "frame",
                execution_count=3,
                outputs=[
                    new_output(
                        "execute_result",
                        execution_count=3,
                        data={
                            "text/html": "<table class='dataframe'><tr><td>2018</td>"
                            "<td>17.9 synthetic</td></tr></table>",
                            "text/plain": "frame",
                        },
                    )
                ],
            ),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    path = tmp_path / "executed.ipynb"
    nbformat.write(nb, path)
    return path


def test_html_is_offline_with_code_hidden_and_images_embedded(
    exporter: Exporter, executed: Path, tmp_path: Path
) -> None:
    result = exporter.export(executed, tmp_path / "out", "synthetic", pdf=False)
    html = result.html.read_text(encoding="utf-8")
    assert result.title == TITLE
    assert f"<title>{TITLE}</title>" in html
    assert '<img src="data:image/png;base64,' in html
    assert CODE_MARK not in html  # code cells hidden
    assert "In&nbsp;[" not in html and "Out[" not in html  # no prompts
    assert "FutureWarning" not in html  # stderr left out of reports
    assert "17.9 synthetic" in html
    assert "<script" not in html  # no require.js, MathJax, widgets, CDN
    assert not re.search(r"""(?:src|href)=["']https?://""", html)
    assert "<link" not in html  # the stylesheet is inline
    assert "@page" in html


def test_failed_view_shows_code_and_stderr(
    exporter: Exporter, executed: Path, tmp_path: Path
) -> None:
    result = exporter.export(executed, tmp_path, "failed", pdf=False, show_code=True)
    html = result.html.read_text(encoding="utf-8")
    assert "synthetic_code_marker" in html
    assert "FutureWarning" in html


def test_pdf_is_a4_with_the_title_and_opens(
    exporter: Exporter, executed: Path, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    result = exporter.export(executed, tmp_path, "synthetic")
    assert result.pdf is not None
    reader = PdfReader(io.BytesIO(result.pdf.read_bytes()))
    assert len(reader.pages) >= 1
    text = reader.pages[0].extract_text()
    assert TITLE in text
    assert "17.9 synthetic" in text
    assert CODE_MARK not in text
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert reader.metadata is not None and reader.metadata.title == TITLE


def test_title_falls_back_to_metadata_then_name(exporter: Exporter) -> None:
    nb = new_notebook(cells=[new_markdown_cell("no heading here")])
    assert "<title>fallback-name</title>" in exporter.html(nb, name="fallback-name")
    nb.metadata["title"] = "Metadata <title>"
    assert "<title>Metadata &lt;title&gt;</title>" in exporter.html(nb, name="x")


def test_weasypdf_is_registered_as_an_nbconvert_exporter() -> None:
    from nbconvert.exporters import get_exporter

    from analysis.render.pdf_exporter import WeasyPDFExporter

    assert get_exporter("weasypdf") is WeasyPDFExporter


def test_the_nbconvert_exporter_writes_pdf_bytes(executed: Path) -> None:
    from analysis.render.pdf_exporter import WeasyPDFExporter

    body, resources = WeasyPDFExporter().from_filename(str(executed))
    assert body[:5] == b"%PDF-"
    assert resources["output_extension"] == ".pdf"


# --- provenance appendix -----------------------------------------------------------------------


SYNTHETIC_SOURCE = {
    "id": "worldbank",
    "title": "Synthetic <World> Bank",
    "url": "https://example.org/wb",
    "license": "CC BY 4.0",
    "citation": "Synthetic citation",
}


def write_manifest(home: Path, source: dict[str, str] = SYNTHETIC_SOURCE) -> None:
    """A processed manifest as ``analysis clean`` writes it: inputs stamped with their source,
    access date and locked sha256 (clean/inputs.py)."""
    manifest = {
        "tables": {
            "indicators": {
                "inputs": [
                    {
                        "path": "worldbank/API_SYNTH_DS2.csv",
                        "sha256": "a" * 64,
                        "bytes": 10,
                        "source": source,
                        "accessed": "2099-01-02",
                        "locked_sha256": "c" * 64,
                    },
                    {"path": "ledgers/claims.csv", "sha256": "b" * 64, "bytes": 5},
                ],
                "rows_read": 1200,
                "rows_kept": 1100,
                "rows_quarantined": 40,
                "rows_excluded": 60,
                "excluded": {"aggregate <script>": 60},
                "notes": [],
                "built_at": "2025-01-02T03:04:05+00:00",
                "code_version": "synthetic",
            }
        }
    }
    (home / "data" / "processed").mkdir(parents=True)
    (home / "data" / "processed" / "manifest.json").write_text(json.dumps(manifest))


def test_appendix_lists_one_line_per_source_settings_in_words_and_folds_the_build(
    home: Path,
) -> None:
    write_manifest(home)  # no sources.toml, no lock: the appendix reads the manifest only
    html = appendix(
        ["indicators"],
        {"start_year": 2012, "end_year": 2017, "recipient_scope": "hamas_only", "x": "<i>"},
    )
    reader, details = html.split("<details", 1)
    sources = reader.split('<ul class="sources">')[1].split("</ul>")[0]
    assert sources.count("<li>") == 2  # the one source, and the project's curated records
    assert "Synthetic &lt;World&gt; Bank" in sources and "https://example.org/wb" in sources
    assert '<a href="https://example.org/wb" rel="noopener noreferrer"' in sources
    assert "Accessed 2099-01-02" in sources and "sha256 " + "a" * 12 in sources
    assert "a" * 13 not in reader and "b" * 13 not in reader  # short checksums only
    assert "differs from the file first recorded" in sources
    assert "This project" in sources
    assert "years 2012–2017; statements about Hamas only; x: &lt;i&gt;" in reader
    for internal in ("quarantin", "recipient_scope", "start_year", "code version", "1,200"):
        assert internal not in reader.lower()
    # folded: full checksums, code version, row counts, citations with licences
    assert "a" * 64 in details and "b" * 64 in details
    assert "Code version" in details and "1,200" in details and "1,100" in details
    assert "set aside by a check" in details and "quarantin" not in details
    assert "Synthetic citation" in details and "CC BY 4.0" in details
    assert "<script" not in html and "<i>" not in html
    assert "Files obtained up to 2099-01-02" in html  # the newest access date of the raw files
    assert "2025-01-02 03:04" not in html  # when the table was cleaned: not the report's business
    assert not re.search(r"\d\d:\d\d UTC", html)  # no clock: a rebuild gives the same bytes


def test_appendix_states_the_latest_data_the_report_showed(home: Path) -> None:
    import pandas as pd

    from analysis.report import charts, downloads

    write_manifest(home)
    charts.set_theme({"start_year": 2000, "end_year": 2024})
    downloads.publish("chart-1-x", pd.DataFrame({"year": [2021, 2022], "value": [1, 2]}))
    downloads.publish("table-1-y", pd.DataFrame({"date": ["2022-03-05"], "value": [3]}))
    html = appendix(["indicators"])
    assert 'data-latest="2022"' in html and "Latest data shown: <b>2022</b>" in html
    assert "Settings of this edition: years 2000–2024." in html  # recorded by set_theme


def test_appendix_degrades_when_files_are_missing(home: Path) -> None:
    html = appendix(["indicators"], {})
    assert "No processed-data manifest" in html
    assert "not built" in html
    assert "no settings" in html


def test_appendix_never_links_a_non_http_url(home: Path) -> None:
    write_manifest(home, {**SYNTHETIC_SOURCE, "url": "javascript:alert(1)"})
    html = appendix(["indicators"], {})
    assert "Synthetic &lt;World&gt; Bank" in html and "javascript:" not in html


def test_dollar_amounts_are_money_not_math(exporter: Exporter) -> None:
    nb = new_notebook(cells=[new_markdown_cell("Most of the $260m, of **which** $30m.")])
    assert "of <strong>which</strong> $30m" in exporter.html(nb)


# --- index page --------------------------------------------------------------------------------


def test_index_escapes_text_and_links_relatively(home: Path) -> None:
    import shutil

    from analysis.render.index import BUILD_PAGE, write_index
    from analysis.render.report_config import load_runs

    shutil.copytree(Path(__file__).parent / "fixtures" / "notebooks", home / "notebooks")
    (home / "reports.toml").write_text(
        '[[report]]\nnotebook = "ok.ipynb"\ntables = ["alpha"]\nname = "ok"\n'
        'parameters = { label = "<b>synthetic</b>" }\n'
    )
    folder = home / "reports" / "ok"
    folder.mkdir(parents=True)
    record = {
        "title": "<script>alert(1)</script>",
        "built_at": "2025-01-02T03:04:05+00:00",
        "files": {"html": "ok.html", "pdf": "ok.pdf"},
        "data_vintage": {"alpha": {"built_at": "2025-01-01T00:00:00+00:00", "raw_files": 3}},
    }
    (folder / "build.json").write_text(json.dumps(record))
    page = write_index(load_runs()).read_text(encoding="utf-8")
    build = (home / "reports" / BUILD_PAGE).read_text(encoding="utf-8")
    for html in (page, build):
        assert "<script" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html)
    assert "label: &lt;b&gt;synthetic&lt;/b&gt;" in page  # in words (an unknown one as name: value)
    assert '<a href="ok/ok.html">Read it (HTML)</a>' in page
    assert '<a href="ok/ok.pdf">PDF to print</a>' in page
    assert '<a href="build.html">build details</a>' in page
    assert "2025-01-0" not in page  # processing times are build details, not the data's date
    assert "label = &lt;b&gt;synthetic&lt;/b&gt;" in build
    assert '<a href="ok/ok.html">HTML</a>' in build and '<a href="ok/ok.pdf">PDF</a>' in build
    assert "alpha: cleaned 2025-01-01 00:00 UTC from 3 raw file(s)" in build
    assert "2025-01-02 03:04 UTC" in build


def test_index_lists_reports_in_reading_order_with_latest_data_settings_and_data(
    home: Path,
) -> None:
    """Readers' index: reports.toml's order, a sentence each, the latest data the report shows
    (as its sources section states it), the settings in words, links to HTML, PDF and data."""
    import shutil

    from analysis.render.index import write_index
    from analysis.render.report_config import load_runs

    shutil.copytree(Path(__file__).parent / "fixtures" / "notebooks", home / "notebooks")
    (home / "reports.toml").write_text(
        '[[report]]\nnotebook = "ok.ipynb"\nname = "answer"\n'
        'description = "The synthetic answer."\n\n'
        '[[report]]\nnotebook = "ok.ipynb"\nname = "detail"\n'
    )
    for name, latest in (("answer", "November 2024"), ("detail", "")):
        folder = home / "reports" / name
        (folder / "data").mkdir(parents=True)
        record = {"title": f"Synthetic {name}", "files": {"html": f"{name}.html"}}
        (folder / "build.json").write_text(json.dumps(record))
        (folder / f"{name}.html").write_text(
            f'<section class="provenance" id="provenance" data-latest="{latest}" '
            'data-settings="years 2000&#x2013;2024; &lt;synthetic&gt;"></section>'
        )
        (folder / "data" / "chart-1-x.csv").write_text("# x\na\n1\n")
    page = write_index(load_runs()).read_text(encoding="utf-8")
    assert page.index('id="answer"') < page.index('id="detail"')
    answer = page.split('id="answer"')[1].split('id="detail"')[0]
    assert "The synthetic answer." in answer
    assert "Latest data shown: <b>November 2024</b>" in answer
    assert "Settings: years 2000–2024; &lt;synthetic&gt;." in answer  # as the report states them
    assert '<a href="answer/data/">Data folder</a>' in answer
    assert '<a href="answer/data/chart-1-x.csv">chart-1-x.csv</a>' in answer
    detail = page.split('id="detail"')[1]
    assert "Latest data shown" not in detail  # not stated by the report: not guessed


# --- parameter injection -----------------------------------------------------------------------


def test_injected_values_read_back_as_the_same_literals() -> None:
    """papermill writes each validated value as a literal; quotes, newlines and backslashes in a
    string stay inside it (no code can be injected)."""
    from analysis.render.execute import check_literals

    check_literals(
        {
            "label": 'x"; import os; os.system("echo pwned") #\n\\',
            "years": [2012, 2017],
            "share": 0.25,
            "flag": False,
            "none": None,
        }
    )
    with pytest.raises(ValueError):
        check_literals({"not_a_literal": float("nan")})  # papermill writes float('nan')


def test_appendix_lists_only_the_raw_files_the_report_read_one_line_each(home: Path) -> None:
    import pandas as pd

    write_manifest(home)
    read = [pd.DataFrame({"source_file": ["worldbank/API_SYNTH_DS2.csv"], "value": [1.0]})]
    html = appendix(["indicators"], {}, read=read)
    sources = html.split('<ul class="sources">')[1].split("</ul>")[0]
    assert sources.count("<li>") == 1  # the one file read
    assert "ledgers/claims.csv" not in html and "This project" not in html
    assert "sha256 " + "a" * 12 + "</span> (differs" in sources and "a" * 13 not in sources
    assert '<details class="build-details' in html and "a" * 64 in html  # full hash, folded


def test_index_gives_runs_of_one_title_distinct_titles_in_words() -> None:
    from analysis.render.index import distinct_titles
    from analysis.render.report_config import Run

    def run(name: str, scope: str) -> Run:
        params = {"recipient_scope": scope, "start_year": 1990, "include_vague": True}
        return Run(name=name, notebook=Path("x.ipynb"), tables=(), parameters=params)

    runs = [run("a", "hamas_only"), run("b", "including_aggregates"), run("c", "hamas_only")]
    titles = distinct_titles(runs, ["Money for Hamas", "Money for Hamas", "Other"])
    assert titles[0] != titles[1] and titles[2] == "Other"
    assert titles[0].startswith("Money for Hamas: ") and "Hamas only" in titles[0]
    for title in titles:  # settings in words: no parameter name, no "name = value"
        assert "recipient_scope" not in title and " = " not in title and "1990" not in title
