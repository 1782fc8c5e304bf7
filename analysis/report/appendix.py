"""The provenance appendix every report ends with (HTML; every text escaped).

A notebook's last cell::

    display(HTML(appendix(["indicators"], {"start_year": start_year, "end_year": end_year})))

It states the sources the tables were cleaned from (title, URL, licence, citation, raw-file
sha256 and the date each file was obtained), the code version, the parameters, the date of its
data (the newest access date of its raw files, :mod:`analysis.report.vintage`: never the clock,
so a rebuild from the same files is byte-identical), and how many rows of each table were read,
kept, quarantined and excluded. It reads only the processed manifest (through
:mod:`analysis.store`), where ``analysis clean`` stamps each raw input with its source and
access date (:mod:`analysis.clean.inputs`): a report never reads the fetch layer. A missing
manifest is said so in the appendix instead of failing the report.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from analysis import config, store
from analysis.report.html import escape as _e
from analysis.report.html import link, value_text
from analysis.report.vintage import data_date, table_date

COUNTS = ("rows_read", "rows_kept", "rows_quarantined", "rows_excluded")


def _is_ledger(rel: str) -> bool:
    return rel.startswith(f"{config.LEDGERS_DIR}/")


def _source(item: Mapping[str, Any]) -> dict[str, Any] | None:
    """The source stamped on a manifest input (title, url, license, citation), if any."""
    source = item.get("source")
    return source if isinstance(source, dict) and source.get("title") else None


def _code_version() -> str:
    """In a build, the digest of the report code (what the cache key holds: the same code gives
    the same text at any commit); run by hand, the git commit."""
    if digest := os.environ.get(config.CODE_DIGEST_ENV):
        return f"sha256:{digest[:12]}"
    from analysis.provenance import code_version

    return code_version()


def _count(entry: Mapping[str, Any], key: str) -> str:
    value = entry.get(key)
    return f"{value:,}" if isinstance(value, int) else "?"


def _parameters_html(parameters: Mapping[str, object]) -> str:
    if not parameters:
        return "<p>This report takes no parameters.</p>"
    rows = "".join(
        f"<tr><th>{_e(k)}</th><td>{_e(value_text(v))}</td></tr>" for k, v in parameters.items()
    )
    return f'<table class="parameters"><tbody>{rows}</tbody></table>'


def _tables_html(tables: Sequence[str], manifest: Mapping[str, Any]) -> str:
    head = (
        "<tr><th>table</th><th>data as of</th><th>rows read</th><th>kept</th>"
        "<th>quarantined</th><th>excluded</th></tr>"
    )
    rows = []
    for name in tables:
        entry = manifest.get(name)
        if not isinstance(entry, dict):
            rows.append(f'<tr><th>{_e(name)}</th><td colspan="5">not in the manifest</td></tr>')
            continue
        excluded = entry.get("excluded") or {}
        reasons = "; ".join(f"{k}: {v:,}" for k, v in excluded.items() if v)
        rows.append(
            f"<tr><th>{_e(name)}</th><td>{_e(table_date(entry) or '?')}</td>"
            + "".join(f"<td>{_count(entry, k)}</td>" for k in COUNTS[:-1])
            + f"<td>{_count(entry, COUNTS[-1])}"
            + (f' <span class="muted">({_e(reasons)})</span>' if reasons else "")
            + "</td></tr>"
        )
    note = (
        '<p class="muted">Quarantined rows failed a check and are listed with file, row, column, '
        "value and reason in <code>data/processed/quarantine/&lt;table&gt;.csv</code>; excluded "
        "rows were left out on purpose (aggregates, duplicates...).</p>"
    )
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>{note}"


#: Characters of a sha256 shown on the one line per source (the full hash is in the folded
#: section of the HTML, in build.json and in the processed manifest).
SHORT_HASH = 12


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


def _source_cell(rel: str, item: Mapping[str, Any]) -> str:
    """Publisher/title (linked to its URL) and licence of one raw file's source."""
    if _is_ledger(rel):
        return "Curated ledgers (in the repository; each row cites its own source)"
    info = _source(item)
    if info is None:
        return "Source not in the registry"
    lic = info.get("license")
    return link(info.get("url"), info["title"]) + (
        f' <span class="muted">({_e(lic)})</span>' if lic else ""
    )


def _short_hash(items: Sequence[Mapping[str, Any]]) -> str:
    """The short sha256 of a source's one raw file, or of its files' hashes taken together."""
    import hashlib

    hashes = [str(i.get("sha256", "")) for i in items]
    if len(hashes) == 1:
        return hashes[0][:SHORT_HASH]
    combined = hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()
    return f"{combined[:SHORT_HASH]} (of {len(hashes)} files)"


def _sources_html(
    tables: Sequence[str], manifest: Mapping[str, Any], read: Iterable[Any] | None = None
) -> str:
    """One line per source the report read: source (title linked to its URL, licence), raw
    files, date accessed, short sha256; each file's full hash follows in a folded
    ``<details>`` (screen only; the PDF leaves it out)."""
    files = _used_files(tables, manifest, read)
    if not files:
        return "<p>No raw files are recorded for these tables.</p>"
    groups: dict[str, list[str]] = {}
    for rel in sorted(files):
        info = _source(files[rel]["item"])
        key = "ledger" if _is_ledger(rel) else str(info["title"]) if info else "unknown"
        groups.setdefault(key, []).append(rel)
    rows, full = [], []
    for rels in groups.values():
        items = [files[rel]["item"] for rel in rels]
        accessed = sorted({str(i.get("accessed")) for i in items if i.get("accessed")})
        mismatch = any(
            i.get("locked_sha256") and i["locked_sha256"] != i.get("sha256") for i in items
        )
        names = _e(rels[0]) if len(rels) == 1 else f"{len(rels)} files"
        when = " to ".join(dict.fromkeys([accessed[0], accessed[-1]])) if accessed else "—"
        rows.append(
            f'<tr><td>{_source_cell(rels[0], items[0])}</td><td class="path">{names}</td>'
            f"<td>{_e(when)}</td>"
            f'<td class="hash">{_e(_short_hash(items))}'
            + (" (differs from sources.lock.json)" if mismatch else "")
            + "</td></tr>"
        )
        full += [
            f'<tr><td class="path">{_e(rel)}</td>'
            f'<td class="hash">{_e(str(files[rel]["item"].get("sha256", "")))}</td></tr>'
            for rel in rels
        ]
    head = "<tr><th>source</th><th>raw files</th><th>accessed</th><th>sha256 (short)</th></tr>"
    citations = dict.fromkeys(
        str(info["citation"])
        for info in (_source(files[rel]["item"]) for rel in sorted(files))
        if info and info.get("citation")
    )
    cite = (
        '<p class="muted citations">Cite as: ' + " · ".join(_e(c) for c in citations) + "</p>"
        if citations
        else ""
    )
    return (
        f'<table class="sources"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
        + cite
        + '<details class="full-hashes"><summary>Full sha256 of each raw file</summary>'
        f"<table><tbody>{''.join(full)}</tbody></table></details>"
    )


def appendix(
    tables: Sequence[str],
    parameters: Mapping[str, object],
    read: Iterable[Any] | None = None,
) -> str:
    """The provenance appendix as an HTML fragment (a ``<section class="provenance">``).

    ``read``: the frames the report drew and tabulated; when given, only the raw files named in
    their ``source_file`` column are listed (the sources the report actually read).
    """
    manifest, manifest_note = store.manifest()["tables"], store.manifest_problem()
    as_of = data_date(tables, manifest)
    notes = [manifest_note] if manifest_note else []
    return (
        '<section class="provenance" id="provenance">'
        "<h2>Sources and provenance</h2>"
        f"<p>Data as of {_e(as_of or 'an unknown date')} (the newest access date of the raw "
        f"files below), code version <code>{_e(_code_version())}</code> of the "
        "<code>analysis</code> package, from the processed tables "
        f"{_e(', '.join(tables) or '(none)')}.</p>"
        + "".join(f'<p class="muted">{_e(n)}</p>' for n in notes)
        + "<h3>Parameters</h3>"
        + _parameters_html(parameters)
        + "<h3>Tables</h3>"
        + _tables_html(tables, manifest)
        + "<h3>Sources</h3>"
        + _sources_html(tables, manifest, read)
        + "</section>"
    )
