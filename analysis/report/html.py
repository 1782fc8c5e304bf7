"""The reports' one HTML kit: escaped text, safe links, relative links, timestamps and tables.

Report tables hold text from outside the project (quotes, titles, URLs from the claims ledger),
so nothing is concatenated raw: each cell goes through :func:`html.escape`, and a URL becomes a
link only when its scheme is ``http`` or ``https`` (a ``javascript:`` or ``data:`` URL is shown
as inert text). The provenance appendix (:mod:`analysis.report.appendix`) and the reports'
index page (:mod:`analysis.render.index`) use the same helpers.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

if TYPE_CHECKING:  # pandas is imported where a table is drawn: the index page stays light
    import pandas as pd

#: URL schemes that may become links in a report.
SAFE_SCHEMES = frozenset({"http", "https"})
#: Link attributes: no referrer, no access to the report window from the opened page.
LINK_REL = "noopener noreferrer"
LEFT = ' style="text-align:left;overflow-wrap:break-word"'
RIGHT = ' style="text-align:right"'


def escape(value: object) -> str:
    """``value`` as text with ``& < > " '`` escaped (safe in an element or an attribute)."""
    return html.escape(str(value), quote=True)


def href(*parts: str) -> str:
    """A relative link's escaped ``href`` (each path part percent-encoded)."""
    return escape("/".join(quote(p) for p in parts))


def when(stamp: object, missing: str = "—") -> str:
    """An ISO timestamp as "YYYY-MM-DD HH:MM UTC"; as written if it does not parse, ``missing``
    if empty."""
    if not stamp:
        return missing
    try:
        return datetime.fromisoformat(str(stamp)).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return str(stamp)


def value_text(value: object) -> str:
    """A parameter value as text: a string as it is, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def is_safe_url(url: object) -> bool:
    """True when ``url`` is a string with an http(s) scheme and a host."""
    if not isinstance(url, str):
        return False
    text = url.strip()
    if any(ch in text for ch in "\x00\r\n\t") or not text:
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.netloc)


def cell_text(value: object) -> str:
    """A cell value as escaped text (missing values as an empty string); a line break in the
    text becomes ``<br>`` after escaping, so a cell can hold several short lines."""
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return _YEAR_SPAN.sub(_unbroken, html.escape(str(value), quote=True)).replace("\n", "<br>")


#: A span of years in a cell ("2006–07", "2012–2016"): kept on one line, as numbers are.
_YEAR_SPAN = re.compile(r"\b\d{4}–\d{2}(?:\d{2})?\b")


def _unbroken(match: re.Match[str]) -> str:
    return f'<span style="white-space:nowrap">{match.group(0)}</span>'


#: A dot with two letters on each side in a link's label (``cinquantamila.it``,
#: ``blogspot.com``): a line may break after it (``<wbr>``), so a web address in a narrow column
#: breaks at a dot, not mid-word. Numbers (``1.5``) and initials (``U.S.``) have no such dot.
_LABEL_DOT = re.compile(r"(?<=[A-Za-z]{2})\.(?=[A-Za-z]{2})")


def link(url: object, text: object | None = None) -> str:
    """An ``<a>`` element for an http(s) URL, its label breakable after a dot inside a web
    address; any other value comes back as escaped text."""
    label = (cell_text(text) if text is not None else "") or cell_text(url)
    label = _LABEL_DOT.sub(".<wbr>", label)
    if not is_safe_url(url):
        return label
    href = html.escape(str(url).strip(), quote=True)
    return f'<a href="{href}" rel="{LINK_REL}" target="_blank">{label}</a>'


def _script_attrs(value: object) -> str:
    """``dir="auto"`` on every quote; a class that sets Arabic-script text upright in a font
    with its glyphs (see report.css) when the text is Arabic or Persian."""
    text = str(value)
    arabic = any("\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff" for ch in text)
    return ' dir="auto"' + (' class="quote-rtl"' if arabic else "")


def html_table(
    frame: pd.DataFrame,
    *,
    links: Mapping[str, str] | None = None,
    caption: str | None = None,
    css_class: str = "report-table",
    hide: Sequence[str] = (),
    numeric: Sequence[str] = (),
    detail: str | None = None,
    download: bool = True,
) -> str:
    """``frame`` as an HTML table, every cell escaped, followed by its "Download the data"
    link (``download=False`` leaves it out): ``frame`` as CSV, named after the caption
    (:func:`analysis.report.downloads.table_download`).

    ``links`` maps a displayed column to the column holding its URL (the same column to show the
    URL itself as a link); URL columns not displayed can be listed in ``hide``. Text is aligned
    left and the ``numeric`` columns right (inline, so the table reads the same in any report
    style). ``detail`` names a column shown under each row, across the whole table (a long
    quote, say), instead of as a column of its own.

    >>> import pandas as pd
    >>> html_table(pd.DataFrame({"q": ["<b>"]}))  # doctest: +ELLIPSIS
    '<table class="report-table">...<td style="text-align:left;...">&lt;b&gt;</td>...'
    """
    links = dict(links or {})
    shown = [c for c in frame.columns if c not in {*hide, detail}]
    align = {c: RIGHT if c in set(numeric) else LEFT for c in shown}
    head = "".join(f"<th{align[c]}>{cell_text(c)}</th>" for c in shown)
    body_rows = []
    for record in frame.to_dict(orient="records"):
        cells = []
        for column in shown:
            value = record[column]
            text = link(record[links[column]], value) if column in links else cell_text(value)
            cells.append(f"<td{align[column]}>{text}</td>")
        body_rows.append("<tr>" + "".join(cells) + "</tr>")
        if detail is not None and cell_text(record[detail]):
            body_rows.append(
                f'<tr class="detail"><td colspan="{len(shown)}"{LEFT}'
                f"{_script_attrs(record[detail])}>"
                f"<em>{cell_text(record[detail])}</em></td></tr>"
            )
    cap = f"<caption>{cell_text(caption)}</caption>" if caption else ""
    data = ""
    if download:
        from analysis.report.downloads import table_download

        data = table_download(frame, caption)
    return (
        f'<table class="{cell_text(css_class)}">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body_rows)}</tbody></table>{data}"
    )
