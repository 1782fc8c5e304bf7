"""The built reports as readers get them (reports/ after `analysis build`; skipped when there is
no build): PDF pages not left mostly blank, no heading or caption stranded at a page's foot,
Arabic quotes extracted intact from the PDF, no sideways scroll on a 390 px phone screen, every
chart SVG with its data CSV beside the report and linked."""

from __future__ import annotations

import html as html_lib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "reports"
RUNS = sorted(p for p in REPORTS.glob("*") if p.is_dir() and (p / f"{p.name}.html").exists())
#: A page (but the last) may be at most this share blank.
MAX_BLANK = 0.40
PHONE_WIDTH = 390

pytestmark = pytest.mark.skipif(not RUNS, reason="no built reports: run `analysis build` first")


def _html(run: Path) -> str:
    return (run / f"{run.name}.html").read_text(encoding="utf-8")


def _pdf(run: Path) -> Path:
    return run / f"{run.name}.pdf"


def blank_share(png: Path) -> float:
    """The share of a page's text area (inside the margins) left white below/between content:
    rows of the page image with no ink, over all rows of the text area."""
    from PIL import Image

    image = Image.open(png).convert("L")
    width, height = image.size
    top, bottom = int(height * 0.07), int(height * 0.93)  # the running header and page number
    pixels = image.load()
    inked = 0
    for y in range(top, bottom):
        if any(pixels[x, y] < 200 for x in range(0, width, 2)):
            inked += 1
    rows = bottom - top
    # Text lines have white gaps between them: count a row as content when ink is near it.
    return 1.0 - min(1.0, inked * 1.6 / rows)


def _page_images(pdf: Path, folder: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(folder / "p")], check=True)
    return sorted(folder.glob("p-*.png"))


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm not installed")
@pytest.mark.parametrize("run", RUNS, ids=[r.name for r in RUNS])
def test_no_pdf_page_but_the_last_is_mostly_blank(run: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        pages = _page_images(_pdf(run), Path(folder))
        shares = {n: round(blank_share(p), 2) for n, p in enumerate(pages[:-1], start=1)}
    assert {n: s for n, s in shares.items() if s >= MAX_BLANK} == {}


def _blocks(run: Path) -> set[str]:
    """Headings (h1-h4) and table captions of the report, as plain text."""
    found = re.findall(r"<(h[1-4]|caption)[^>]*>(.*?)</\1>", _html(run), flags=re.S)
    texts = {
        html_lib.unescape(re.sub(r"<[^>]+>", "", t)).replace("¶", "").strip() for _, t in found
    }
    return {" ".join(t.split()) for t in texts if t}


@pytest.mark.parametrize("run", RUNS, ids=[r.name for r in RUNS])
def test_no_heading_or_caption_is_the_last_block_on_its_page(run: Path) -> None:
    from pypdf import PdfReader

    blocks = _blocks(run)
    title = " ".join(
        re.sub(
            r"<[^>]+>",
            "",
            html_lib.unescape(re.search(r"<title>(.*?)</title>", _html(run), re.S).group(1)),
        ).split()
    )
    stranded = []
    pages = PdfReader(_pdf(run)).pages
    for number, page in enumerate(pages[:-1], start=1):
        lines = [" ".join(x.split()) for x in page.extract_text().splitlines() if x.strip()]
        lines = [x for x in lines if not re.fullmatch(r"Page \d+ of \d+", x)]
        while lines and lines[-1] == title:  # the running header, drawn after the body
            lines.pop()
        if lines and lines[-1] in blocks:
            stranded.append((number, lines[-1]))
    assert stranded == []


def _arabic(text: str) -> str:
    return " ".join(re.findall(r"[\u0600-\u06ff]+", text))


def test_arabic_quotes_extracted_from_the_pdf_equal_the_ledger() -> None:
    from pypdf import PdfReader

    ledger = pd.read_csv(ROOT / "data" / "raw" / "ledgers" / "claims.csv", dtype="string")
    quotes = [q for q in ledger["quote"].dropna() if _arabic(q)]
    checked = 0
    for run in RUNS:
        if not any(_arabic(q) and q.split()[0] in _html(run) for q in quotes):
            continue
        text = " ".join(p.extract_text() for p in PdfReader(_pdf(run)).pages)
        words = _arabic(text)
        for quote in quotes:
            if html_lib.escape(quote) in _html(run):
                assert _arabic(quote) in words, f"{run.name}: Arabic quote not intact in the PDF"
                checked += 1
    if checked == 0:
        pytest.skip("no built report shows an Arabic quote")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PROBE = (
    "<script>window.addEventListener('load',function(){var d=document.documentElement;"
    "document.title='overflow:'+(Math.max(d.scrollWidth,document.body.scrollWidth)-"
    "window.innerWidth);});</script>"
)


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed")
@pytest.mark.parametrize("run", RUNS, ids=[r.name for r in RUNS])
def test_no_horizontal_page_overflow_at_390_px(run: Path, tmp_path: Path) -> None:
    probe = tmp_path / "probe.html"
    probe.write_text(_html(run).replace("</head>", PROBE + "</head>", 1), encoding="utf-8")
    result = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--window-size={PHONE_WIDTH},900",
            "--hide-scrollbars",
            "--virtual-time-budget=3000",
            "--dump-dom",
            probe.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = re.search(r"<title>overflow:(-?\d+)</title>", result.stdout)
    assert found, result.stderr[-500:]
    assert int(found.group(1)) <= 0


@pytest.mark.parametrize("run", RUNS, ids=[r.name for r in RUNS])
def test_every_chart_is_svg_with_alt_text_and_its_csv_beside_the_report(run: Path) -> None:
    page = _html(run)
    assert "data:image/png" not in page and "data:image/jpeg" not in page
    charts = re.findall(
        r'<img class="chart" src="data:image/svg\+xml;base64,[^"]+"\s+alt="([^"]*)"', page
    )
    links = re.findall(r'class="data-link" download="([^"]+)" href="([^"]+)"', page)
    assert charts, "no chart in the report"
    assert all(alt and alt != "Chart" for alt in charts)
    assert len([n for n, _ in links if n.startswith("chart-")]) == len(charts)  # tables link too
    for name, href in links:
        assert href == f"data/{name}" and (run / href).is_file()
        assert (run / href).read_text(encoding="utf-8").startswith("# ")
