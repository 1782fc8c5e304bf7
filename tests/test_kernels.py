"""Fresh, pre-imported kernels (analysis/render/kernels.py): each run's kernel is forked from a
warm template, and nothing one run does reaches the next, on the local pool and on Dask; the
plain kernel is the fallback. Synthetic notebooks only."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import Any

import nbformat
import pytest

from analysis import config
from analysis.render import determinism, kernels
from analysis.render.execute import Task, TaskResult, execute_task
from analysis.render.executors import run_dask, run_local

pytestmark = pytest.mark.slow

PROBE = "PROBE "
#: What a run sees of the state a previous run could have left behind.
LOOK = """
import json, os, sys
import matplotlib as mpl
import pandas as pd
print("PROBE " + json.dumps({
    "pid": os.getpid(),
    "ppid": os.getppid(),
    "global": "LEAKED" in globals(),
    "linewidth": mpl.rcParams["lines.linewidth"],
    "patched": getattr(pd.read_parquet, "leaked", False),
    "seaborn_before_import": "seaborn" in SEEN_AT_START,
}))
"""
#: Cell 1 records which modules the kernel had before the notebook imported anything.
FIRST = "import sys\nSEEN_AT_START = set(sys.modules)"
#: The run then leaves a global, an rcParam and a monkeypatched module behind.
LEAVE = """
LEAKED = True
mpl.rcParams["lines.linewidth"] = 9.25
def patched(*args, **kwargs):
    raise RuntimeError("a previous run's monkeypatch")
patched.leaked = True
pd.read_parquet = patched
"""


def write_notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Isolation probe"),
        nbformat.v4.new_code_cell(FIRST),
        nbformat.v4.new_code_cell(LOOK),
        nbformat.v4.new_code_cell(LEAVE),
        nbformat.v4.new_code_cell(LOOK),
    ]
    path = folder / "notebooks" / "probe.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def tasks(home: Path, count: int = 2) -> list[Task]:
    notebook = write_notebook(home)
    staging = home / ".cache" / "staging"
    return [Task(f"run{i}", notebook, {}, staging / f"run{i}", 120.0) for i in range(count)]


def probes(result: TaskResult) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the run saw before (first) and after (second) it left its state behind."""
    assert result.ok, result.error
    nb = nbformat.read(result.staging / f"{result.name}.ipynb", as_version=4)
    seen = [
        json.loads(line.removeprefix(PROBE))
        for cell in nb.cells
        for out in cell.get("outputs", [])
        for line in out.get("text", "").splitlines()
        if line.startswith(PROBE)
    ]
    assert len(seen) == 2
    return seen[0], seen[1]


def assert_isolated(results: list[TaskResult]) -> None:
    """Every run starts clean although the one before it changed all three, and every kernel
    is a new process forked from the same warm template."""
    before = [probes(r)[0] for r in sorted(results, key=lambda r: r.name)]
    after = [probes(r)[1] for r in sorted(results, key=lambda r: r.name)]
    for seen in after:  # each run did leave its state behind in its own kernel
        assert seen["global"] and seen["linewidth"] == 9.25 and seen["patched"]
    default = before[0]["linewidth"]
    assert default != 9.25
    for seen in before:
        assert not seen["global"]
        assert seen["linewidth"] == default
        assert not seen["patched"]
        assert seen["seaborn_before_import"], "the kernel was not forked from a warm template"
    assert len({s["pid"] for s in before}) == len(before), "a kernel served two runs"
    assert len({s["ppid"] for s in before}) == 1, "the runs did not share one template"


@pytest.fixture
def forked(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(config.KERNEL_MODE_ENV, kernels.FORKED)
    if not kernels.provisioner_registered():
        pytest.fail("the forked-kernel provisioner is not registered: pip install -e .")
    return home


def test_no_state_passes_between_runs_on_the_local_pool(forked: Path) -> None:
    results = [r for _, r in run_local(tasks(forked, 3), jobs=1, root=str(forked))]
    assert all(isinstance(r, TaskResult) for r in results)
    assert_isolated(results)  # type: ignore[arg-type]


def test_no_state_passes_between_runs_on_dask(forked: Path) -> None:
    pytest.importorskip("distributed")
    runs = run_dask(tasks(forked), jobs=1, root=str(forked), scheduler=None)
    results = [r for _, r in runs]
    assert all(isinstance(r, TaskResult) for r in results), results
    assert_isolated(results)  # type: ignore[arg-type]


#: What a kernel sees of the run's own environment (set by the worker for each run).
RUN_ENV = """
import json, os
print("PROBE " + json.dumps({
    "ppid": os.getppid(),
    "epoch": os.environ.get("SOURCE_DATE_EPOCH"),
    "code": os.environ.get("ANALYSIS_CODE_DIGEST"),
    "tables_log": os.environ.get("ANALYSIS_TABLES_LOG"),
}))
"""


def test_each_forked_kernel_gets_its_runs_own_environment_from_one_template(
    forked: Path,
) -> None:
    """Runs with different data dates and code digests (per-run variables) are forked from one
    template, and each kernel sees its own run's values, not the template's or the last run's."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(RUN_ENV)]
    path = forked / "notebooks" / "env.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)
    dates = {"run0": "2024-01-02", "run1": "2025-06-07", "run2": "2024-01-02"}
    runs = [
        Task(
            name,
            path,
            {},
            forked / "staging" / name,
            120.0,
            {"data_date": day, "key": {"code": f"digest-of-{name}"}},
        )
        for name, day in dates.items()
    ]
    seen: dict[str, dict[str, Any]] = {}
    for name, result in run_local(runs, jobs=1, root=str(forked)):
        assert isinstance(result, TaskResult) and result.ok, result
        out = nbformat.read(result.staging / f"{name}.ipynb", as_version=4).cells[0].outputs
        seen[name] = json.loads(out[0]["text"].removeprefix(PROBE))
    for name, day in dates.items():
        assert seen[name]["epoch"] == str(determinism.source_date_epoch(day))
        assert seen[name]["code"] == f"digest-of-{name}"
        assert seen[name]["tables_log"] == str(forked / "staging" / name / config.TABLES_READ_FILE)
    assert len({s["ppid"] for s in seen.values()}) == 1, "the template restarted for a run"


def test_the_template_key_is_what_the_imports_depend_on_not_a_runs_variables() -> None:
    argv = ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec = {"MPLBACKEND": "module://matplotlib_inline.backend_inline", "PYTHONHASHSEED": "0"}
    one = {**spec, "SOURCE_DATE_EPOCH": "1", "ANALYSIS_TABLES_LOG": "/a", "ANALYSIS_HOME": "/a"}
    two = {**spec, "SOURCE_DATE_EPOCH": "2", "ANALYSIS_TABLES_LOG": "/b", "ANALYSIS_HOME": "/b"}
    assert kernels.template_key(argv, one) == kernels.template_key(argv, two)
    assert kernels.template_key(argv, one) != kernels.template_key(
        argv, {**one, "PYTHONHASHSEED": "1"}
    )
    assert kernels.template_key(argv, one) != kernels.template_key([*argv, "--x"], one)


#: The settings a report's output depends on: every pandas option and matplotlib rcParam.
SETTINGS = """
import json, warnings
import matplotlib as mpl
import matplotlib.pyplot as plt  # as every report does: the inline backend is set up
import pandas as pd
from pandas._config import config as pandas_config
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    options = {k: repr(pd.get_option(k)) for k in sorted(pandas_config._registered_options)}
print("PROBE " + json.dumps({
    "pandas": options,
    "rcParams": {k: repr(v) for k, v in sorted(mpl.rcParams.items())},
}))
"""


def test_a_forked_kernel_has_a_plain_kernels_pandas_options_and_rcparams(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the template decided at import outside a kernel (pandas' display.max_columns) is
    what a plain kernel decides inside one, so both print a DataFrame alike."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SETTINGS), nbformat.v4.new_code_cell(SETTINGS)]
    path = home / "notebooks" / "settings.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)
    seen = {}
    for mode in kernels.MODES:
        monkeypatch.setenv(config.KERNEL_MODE_ENV, mode)
        task = Task(mode, path, {}, home / "staging" / mode, 120.0)
        [(_, result)] = list(run_local([task], jobs=1, root=str(home)))
        assert isinstance(result, TaskResult) and result.ok, result
        record = json.loads((result.staging / "build.json").read_text())
        assert record["kernel"] == mode
        cells = nbformat.read(result.staging / f"{mode}.ipynb", as_version=4).cells
        seen[mode] = [json.loads(c.outputs[0]["text"].removeprefix(PROBE)) for c in cells]
    for cell, part in itertools.product((0, 1), ("pandas", "rcParams")):
        forked, plain = seen[kernels.FORKED][cell][part], seen[kernels.PLAIN][cell][part]
        assert forked == plain, {"cell": cell} | {
            k: (forked.get(k), plain.get(k))
            for k in forked.keys() | plain.keys()
            if forked.get(k) != plain.get(k)
        }


def test_forked_kernel_shows_inline_figures(forked: Path) -> None:
    """The inline backend was imported in the template, before any kernel: it still displays."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1, 2])")]
    path = forked / "notebooks" / "figure.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)
    task = Task("figure", path, {}, forked / "staging", 120.0)
    [(_, result)] = list(run_local([task], jobs=1, root=str(forked)))
    assert isinstance(result, TaskResult) and result.ok, result
    out = nbformat.read(result.staging / "figure.ipynb", as_version=4).cells[0].outputs
    assert any("image/png" in o.get("data", {}) for o in out)


def test_plain_kernel_when_forking_is_switched_off(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(config.KERNEL_MODE_ENV, kernels.PLAIN)
    results = [r for _, r in run_local(tasks(home), jobs=1, root=str(home))]
    for result in results:
        assert isinstance(result, TaskResult)
        before, _ = probes(result)
        assert not before["seaborn_before_import"] and not before["global"]


def test_plain_kernel_where_fork_is_unavailable(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(config.KERNEL_MODE_ENV, raising=False)
    monkeypatch.delattr(os, "fork")
    assert kernels.kernel_mode() == kernels.PLAIN
    [task] = tasks(home, 1)
    before, after = probes(execute_task(task))  # in this process: os.fork is gone here
    assert not before["seaborn_before_import"] and after["global"]


def test_unknown_kernel_mode_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(config.KERNEL_MODE_ENV, "warm")
    with pytest.raises(ValueError, match="ANALYSIS_KERNEL='warm'"):
        kernels.kernel_mode()


def test_a_kernel_exits_when_its_template_dies(forked: Path) -> None:
    """A worker's death ends its template (end of stdin); the template's kernels follow it."""
    import asyncio

    from analysis.render.execute import kernel_spec_dict, project_kernel_manager

    manager = project_kernel_manager()()
    asyncio.run(manager.start_kernel(cwd=str(forked)))
    try:
        assert manager.provisioner.started_as == kernels.FORKED
        kernel = manager.provisioner.process
        assert kernel.poll() is None
        spec = kernel_spec_dict()
        template = kernels.template(spec["argv"], {**os.environ, **spec["env"]})
        template.proc.kill()
        template.proc.wait()
        assert kernel.wait(timeout=60) == 0  # ipykernel's parent poller saw the template go
    finally:
        asyncio.run(manager.shutdown_kernel(now=True))
