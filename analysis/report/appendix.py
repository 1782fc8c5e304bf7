"""The sources appendix every report ends with (HTML; every text escaped).

A notebook's last cell::

    display(HTML(appendix(["indicators", "events"])))

For readers it states the date of the latest data the report shows (from the charts and tables
it published, :func:`analysis.report.downloads.latest_shown`), the report's settings in words
(:mod:`analysis.report.wording`; the parameters recorded by ``charts.set_theme`` unless
``parameters`` are given), and one line per source the report read: publisher, title (linked
to its URL), the date the file was obtained and a short sha256. The build details (the full
sha256 of each raw file, the code version, the rows read, kept, set aside and excluded from each
table) are folded in a ``<details>`` section of the HTML, left out of the PDF, and kept in
``build.json``.

It reads only the processed manifest (through :mod:`analysis.store`), where ``analysis clean``
stamps each raw input with its source and access date: a report never reads the fetch layer. No
date comes from the clock, so a rebuild from the same files is byte-identical. A missing
manifest is said so in the appendix instead of failing the report.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from analysis import config, store
from analysis.report.html import escape as _e
from analysis.report.html import is_safe_url, link
from analysis.report.vintage import data_date, table_date

#: Manifest counts shown in the folded build details, with their names there.
COUNTS = {
    "rows_read": "rows read",
    "rows_kept": "kept",
    "rows_quarantined": "set aside by a check",
    "rows_excluded": "left out on purpose",
}

#: Characters of a sha256 shown on the one line per source (the full hash is in the folded
#: section of the HTML, in build.json and in the processed manifest).
SHORT_HASH = 12

#: How the project's own curated ledgers are named to readers.
LEDGER_PUBLISHER = "This project"
LEDGER_TITLE = "curated records kept in the repository (each row cites its own source)"


def _is_ledger(rel: str) -> bool:
    return rel.startswith(f"{config.LEDGERS_DIR}/")


def _source(item: Mapping[str, Any]) -> dict[str, Any] | None:
    """The source stamped on a manifest input (id, title, url, license, citation), if any."""
    source = item.get("source")
    return source if isinstance(source, dict) and source.get("title") else None


def _code_version() -> str:
    """In a build, the digest of the report code (what the cache key holds: the same code gives
    the same text at any commit); run by hand, the git commit."""
    if digest := os.environ.get(config.CODE_DIGEST_ENV):
        return f"sha256:{digest[:12]}"
    from analysis.provenance import code_version

    return code_version()


def publisher(source_id: str) -> str:
    """A source's publisher as readers know it ("World Bank WDI (via datahub.io)")."""
    from analysis.report.charts import PUBLISHERS, VIA

    name = PUBLISHERS.get(source_id, source_id)
    return name + (f" (via {VIA[source_id]})" if source_id in VIA else "")


def _used_files(
    tables: Sequence[str], manifest: Mapping[str, Any], read: Iterable[Any] | None
) -> dict[str, dict[str, Any]]:
    """The raw files behind ``tables`` (path -> manifest input and the tables that used it),
    limited to the ``source_file`` values of the frames in ``read`` when given."""
    wanted: set[str] | None = None
    if read is not None:
        wanted = set()
        for frame in read:
            if "source_file" in getattr(frame, "columns", ()):
                wanted.update(str(f) for f in frame["source_file"].dropna().unique())
    files: dict[str, dict[str, Any]] = {}
    for name in tables:
        entry = manifest.get(name)
        for item in (entry or {}).get("inputs", []) if isinstance(entry, dict) else []:
            rel = str(item.get("path"))
            if wanted is not None and rel not in wanted:
                continue
            files.setdefault(rel, {"item": item, "tables": []})["tables"].append(name)
    return files


def _short_hash(items: Sequence[Mapping[str, Any]]) -> str:
    """The short sha256 of a source's one raw file, or of its files' hashes taken together."""
    hashes = [str(i.get("sha256", "")) for i in items]
    if len(hashes) == 1:
        return hashes[0][:SHORT_HASH]
    combined = hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()
    return f"{combined[:SHORT_HASH]} ({len(hashes)} files)"


def source_groups(files: Mapping[str, Mapping[str, Any]]) -> dict[str, list[str]]:
    """The raw files grouped by source (key: source id, or "ledger"), in path order."""
    groups: dict[str, list[str]] = {}
    for rel in sorted(files):
        info = _source(files[rel]["item"])
        key = "ledger" if _is_ledger(rel) else str(info.get("id") or info["title"]) if info else "?"
        groups.setdefault(key, []).append(rel)
    return groups


def _source_line(key: str, items: Sequence[Mapping[str, Any]]) -> str:
    """One source: publisher, title linked to its URL, the URL, accessed, short sha256."""
    accessed = sorted({str(i.get("accessed")) for i in items if i.get("accessed")})
    when = " to ".join(dict.fromkeys([accessed[0], accessed[-1]])) if accessed else ""
    mismatch = any(i.get("locked_sha256") and i["locked_sha256"] != i.get("sha256") for i in items)
    info = _source(items[0])
    if key == "ledger":
        head = f"<b>{_e(LEDGER_PUBLISHER)}</b>: {_e(LEDGER_TITLE)}."
    elif info is None:
        head = "<b>Source not recorded</b>."
    else:
        url = info.get("url")
        head = f"<b>{_e(publisher(key))}</b>: {link(url, info['title'])}." + (
            f' <span class="url">{_e(url)}</span>.' if is_safe_url(url) else ""
        )
    return (
        f"<li>{head}"
        + (f" Accessed {_e(when)}." if when else "")
        + f' <span class="hash">sha256 {_e(_short_hash(items))}</span>'
        + (" (differs from the file first recorded in sources.lock.json)" if mismatch else "")
        + "</li>"
    )


def _sources_html(files: Mapping[str, Mapping[str, Any]]) -> str:
    """One line per source the report read."""
    if not files:
        return "<p>No source file is recorded for this report.</p>"
    groups = source_groups(files)
    order = sorted(groups, key=lambda key: (key == "ledger", publisher(key).lower()))
    lines = [_source_line(key, [files[rel]["item"] for rel in groups[key]]) for key in order]
    return f'<ul class="sources">{"".join(lines)}</ul>'


def _count(entry: Mapping[str, Any], key: str) -> str:
    value = entry.get(key)
    return f"{value:,}" if isinstance(value, int) else "?"


def _details_html(
    tables: Sequence[str], manifest: Mapping[str, Any], files: Mapping[str, Mapping[str, Any]]
) -> str:
    """The folded build details: code version, rows per table, full sha256 of each raw file."""
    head = "<tr><th>table</th><th>files obtained</th>" + "".join(
        f"<th>{_e(v)}</th>" for v in COUNTS.values()
    )
    rows = []
    for name in tables:
        entry = manifest.get(name)
        if not isinstance(entry, dict):
            rows.append(f'<tr><th>{_e(name)}</th><td colspan="5">not built</td></tr>')
            continue
        rows.append(
            f"<tr><th>{_e(name)}</th><td>{_e(table_date(entry) or '?')}</td>"
            + "".join(f"<td>{_count(entry, k)}</td>" for k in COUNTS)
            + "</tr>"
        )
    hashes = "".join(
        f'<tr><td class="path">{_e(rel)}</td>'
        f'<td class="hash">{_e(str(files[rel]["item"].get("sha256", "")))}</td></tr>'
        for rel in sorted(files)
    )
    return (
        '<details class="build-details full-hashes"><summary>Build details: code version, '
        "rows per table, full checksums</summary>"
        f"<p>Code version <code>{_e(_code_version())}</code> of the <code>analysis</code> "
        "package.</p>"
        f"<table><thead>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<table><thead><tr><th>raw file</th><th>sha256</th></tr></thead>"
        f"<tbody>{hashes}</tbody></table></details>"
    )


def _citations(files: Mapping[str, Mapping[str, Any]]) -> str:
    """How to cite each source, with its licence: folded (screen only)."""
    sources = {
        str(info.get("id") or info["title"]): info
        for info in (_source(files[rel]["item"]) for rel in sorted(files))
        if info is not None
    }
    items = "".join(
        f"<li>{_e(info.get('citation') or info['title'])}"
        + (
            f' <span class="muted">Licence: {_e(info["license"])}.</span>'
            if info.get("license")
            else ""
        )  # fmt: skip
        + "</li>"
        for info in sources.values()
    )
    if not items:
        return ""
    return (
        '<details class="citations"><summary>How to cite these sources, and their licences'
        f"</summary><ul>{items}</ul></details>"
    )


def appendix(
    tables: Sequence[str],
    parameters: Mapping[str, object] | None = None,
    read: Iterable[Any] | None = None,
) -> str:
    """The sources appendix as an HTML fragment (a ``<section class="provenance">``).

    ``parameters``: the report's (default: those recorded by ``charts.set_theme``). ``read``:
    the frames the report drew and tabulated; when given, only the raw files named in their
    ``source_file`` column are listed (the sources the report actually read).
    """
    from analysis.report import downloads
    from analysis.report.wording import parameters_sentence

    manifest, manifest_note = store.manifest()["tables"], store.manifest_problem()
    files = _used_files(tables, manifest, read)
    latest = downloads.latest_shown()
    obtained = data_date(tables, manifest)
    settings = parameters_sentence(
        downloads.parameters() if parameters is None else parameters,
        downloads.events(),
    )
    note = f'<p class="muted">{_e(manifest_note)}</p>' if manifest_note else ""
    return (
        f'<section class="provenance" id="provenance" data-latest="{_e(latest or "")}" '
        f'data-settings="{_e(settings)}">'
        "<h2>Sources and provenance</h2>"
        f"<p>Latest data shown: <b>{_e(latest or 'not dated')}</b>. "
        f"Settings of this edition: {_e(settings)}. "
        f"Files obtained up to {_e(obtained or 'an unknown date')}.</p>"
        + note
        + _sources_html(files)
        + _citations(files)
        + _details_html(tables, manifest, files)
        + "</section>"
    )
