"""Where a report run's wall time goes, from "run starts" to "outputs written" (issue 20).

Runs report runs one after another in this process, as a build worker does (same
:func:`analysis.render.execute.init_worker`, same :func:`~analysis.render.execute.execute_task`,
forked kernels unless ``ANALYSIS_KERNEL=plain``), with timers wrapped around the steps, then
promotes each run as the build's parent does, into a temporary ``reports/``. Prints one line
per run and the medians per step:

    .venv/bin/python benchmarks/breakdown.py [--config reports-grid.toml] [--runs 6] [--only NAME]

Needs the processed tables (``analysis clean``) of the project it runs in (``ANALYSIS_HOME``,
default the repository). Steps (seconds):

* ``kernel_start``: the kernel manager's start (the template's fork, or a new interpreter);
* ``kernel_ready``: the client's channels and ``wait_for_ready`` (kernel_info round trips);
* ``cells``: every cell's execute request to its idle (the notebook's code, and its display);
* ``saves``: the engine writing the output notebook (papermill's own engine writes it at every
  cell's start and end; the builder's before the first cell only, papermill_other then once);
* ``shutdown``: the kernel's shutdown and the client's cleanup;
* ``papermill_other``: the rest of ``papermill.execute_notebook`` (read, parameterise, ...);
* ``normalise``: :func:`analysis.render.determinism.normalise_notebook`;
* ``html``, ``pdf``: the export's own timers; ``export_other``: the rest of the export (the
  forked child, reading the notebook, pickling the result back);
* ``record``: build.json (code version, machine, PDF fonts);
* ``promote``: the parent's part (tables read, key, the atomic move into reports/).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
STEPS = (
    "execute",
    "kernel_start",
    "kernel_ready",
    "cells",
    "saves",
    "shutdown",
    "papermill_other",
    "normalise",
    "html",
    "pdf",
    "export_other",
    "record",
    "total",
    "promote",
)
#: Each step's seconds in the current run.
TIMES: dict[str, float] = defaultdict(float)
#: Each code cell's seconds in the current run, in order.
CELLS: list[float] = []


def _timed(owner: Any, name: str, step: str, into: dict[str, float] = TIMES) -> None:
    """Wrap ``owner.name`` (sync or async) so its time adds to ``into[step]``."""
    original = getattr(owner, name)
    if asyncio.iscoroutinefunction(original):

        @functools.wraps(original)
        async def wrapped_async(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                into[step] += time.perf_counter() - start

        setattr(owner, name, wrapped_async)
        return

    @functools.wraps(original)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            into[step] += time.perf_counter() - start

    setattr(owner, name, wrapped)


def _per_cell(client: Any) -> None:
    """Record each code cell's time in :data:`CELLS`."""
    original = client.execute_cell

    @functools.wraps(original)
    def wrapped(self: Any, cell: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(self, cell, *args, **kwargs)
        finally:
            if cell.cell_type == "code":
                CELLS.append(time.perf_counter() - start)

    client.execute_cell = wrapped


def instrument() -> None:
    """Put the timers in place (before any run)."""
    import papermill
    import papermill.engines
    from nbclient.client import NotebookClient

    from analysis.provenance import code_version
    from analysis.render import determinism

    # nbclient's sync entry points (run_sync wrappers made at class creation)
    _timed(NotebookClient, "start_new_kernel", "kernel_start")
    _timed(NotebookClient, "start_new_kernel_client", "kernel_ready")
    _timed(NotebookClient, "execute_cell", "cells")
    _per_cell(NotebookClient)
    _timed(NotebookClient, "_cleanup_kernel", "shutdown")
    _timed(papermill.engines.NotebookExecutionManager, "save", "saves")
    _timed(papermill, "execute_notebook", "papermill")
    _timed(determinism, "normalise_notebook", "normalise")
    _timed(determinism, "machine", "record")
    code_version()  # cached per process: paid by a worker's first run only


def tasks_for(config_path: Path | None, only: list[str], count: int) -> tuple[list[Any], Any]:
    """The first ``count`` runs of the config (of ``only`` if given) as tasks, and the key
    context, as the build makes them."""
    from analysis import config
    from analysis.render.cache import KeyContext, run_key
    from analysis.render.execute import Task
    from analysis.render.report_config import load_config
    from analysis.render.runner import _record, select

    runs, _ = select(load_config(config_path)[0], only or None)
    ctx = KeyContext.current()
    staging = config.paths().staging
    tasks = []
    for run in runs[:count]:
        key = run_key(run, ctx)
        task = Task(
            run.name,
            run.notebook,
            dict(run.parameters),
            staging / f"{run.name}.{uuid.uuid4().hex[:8]}",
            config.DEFAULT_CELL_TIMEOUT,
            _record(run, key, ctx),
        )
        tasks.append((run, task))
    return tasks, ctx


def run_all(tasks: list[Any], ctx: Any, out: Any) -> list[dict[str, float]]:
    """Execute and promote each run; return each run's step times."""
    from analysis.render.execute import execute_task
    from analysis.render.runner import _promote

    rows = []
    for run, task in tasks:
        TIMES.clear()
        CELLS.clear()
        result = execute_task(task)
        if not result.ok:
            raise SystemExit(f"{task.name} failed: {result.error}")
        start = time.perf_counter()
        _promote(result, run, ["benchmark"], out, ctx)
        promote = time.perf_counter() - start
        row = dict(TIMES)
        row["papermill_other"] = row.pop("papermill") - sum(
            row.get(k, 0.0) for k in ("kernel_start", "kernel_ready", "cells", "saves", "shutdown")
        )
        row["html"], row["pdf"] = result.seconds["html"], result.seconds["pdf"]
        row["total"] = result.seconds["total"]
        row["execute"] = result.seconds["execute"]
        row["export_other"] = (
            row["total"]
            - result.seconds["execute"]
            - row["html"]
            - row["pdf"]
            - row.get("record", 0.0)
        )
        row["promote"] = promote
        rows.append(row)
        print(
            f"{task.name:60s} " + " ".join(f"{k}={row.get(k, 0.0):.3f}" for k in STEPS),
            flush=True,
        )
        print("    cells: " + " ".join(f"{c:.3f}" for c in CELLS), flush=True)
    return rows


def measure(args: argparse.Namespace) -> dict[str, float]:
    """One worker's set-up and runs in this process; print them; return the medians of the
    runs after the first (which waits for the template's imports)."""
    from analysis import config
    from analysis.render.execute import init_worker

    with tempfile.TemporaryDirectory(prefix="breakdown-") as tmp:
        root = config.project_root()
        out = _Paths(root, Path(tmp))
        started = time.perf_counter()
        init_worker(str(root))
        setup = time.perf_counter() - started
        print(f"worker set-up (template started, exporter warm): {setup:.2f} s")
        instrument()
        if args.no_pdf:
            _without_pdf()
        tasks, ctx = tasks_for(args.config, args.only, args.runs)
        print(f"load {_load()}  runs: {len(tasks)}  python: {sys.version.split()[0]}")
        started = time.perf_counter()
        rows = run_all(tasks, ctx, out)
        print(f"load {_load()}  wall {time.perf_counter() - started:.2f} s for {len(rows)} runs")
    later = rows[1:] or rows
    medians = {k: statistics.median(r.get(k, 0.0) for r in later) for k in STEPS}
    print("median of runs 2.. (s): " + " ".join(f"{k}={v:.3f}" for k, v in medians.items()))
    return medians


def _without_pdf() -> None:
    """Export HTML only (for comparisons of the execute part)."""
    from analysis.render.export import Exporter

    export = Exporter.export

    def html_only(self: Any, *args: Any, **kwargs: Any) -> Any:
        return export(self, *args, **{**kwargs, "pdf": False})

    Exporter.export = html_only  # type: ignore[method-assign]


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def compare(args: argparse.Namespace, argv: list[str]) -> None:
    """Each ``--against DIR`` (the package found first on PYTHONPATH=DIR) and this checkout,
    interleaved (A, B, ..., A, B, ...) ``--rounds`` times, each in a new process; print each
    invocation's medians with the load average, then each variant's medians of those."""
    import json
    import subprocess

    own: list[str] = []
    skip = False
    for arg in argv:
        if skip or arg.startswith(("--against=", "--rounds=")):
            skip = False
            continue
        if arg in ("--against", "--rounds"):
            skip = True
            continue
        own.append(arg)
    variants = [(str(path), str(path.resolve())) for path in args.against]
    variants.append(("this checkout", ""))
    results: dict[str, list[dict[str, float]]] = {label: [] for label, _ in variants}
    for round_ in range(args.rounds):
        for label, path in variants:
            env = dict(os.environ, PYTHONPATH=path)
            cmd = [sys.executable, __file__, *own, "--json"]
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
            medians = json.loads(done.stdout.strip().splitlines()[-1])
            results[label].append(medians)
            print(
                f"round {round_ + 1} {label}: load {_load()}  "
                + " ".join(f"{k}={medians[k]:.3f}" for k in STEPS),
                flush=True,
            )
    for label, rows in results.items():
        print(
            f"median {label}: "
            + " ".join(f"{k}={statistics.median(r[k] for r in rows):.3f}" for k in STEPS)
        )


#: What a project folder needs to build the grid besides the processed tables.
PROJECT_FILES = ("sources.toml", "sources.lock.json", "reports.toml", "reports-grid.toml")
#: The parent's steps of a build, timed in :func:`grid`.
GRID_STEPS = (
    ("analysis.render.runner", "load_config", "read and validate the config"),
    ("analysis.render.cache", "KeyContext.current", "key context (code, packages)"),
    ("analysis.render.runner", "_plan", "plan (keys, records)"),
    ("analysis.render.runner", "warm_up", "parent warm-up (templates, fonts)"),
    ("analysis.render.runner", "_promote", "promote runs (sum)"),
    ("analysis.render.digests", "write_manifest", "write MANIFEST.sha256"),
    ("analysis.render.index", "write_index", "write index.html, build.html"),
    ("analysis.render.runner", "write_summary", "write build-summary.json"),
)


def grid(args: argparse.Namespace) -> None:
    """``analysis build --config CONFIG --force`` in a fresh project folder (the processed tables
    copied), in this process, with the parent's steps timed; then where the wall time went:
    the runs (from their build.json) against the wall, per worker."""
    import importlib
    import json
    import shutil

    from analysis import config

    source = config.project_root()
    with tempfile.TemporaryDirectory(prefix="breakdown-grid-") as tmp:
        home = Path(tmp)
        for name in PROJECT_FILES:
            shutil.copy2(source / name, home / name)
        shutil.copytree(source / "notebooks", home / "notebooks")
        shutil.copytree(source / "data" / "processed", home / "data" / "processed")
        os.environ[config.HOME_ENV] = str(home)
        os.chdir(home)
        spent: dict[str, float] = defaultdict(float)
        for module, attribute, label in GRID_STEPS:
            owner: Any = importlib.import_module(module)
            *path, name = attribute.split(".")
            for part in path:
                owner = getattr(owner, part)
            _timed(owner, name, label, spent)
        from analysis.render import runner

        first: list[float] = []
        started = time.perf_counter()

        def echo(line: str) -> None:
            if not first and line.startswith("built"):
                first.append(time.perf_counter() - started)

        print(f"load {_load()}  grid {args.config.name}, {args.jobs} workers")
        summary = runner.build(
            force=True,
            config_path=home / args.config.name,
            jobs=args.jobs,
            yes=True,
            quiet=True,
            echo=echo,
        )
        wall = time.perf_counter() - started
        print(
            f"load {_load()}  wall {wall:.1f} s, {summary.count('built')} built, "
            f"{len(summary.failed)} failed"
        )
        seconds = [
            json.loads(p.read_text())["seconds"] for p in (home / "reports").glob("*/build.json")
        ]
        keys = ("execute", "html", "pdf", "total")
        per_run = {k: [s[k] for s in seconds] for k in keys}
        print(
            "per run, median / sum (s): "
            + " ".join(f"{k}={statistics.median(v):.2f}/{sum(v):.1f}" for k, v in per_run.items())
        )
        busy = sum(per_run["total"]) / args.jobs
        print(
            f"the runs' own time, spread over {args.jobs} workers: {busy:.1f} s; "
            f"the rest of the wall: {wall - busy:.1f} s"
        )
        print(f"first run built after {first[0] if first else float('nan'):.1f} s")
        for _, _, label in GRID_STEPS:
            print(f"  {label:40s} {spent[label]:6.2f} s")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=REPO / "reports-grid.toml")
    parser.add_argument("--runs", type=int, default=6, help="how many runs (default 6)")
    parser.add_argument("--only", action="append", default=[], help="a run or notebook name")
    parser.add_argument("--no-pdf", action="store_true", help="export HTML only")
    parser.add_argument(
        "--against",
        type=Path,
        action="append",
        default=[],
        help="compare with the package in this folder (repeatable)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="A/B rounds (default 3)")
    parser.add_argument("--grid", action="store_true", help="time a whole build of --config")
    parser.add_argument("--jobs", type=int, default=2, help="workers for --grid (default 2)")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("ANALYSIS_HOME", str(REPO))
    if args.grid:
        grid(args)
        return
    if args.against:
        compare(args, argv)
        return
    if args.json:
        import contextlib
        import io
        import json

        with contextlib.redirect_stdout(io.StringIO()):
            medians = measure(args)
        print(json.dumps(medians))
        return
    measure(args)


class _Paths:
    """config.Paths with reports/ (and its staging) in a temporary folder."""

    def __init__(self, root: Path, tmp: Path) -> None:
        from analysis import config

        base = config.Paths(root)
        self.root = root
        self.reports = tmp / "reports"
        self.failed_reports = self.reports / "_failed"
        self.previous_reports = self.reports / "_previous"
        self.staging = base.staging
        for path in (self.reports, self.failed_reports, self.previous_reports):
            path.mkdir(parents=True, exist_ok=True)


if __name__ == "__main__":
    main()
