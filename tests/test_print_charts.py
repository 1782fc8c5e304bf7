"""Charts print with their text as text, read with glyph paths: the report HTML keeps matplotlib's
SVG whose every letter is a path (the same on every screen), and the PDF is printed from a copy of
each chart whose lines of text are ``<text>`` in DejaVu Sans (WeasyPrint draws glyph paths several
times slower than it sets text). Synthetic figures."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis.render.export import Exporter, glyphs_as_text, print_charts
from analysis.render.pdf_exporter import svg_data_uri
from analysis.report import charts

ALT = "Synthetic finding: values rose"
#: Lines of the synthetic chart: a bold title, a rotated label, tick labels, a "$" and an "&".
LINES = [ALT, "US$ & rial (synthetic)", "2001", "2002", "2003"]


@pytest.fixture(scope="module")
def chart() -> str:
    """The glyph-path SVG the report shows for a synthetic chart."""
    charts.set_theme()
    fig, ax = plt.subplots()
    ax.plot([2001, 2002, 2003], [1.0, 3.0, 2.0])
    ax.set_xticks([2001, 2002, 2003], ["2001", "2002", "2003"])
    ax.set_yticks([])
    ax.set_ylabel(r"US\$ & rial (synthetic)")
    ax.set_title(ALT)
    try:
        return charts.figure_svg(fig)
    finally:
        plt.close(fig)


def _texts(svg: str) -> list[str]:
    return [t.replace("&amp;", "&") for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_every_line_of_chart_text_becomes_text_where_it_was_drawn(chart: str) -> None:
    assert "<text" not in chart and "<use" in chart  # what readers of the HTML get
    printed = glyphs_as_text(chart)
    assert sorted(_texts(printed)) == sorted(LINES)
    assert "<use" not in printed  # no glyph left as a path
    title = re.search(rf"<text ([^>]*)>{ALT}</text>", printed)
    assert title is not None and "font-weight: bold" in title.group(1)
    label = re.search(r"<text ([^>]*)>US\$ &amp; rial", printed)
    assert label is not None and "rotate(-90)" in label.group(1)
    assert re.search(r'<svg[^>]* width="[\d.]+pt"', printed).group(0) == (  # type: ignore[union-attr]
        re.search(r'<svg[^>]* width="[\d.]+pt"', chart).group(0)  # type: ignore[union-attr]
    )


def test_mathtext_and_other_fonts_keep_their_paths() -> None:
    charts.set_theme()
    fig, ax = plt.subplots()
    ax.set_title(r"$\alpha^2$ synthetic")
    ax.set_xlabel("serif synthetic", family="DejaVu Serif")
    try:
        svg = charts.figure_svg(fig)
    finally:
        plt.close(fig)
    printed = glyphs_as_text(svg)
    assert "synthetic" not in " ".join(_texts(printed))
    assert "DejaVuSerif" in printed and "<use" in printed


def _chart_notebook(svg: str) -> nbformat.NotebookNode:
    return new_notebook(
        cells=[
            new_markdown_cell("# Synthetic print report"),
            new_code_cell(
                "fig",
                execution_count=1,
                outputs=[
                    new_output(
                        "display_data",
                        data={"image/svg+xml": svg, "text/plain": "<Figure>"},
                        metadata={"image/svg+xml": {"alt": ALT}},
                    )
                ],
            ),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )


def test_the_pdf_html_has_the_text_copy_with_its_alt_and_the_html_keeps_the_svg(
    chart: str,
) -> None:
    html = Exporter().html(_chart_notebook(chart))
    assert f'<img class="chart" src="{svg_data_uri(chart)}"' in html
    printed = print_charts(html)
    assert svg_data_uri(chart) not in printed
    expected = svg_data_uri(glyphs_as_text(chart))
    assert re.search(rf'<img class="chart" src="{re.escape(expected)}"\s+alt="{ALT}"', printed)


def test_the_pdf_has_chart_text_as_text_and_the_html_file_keeps_glyph_paths(
    chart: str, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    path = tmp_path / "printed.ipynb"
    nbformat.write(_chart_notebook(chart), path)
    result = Exporter().export(path, tmp_path / "out", "printed")
    assert result.pdf is not None
    found = re.findall(
        r'<img class="chart" src="data:image/svg\+xml;base64,([^"]+)"', result.html.read_text()
    )
    assert [base64.b64decode(f).decode() for f in found] == [chart]
    text = PdfReader(result.pdf).pages[0].extract_text()
    assert ALT in text and "2002" in text  # glyph paths would leave no text behind


def test_a_chart_uri_that_is_not_base64_utf8_svg_is_left_as_it_is() -> None:
    for payload in ("not*base64", base64.b64encode(b"\xff\xfe").decode()):
        html = f'<img class="chart" src="data:image/svg+xml;base64,{payload}" alt="x">'
        assert print_charts(html) == html


def test_a_labels_leading_spaces_are_kept_in_print() -> None:
    """An event label starts with spaces to stand clear of its dashed line; SVG text collapses
    leading spaces unless told to keep them, which put the label on its line in the PDF."""
    charts.set_theme()
    fig, ax = plt.subplots()
    ax.text(0.5, 0.5, "  break, synthetic")
    try:
        printed = glyphs_as_text(charts.figure_svg(fig))
    finally:
        plt.close(fig)
    label = re.search(r"<text ([^>]*)>(  break, synthetic)</text>", printed)
    assert label is not None and 'xml:space="preserve"' in label.group(1)
