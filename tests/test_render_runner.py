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
    started: list[str] = []

    def no_kernel(todo: list[tuple[object, ...]], *args: object, **kwargs: object) -> list[object]:
        started.extend(run.name for run, *_ in todo)  # type: ignore[attr-defined]
        return []

    monkeypatch.setattr(runner, "_execute_all", no_kernel)
    summary = build(quiet=True, echo=lambda _line: None)
    assert started == ["ok-alpha", "ok-beta"]  # the bad run never reached a kernel
    bad = next(r for r in summary.runs if r.name == "typed_parameters")
    assert bad.status == "failed"
    assert "parameter 'start_year' = '007'" in (bad.error or "")
    assert summary.exit_code == ExitCode.PARTIAL


BROKEN_EXTRAS = """
[[report]]
notebook = "untyped.ipynb"
tables = []

[[report]]
notebook = "nosuch.ipynb"

[[report]]
notebook = "ok.ipynb"
name = "ok-wrong-type"
parameters = { label = 3 }
"""


@pytest.mark.slow
def test_a_broken_run_fails_alone_and_the_others_build(project: Path) -> None:
    """An untyped parameters cell, an unknown notebook and a wrong type in a copy of
    reports.toml: each fails with its message, the good runs build, exit 5."""
    source = json.loads((project / "notebooks" / "ok.ipynb").read_text())
    source["cells"][1]["source"] = ["label = 'a'  # no type\n", 'table: str = "alpha"  # t\n']
    (project / "notebooks" / "untyped.ipynb").write_text(json.dumps(source))
    copy = project / "reports-copy.toml"
    copy.write_text(TWO_RUNS + BROKEN_EXTRAS)
    lines: list[str] = []
    summary = build(quiet=True, jobs=2, echo=lines.append, config_path=copy)
    assert statuses(summary) == {
        "ok-alpha": "built",
        "ok-beta": "built",
        "untyped": "failed",
        "nosuch": "failed",
        "ok-wrong-type": "failed",
    }
    assert summary.exit_code == ExitCode.PARTIAL
    errors = {r.name: r.error or "" for r in summary.runs}
    assert "`label = 'a'` is not a typed parameter" in errors["untyped"]
    assert "notebook 'nosuch.ipynb' not found" in errors["nosuch"]
    assert "parameter 'label' = 3 is an int, not a str" in errors["ok-wrong-type"]
    assert any(line.startswith("FAILED       nosuch:") for line in lines)
    assert (project / "reports" / "ok-alpha" / "ok-alpha.html").exists()
    index = (project / "reports" / "index.html").read_text()
    assert 'href="ok-beta/ok-beta.html"' in index
    # --only a good run of the same broken config: nothing fails.
    assert (
        build(dry_run=True, only=["ok-alpha"], config_path=copy, echo=lines.append).exit_code == 0
    )


@pytest.mark.slow
def test_the_cache_keys_on_the_tables_a_run_read(project: Path) -> None:
    """No 'tables' line: the build records what the run opened and rebuilds when it changes."""
    (project / "reports.toml").write_text(
        '[[report]]\nnotebook = "ok.ipynb"\nname = "ok-beta"\nparameters = { table = "beta" }\n'
    )
    assert statuses(quiet_build()) == {"ok-beta": "built"}
    record = json.loads((project / "reports" / "ok-beta" / "build.json").read_text())
    assert record["tables_read"] == ["beta"]
    assert list(record["key"]["tables"]) == ["beta"]
    assert statuses(quiet_build()) == {"ok-beta": "cached"}
    write_table(project, "alpha", [9.0])  # not read: stays cached
    assert statuses(quiet_build()) == {"ok-beta": "cached"}
    write_table(project, "beta", [5.0, 4.0, 3.0])
    rebuilt = quiet_build()
    assert statuses(rebuilt) == {"ok-beta": "built"}
    assert rebuilt.runs[0].reasons == ["table(s) changed: beta"]


@pytest.mark.slow
def test_reading_an_undeclared_table_fails_the_run(project: Path) -> None:
    (project / "reports.toml").write_text(
        '[[report]]\nnotebook = "ok.ipynb"\nname = "sneaky"\ntables = ["alpha"]\n'
        'parameters = { table = "beta" }\n'
    )
    summary = quiet_build()
    assert statuses(summary) == {"sneaky": "failed"}
    assert "read table(s) beta, which its 'tables' in reports.toml leave out" in (
        summary.runs[0].error or ""
    )
    assert (project / "reports" / "_failed" / "sneaky" / "error.txt").exists()
    assert not (project / "reports" / "sneaky").exists()


@pytest.mark.slow
def test_a_one_off_run_goes_to_its_own_folder(project: Path) -> None:
    summary = build(
        quiet=True, echo=lambda _l: None, notebook=Path("ok.ipynb"), values={"table": "beta"}
    )
    assert statuses(summary) == {"ok-table-beta": "built"}
    out = project / "reports" / "_oneoff" / "ok-table-beta"
    assert "sum of synthetic values: 9" in (out / "ok-table-beta.html").read_text()
    assert not (project / "reports" / "index.html").exists()
    assert summary.summary_lines()[0].endswith(
        "Open reports/_oneoff/ok-table-beta/ok-table-beta.html."
    )
    with pytest.raises(UsageError, match=r"run 'ok': unknown parameter 'tabel' \(did you mean"):
        build(quiet=True, echo=lambda _l: None, notebook=Path("ok.ipynb"), values={"tabel": "x"})


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
