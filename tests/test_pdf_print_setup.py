"""The PDF's print set-up (fonts, font stylesheet, URL fetcher) is made once per process and
reused: what it prints must not depend on what was printed before, in this process or in the
worker an export child is forked from."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.render import pdf_exporter

#: Synthetic pages: Latin, and Arabic set in the installed Arabic font.
PAGES = (
    "<h1>Synthetic one</h1><p>Some <strong>bold</strong> and <em>italic</em> text.</p>",
    '<h2>Synthetic two</h2><p lang="ar" style="font-family: \'Noto Sans Arabic\'">'
    "\u0633\u0644\u0627\u0645 \u0639\u0644\u064a\u0643\u0645</p><p><code>x = 1</code></p>",
)

FRESH = (
    "import sys\n"
    "from analysis.render.pdf_exporter import html_to_pdf\n"
    "sys.stdout.buffer.write(html_to_pdf(sys.stdin.read()))\n"
)


@pytest.fixture
def fresh_setup(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process's print set-up made anew for the test, and again after it; the font dates
    pinned as a build pins them (the fresh processes inherit the setting)."""
    from analysis.render.determinism import SOURCE_DATE_ENV

    monkeypatch.setenv(SOURCE_DATE_ENV, "1700000000")
    pdf_exporter.print_setup.cache_clear()
    yield
    pdf_exporter.print_setup.cache_clear()


def _fresh_process(html: str) -> bytes:
    """``html``'s PDF printed by a new interpreter (a set-up that has printed nothing else)."""
    done = subprocess.run(
        [sys.executable, "-c", FRESH], input=html.encode(), capture_output=True, check=True
    )
    return done.stdout


def _fonts(pdf: bytes) -> set[str]:
    """The base font names a PDF's pages use (subset prefixes dropped)."""
    from pypdf import PdfReader

    names: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def test_one_font_configuration_serves_every_pdf_of_a_process(
    fresh_setup: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from weasyprint.text import fonts

    made: list[object] = []
    real = fonts.FontConfiguration

    def counted() -> object:
        made.append(real())
        return made[-1]

    monkeypatch.setattr(fonts, "FontConfiguration", counted)
    for html in (*PAGES, *PAGES):
        pdf_exporter.html_to_pdf(html)
    assert len(made) == 1
    assert pdf_exporter.print_setup().fonts is made[0]


def test_a_reused_setup_prints_what_fresh_processes_print_arabic_font_included(
    fresh_setup: None,
) -> None:
    from analysis.render.export import bounded

    assert pdf_exporter.font_css(), "the Arabic font package is installed with the project"
    first, second = (pdf_exporter.html_to_pdf(html) for html in PAGES)
    again = pdf_exporter.html_to_pdf(PAGES[1])  # the set-up has printed both pages by now
    forked = bounded(lambda: pdf_exporter.html_to_pdf(PAGES[1]), 60, "synthetic PDF")
    assert first == _fresh_process(PAGES[0])
    assert second == again == forked == _fresh_process(PAGES[1])
    assert any("NotoSansArabic" in name.replace("-", "") for name in _fonts(second))
    assert not any("NotoSansArabic" in name.replace("-", "") for name in _fonts(first))


def test_an_export_child_leaves_no_font_folder_behind(
    fresh_setup: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # WeasyPrint copies each @font-face font into a new temporary folder per font configuration
    # and removes it when the configuration is collected, which a forked child that leaves by
    # os._exit never does: the child must reuse its parent's configuration.
    import tempfile

    from analysis.render.export import bounded

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    pdf_exporter.print_setup()  # as the worker's warm-up does
    before = sorted(tmp_path.iterdir())
    for _ in range(2):
        bounded(lambda: pdf_exporter.html_to_pdf(PAGES[1]), 60, "synthetic PDF")
    assert sorted(tmp_path.iterdir()) == before
