"""``analysis build``: execute the report runs of ``reports.toml`` into ``reports/``.

1. Load and validate every run (parameters checked against each notebook's declared types)
   before any kernel starts.
2. Compute each run's cache key (:mod:`analysis.render.cache`); an unchanged run is skipped.
3. Execute the others in a process pool (default: one worker per core). Each worker runs
   papermill and exports HTML and PDF in the same process, into a staging folder under
   ``.cache/build/staging/``.
4. Promote: a good run replaces ``reports/<run>/`` atomically; a failed run goes to
   ``reports/_failed/<run>/`` (executed notebook with papermill's banner, HTML with code,
   error.txt) and the last good report stays. The other runs go on; the exit code is PARTIAL.
5. Write ``reports/build-summary.json`` and ``reports/index.html``.

Nothing heavy is imported unless a run has to execute: a no-op build takes a fraction of a second.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from analysis import atomic, config, store
from analysis.errors import DISK_ERRNOS, ExitCode, UsageError
from analysis.render.cache import (
    RECORD,
    KeyContext,
    key_digest,
    key_tables,
    read_record,
    run_key,
    why_stale,
)
from analysis.render.report_config import BrokenRun, Run, load_config
from analysis.report.vintage import data_date

if TYPE_CHECKING:
    from analysis.render.execute import TaskResult

Status = Literal["built", "cached", "failed", "would build"]


@dataclass
class RunOutcome:
    """What happened to one run in one build."""

    name: str
    notebook: str
    status: Status
    cache: Literal["hit", "miss"]
    reasons: list[str]  #: why it (re)built, or why it failed before starting
    parameters: dict[str, Any]
    seconds: dict[str, float] = field(default_factory=dict)
    title: str = ""
    error: str | None = None
    failed_dir: str | None = None  #: relative to reports/
    outputs: dict[str, str] = field(default_factory=dict)  #: relative to reports/

    def line(self) -> str:
        """One log-friendly line."""
        took = f" in {self.seconds['total']:.1f} s" if self.seconds.get("total") else ""
        if self.status == "cached":
            return f"cached       {self.name}"
        if self.status == "would build":
            return f"would build  {self.name}: {'; '.join(self.reasons)}"
        if self.status == "built":
            return f"built        {self.name}{took} ({'; '.join(self.reasons)})"
        where = f" — see reports/{self.failed_dir}" if self.failed_dir else ""
        return f"FAILED       {self.name}{took}: {self.error}{where}"


@dataclass
class BuildSummary:
    """The result of one ``build`` call; ``exit_code`` is OK or PARTIAL."""

    runs: list[RunOutcome]
    started_at: str
    seconds: float
    dry_run: bool = False
    forced: bool = False
    jobs: int = 0
    opens: str = "reports/index.html"  #: what the closing line tells the reader to open

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.runs)

    @property
    def failed(self) -> list[RunOutcome]:
        return [r for r in self.runs if r.status == "failed"]

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.PARTIAL if self.failed else ExitCode.OK

    def to_json(self) -> dict[str, Any]:
        counts = {s: self.count(s) for s in ("built", "cached", "failed", "would build")}
        return {
            "started_at": self.started_at,
            "seconds": round(self.seconds, 3),
            "exit_code": int(self.exit_code),
            "dry_run": self.dry_run,
            "forced": self.forced,
            "jobs": self.jobs,
            "counts": {k: v for k, v in counts.items() if v or k != "would build"},
            "runs": [asdict(r) for r in self.runs],
        }

    def summary_lines(self) -> list[str]:
        """The closing lines: counts, then what failed and where to look."""
        if self.dry_run:
            todo, failed = self.count("would build"), len(self.failed)
            return [
                f"dry run: {todo} run(s) would build, {self.count('cached')} up to date"
                + (f", {failed} cannot run." if failed else ".")
            ]
        if not self.count("built") and not self.failed:
            return [f"Nothing to do: all {len(self.runs)} report(s) are up to date."]
        lines = [
            f"{self.count('built')} built, {self.count('cached')} cached, "
            f"{len(self.failed)} failed in {self.seconds:.1f} s. Open {self.opens}."
        ]
        for run in self.failed:
            lines.append(f"FAILED {run.name}: {run.error}")
            if run.failed_dir:
                lines.append(
                    f"  see reports/{run.failed_dir}{run.name}.html (code shown), "
                    f"{run.name}.ipynb and error.txt; the last good report stays in place."
                )
        return lines


def _stem(name: str) -> str:
    """``--only`` accepts a notebook's file name too: ``x.ipynb`` and ``notebooks/x.ipynb`` → x."""
    return Path(name).stem if name.endswith(".ipynb") else name


def select(
    runs: Sequence[Run], only: Sequence[str] | None, broken: Sequence[BrokenRun] = ()
) -> tuple[list[Run], list[BrokenRun]]:
    """The runs (and broken entries) named by ``only``: a run name, or a notebook (stem or file
    name) for all its runs."""
    if not only:
        return list(runs), list(broken)
    wanted = {_stem(o) for o in only}
    known = (
        {r.name for r in runs}
        | {r.notebook.stem for r in runs}
        | {b.name for b in broken}
        | {Path(b.notebook).stem for b in broken if b.notebook}
    )
    if unknown := sorted(wanted - known):
        names = [r.name for r in runs] + [b.name for b in broken]
        raise UsageError(f"unknown run(s) {', '.join(unknown)}; known: {', '.join(names)}")
    return (
        [r for r in runs if r.name in wanted or r.notebook.stem in wanted],
        [b for b in broken if b.name in wanted or (b.notebook and Path(b.notebook).stem in wanted)],
    )


def _broken_outcome(broken: BrokenRun) -> RunOutcome:
    return RunOutcome(
        broken.name,
        broken.notebook,
        "failed",
        "miss",
        ["configuration error"],
        {},
        error=broken.error.replace("\n", "; "),
    )


#: The manifest's row counts of a table, copied into each report's build.json.
ROW_COUNTS = ("rows_read", "rows_kept", "rows_quarantined", "rows_excluded")


def _vintage(tables: Sequence[str], ctx: KeyContext) -> dict[str, Any]:
    """When each table the run reads was cleaned, from how many raw files (each with its full
    sha256: the report's appendix shows a short one), and its row counts."""
    vintage = {}
    for table in tables:
        entry = ctx.manifest_entry(table)
        inputs = entry.get("inputs", [])
        vintage[table] = {
            "built_at": entry.get("built_at"),
            "raw_files": len(inputs),
            "raw_sha256": {str(i.get("path")): i.get("sha256") for i in inputs},
            "rows": {k: entry.get(k) for k in ROW_COUNTS},
        }
    return vintage


def _record(run: Run, key: dict[str, Any], ctx: KeyContext) -> dict[str, Any]:
    return {
        "run": run.name,
        "notebook": run.notebook_name,
        "parameters": dict(run.parameters),
        "overrides": dict(run.overrides),
        "tables": list(key["tables"]),
        "data_vintage": _vintage(list(key["tables"]), ctx),
        "data_date": data_date(list(key["tables"]), ctx.manifest_tables),
        "key": key,
        "key_digest": key_digest(key),
    }


def _print(message: str) -> None:
    print(message, flush=True)


def _plan(
    runs: Sequence[Run], force: bool, ctx: KeyContext, out: config.Paths
) -> tuple[list[RunOutcome], list[tuple[Run, dict[str, Any], list[str]]]]:
    """Split runs into settled outcomes (cached, or failed before starting) and work to do."""
    settled: list[RunOutcome] = []
    todo: list[tuple[Run, dict[str, Any], list[str]]] = []
    for run in runs:
        record = read_record(out.reports / run.name)
        key = run_key(run, ctx, (record or {}).get("tables_read"))
        base = RunOutcome(run.name, run.notebook_name, "cached", "hit", [], dict(run.parameters))
        missing = [t for t, digest in key["tables"].items() if digest is None]
        if missing:
            base.status, base.cache = "failed", "miss"
            base.error = (
                f"processed table(s) {', '.join(missing)} missing in "
                f"{store.table_path(missing[0]).parent} "
                "(run `analysis clean`; or fix 'tables' in reports.toml)"
            )
            settled.append(base)
            continue
        reasons = ["--force"] if force else why_stale(key, record, out.reports / run.name)
        if not reasons:
            base.title = str((record or {}).get("title", ""))
            base.outputs = _outputs(run.name, record)
            settled.append(base)
        else:
            todo.append((run, key, reasons))
    return settled, todo


def _outputs(name: str, record: dict[str, Any] | None) -> dict[str, str]:
    files = (record or {}).get("files") or {}
    return {kind: f"{name}/{file}" for kind, file in files.items()}


def tables_read(staging: Path) -> list[str]:
    """The tables a run's kernel opened (the log :mod:`analysis.report.tables` wrote)."""
    try:
        lines = (staging / config.TABLES_READ_FILE).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return sorted({line.strip() for line in lines if line.strip()})


def _settle_tables(result: TaskResult, run: Run, ctx: KeyContext) -> None:
    """Key the finished run on the tables it read (``build.json``), or fail it if it read a
    table its ``tables`` line in reports.toml leaves out."""
    read = tables_read(result.staging)
    (result.staging / config.TABLES_READ_FILE).unlink(missing_ok=True)
    undeclared = sorted(set(read) - set(run.tables)) if run.tables else []
    if undeclared:
        result.ok = False
        result.error = (
            f"the notebook read table(s) {', '.join(undeclared)}, which its 'tables' in "
            "reports.toml leave out: add them, or drop the 'tables' line (the builder records "
            "what each run reads)"
        )
        atomic.write_text(result.staging / config.ERROR_FILE, result.error + "\n")
        (result.staging / RECORD).unlink(missing_ok=True)
        return
    record = read_record(result.staging)
    if record is None:
        return
    key = run_key(run, ctx, read)
    record.update(
        tables=key_tables(run, read),
        tables_read=read,
        data_vintage=_vintage(key_tables(run, read), ctx),
        key=key,
        key_digest=key_digest(key),
    )
    atomic.write_text(result.staging / RECORD, json.dumps(record, indent=2, ensure_ascii=False))


def _promote(
    result: TaskResult, run: Run, reasons: list[str], out: config.Paths, ctx: KeyContext
) -> RunOutcome:
    """Move a finished run's staging folder into reports/ (or reports/_failed/)."""
    if result.ok:
        _settle_tables(result, run, ctx)
    outcome = RunOutcome(
        run.name,
        run.notebook_name,
        "built" if result.ok else "failed",
        "miss",
        reasons,
        dict(run.parameters),
        result.seconds,
        result.title,
        result.error,
    )
    failed_dir = out.failed_reports / run.name
    if result.ok:
        current = out.reports / run.name
        # the replaced report becomes the one-back copy only once the new one is in place
        keep = out.previous_reports / run.name if read_record(current) is not None else None
        atomic.replace_dir(result.staging, current, keep=keep)
        shutil.rmtree(failed_dir, ignore_errors=True)
        outcome.outputs = _outputs(run.name, read_record(out.reports / run.name))
    else:
        _strip_paths(result.staging, out.root)
        atomic.replace_dir(result.staging, failed_dir)
        reports = config.Paths(out.root).reports  # reports/, also for one-off runs
        outcome.failed_dir = f"{failed_dir.relative_to(reports).as_posix()}/"
    return outcome


#: Text files of a failed run that may quote local paths (tracebacks, the kernel's log).
_FAILED_TEXT = ("*.txt", "*.log", "*.html", "*.ipynb")


def _strip_paths(folder: Path, root: Path) -> None:
    """Replace the project's absolute path (``.``), the interpreter's prefix (``<python>``) and
    the home folder (``~``) in a failed run's text files: ``reports/_failed/`` is published with
    the site, and must not show where or as whom the build ran."""
    swaps = [(str(root), "."), (sys.base_prefix, "<python>"), (str(Path.home()), "~")]
    swaps = sorted(((a, b) for a, b in swaps if len(a) > 1), key=lambda x: -len(x[0]))
    for pattern in _FAILED_TEXT:
        for file in folder.glob(pattern):
            text = file.read_text(encoding="utf-8", errors="replace")
            cleaned = text
            for before, after in swaps:
                cleaned = cleaned.replace(before, after)
            if cleaned != text:
                atomic.write_text(file, cleaned)


def warm_up() -> None:
    """Pay the heavy imports and WeasyPrint's font set-up once, here, when workers are forked
    from this process (Linux): every worker then starts ready instead of repeating them."""
    import multiprocessing

    if multiprocessing.get_start_method(allow_none=False) != "fork":
        return
    from analysis.render.execute import warm_up as warm_worker

    warm_worker()


def _execute_all(
    todo: list[tuple[Run, dict[str, Any], list[str]]],
    ctx: KeyContext,
    out: config.Paths,
    *,
    jobs: int,
    cell_timeout: float,
    quiet: bool,
    echo: Callable[[str], None],
    executor: str = "local",
    scheduler: str | None = None,
) -> list[RunOutcome]:
    """Run the work on ``executor`` (:mod:`analysis.render.executors`); promote each run as soon
    as it finishes, here in the parent process, whichever executor ran it."""
    from analysis.render.execute import Task
    from analysis.render.executors import run_tasks

    if executor == "local":
        warm_up()
    staging_root = out.staging
    tasks = [
        Task(
            run.name,
            run.notebook,
            dict(run.parameters),
            staging_root / f"{run.name}.{uuid.uuid4().hex[:8]}",
            cell_timeout,
            _record(run, key, ctx),
        )
        for run, key, _ in todo
    ]
    by_name = {run.name: (run, reasons) for run, _, reasons in todo}
    outcomes: list[RunOutcome] = []
    bar = None
    finished = None
    try:
        finished = run_tasks(
            tasks, executor=executor, jobs=jobs, root=str(out.root), scheduler=scheduler
        )
        if not quiet and sys.stderr.isatty():  # no bar in logs and pipes
            from tqdm import tqdm

            bar = tqdm(total=len(tasks), unit="run", desc="building", file=sys.stderr)
        for name, result in finished:
            run, reasons = by_name[name]
            if isinstance(result, OSError) and result.errno in DISK_ERRNOS:
                raise result  # a full disk is not this run's failure: stop, exit 8
            if isinstance(result, BaseException):
                outcome = RunOutcome(
                    name,
                    run.notebook_name,
                    "failed",
                    "miss",
                    reasons,
                    dict(run.parameters),
                    error=f"worker process died ({type(result).__name__}: {result}); "
                    f"run it alone with --only {name}",
                )
            else:
                outcome = _promote(result, run, reasons, out, ctx)
            outcomes.append(outcome)
            if bar is not None:
                bar.write(outcome.line())
                bar.update(1)
            else:
                echo(outcome.line())
    finally:
        if bar is not None:
            bar.close()
        if finished is not None:
            finished.close()  # shuts the pool or the Dask client/cluster down
        for task in tasks:
            shutil.rmtree(task.staging, ignore_errors=True)
        with contextlib.suppress(OSError):
            staging_root.rmdir()  # only if empty
    return outcomes


def _recover(runs: Sequence[Run], out: config.Paths) -> None:
    """Undo what a killed build left: half-swapped report folders, stale staging folders."""
    for run in runs:
        atomic.recover_dir(out.reports / run.name)
        atomic.recover_dir(out.failed_reports / run.name)
        atomic.recover_dir(out.previous_reports / run.name)
    shutil.rmtree(out.staging, ignore_errors=True)
    atomic.clean_stale_temp(out.reports)
    for stale in out.previous_reports.glob(".*.tmp"):
        shutil.rmtree(stale, ignore_errors=True)  # a copy a killed build left half done


def build(
    *,
    force: bool = False,
    dry_run: bool = False,
    only: Sequence[str] | None = None,
    jobs: int | None = None,
    quiet: bool = False,
    cell_timeout: float | None = None,
    echo: Callable[[str], None] | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    config_path: Path | None = None,
    notebook: Path | None = None,
    values: Mapping[str, Any] | None = None,
    yes: bool = False,
) -> BuildSummary:
    """Build the report runs whose cache key changed (all with ``force``); see the module doc.

    ``only``: run names or notebook stems; ``jobs``: parallel runs (default: cores);
    ``cell_timeout``: seconds a cell may run (default :data:`analysis.config.DEFAULT_CELL_TIMEOUT`);
    ``quiet``: no progress bar, one line per run; ``echo``: where lines go (default: stdout);
    ``executor``: "local" (process pool) or "dask" (``scheduler`` address, else a LocalCluster);
    ``config_path``: another report config than ``reports.toml`` (e.g. ``reports-grid.toml``);
    ``yes``: build more than :data:`analysis.config.MAX_RUNS_WITHOUT_YES` runs.
    ``notebook`` and ``values``: one run of that notebook with those parameters instead of the
    config, into ``reports/_oneoff/<run>/`` (no index, no build summary).
    An entry of the config that cannot run (unknown notebook, bad parameters cell or value)
    fails on its own, like a run whose notebook raises; the others build. Raises UsageError for
    a config file that cannot be read, an unknown ``--only`` name or bad one-off parameters
    (before any kernel), BusyError when another build or clean holds the lock.
    """
    started, started_at = time.perf_counter(), datetime.now(UTC).isoformat(timespec="seconds")
    echo = echo or _print
    broken: list[BrokenRun] = []
    if notebook is not None:
        runs = [one_off_run(notebook, values or {})]
        out: config.Paths = OneOffPaths(config.project_root())
    else:
        all_runs, all_broken = load_config(config_path)
        runs, broken = select(all_runs, only, all_broken)
        out = config.paths()
    if len(runs) > config.MAX_RUNS_WITHOUT_YES and not (yes or dry_run):
        raise UsageError(
            f"{len(runs)} report runs selected, more than {config.MAX_RUNS_WITHOUT_YES}: pass "
            "--yes to build them all (see --dry-run for what would run), or pick with --only"
        )
    config_failed = [_broken_outcome(b) for b in broken]
    workers = jobs or os.cpu_count() or 1
    timeout = config.DEFAULT_CELL_TIMEOUT if cell_timeout is None else cell_timeout
    if dry_run:
        settled, todo = _plan(runs, force, KeyContext.current(), out)
        outcomes = (
            settled
            + [
                RunOutcome(r.name, r.notebook_name, "would build", "miss", why, dict(r.parameters))
                for r, _, why in todo
            ]
            + config_failed
        )
        summary = BuildSummary(_ordered(outcomes, runs), started_at, 0.0, True, force, workers)
        for outcome in summary.runs:
            echo(outcome.line())
        summary.seconds = time.perf_counter() - started
        for line in summary.summary_lines():
            echo(line)
        return summary

    from analysis.locking import pipeline_lock

    atomic.check_writable(out.cache, out.reports, out.previous_reports, out.failed_reports)
    with pipeline_lock("build"):
        _recover(runs, out)
        ctx = KeyContext.current()
        settled, todo = _plan(runs, force, ctx, out)
        settled += config_failed
        for outcome in settled:
            if outcome.status == "cached":
                # The report in place matches the current key: an older failure is moot.
                shutil.rmtree(out.failed_reports / outcome.name, ignore_errors=True)
            if outcome.status == "failed" or quiet:
                echo(outcome.line())
        executed = (
            _execute_all(
                todo,
                ctx,
                out,
                jobs=workers,
                cell_timeout=timeout,
                quiet=quiet,
                echo=echo,
                executor=executor,
                scheduler=scheduler,
            )
            if todo
            else []
        )
        summary = BuildSummary(
            _ordered(settled + executed, runs),
            started_at,
            time.perf_counter() - started,
            False,
            force,
            workers,
        )
        if notebook is not None:
            name = runs[0].name
            summary.opens = f"reports/{ONE_OFF_DIR}/{name}/{name}.html"
        if notebook is None:
            write_summary(summary, out)
            from analysis.render.digests import write_manifest
            from analysis.render.index import write_index

            write_manifest(out.reports)
            write_index(load_all_for_index(runs, only, config_path), summary)
    for line in summary.summary_lines():
        echo(line)
    return summary


def load_all_for_index(
    selected: Sequence[Run], only: Sequence[str] | None, config_path: Path | None = None
) -> list[Run]:
    """The index lists every configured run, also when ``--only`` built a few; a build of
    another config (``--config reports-grid.toml``) lists the reports.toml runs first."""
    runs = load_config(config_path)[0] if only else list(selected)
    default = config.paths().report_config
    if config_path is not None and config_path.resolve() != default.resolve() and default.exists():
        names = {r.name for r in runs}
        with contextlib.suppress(UsageError):
            runs = [r for r in load_config()[0] if r.name not in names] + runs
    return runs


@dataclass(frozen=True)
class OneOffPaths(config.Paths):
    """The project's paths, with reports/ moved to ``reports/_oneoff/`` for one-off runs."""

    @property
    def reports(self) -> Path:
        return self.root / "reports" / ONE_OFF_DIR

    @property
    def staging(self) -> Path:
        return super().staging.with_name("staging-oneoff")


ONE_OFF_DIR = "_oneoff"


def one_off_run(notebook: Path, values: Mapping[str, Any]) -> Run:
    """A run of ``notebook`` with ``values`` (checked as reports.toml's are, and named in
    messages by the notebook's stem, as the papermill route names it), named after them."""
    from analysis.render.params import read_parameters, validate
    from analysis.render.report_config import RUN_NAME, slug

    path = notebook if notebook.is_file() else config.paths().notebooks / notebook
    if not path.is_file() or path.suffix != ".ipynb":
        raise UsageError(f"notebook not found: {notebook} (give a path, or a file in notebooks/)")
    path = path.resolve()
    declared = read_parameters(path)
    parameters = validate(path.stem, declared, values)
    name = "-".join([path.stem.lower(), *(f"{k}-{slug(v)}" for k, v in values.items())])[:80]
    name = name.strip("-_")
    if not RUN_NAME.match(name):
        name = slug(path.stem)[:80]
    return Run(name, path, (), parameters, dict(values))


def _ordered(outcomes: list[RunOutcome], runs: Sequence[Run]) -> list[RunOutcome]:
    order = {r.name: i for i, r in enumerate(runs)}
    return sorted(outcomes, key=lambda o: order.get(o.name, len(order)))


def write_summary(summary: BuildSummary, out: config.Paths) -> Path:
    """``reports/build-summary.json`` (atomically)."""
    path = out.build_summary
    atomic.write_text(path, json.dumps(summary.to_json(), indent=2, ensure_ascii=False) + "\n")
    return path
