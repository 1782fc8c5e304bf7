"""The provenance appendix every report ends with (HTML; every text escaped).

A notebook's last cell::

    display(HTML(appendix(["indicators"], {"start_year": start_year, "end_year": end_year})))

It states the sources the tables were cleaned from (title, URL, licence, citation, raw-file
sha256 and the date each file was obtained), the code version, the parameters, the build time,
and how many rows of each table were read, kept, quarantined and excluded. It reads only the
processed manifest (through :mod:`analysis.store`), where ``analysis clean`` stamps each raw
input with its source and access date (:mod:`analysis.clean.inputs`): a report never reads the
fetch layer. A missing manifest is said so in the appendix instead of failing the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from analysis import config, store
from analysis.report.html import escape as _e
from analysis.report.html import link, value_text, when

COUNTS = ("rows_read", "rows_kept", "rows_quarantined", "rows_excluded")


def _is_ledger(rel: str) -> bool:
    return rel.startswith(f"{config.LEDGERS_DIR}/")


def _source(item: Mapping[str, Any]) -> dict[str, Any] | None:
    """The source stamped on a manifest input (title, url, license, citation), if any."""
    source = item.get("source")
    return source if isinstance(source, dict) and source.get("title") else None


def _code_version() -> str:
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
        "<tr><th>table</th><th>cleaned at</th><th>rows read</th><th>kept</th>"
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
            f"<tr><th>{_e(name)}</th><td>{_e(when(entry.get('built_at'), '?'))}</td>"
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


def _source_header(key: str, info: Mapping[str, Any] | None) -> str:
    """The heading of one source's group of raw files: title (linked), licence, citation."""
    if info is None:
        if key == "ledger":
            return (
                "<p><b>Curated ledgers</b> (committed in the repository; "
                "each row cites its own source)</p>"
            )
        return "<p><b>Source not in the registry</b></p>"
    title, lic, cite = info["title"], info.get("license"), info.get("citation")
    licence = f' <span class="muted">— licence: {_e(lic)}</span>' if lic else ""
    citation = f'<br><span class="muted">{_e(cite)}</span>' if cite else ""
    return f"<p><b>{link(info.get('url'), title)}</b>{licence}{citation}</p>"


def _sources_html(tables: Sequence[str], manifest: Mapping[str, Any]) -> str:
    files: dict[str, dict[str, Any]] = {}
    for name in tables:
        entry = manifest.get(name)
        for item in (entry or {}).get("inputs", []) if isinstance(entry, dict) else []:
            files.setdefault(str(item.get("path")), {"item": item, "tables": []})["tables"].append(
                name
            )
    if not files:
        return "<p>No raw files are recorded for these tables.</p>"
    groups: dict[str, list[str]] = {}
    infos: dict[str, dict[str, Any] | None] = {}
    for rel in sorted(files):
        info = None if _is_ledger(rel) else _source(files[rel]["item"])
        key = str(info["title"]) if info else ("ledger" if _is_ledger(rel) else "unknown")
        groups.setdefault(key, []).append(rel)
        infos[key] = info
    used_by = len(tables) > 1
    parts = [
        _source_group(_source_header(key, infos[key]), rels, files, used_by)
        for key, rels in groups.items()
    ]
    return "".join(parts)


def _source_group(
    header: str,
    rels: Sequence[str],
    files: Mapping[str, dict[str, Any]],
    used_by: bool,
) -> str:
    """One source: its heading, then its raw files (path, sha256, accessed) in a <details>
    element: folded on screen, printed in full in the PDF."""
    rows = []
    for rel in rels:
        item = files[rel]["item"]
        sha = str(item.get("sha256", ""))
        accessed = item.get("accessed") or "—"
        locked = item.get("locked_sha256")
        mismatch = (
            ' <span class="muted">(differs from sources.lock.json)</span>'
            if locked and locked != sha
            else ""
        )
        tables = f"<td>{_e(', '.join(files[rel]['tables']))}</td>" if used_by else ""
        rows.append(
            f'<tr><td class="path">{_e(rel)}</td><td class="hash">{_e(sha)}{mismatch}</td>'
            f"<td>{_e(accessed)}</td>{tables}</tr>"
        )
    head = "<th>raw file</th><th>sha256</th><th>accessed</th>" + (
        "<th>used by</th>" if used_by else ""
    )
    count = f"{len(rels)} raw file{'s' if len(rels) != 1 else ''}: sha256 and date accessed"
    return (
        f'<div class="source">{header}<details><summary>{_e(count)}</summary>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "</details></div>"
    )


def appendix(tables: Sequence[str], parameters: Mapping[str, object]) -> str:
    """The provenance appendix as an HTML fragment (a ``<section class="provenance">``)."""
    manifest, manifest_note = store.manifest()["tables"], store.manifest_problem()
    built = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    notes = [manifest_note] if manifest_note else []
    return (
        '<section class="provenance" id="provenance">'
        "<h2>Sources and provenance</h2>"
        f"<p>Built {_e(built)} with code version <code>{_e(_code_version())}</code> of the "
        "<code>analysis</code> package, from the processed tables "
        f"{_e(', '.join(tables) or '(none)')}.</p>"
        + "".join(f'<p class="muted">{_e(n)}</p>' for n in notes)
        + "<h3>Parameters</h3>"
        + _parameters_html(parameters)
        + "<h3>Tables</h3>"
        + _tables_html(tables, manifest)
        + "<h3>Sources</h3>"
        + _sources_html(tables, manifest)
        + "</section>"
    )
