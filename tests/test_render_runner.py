"""The cached, atomic, parallel runner, end to end with real kernels on synthetic tables.

Each test builds a throwaway project (ANALYSIS_HOME) holding the fixture notebooks, tiny
synthetic processed tables and a reports.toml.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.errors import BusyError, ExitCode, UsageError
from analysis.render import runner
from analysis.render.runner import BuildSummary, build

NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"

TWO_RUNS = """
[[report]]
notebook = "ok.ipynb"
tables = ["alpha"]
name = "ok-alpha"

[[report]]
notebook = "ok.ipynb"
tables = ["beta"]
name = "ok-beta"
parameters = { table = "beta" }
"""


def write_table(home: Path, name: str, values: list[float]) -> None:
    """A synthetic processed table (year, value) with provenance columns."""
    folder = home / "data" / "processed"
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(
        {
            "year": range(2000, 2000 + len(values)),
            "value": values,
            "source_file": "synthetic/series.csv",
            "source_row": range(2, 2 + len(values)),
        }
    ).to_parquet(folder / f"{name}.parquet", index=False)


@pytest.fixture
def project(home: Path) -> Path:
    shutil.copytree(NOTEBOOKS, home / "notebooks")
    write_table(home, "alpha", [1.0, 2.0, 1.5])
    write_table(home, "beta", [5.0, 4.0])
    (home / "reports.toml").write_text(TWO_RUNS, encoding="utf-8")
    return home


def statuses(summary: BuildSummary) -> dict[str, str]:
    return {r.name: r.status for r in summary.runs}


def quiet_build(**kw: object) -> BuildSummary:
    lines: list[str] = []
    return build(quiet=True, jobs=2, echo=lines.append, **kw)  # type: ignore[arg-type]


@pytest.mark.slow
def test_cache_skips_unchanged_runs_and_rebuilds_only_what_changed(project: Path) -> None:
    reports = project / "reports"

    first = quiet_build()
    assert statuses(first) == {"ok-alpha": "built", "ok-beta": "built"}
    assert first.exit_code == ExitCode.OK
    html = reports / "ok-alpha" / "ok-alpha.html"
    assert '<img src="data:image/png;base64,' in html.read_text(encoding="utf-8")
    assert (reports / "ok-alpha" / "ok-alpha.pdf").read_bytes()[:5] == b"%PDF-"
    assert (reports / "ok-alpha" / "ok-alpha.ipynb").exists()
    assert not (project / ".cache" / "build" / "staging").exists()  # staging cleaned up
    stamp = html.stat().st_mtime_ns

    again = quiet_build()
    assert statuses(again) == {"ok-alpha": "cached", "ok-beta": "cached"}, again.runs
    assert {r.cache for r in again.runs} == {"hit"}
    assert html.stat().st_mtime_ns == stamp

    write_table(project, "beta", [5.0, 4.0, 3.0])  # a new year in beta only
    after_table = quiet_build()
    assert statuses(after_table) == {"ok-alpha": "cached", "ok-beta": "built"}
    beta = next(r for r in after_table.runs if r.name == "ok-beta")
    assert beta.reasons == ["table(s) changed: beta"]
    assert "sum of synthetic values: 12" in (reports / "ok-beta" / "ok-beta.html").read_text()

    # A changed parameter: only that run; a dry run says so and runs nothing.
    config = project / "reports.toml"
    with_label = 'name = "ok-alpha"\nparameters = { label = "z" }'
    config.write_text(TWO_RUNS.replace('name = "ok-alpha"', with_label))
    plan = quiet_build(dry_run=True)
    assert statuses(plan) == {"ok-alpha": "would build", "ok-beta": "cached"}
    assert plan.runs[0].reasons == ["parameters changed (label)"]
    assert html.stat().st_mtime_ns == stamp

    # Re-saving a notebook with outputs (as JupyterLab does) changes nothing.
    config.write_text(TWO_RUNS)
    executed = json.loads((reports / "ok-alpha" / "ok-alpha.ipynb").read_text())
    source = json.loads((project / "notebooks" / "ok.ipynb").read_text())
    for cell, done in zip(source["cells"], executed["cells"][:2], strict=False):
        cell["outputs"] = done.get("outputs", [])
    (project / "notebooks" / "ok.ipynb").write_text(json.dumps(source))
    assert set(statuses(quiet_build(dry_run=True)).values()) == {"cached"}

    summary = json.loads((reports / "build-summary.json").read_text())
    assert summary["counts"] == {"built": 1, "cached": 1, "failed": 0}  # dry runs not written
    index = (reports / "index.html").read_text()
    assert 'href="ok-alpha/ok-alpha.html"' in index and 'href="ok-beta/ok-beta.pdf"' in index


@pytest.mark.slow
def test_a_failed_run_keeps_the_last_good_report_and_the_others_go_on(project: Path) -> None:
    reports = project / "reports"
    assert quiet_build(only=["ok-alpha"]).exit_code == ExitCode.OK
    good = (reports / "ok-alpha" / "ok-alpha.html").read_bytes()

    # ok-alpha now points at a notebook that fails; a new run builds beside it.
    (project / "reports.toml").write_text(
        TWO_RUNS.replace(
            'notebook = "ok.ipynb"\ntables = ["alpha"]',
            'notebook = "broken.ipynb"\ntables = ["alpha"]',
        ),
    )
    summary = quiet_build()
    assert statuses(summary) == {"ok-alpha": "failed", "ok-beta": "built"}
    assert summary.exit_code == ExitCode.PARTIAL
    failed = summary.failed[0]
    assert failed.error == "ZeroDivisionError: division by zero"
    assert failed.failed_dir == "_failed/ok-alpha/"

    assert (reports / "ok-alpha" / "ok-alpha.html").read_bytes() == good  # last good report
    folder = reports / "_failed" / "ok-alpha"
    notebook = json.loads((folder / "ok-alpha.ipynb").read_text())
    banner = notebook["cells"][0]
    assert "papermill-error-cell-tag" in banner["metadata"]["tags"]
    assert "An Exception was encountered" in "".join(banner["source"])
    assert "ZeroDivisionError" in (folder / "ok-alpha.html").read_text()
    text = re.sub(r"<[^>]+>", "", (folder / "ok-alpha.html").read_text())
    assert "ratio = 1 / divisor" in html_lib.unescape(text)  # code shown
    assert "ZeroDivisionError" in (folder / "error.txt").read_text()
    lines = summary.summary_lines()
    assert any("reports/_failed/ok-alpha/ok-alpha.html" in line for line in lines)
    index = (reports / "index.html").read_text()
    assert "failed" in index and 'href="_failed/ok-alpha/ok-alpha.html"' in index
    saved = json.loads((reports / "build-summary.json").read_text())
    assert saved["exit_code"] == ExitCode.PARTIAL
    assert saved["runs"][0]["status"] == "failed"

    # Back to the good notebook: the report in place is current again, the failure moot.
    (project / "reports.toml").write_text(TWO_RUNS)
    back = quiet_build(only=["ok-alpha"])
    assert statuses(back) == {"ok-alpha": "cached"}, back.runs[0].reasons
    assert not folder.exists()


@pytest.mark.slow
def test_a_cell_timeout_fails_the_run_with_papermill_banner(project: Path) -> None:
    (project / "reports.toml").write_text(
        '[[report]]\nnotebook = "slow_cell.ipynb"\ntables = []\nname = "slow"\n'
    )
    summary = quiet_build(cell_timeout=1.0)
    assert summary.exit_code == ExitCode.PARTIAL
    assert summary.runs[0].error is not None
    assert summary.runs[0].error.startswith("CellTimeoutError")
    notebook = json.loads((project / "reports" / "_failed" / "slow" / "slow.ipynb").read_text())
    assert "papermill-error-cell-tag" in notebook["cells"][0]["metadata"]["tags"]
    assert not (project / "reports" / "slow").exists()


def test_parameters_are_validated_before_any_kernel_starts(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "reports.toml").write_text(
        TWO_RUNS + '\n[[report]]\nnotebook = "typed_parameters.ipynb"\ntables = []\n'
        'parameters = { start_year = "007" }\n'
    )

    def no_kernel(*args: object, **kwargs: object) -> None:
        raise AssertionError("a report run started before the parameters were validated")

    monkeypatch.setattr(runner, "_execute_all", no_kernel)
    with pytest.raises(UsageError, match="parameter 'start_year' = '007'"):
        build(quiet=True, echo=lambda _line: None)
    assert not (project / "reports").exists()


def test_unknown_only_names_are_refused(project: Path) -> None:
    with pytest.raises(UsageError, match="unknown run"):
        build(only=["nope"], dry_run=True, echo=lambda _line: None)


def test_dry_run_says_what_would_run_and_why_without_writing(project: Path) -> None:
    lines: list[str] = []
    summary = build(dry_run=True, only=["ok"], echo=lines.append)  # a notebook stem: both runs
    assert statuses(summary) == {"ok-alpha": "would build", "ok-beta": "would build"}
    assert lines[0] == "would build  ok-alpha: no previous report"
    assert summary.exit_code == ExitCode.OK
    assert not (project / "reports").exists()


def test_a_missing_table_fails_the_run_without_a_kernel(project: Path) -> None:
    (project / "data" / "processed" / "beta.parquet").unlink()
    (project / "reports.toml").write_text(TWO_RUNS.split("[[report]]")[2].join(["[[report]]", ""]))
    summary = build(quiet=True, echo=lambda _line: None)
    assert statuses(summary) == {"ok-beta": "failed"}
    assert "beta" in (summary.runs[0].error or "") and "analysis clean" in (
        summary.runs[0].error or ""
    )
    assert summary.exit_code == ExitCode.PARTIAL


def test_another_build_holding_the_lock_makes_this_one_busy(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.locking import pipeline_lock

    monkeypatch.setattr(config, "LOCK_WAIT_SECONDS", 0.2)
    with pipeline_lock("clean"), pytest.raises(BusyError):
        build(quiet=True, echo=lambda _line: None)


def test_a_no_op_build_imports_nothing_heavy(project: Path) -> None:
    """How fast a no-op build is, is measured by benchmarks/run.py, not here."""
    import subprocess
    import sys

    code = (
        "import sys, time\n"
        "HEAVY = ('papermill', 'nbconvert', 'pandas', 'weasyprint', 'nbformat')\n"
        "from analysis.render.runner import build\n"
        "from analysis.render import cache\n"
        "import json, pathlib\n"
        "summary = build(quiet=True, echo=lambda _l: None)\n"
        "heavy = [m for m in HEAVY if m in sys.modules]\n"
        "statuses = sorted({r.status for r in summary.runs})\n"
        "print(json.dumps({'statuses': statuses, 'heavy': heavy}))\n"
    )
    # Fake up-to-date reports: a record whose key matches, and the files it lists.
    from analysis.render.cache import KeyContext, key_digest, run_key
    from analysis.render.report_config import load_runs

    ctx = KeyContext.current()
    for run in load_runs():
        folder = project / "reports" / run.name
        folder.mkdir(parents=True)
        key = run_key(run, ctx)
        files = {"html": f"{run.name}.html"}
        (folder / files["html"]).write_text("synthetic")
        record = {"key": key, "key_digest": key_digest(key), "files": files}
        (folder / "build.json").write_text(json.dumps(record))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    assert measured["heavy"] == []
    assert measured["statuses"] == ["cached"]


def test_report_key_holds_table_content_not_when_or_by_which_code_it_was_cleaned(
    project: Path,
) -> None:
    """``analysis clean --force`` with unchanged inputs rewrites the manifest's build time, code
    version and table key, and the same bytes: no report is stale. A changed count (shown in
    the appendix) or changed table bytes are, and the reason says which."""
    from analysis import store
    from analysis.render.cache import KeyContext, run_key, why_stale
    from analysis.render.report_config import load_runs

    entry = {
        "inputs": [{"path": "synthetic/series.csv", "sha256": "a" * 64, "bytes": 3}],
        "rows_read": 3,
        "rows_kept": 3,
        "rows_quarantined": 0,
        "rows_excluded": 0,
        "built_at": "2025-01-01T00:00:00+00:00",
        "code_version": "aaaaaaaaaaaa",
        "seconds": 1.0,
        "key": "1" * 64,
    }
    store.write_manifest({"tables": {"alpha": entry}})
    run = next(r for r in load_runs() if r.name == "ok-alpha")
    folder = project / "reports" / run.name
    folder.mkdir(parents=True)
    (folder / "ok-alpha.html").write_text("synthetic", encoding="utf-8")
    record = {"key": run_key(run, KeyContext.current()), "files": {"html": "ok-alpha.html"}}

    def reasons() -> list[str]:
        return why_stale(run_key(run, KeyContext.current()), record, folder)

    forced = {"built_at": "2026-02-03T04:05:06+00:00", "code_version": "bbbbbbbbbbbb"}
    store.write_manifest({"tables": {"alpha": entry | forced | {"seconds": 9.9, "key": "2" * 64}}})
    assert reasons() == []

    store.write_manifest({"tables": {"alpha": entry | {"rows_kept": 2, "rows_excluded": 1}}})
    assert reasons() == ["provenance of table(s) changed (sources, access dates or counts): alpha"]

    store.write_manifest({"tables": {"alpha": entry}})
    write_table(project, "alpha", [9.0, 8.0, 7.0])
    assert reasons() == ["table(s) changed: alpha"]
