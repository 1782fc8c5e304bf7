"""The Dask executor: same runs, cache keys, promotion and failure handling as the local pool,
on a LocalCluster of separate worker processes (2 workers, 1 thread each), including a worker
killed mid-run. Synthetic notebooks and tables only."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest
from test_render_runner import NOTEBOOKS, TWO_RUNS, write_table

from analysis.errors import ExitCode
from analysis.render.cache import RECORD
from analysis.render.runner import BuildSummary, build

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow

SLOW_RUNS = """
[[report]]
notebook = "slow_cell.ipynb"
tables = []
name = "slow-{seconds}"
grid = { seconds = [6.0, 6.5] }

[[report]]
notebook = "ok.ipynb"
tables = ["alpha"]
name = "ok-alpha"
"""


@pytest.fixture
def project(home: Path) -> Path:
    shutil.copytree(NOTEBOOKS, home / "notebooks")
    write_table(home, "alpha", [1.0, 2.0, 1.5])
    write_table(home, "beta", [5.0, 4.0])
    (home / "reports.toml").write_text(TWO_RUNS, encoding="utf-8")
    return home


@pytest.fixture
def cluster() -> object:
    """Two worker processes with one thread each, as on a real cluster."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as local:
        yield local


def statuses(summary: BuildSummary) -> dict[str, str]:
    return {r.name: r.status for r in summary.runs}


def no_half_promoted(reports: Path) -> None:
    """Every report folder is complete (record + HTML) and nothing is left mid-swap."""
    assert not list(reports.glob(".*.old")), "a half-swapped folder was left"
    for folder in reports.iterdir():
        if folder.is_dir() and not folder.name.startswith("_"):
            assert (folder / RECORD).is_file() and (folder / f"{folder.name}.html").is_file()


def test_dask_builds_with_the_same_cache_keys_and_failure_handling(
    project: Path, cluster: distributed.LocalCluster
) -> None:
    address = cluster.scheduler_address
    first = build(quiet=True, echo=lambda _l: None, executor="dask", scheduler=address)
    assert statuses(first) == {"ok-alpha": "built", "ok-beta": "built"}
    assert "sum of synthetic values: 9" in (project / "reports/ok-beta/ok-beta.html").read_text()
    assert not (project / ".cache" / "build" / "staging").exists()

    # The local pool sees the Dask-built reports as current: the same cache keys.
    again = build(quiet=True, echo=lambda _l: None, jobs=1)
    assert set(statuses(again).values()) == {"cached"}

    # A failing notebook: PARTIAL, the last good report stays, the failure is kept aside.
    good = (project / "reports/ok-alpha/ok-alpha.html").read_bytes()
    (project / "reports.toml").write_text(
        TWO_RUNS.replace('"ok.ipynb"\ntables = ["alpha"]', '"broken.ipynb"\ntables = ["alpha"]')
    )
    write_table(project, "beta", [5.0, 4.0, 3.0])
    broken = build(quiet=True, echo=lambda _l: None, executor="dask", scheduler=address)
    assert statuses(broken) == {"ok-alpha": "failed", "ok-beta": "built"}
    assert broken.exit_code == ExitCode.PARTIAL
    assert broken.failed[0].error == "ZeroDivisionError: division by zero"
    assert (project / "reports/ok-alpha/ok-alpha.html").read_bytes() == good
    assert (project / "reports/_failed/ok-alpha/error.txt").is_file()
    no_half_promoted(project / "reports")


def test_a_worker_killed_mid_run_never_leaves_a_half_promoted_report(
    project: Path, cluster: distributed.LocalCluster
) -> None:
    (project / "reports.toml").write_text(SLOW_RUNS, encoding="utf-8")
    client = distributed.Client(cluster)
    pids = client.run(os.getpid)  # worker address → process id
    killed: list[str] = []

    def kill_a_busy_worker() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            for address, keys in client.processing().items():
                if any(str(k).startswith("report-slow") for k in keys):
                    time.sleep(3.0)  # the kernel is running the slow cell by now
                    os.kill(pids[address], signal.SIGKILL)
                    killed.append(address)
                    return
            time.sleep(0.2)

    killer = threading.Thread(target=kill_a_busy_worker, daemon=True)
    killer.start()
    summary = build(
        quiet=True, echo=lambda _l: None, executor="dask", scheduler=cluster.scheduler_address
    )
    killer.join(timeout=5)
    client.close()
    assert killed, "no worker was killed: the test did not exercise anything"
    print("after killing", killed, {r.name: (r.status, r.error) for r in summary.runs})
    assert summary.exit_code in (ExitCode.OK, ExitCode.PARTIAL)
    for run in summary.runs:
        folder = project / "reports" / run.name
        if run.status == "built":
            assert (folder / RECORD).is_file()
        else:  # failed cleanly: named error, no report folder
            assert run.status == "failed" and run.error and not folder.exists()
    assert statuses(summary)["ok-alpha"] == "built"
    no_half_promoted(project / "reports")
    assert not (project / ".cache" / "build" / "staging").exists()


def test_dask_without_a_scheduler_starts_a_local_cluster(project: Path) -> None:
    summary = build(quiet=True, echo=lambda _l: None, executor="dask", jobs=2, only=["ok-alpha"])
    assert statuses(summary) == {"ok-alpha": "built"}
    assert summary.exit_code == ExitCode.OK
