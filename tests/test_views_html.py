"""The escaping HTML table helper: report text from outside the project comes out inert."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.report.html import LEFT, LINK_REL, html_table, is_safe_url, link


class _Collect(HTMLParser):
    """Tags, attributes and text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(fragment: str) -> _Collect:
    parser = _Collect()
    parser.feed(fragment)
    parser.close()
    return parser


TABLE_TAGS = {"table", "caption", "thead", "tbody", "tr", "th", "td", "a", "br", "em"}


def test_script_in_a_quote_is_text_not_markup() -> None:
    frame = pd.DataFrame({"quote": ["<script>alert('x')</script> & \"more\""]})
    out = html_table(frame, download=False)
    assert "<script" not in out
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;more&quot;" in out
    parsed = _parse(out)
    assert {tag for tag, _ in parsed.tags} <= TABLE_TAGS
    assert "<script>alert('x')</script> & \"more\"" in "".join(parsed.text)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//example.org/no-scheme",
        "https:///no-host",
        "ftp://example.org/file",
        "https://example.org/\nsecond-line",
        None,
        float("nan"),
    ],
)
def test_only_http_urls_become_links(url: object) -> None:
    frame = pd.DataFrame({"source": ["Publisher"], "url": [url]})
    out = html_table(frame, download=False, links={"source": "url"}, hide=["url"])
    parsed = _parse(out)
    assert not [attrs for tag, attrs in parsed.tags if tag == "a"]
    assert "href" not in out
    assert "Publisher" in out
    assert "<script" not in out


def test_http_link_is_escaped_and_isolated() -> None:
    url = 'https://example.org/a?b=1&c="x"><script>'
    out = link(url, "Times <of> Gaza")
    parsed = _parse(out)
    ((tag, attrs),) = parsed.tags
    assert tag == "a"
    assert attrs["href"] == url  # the attribute value round-trips, it does not break out
    assert attrs["rel"] == LINK_REL
    assert "".join(parsed.text) == "Times <of> Gaza"


def test_link_without_text_shows_the_url_and_missing_cells_are_empty() -> None:
    # the URL is the label, breakable after its dots in a narrow column
    assert ">https://example.<wbr>org/x</a>" in link("https://example.org/x", None)
    frame = pd.DataFrame({"a": [None], "b": [float("nan")], "c": [pd.NA]})
    assert html_table(frame, download=False).count(f"<td{LEFT}></td>") == 3


def test_caption_header_and_hidden_columns() -> None:
    frame = pd.DataFrame({"<h>": [1], "url": ["https://example.org"]})
    out = html_table(frame, download=False, caption="A & B", hide=["url"])
    assert "<caption>A &amp; B</caption>" in out
    assert f"<th{LEFT}>&lt;h&gt;</th>" in out
    assert "example.org" not in out


def test_line_breaks_and_alignment() -> None:
    frame = pd.DataFrame({"text": ["a <b>\nsecond"], "n": ["1,000"]})
    out = html_table(frame, download=False, numeric=["n"])
    assert f"<td{LEFT}>a &lt;b&gt;<br>second</td>" in out
    assert '<td style="text-align:right">1,000</td>' in out


def test_detail_column_becomes_a_full_width_row() -> None:
    frame = pd.DataFrame({"id": ["a", "b"], "n": [1, 2], "quote": ["<i>said</i>", None]})
    out = html_table(frame, download=False, detail="quote")
    assert out.count("<th ") == 2  # the detail is not a column
    assert (
        f'<tr class="detail"><td colspan="2"{LEFT} dir="auto">'
        "<em>&lt;i&gt;said&lt;/i&gt;</em></td></tr>" in out
    )
    assert out.count('class="detail"') == 1  # no empty row for a missing quote


@pytest.mark.parametrize(
    ("url", "safe"),
    [("http://a.org", True), ("HTTPS://A.ORG/x", True), ("mailto:a@b.org", False), ("", False)],
)
def test_is_safe_url(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


@given(st.text(), st.text())
def test_any_text_stays_text(quote: str, url: str) -> None:
    frame = pd.DataFrame({"quote": [quote], "source": ["s"], "url": [url]})
    parsed = _parse(html_table(frame, download=False, links={"source": "url"}, hide=["url"]))
    assert {tag for tag, _ in parsed.tags} <= TABLE_TAGS
    hrefs = [attrs.get("href") or "" for tag, attrs in parsed.tags if tag == "a"]
    assert all(h.lower().startswith(("http://", "https://")) for h in hrefs)


def test_kit_escapes_text_links_relatively_and_formats_times() -> None:
    """The helpers the appendix and the index page share."""
    from analysis.report.html import escape, href, value_text, when

    assert escape("<a href='x'>&") == "&lt;a href=&#x27;x&#x27;&gt;&amp;"
    assert href("_failed", "a b", 'x".html') == "_failed/a%20b/x%22.html"
    assert when("2025-01-02T03:04:05+00:00") == "2025-01-02 03:04 UTC"
    assert when(None) == "—" and when(None, "?") == "?" and when("soon") == "soon"
    assert value_text("text") == "text" and value_text([2012, 2017]) == "[2012, 2017]"
