"""``reports/index.html``: every report run with its parameters, status, build time and data
vintage, linking its HTML and PDF with relative links. No scripts, every text escaped, written
atomically; it opens from disk, offline."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis import atomic, config
from analysis.render.cache import read_record
from analysis.render.report_config import Run
from analysis.report.html import escape as _e
from analysis.report.html import href as _href
from analysis.report.html import value_text, when

if TYPE_CHECKING:
    from analysis.render.runner import BuildSummary, RunOutcome


STYLE = """
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1b1b1b;
       margin: 0; line-height: 1.45; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.7rem; margin: 0.3rem 0 0.3rem; }
p.lead { color: #5c5c5c; margin-top: 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; vertical-align: top; padding: 0.45rem 0.6rem;
         border-bottom: 1px solid #d6d6d6; }
thead th { background: #f5f5f5; border-bottom: 1px solid #999; }
.title { font-weight: bold; }
.name, code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.82rem; color: #5c5c5c; }
ul.params { margin: 0; padding-left: 1rem; }
li.set { font-weight: bold; }  /* set in reports.toml (the rest are the notebook's defaults) */
td.when { white-space: nowrap; }
.status { font-weight: bold; white-space: nowrap; }
.built, .cached, .up-to-date { color: #1a7f37; }
.failed { color: #b3261e; }
.not-built { color: #5c5c5c; }
.note { color: #5c5c5c; font-size: 0.85rem; }
a { color: #0072b2; }
"""


def _status(outcome: RunOutcome | None, record: dict[str, Any] | None, failed: bool) -> str:
    if outcome is not None and outcome.status == "failed":
        suffix = " (last good report shown)" if record else ""
        return f'<span class="status failed">failed</span>{_e(suffix)}'
    if outcome is not None:
        return f'<span class="status {outcome.status}">{_e(outcome.status)}</span>'
    if failed:
        return '<span class="status failed">failed in an earlier build</span>'
    if record:
        return '<span class="status up-to-date">built earlier</span>'
    return '<span class="status not-built">not built</span>'


def _row(run: Run, outcome: RunOutcome | None, out: config.Paths) -> str:
    record = read_record(out.reports / run.name)
    failed = (out.failed_reports / run.name).is_dir()
    title = (record or {}).get("title") or (outcome.title if outcome else "") or run.name
    params = "".join(
        f"<li{' class=set' if k in run.overrides else ''}>{_e(k)} = {_e(value_text(v))}</li>"
        for k, v in run.parameters.items()
    )
    vintage = "".join(
        f"<li>{_e(t)}: cleaned {_e(when(v.get('built_at')))} from {_e(v.get('raw_files'))} raw "
        "file(s)</li>"
        if v.get("built_at")
        else f"<li>{_e(t)}: not in the processed manifest</li>"
        for t, v in ((record or {}).get("data_vintage") or {}).items()
    )
    files = (record or {}).get("files") or {}
    links = " · ".join(
        f'<a href="{_href(run.name, files[kind])}">{label}</a>'
        for kind, label in (("html", "HTML"), ("pdf", "PDF"), ("ipynb", "notebook"))
        if kind in files
    )
    previous = read_record(out.previous_reports / run.name)
    if previous and (previous.get("files") or {}).get("html"):
        href = _href(config.PREVIOUS_DIR, run.name, previous["files"]["html"])
        links += (
            f'<div class="note"><a href="{href}">previous build</a> '
            f"({_e(when(previous.get('built_at')))})</div>"
        )
    error = ""
    if failed and (outcome is None or outcome.status == "failed"):
        failed_html = _href(config.FAILED_DIR, run.name, f"{run.name}.html")
        message = outcome.error if outcome and outcome.error else "see the failed notebook"
        error = (
            f'<div class="note failed">{_e(message)} — '
            f'<a href="{failed_html}">failed notebook (code shown)</a></div>'
        )
    elif outcome is not None and outcome.status == "failed" and outcome.error:
        error = f'<div class="note failed">{_e(outcome.error)}</div>'
    return (
        f'<tr id="{_e(run.name)}"><td><div class="title">{_e(title)}</div>'
        + (f'<div class="note">{_e(run.description)}</div>' if run.description else "")
        + f'<div class="name">{_e(run.name)} · {_e(run.notebook_name)}</div></td>'
        f'<td><ul class="params">{params or "<li>(none)</li>"}</ul></td>'
        f"<td>{_status(outcome, record, failed)}{error}</td>"
        f"<td class=when>{_e(when((record or {}).get('built_at')))}</td>"
        f'<td><ul class="params">{vintage or "<li>—</li>"}</ul></td>'
        f"<td>{links or '—'}</td></tr>"
    )


def render_index(runs: Sequence[Run], summary: BuildSummary | None = None) -> str:
    """The index page's HTML."""
    out = config.paths()
    outcomes = {o.name: o for o in (summary.runs if summary else [])}
    rows = "".join(_row(run, outcomes.get(run.name), out) for run in runs)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lead = f"{len(runs)} report run(s); index written {now}."
    if summary is not None:
        lead += (
            f" Last build: {summary.count('built')} built, {summary.count('cached')} cached, "
            f"{len(summary.failed)} failed."
        )
    refreshed = _refresh_note(out.refresh_summary)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>Reports</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        "<h1>Reports: Iran's finances and claims of Iranian funding to Hamas</h1>\n"
        f'<p class="lead">{_e(lead)} Each report ends with its sources and provenance; '
        f'<a href="{_href(config.BUILD_SUMMARY_FILE)}">{_e(config.BUILD_SUMMARY_FILE)}</a> has '
        "the details.</p>\n"
        f"{refreshed}"
        "<table>\n<thead><tr><th>report</th><th>parameters</th><th>status</th>"
        "<th>built</th><th>data vintage</th><th>files</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody>\n</table>\n</main>\n</body>\n</html>\n"
    )


def _refresh_note(path: Path) -> str:
    """ "Data updated on …, what changed" from the last ``analysis refresh`` (if any)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    changed = data.get("data_changed") or []
    what = (
        "; ".join(_e(c) for c in changed[:20]) + (" …" if len(changed) > 20 else "")
        if changed
        else "no upstream file changed"
    )
    updated = _e(when(data.get("data_updated_at")))
    return (
        f'<p class="note" id="data-vintage">Data updated on {updated}'
        f" (last checked {_e(when(data.get('checked_at')))}). What changed: {what}. "
        f'<a href="{_href(path.name)}">{_e(path.name)}</a></p>\n'
    )


def write_index(runs: Sequence[Run], summary: BuildSummary | None = None) -> Path:
    """Write ``reports/index.html`` atomically; return its path."""
    path = config.paths().index
    atomic.write_text(path, render_index(runs, summary))
    return path
