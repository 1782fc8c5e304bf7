"""The readers' pages below ``reports/``: ``index.html`` and ``build.html``.

``index.html`` lists the reports in reading order (the order of ``reports.toml``: the report
that answers the question first), each with its one-sentence description, the date of the
latest data it shows and its settings in words, as the report's own sources section states
them (:mod:`analysis.report.appendix`; else the settings by :mod:`analysis.report.wording`),
and links to its HTML, PDF and data files (``<run>/data/*.csv``). ``build.html`` holds the build
details: each run's status, raw parameters, build time, the processing time of its tables, the
notebook, the previous and failed builds. No scripts, every text escaped, relative links,
written atomically; both open from disk, offline, and writing them imports no pandas.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from html import unescape
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

#: The second page, beside index.html.
BUILD_PAGE = "build.html"
#: Folder of a report's CSV files (the exporter's ``DATA_DIR``).
DATA_DIR = "data"
#: What the readers' index says at the top.
HEADING = "What is behind the Hamas–Iran rapprochement? Reports with their data"
LEAD = (
    "Read the first report first: it takes the question and the article's claims one by one. "
    "The others hold the evidence in detail. Every chart and table in a report has its data "
    "beside it as a CSV file (opens in any spreadsheet; the first lines, starting with #, say "
    "what the data is, where it comes from and the report's settings)."
)

#: The start tag of a report's sources section, and its attributes.
_SECTION = re.compile(r'<section class="provenance"[^>]*>')
_ATTR = re.compile(r'\s([a-z-]+)="([^"]*)"')

STYLE = """
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1b1b1b;
       margin: 0; line-height: 1.5; }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
main.wide { max-width: 72rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.3rem 0 0.6rem; }
p.lead { color: #3d3d3d; margin-top: 0; }
ol.reports { list-style: none; padding: 0; margin: 1.5rem 0; }
ol.reports > li { border-top: 1px solid #d6d6d6; padding: 1rem 0 1.1rem; }
ol.reports h2 { font-size: 1.2rem; line-height: 1.3; margin: 0 0 0.35rem; }
ol.reports p { margin: 0.25rem 0; }
.meta { color: #3d3d3d; font-size: 0.92rem; }
.links a { margin-right: 0.9rem; white-space: nowrap; }
details.files { font-size: 0.88rem; margin-top: 0.35rem; }
details.files ul { margin: 0.3rem 0; padding-left: 1.1rem; overflow-wrap: anywhere; }
.table-box { overflow-x: auto; }
.table-box table { min-width: 56rem; }  /* scrolls in its box on a phone, not squeezed */
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


def _page(title: str, body: str, *, wide: bool = False) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<main{' class=wide' if wide else ''}>\n{body}</main>\n</body>\n</html>\n"
    )


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


def _title(run: Run, record: dict[str, Any] | None, outcome: RunOutcome | None) -> str:
    return str((record or {}).get("title") or (outcome.title if outcome else "") or run.name)


def _failed_note(run: Run, outcome: RunOutcome | None, out: config.Paths) -> str:
    """The failed run's error and a link to its failed notebook (code shown), if it failed."""
    failed = (out.failed_reports / run.name).is_dir()
    if failed and (outcome is None or outcome.status == "failed"):
        failed_html = _href(config.FAILED_DIR, run.name, f"{run.name}.html")
        message = outcome.error if outcome and outcome.error else "see the failed notebook"
        return (
            f'<div class="note failed">{_e(message)} — '
            f'<a href="{failed_html}">failed notebook (code shown)</a></div>'
        )
    if outcome is not None and outcome.status == "failed" and outcome.error:
        return f'<div class="note failed">{_e(outcome.error)}</div>'
    return ""


def _previous_link(run: Run, out: config.Paths, label: str) -> str:
    previous = read_record(out.previous_reports / run.name)
    if not (previous and (previous.get("files") or {}).get("html")):
        return ""
    href = _href(config.PREVIOUS_DIR, run.name, previous["files"]["html"])
    return f'<a href="{href}">{_e(label)}</a> ({_e(when(previous.get("built_at")))})'


def _build_row(run: Run, outcome: RunOutcome | None, out: config.Paths) -> str:
    """One run on the build page: status, raw parameters, build time, tables, files."""
    record = read_record(out.reports / run.name)
    failed = (out.failed_reports / run.name).is_dir()
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
    if record:
        links += f' · <a href="{_href(run.name, "build.json")}">build.json</a>'
    if previous := _previous_link(run, out, "previous build"):
        links += f'<div class="note">{previous}</div>'
    return (
        f'<tr id="{_e(run.name)}"><td><div class="title">{_e(_title(run, record, outcome))}</div>'
        f'<div class="name">{_e(run.name)} · {_e(run.notebook_name)}</div></td>'
        f'<td><ul class="params">{params or "<li>(none)</li>"}</ul></td>'
        f"<td>{_status(outcome, record, failed)}{_failed_note(run, outcome, out)}</td>"
        f"<td class=when>{_e(when((record or {}).get('built_at')))}</td>"
        f'<td><ul class="params">{vintage or "<li>—</li>"}</ul></td>'
        f"<td>{links or '—'}</td></tr>"
    )


def report_says(folder: Path, record: dict[str, Any] | None) -> dict[str, str]:
    """What a built report's sources section states about itself: ``latest`` (the date of the
    latest data it shows) and ``settings`` (its settings in words); empty when not stated."""
    html = (record or {}).get("files", {}).get("html")
    try:
        text = (folder / str(html)).read_text(encoding="utf-8") if html else ""
    except OSError:
        return {}
    tag = _SECTION.search(text)
    attrs = dict(_ATTR.findall(tag.group(0))) if tag else {}
    return {k: unescape(attrs.get(f"data-{k}", "")) for k in ("latest", "settings")}


def distinct_titles(runs: Sequence[Run], titles: Sequence[str]) -> list[str]:
    """``titles`` (one per run) made distinct for the readers' index: a title that several runs
    share gets, after a colon, the settings in words (``parameter_phrases``) that set its run
    apart from the others of that title ("…: statements about Hamas only")."""
    from analysis.report.wording import parameter_phrases

    out = list(titles)
    for title in set(titles):
        same = [i for i, t in enumerate(titles) if t == title]
        if len(same) < 2:
            continue
        phrases = {i: parameter_phrases(runs[i].parameters) for i in same}
        for i in same:
            shared = set.intersection(*(set(phrases[j]) for j in same if j != i))
            own = [p for p in phrases[i] if p not in shared]
            out[i] = f"{title}: {'; '.join(own) or runs[i].name}"
    return out


def _reader_item(
    run: Run, outcome: RunOutcome | None, out: config.Paths, title: str | None = None
) -> str:
    """One report on the readers' index (``title``: its title there, see
    :func:`distinct_titles`; by default the report's own)."""
    from analysis.report.wording import parameters_sentence

    folder = out.reports / run.name
    record = read_record(folder)
    files = (record or {}).get("files") or {}
    links = [
        f'<a href="{_href(run.name, files[kind])}">{label}</a>'
        for kind, label in (("html", "Read it (HTML)"), ("pdf", "PDF to print"))
        if kind in files
    ]
    data = sorted((folder / DATA_DIR).glob("*.csv")) if record else []
    if data:
        links.append(f'<a href="{_href(run.name, DATA_DIR)}/">Data folder</a>')
    title = title or _title(run, record, outcome)
    heading = (
        f'<a href="{_href(run.name, files["html"])}">{_e(title)}</a>'
        if files.get("html")
        else _e(title)
    )
    says = report_says(folder, record)
    latest = says.get("latest")
    settings = says.get("settings") or parameters_sentence(run.parameters)
    meta = (f"Latest data shown: <b>{_e(latest)}</b>. " if latest else "") + (
        f"Settings: {_e(settings)}."
    )
    status = "" if record else '<p class="note">Not built yet.</p>'
    failed = _failed_note(run, outcome, out)
    previous = _previous_link(run, out, "previous edition")
    listing = (
        f'<details class="files"><summary>{len(data)} data file(s), one per chart or table'
        "</summary><ul>"
        + "".join(
            f'<li><a href="{_href(run.name, DATA_DIR, p.name)}">{_e(p.name)}</a></li>' for p in data
        )
        + "</ul></details>"
        if data
        else ""
    )
    return (
        f'<li id="{_e(run.name)}"><h2>{heading}</h2>'
        + (f"<p>{_e(run.description)}</p>" if run.description else "")
        + f'<p class="meta">{meta}</p>'
        + (f'<p class="links">{" ".join(links)}</p>' if links else "")
        + listing
        + status
        + failed
        + (f'<p class="note">{previous}</p>' if previous else "")
        + "</li>"
    )


def render_index(runs: Sequence[Run], summary: BuildSummary | None = None) -> str:
    """The readers' index page's HTML (reports in the order given: reports.toml's)."""
    out = config.paths()
    outcomes = {o.name: o for o in (summary.runs if summary else [])}
    titles = distinct_titles(
        runs,
        [_title(r, read_record(out.reports / r.name), outcomes.get(r.name)) for r in runs],
    )
    items = "".join(
        _reader_item(run, outcomes.get(run.name), out, title)
        for run, title in zip(runs, titles, strict=True)
    )
    return _page(
        "Reports",
        f'<h1>{_e(HEADING)}</h1>\n<p class="lead">{_e(LEAD)}</p>\n'
        f"{_refresh_note(out.refresh_summary)}"
        f'<ol class="reports">{items}</ol>\n'
        f'<p class="note">How these reports were built: <a href="{_href(BUILD_PAGE)}">build '
        "details</a>.</p>\n",
    )


def render_build_page(runs: Sequence[Run], summary: BuildSummary | None = None) -> str:
    """The build page's HTML: every run's status, parameters, build time and files."""
    out = config.paths()
    outcomes = {o.name: o for o in (summary.runs if summary else [])}
    rows = "".join(_build_row(run, outcomes.get(run.name), out) for run in runs)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lead = f"{len(runs)} report run(s); page written {now}."
    if summary is not None:
        lead += (
            f" Last build: {summary.count('built')} built, {summary.count('cached')} cached, "
            f"{len(summary.failed)} failed."
        )
    return _page(
        "Build details",
        "<h1>Build details</h1>\n"
        f'<p class="lead">{_e(lead)} <a href="{_href(config.INDEX_FILE)}">The reports</a>; '
        f'<a href="{_href(config.BUILD_SUMMARY_FILE)}">{_e(config.BUILD_SUMMARY_FILE)}</a> has '
        "the timings. Each report's <code>build.json</code> holds its parameters, tables, "
        "checksums and code version.</p>\n"
        '<div class="table-box"><table>\n<thead><tr><th>report</th><th>parameters</th>'
        "<th>status</th><th>built</th><th>tables processed</th><th>files</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody>\n</table></div>\n",
        wide=True,
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
    """Write ``reports/index.html`` and ``reports/build.html`` atomically; return the index."""
    path = config.paths().index
    atomic.write_text(path.parent / BUILD_PAGE, render_build_page(runs, summary))
    atomic.write_text(path, render_index(runs, summary))
    return path
