"""The README's path, offline, on the SYNTHETIC snapshot: fetch → clean → build → read the report.

Checks the HTML (figure embedded, no code), the PDF (opens, has pages, carries the title), and —
with Debian's chromium — that the index and the report render from disk with networking off,
with no console errors and every image loaded.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SYNTHETIC_SNAPSHOT

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
RUN = "iran_inflation"
TITLE = "Iran's consumer-price inflation"


def _analysis(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"ANALYSIS_HOME": str(home), "PATH": "/usr/bin:/bin", "HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project home built from the synthetic snapshot, with no network."""
    home = tmp_path_factory.mktemp("e2e")
    for name in ("sources.toml", "reports.toml"):
        shutil.copy(REPO / name, home / name)
    shutil.copytree(REPO / "notebooks", home / "notebooks")
    shutil.copytree(REPO / "data" / "raw" / "ledgers", home / "data" / "raw" / "ledgers")
    fetched = _analysis(home, "fetch", "--quiet", "--snapshot", str(SYNTHETIC_SNAPSHOT))
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    cleaned = _analysis(home, "clean")
    assert cleaned.returncode == 0, cleaned.stdout + cleaned.stderr
    built = _analysis(home, "build", "--quiet", "--only", RUN)
    assert built.returncode == 0, built.stdout + built.stderr
    return home


def test_fetch_needs_no_network(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """A snapshot fetch opens no socket (the README's offline build)."""
    shutil.copy(REPO / "sources.toml", home / "sources.toml")

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("fetch from a snapshot tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    from analysis.fetch.fetch import fetch

    report = fetch(SYNTHETIC_SNAPSHOT, progress=False)
    assert report.ok and (home / "data" / "raw" / "worldbank").is_dir()


def test_clean_force_with_unchanged_inputs_rebuilds_no_report(built: Path) -> None:
    forced = _analysis(built, "clean", "--force", "--quiet")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    dry = _analysis(built, "build", "--dry-run", "--only", RUN)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert f"cached       {RUN}" in dry.stdout
    assert "0 run(s) would build, 1 up to date" in dry.stdout


def test_second_build_does_no_work(built: Path) -> None:
    again = _analysis(built, "build", "--quiet", "--only", RUN)
    assert again.returncode == 0
    assert "Nothing to do" in again.stdout + again.stderr


def test_html_embeds_the_figure_and_hides_code(built: Path) -> None:
    html = (built / "reports" / RUN / f"{RUN}.html").read_text(encoding="utf-8")
    assert TITLE in html
    assert '<img class="chart" src="data:image/svg+xml;base64,' in html  # a vector chart
    assert "data:image/png" not in html
    assert (built / "reports" / RUN / "data").is_dir()  # the chart's data, to download
    assert "tables.indicator(" not in html  # code cells are hidden
    assert "<script" not in html  # offline: no scripts at all, so none from a CDN
    assert 'src="http' not in html


def test_pdf_opens_and_carries_the_title(built: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(built / "reports" / RUN / f"{RUN}.pdf")
    assert len(reader.pages) >= 1
    first = reader.pages[0].extract_text()
    assert "consumer-price inflation" in first
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
@pytest.mark.parametrize("page_path", ["index.html", f"{RUN}/{RUN}.html"])
def test_pages_render_offline_in_chromium(built: Path, page_path: str) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    problems: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_context(offline=True).new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
            page.goto((built / "reports" / page_path).as_uri())
            images = page.evaluate(
                "Array.from(document.images).map(i => [i.complete, i.naturalWidth])"
            )
            text = page.inner_text("body")
        finally:
            browser.close()
    assert problems == []
    assert all(complete and width > 0 for complete, width in images)
    if page_path != "index.html":
        assert images, "the report shows no image"
    assert "inflation" in text.lower()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_pdf_first_page_renders_to_an_image(built: Path, tmp_path: Path) -> None:
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1"]
        + [str(built / "reports" / RUN / f"{RUN}.pdf"), str(tmp_path / "page")],
        check=True,
    )
    [png] = list(tmp_path.glob("page*.png"))
    assert png.stat().st_size > 2_000  # a rendered page, not a blank one
