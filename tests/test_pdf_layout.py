"""How the report PDF lays out its long tables (WeasyPrint, print stylesheet)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import synthetic_processed as syn

from analysis.report import claims as cv
from analysis.report import rapprochement as rp

#: A4's width less report.css's left and right page margins, in CSS px (96 per inch).
TEXT_WIDTH_PX = (210 - 16 - 16) / 25.4 * 96


def _boxes(box: Any) -> Iterator[Any]:
    """``box`` and every box below it."""
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _tables(html: str, css_class: str) -> list[Any]:
    """The table boxes of class ``css_class`` on every page of ``html`` printed with the report
    stylesheet, one per page the table spans."""
    import weasyprint

    from analysis.render.pdf_exporter import print_setup, report_css

    page = f"<html><head><style>{report_css()}</style></head><body><main>{html}</main></body>"
    setup = print_setup()
    document = weasyprint.HTML(string=page, url_fetcher=setup.fetcher).render(
        stylesheets=list(setup.stylesheets), font_config=setup.fonts
    )
    return [
        box
        for printed in document.pages
        for box in _boxes(printed._page_box)
        if type(box).__name__ == "TableBox"
        and css_class in (box.element.get("class") or "").split()
    ]


def test_the_statements_table_prints_at_the_text_width_with_fixed_columns() -> None:
    claims = syn.claims()
    selected = cv.select(claims, recipient_scope="including_aggregates")
    html = cv.claims_table(selected, caption="Synthetic statements")
    tables = _tables(html, cv.CLAIMS_TABLE_CLASS)
    assert tables
    for table in tables:
        assert table.style["table_layout"] == "fixed"
        assert table.width == pytest.approx(TEXT_WIDTH_PX, abs=1)
        assert sum(table.column_widths) == pytest.approx(table.width, abs=1)
        right = table.position_x + table.width
        cells = [b for b in _boxes(table) if type(b).__name__ == "TableCellBox"]
        assert cells
        assert all(c.position_x + c.margin_width() <= right + 0.5 for c in cells)


@pytest.mark.parametrize(
    ("css_class", "columns"),
    [(rp.VERDICT_TABLE_CLASS, 3), (rp.EVENTS_TABLE_CLASS, 4), (cv.CLAIMS_TABLE_CLASS, 6)],
)
def test_each_fixed_table_fills_the_text_width_and_no_cell_sticks_out(
    css_class: str, columns: int
) -> None:
    import pandas as pd

    from analysis.report.html import html_table

    long = "synthetic-words-without-spaces-" * 3
    frame = pd.DataFrame({f"column {i}": ["2011-08-21", "short", long] for i in range(columns)})
    tables = _tables(html_table(frame, css_class=f"report-table {css_class}"), css_class)
    assert len(tables) == 1
    table = tables[0]
    assert table.style["table_layout"] == "fixed"
    assert table.width == pytest.approx(TEXT_WIDTH_PX, abs=1)
    right = table.position_x + table.width
    cells = [b for b in _boxes(table) if type(b).__name__ == "TableCellBox"]
    assert all(c.position_x + c.margin_width() <= right + 0.5 for c in cells)
    assert min(table.column_widths) > TEXT_WIDTH_PX * 0.1  # every column has a stated width


def test_a_web_address_in_a_link_label_breaks_at_its_dots_not_mid_word() -> None:
    from analysis.report.html import link

    label = link("https://example.org/a", "Corriere della Sera (via cinquantamila.it)")
    assert "(via cinquantamila.<wbr>it)</a>" in label
    assert "rickscafeamerican.<wbr>blogspot.<wbr>com" in link(
        "https://example.org/b", "rickscafeamerican.blogspot.com"
    )
    assert "<wbr>" not in link("https://example.org/c", "US$ 1.5 bn, U.S. figures")


def test_a_span_of_years_in_a_cell_stays_on_one_line() -> None:
    from analysis.report.html import cell_text

    text = cell_text("the Hamas-led Palestinian Authority government (2006–07)\npaid")
    assert '(<span style="white-space:nowrap">2006–07</span>)<br>paid' in text
    assert '<span style="white-space:nowrap">2012–2016</span>' in cell_text("2012–2016")
    assert "span" not in cell_text("1.5 to 2,000")
