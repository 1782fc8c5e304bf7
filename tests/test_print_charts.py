"""Charts print from a copy with text as text, read from glyph paths: each chart's display carries,
beside the SVG the report HTML shows (every letter a path, the same on every screen), a print copy
whose text is ``<text>``, and the PDF is printed with that copy (WeasyPrint draws glyph paths
several times slower than text). Synthetic figures."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import nbformat
import pytest
from matplotlib.figure import Figure
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis.render.export import Exporter, print_charts, print_copies
from analysis.render.pdf_exporter import svg_data_uri
from analysis.report import charts

ALT = "Synthetic finding: values rose"
#: A tick label of the synthetic chart, to find as text in the print copy and the PDF.
TICK = "2002"


def _figure() -> Figure:
    charts.set_theme()
    fig, ax = plt.subplots()
    ax.plot([2001, 2002, 2003], [1.0, 3.0, 2.0])
    ax.set_xticks([2001, 2002, 2003], ["2001", TICK, "2003"])
    ax.set_title(ALT)
    return fig


def _display(fig: Figure) -> tuple[str, dict[str, str]]:
    """What the kernel's SVG formatter returns for ``fig`` (set by :func:`charts.show_as_svg`)."""
    return charts._svg_with_alt(fig)


@pytest.fixture(scope="module")
def chart() -> tuple[str, dict[str, str]]:
    fig = _figure()
    try:
        return _display(fig)
    finally:
        plt.close(fig)


def _size(svg: str) -> tuple[str, str]:
    found = re.search(r'<svg[^>]* width="([\d.]+pt)" height="([\d.]+pt)"', svg)
    assert found, "matplotlib's SVG states its size in points"
    return found.group(1), found.group(2)


def test_the_display_keeps_glyph_paths_and_carries_a_print_copy_with_text_of_the_same_size(
    chart: tuple[str, dict[str, str]],
) -> None:
    svg, meta = chart
    assert meta["alt"] == ALT
    assert "<text" not in svg and "<use" in svg  # what readers get: letters as glyph paths
    copy = meta["print_svg"]
    assert re.search(rf"<text[^>]*>{ALT}</text>", copy)
    assert re.search(rf"<text[^>]*>{TICK}</text>", copy)
    assert "<use" not in copy
    assert _size(copy) == _size(svg)


def test_the_print_copy_is_the_same_bytes_each_time() -> None:
    copies = []
    for _ in range(2):
        fig = _figure()
        copies.append(_display(fig)[1]["print_svg"])
        plt.close(fig)
    assert copies[0] == copies[1]


def _chart_notebook(svg: str, meta: dict[str, str]) -> nbformat.NotebookNode:
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
                        metadata={"image/svg+xml": meta},
                    )
                ],
            ),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )


def test_the_html_keeps_the_svg_and_the_pdf_html_has_the_print_copy_with_its_alt(
    chart: tuple[str, dict[str, str]],
) -> None:
    svg, meta = chart
    nb = _chart_notebook(svg, meta)
    html = Exporter().html(nb)
    assert f'<img class="chart" src="{svg_data_uri(svg)}"' in html
    assert svg_data_uri(meta["print_svg"]) not in html  # readers of the HTML get glyph paths
    printed = print_charts(html, print_copies(nb))
    assert svg_data_uri(svg) not in printed
    assert re.search(
        rf'<img class="chart" src="{re.escape(svg_data_uri(meta["print_svg"]))}"\s+alt="{ALT}"',
        printed,
    )


def test_the_pdf_draws_chart_text_as_text_and_the_html_file_keeps_glyph_paths(
    chart: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    from pypdf import PdfReader

    svg, meta = chart
    path = tmp_path / "printed.ipynb"
    nbformat.write(_chart_notebook(svg, meta), path)
    result = Exporter().export(path, tmp_path / "out", "printed")
    assert result.pdf is not None
    found = re.findall(
        r'<img class="chart" src="data:image/svg\+xml;base64,([^"]+)"', result.html.read_text()
    )
    assert [base64.b64decode(f).decode() for f in found] == [svg]
    text = PdfReader(result.pdf).pages[0].extract_text()
    assert ALT in text and TICK in text  # glyph paths would leave no text behind


@pytest.mark.parametrize("bad", [{"print_svg": 7}, {"print_svg": "not an svg"}, {}])
def test_a_chart_without_a_usable_print_copy_prints_its_svg(bad: dict[str, object]) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt"/>'
    nb = _chart_notebook(svg, {"alt": ALT, **bad})  # type: ignore[dict-item]
    html = Exporter().html(nb)
    assert print_copies(nb) == {}
    assert print_charts(html, print_copies(nb)) == html
