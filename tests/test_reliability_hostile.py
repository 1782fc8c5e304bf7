"""Hostile text (issue 7): a SYNTHETIC claims ledger whose fields carry markup, script URLs,
markdown/LaTeX injection, a 100 KB string and right-to-left text → clean → the report's HTML
claim tables → inert text in the page, links only http(s), no script runs in headless Chromium.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from analysis.clean import pipeline
from analysis.clean.tables import claims as claims_cleaner
from analysis.report import claims as view
from analysis.report.downloads import CSV_URI_PREFIX
from analysis.schemas.claims import SCHEMA

FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = Path("/usr/bin/chromium")
PWN = "window.__pwned = 1; document.title = 'pwned'"

#: Hostile strings: each must appear in the page as text and never act.
HOSTILE: tuple[str, ...] = (
    f"<script>{PWN}</script>",
    f'<img src=x onerror="{PWN}">',
    f'<svg onload="{PWN}"></svg>',
    f'"><iframe srcdoc="<script>{PWN}</script>"></iframe>',
    "[click me](javascript:alert(1)) **bold** <b>markdown</b>",
    r"$\input{/etc/passwd}$ \write18{rm -rf /} $$x$$",
    "حماس — دعم مالی از ایران ‮reversed‬ عربي",
    "A" * 100_000,
)
HOSTILE_URLS: tuple[str, ...] = (
    f"javascript:{PWN}",
    "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+",
    "JaVaScRiPt:alert(1)",
    "vbscript:msgbox(1)",
    "//evil.example/x",
)
TEXT_FIELDS = ("claimant", "amount_as_stated", "recipient_as_stated", "source_publisher", "quote")


def hostile_ledger() -> str:
    """The synthetic ledger plus one hostile row per string (text fields) and per URL."""
    source = (FIXTURES / "ledgers" / "claims.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(source)))
    template = rows[0]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(template))
    writer.writeheader()
    writer.writerows(rows)
    for i, text in enumerate(HOSTILE):
        row = {**template, "claim_id": f"H{i:03d}", "notes": "SYNTHETIC hostile text"}
        writer.writerow(row | dict.fromkeys(TEXT_FIELDS, text))
    for i, url in enumerate(HOSTILE_URLS):
        row = {**template, "claim_id": f"U{i:03d}", "notes": "SYNTHETIC hostile url"}
        writer.writerow(row | {"source_url": url, "quote": f"synthetic url case {i}"})
    return out.getvalue()


@pytest.fixture(scope="module")
def page_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    raw = tmp_path_factory.mktemp("hostile") / "raw"
    shutil.copytree(FIXTURES / "ledgers", raw / "ledgers")
    (raw / "ledgers" / "claims.csv").write_text(hostile_ledger(), encoding="utf-8")
    shutil.copytree(FIXTURES / "snapshot" / "datahub-cpi-us", raw / "datahub-cpi-us")
    result = pipeline.validate(claims_cleaner.build(raw), SCHEMA, "claims")
    pipeline.check_balance("claims", result)
    table = result.table
    assert {f"H{i:03d}" for i in range(len(HOSTILE))} <= set(table["claim_id"])
    bad_urls = result.quarantine.query("column == 'source_url'")
    assert set(HOSTILE_URLS) <= set(bad_urls["value"]), "non-http(s) URLs never reach a table"
    hostile = bad_urls[bad_urls["value"].isin(HOSTILE_URLS)]
    assert hostile["reason"].str.contains("not an http").all()
    selected = table.assign(reference_year=view.reference_year(table))
    body = view.claims_table(selected, caption="synthetic hostile claims") + view.review_table(
        table
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>synthetic hostile</title>"
        f"</head><body>{body}</body></html>"
    )


def test_markup_is_escaped_and_links_are_only_http(page_html: str) -> None:
    import html.parser

    hrefs: list[str] = []
    tags: set[str] = set()
    attributes: set[str] = set()

    class Collect(html.parser.HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.add(tag)
            attributes.update(name for name, _ in attrs)
            hrefs.extend(value or "" for name, value in attrs if name in {"href", "src"})

    Collect().feed(page_html)
    assert not tags & {"script", "img", "svg", "iframe", "b"}
    assert not {a for a in attributes if a.startswith("on")}
    # Each table's own "Download the data" link is inert base64 CSV (written to data/ on export).
    hrefs = [h for h in hrefs if not h.startswith(CSV_URI_PREFIX)]
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
    assert "&lt;script&gt;" in page_html
    assert "A" * 100_000 in page_html


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")
def test_no_script_runs_in_chromium_and_the_text_shows(page_html: str, tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    path = tmp_path / "hostile.html"
    path.write_text(page_html, encoding="utf-8")
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
            page = browser.new_context(offline=True, java_script_enabled=True).new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("dialog", lambda d: problems.append(f"dialog {d.message}"))
            page.goto(path.as_uri())
            page.wait_for_timeout(300)
            pwned = page.evaluate("window.__pwned === undefined ? null : window.__pwned")
            title = page.title()
            text = page.inner_text("body")
            scripts = page.evaluate("document.scripts.length")
        finally:
            browser.close()
    assert pwned is None and title == "synthetic hostile"
    assert scripts == 0 and problems == []
    assert "<script>" in text and "حماس" in text and "onerror=" in text


def test_pdf_prints_hostile_text_as_text(page_html: str) -> None:
    """The same page printed by WeasyPrint: markup is printed as text, links are only http(s)."""
    from pypdf import PdfReader

    from analysis.render.export import pdf_data_notes
    from analysis.render.pdf_exporter import html_to_pdf

    short = page_html.replace("A" * 100_000, "A" * 2_000)  # keep the PDF small; same path
    # printed as the exporter prints it: each table's data link named, not linked
    reader = PdfReader(io.BytesIO(html_to_pdf(pdf_data_notes(short))))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "<script>" in text and "onerror=" in text  # shown, not interpreted
    uris = [
        str(annot.get_object().get("/A", {}).get("/URI", ""))
        for page in reader.pages
        for annot in page.get("/Annots") or []
    ]
    assert all(uri.startswith(("http://", "https://")) for uri in uris if uri)
