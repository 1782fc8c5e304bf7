"""Faults and concurrency (issue 7): SIGKILL mid-write, a full disk, a killed kernel, two steps at
once. After each: the last good tables/reports are intact and the next run recovers on its own.

Small SYNTHETIC inputs only (tests/fixtures/snapshot, tests/fixtures/ledgers, fixture notebooks).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pyarrow.parquet
import pytest

from analysis import cli
from analysis.errors import ExitCode

FIXTURES = Path(__file__).parent / "fixtures"
TABLES = ("us_cpi", "events")
ONLY = [arg for table in TABLES for arg in ("--only", table)]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(home: Path, *args: str, script: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", script] if script else [sys.executable, "-m", "analysis"]
    return subprocess.run(
        [*command, *args],
        env={**os.environ, "ANALYSIS_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def cleaned(home: Path) -> Path:
    """A project home whose raw folder holds the synthetic inputs, cleaned once (last good)."""
    raw = home / "data" / "raw"
    shutil.copytree(FIXTURES / "snapshot" / "datahub-cpi-us", raw / "datahub-cpi-us")
    shutil.copytree(FIXTURES / "ledgers", raw / "ledgers")
    done = _run(home, "clean", "-q", *ONLY)
    assert done.returncode == 0, done.stderr
    return home


def _outputs(home: Path) -> dict[str, str]:
    processed = home / "data" / "processed"
    return {p.name: _sha(p) for p in sorted(processed.glob("*.*")) if not p.name.startswith(".")}


def _change_input(home: Path) -> None:
    """A new synthetic month of US CPI: makes us_cpi dirty."""
    cpi = home / "data" / "raw" / "datahub-cpi-us" / "cpiai.csv"
    cpi.write_text(cpi.read_text().rstrip("\n") + "\n2099-01-01,999,1.0\n")


KILL_WHILE_WRITING = textwrap.dedent(
    """
    import os, signal
    import pyarrow.parquet
    from analysis import cli

    def half_then_die(table, path, *args, **kwargs):
        with open(path, "wb") as handle:
            handle.write(b"PAR1 half a synthetic parquet")
        os.kill(os.getpid(), signal.SIGKILL)

    pyarrow.parquet.write_table = half_then_die
    cli.main(["clean", "-q", "--only", "us_cpi"])
    """
)


def test_sigkill_while_writing_a_table_keeps_the_last_good_one(cleaned: Path) -> None:
    before = _outputs(cleaned)
    manifest = (cleaned / "data" / "processed" / "manifest.json").read_text()
    _change_input(cleaned)
    killed = _run(cleaned, script=KILL_WHILE_WRITING)
    assert killed.returncode == -signal.SIGKILL
    assert _outputs(cleaned) == before, "the last good tables are intact"
    assert (cleaned / "data" / "processed" / "manifest.json").read_text() == manifest
    leftovers = list((cleaned / "data" / "processed").glob(".*.tmp"))
    assert leftovers, "the kill left a temporary file (what the next run must sweep)"

    again = _run(cleaned, "clean", "-q", "--only", "us_cpi")
    assert again.returncode == 0, again.stderr
    assert not list((cleaned / "data" / "processed").glob(".*.tmp"))
    table = pd.read_parquet(cleaned / "data" / "processed" / "us_cpi.parquet")
    assert len(table) >= 1
    entry = json.loads((cleaned / "data" / "processed" / "manifest.json").read_text())
    assert entry["tables"]["us_cpi"]["outputs"]["parquet"] == _sha(
        cleaned / "data" / "processed" / "us_cpi.parquet"
    )


def test_a_full_disk_keeps_the_last_good_table_and_says_so_first(
    cleaned: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _outputs(cleaned)

    def no_space(table: object, path: object, *args: object, **kwargs: object) -> None:
        Path(str(path)).write_bytes(b"PAR1")
        raise OSError(errno.ENOSPC, "No space left on device (simulated)")

    monkeypatch.setattr(pyarrow.parquet, "write_table", no_space)
    with pytest.raises(SystemExit) as stopped:
        cli.main(["clean", "-q", "--force", "--only", "us_cpi"])
    first = capsys.readouterr().err.splitlines()[0]
    assert stopped.value.code == ExitCode.DISK
    assert first.startswith("error: ") and "No space left on device" in first
    assert _outputs(cleaned) == before
    assert not list((cleaned / "data" / "processed").glob(".*.tmp")), "temp file removed"

    monkeypatch.undo()
    again = _run(cleaned, "clean", "-q", "--force", "--only", "us_cpi")
    assert again.returncode == 0, again.stderr


def test_second_step_waits_for_the_lock_then_exits_busy(cleaned: Path) -> None:
    from analysis.locking import pipeline_lock

    before = _outputs(cleaned)
    _change_input(cleaned)
    shutil.copytree(FIXTURES / "notebooks", cleaned / "notebooks")
    (cleaned / "reports.toml").write_text(
        '[[report]]\nnotebook = "ok.ipynb"\ntables = ["us_cpi"]\nname = "r"\n'
    )
    env = {**os.environ, "ANALYSIS_HOME": str(cleaned)}
    with pipeline_lock("build"):
        started = [
            subprocess.Popen(
                [sys.executable, "-m", "analysis", *args],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for args in (["clean", "-q", *ONLY], ["build", "-q"])
        ]
        results = [(p.wait(timeout=60), p.stderr.read() if p.stderr else "") for p in started]
    for code, stderr in results:
        assert code == ExitCode.BUSY, stderr
        assert stderr.splitlines()[0].startswith("error: another `analysis` step holds")
    assert _outputs(cleaned) == before, "the waiting step wrote nothing"
    assert not (cleaned / "reports" / "r").exists()
    after = _run(cleaned, "clean", "-q", *ONLY)
    assert after.returncode == 0, after.stderr


@pytest.mark.slow
def test_a_killed_kernel_fails_its_run_and_the_next_build_recovers(home: Path) -> None:
    from analysis.render.runner import build

    notebooks = home / "notebooks"
    shutil.copytree(FIXTURES / "notebooks", notebooks)
    book = json.loads((notebooks / "ok.ipynb").read_text())
    book["cells"][4]["source"] = "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"
    (notebooks / "killer.ipynb").write_text(json.dumps(book))
    folder = home / "data" / "processed"
    folder.mkdir(parents=True)
    pd.DataFrame(
        {"year": [2000, 2001], "value": [1.0, 2.0], "source_file": "synthetic/s.csv"}
        | {"source_row": [2, 3]}
    ).to_parquet(folder / "alpha.parquet", index=False)
    config = '[[report]]\nnotebook = "{nb}"\ntables = ["alpha"]\nname = "r"\n'
    (home / "reports.toml").write_text(config.format(nb="ok.ipynb"))
    assert build(quiet=True, echo=lambda _l: None).exit_code == ExitCode.OK
    good = {p.name: _sha(p) for p in (home / "reports" / "r").iterdir() if p.is_file()}

    (home / "reports.toml").write_text(config.format(nb="killer.ipynb"))
    summary = build(quiet=True, echo=lambda _l: None)
    assert summary.exit_code == ExitCode.PARTIAL
    assert summary.runs[0].status == "failed" and summary.runs[0].error
    assert {p.name: _sha(p) for p in (home / "reports" / "r").iterdir() if p.is_file()} == good

    (home / "reports.toml").write_text(config.format(nb="ok.ipynb"))
    assert build(quiet=True, echo=lambda _l: None).exit_code == ExitCode.OK


KILL_WHILE_PROMOTING = textwrap.dedent(
    """
    import os, signal
    from analysis import cli

    real_replace = os.replace

    def replace_then_die(src, dst, *args, **kwargs):
        real_replace(src, dst, *args, **kwargs)
        if os.path.basename(str(dst)) == ".r.old":  # old report moved aside, new not yet in
            os.kill(os.getpid(), signal.SIGKILL)

    os.replace = replace_then_die
    cli.main(["build", "-q", "--force", "--jobs", "1"])
    """
)


@pytest.mark.slow
def test_sigkill_while_promoting_a_report_recovers_the_last_good_one(home: Path) -> None:
    shutil.copytree(FIXTURES / "notebooks", home / "notebooks")
    folder = home / "data" / "processed"
    folder.mkdir(parents=True)
    pd.DataFrame(
        {"year": [2000, 2001], "value": [1.0, 2.0], "source_file": "synthetic/s.csv"}
        | {"source_row": [2, 3]}
    ).to_parquet(folder / "alpha.parquet", index=False)
    (home / "reports.toml").write_text(
        '[[report]]\nnotebook = "ok.ipynb"\ntables = ["alpha"]\nname = "r"\n'
    )
    first = _run(home, "build", "-q")
    assert first.returncode == 0, first.stderr
    report = home / "reports" / "r"
    good = {p.name: _sha(p) for p in report.iterdir() if p.is_file()}

    # Own session, output to a file: orphaned workers/kernels must not keep a pipe open.
    log = home / "killed.log"
    with log.open("w") as out:
        child = subprocess.Popen(
            [sys.executable, "-c", KILL_WHILE_PROMOTING],
            env={**os.environ, "ANALYSIS_HOME": str(home)},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            code = child.wait(timeout=120)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)  # its orphaned pool workers and kernels
    assert code == -signal.SIGKILL, log.read_text()
    aside = home / "reports" / ".r.old"
    assert {p.name: _sha(p) for p in aside.iterdir() if p.is_file()} == good, "old copy intact"

    again = _run(home, "build", "-q")
    assert again.returncode == 0, again.stderr
    assert report.is_dir() and not aside.exists()
    assert {p.name for p in report.iterdir() if p.is_file()} == set(good)
