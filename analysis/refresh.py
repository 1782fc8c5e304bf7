"""``analysis refresh``: fetch, clean and build in one command, for cron, systemd and CI.

1. Fetch (``update=True`` by default: a scheduled refresh accepts changed upstream files and
   records their new checksums in the lock; ``update=False`` refuses them and exits FETCH).
2. Clean: only tables whose raw inputs or code changed are rebuilt (the pipeline's manifest).
3. Build: only report runs whose cache key changed (the build cache).
4. ``reports/refresh-summary.json`` records when the data last changed and what changed;
   ``reports/index.html`` shows it ("Data updated on …, what changed").

Every line goes to ``logs/refresh-<UTC time>.log`` (one file per run; the newest
:data:`~analysis.config.KEEP_REFRESH_LOGS` are kept). Exit codes
(:class:`~analysis.errors.ExitCode`): 0 something was rebuilt, 7 nothing changed, 5 some
report runs failed (the others were built), 4 fetch failed, 3 bad data, 6 another
refresh/clean/build holds the lock, 1 an unexpected error.

Safe under cron: a second refresh started while one runs exits BUSY at once; clean and build
take the pipeline lock (:mod:`analysis.locking`) as they do on their own.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from analysis import atomic, config
from analysis.errors import AnalysisError, ExitCode

if TYPE_CHECKING:
    from analysis.clean.pipeline import TableOutcome
    from analysis.fetch.report import FetchReport
    from analysis.render.runner import BuildSummary


@dataclass
class RefreshResult:
    """What one refresh did; ``exit_code`` tells nothing changed / rebuilt / partial apart."""

    started_at: str
    log: Path
    data_changed: list[str] = field(default_factory=list)  #: upstream files added/updated
    tables_rebuilt: list[str] = field(default_factory=list)
    runs_built: list[str] = field(default_factory=list)
    runs_failed: list[str] = field(default_factory=list)
    error: str | None = None
    error_code: ExitCode | None = None

    @property
    def exit_code(self) -> ExitCode:
        if self.error_code is not None:
            return self.error_code
        if self.runs_failed:
            return ExitCode.PARTIAL
        if self.data_changed or self.tables_rebuilt or self.runs_built:
            return ExitCode.OK
        return ExitCode.NOTHING_CHANGED

    def status_line(self) -> str:
        """One line for cron mail or a CI log."""
        code = int(self.exit_code)
        if self.error:
            return f"refresh FAILED (exit {code}): {self.error} — log: {self.log}"
        what = (
            f"{len(self.data_changed)} upstream file(s) changed, "
            f"{len(self.tables_rebuilt)} table(s) and {len(self.runs_built)} report(s) rebuilt"
        )
        if self.runs_failed:
            return f"refresh PARTIAL (exit {code}): {what}; failed: {', '.join(self.runs_failed)}"
        if self.exit_code == ExitCode.NOTHING_CHANGED:
            return f"refresh: nothing changed (exit {code})"
        return f"refresh: {what} (exit {code})"


def changes(report: FetchReport) -> list[str]:
    """The upstream changes a fetch accepted, one readable line each."""
    return [f"added {p}" for p in report.added] + [
        f"updated {c.describe()}" for c in report.updated
    ]


@contextmanager
def _log_file(out: config.Paths, stamp: str) -> Iterator[tuple[Path, IO[str]]]:
    out.logs.mkdir(parents=True, exist_ok=True)
    path = out.refresh_log(stamp)
    with path.open("a", encoding="utf-8") as handle:
        yield path, handle
    for old in sorted(out.logs.glob(config.REFRESH_LOG_GLOB))[: -config.KEEP_REFRESH_LOGS]:
        old.unlink(missing_ok=True)


def _write_refresh_file(result: RefreshResult, out: config.Paths) -> None:
    """Keep the last data change's date and list when this refresh changed nothing."""
    path = out.refresh_summary
    try:
        before: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = {}
    changed = bool(result.data_changed or result.tables_rebuilt)
    data = {
        "checked_at": result.started_at,
        "data_updated_at": result.started_at if changed else before.get("data_updated_at"),
        "data_changed": (
            result.data_changed + [f"table {t} rebuilt" for t in result.tables_rebuilt]
            if changed
            else before.get("data_changed", [])
        ),
        "tables_rebuilt": result.tables_rebuilt,
        "runs_built": result.runs_built,
        "runs_failed": result.runs_failed,
        "exit_code": int(result.exit_code),
        "error": result.error,
        "log": result.log.name,
    }
    atomic.write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def refresh(
    *,
    snapshot: Path | None = None,
    update: bool = True,
    quiet: bool = False,
    jobs: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    config_path: Path | None = None,
    echo: Callable[[str], None] | None = None,
    yes: bool = False,
) -> RefreshResult:
    """Fetch, clean and build what changed; see the module doc. Never raises for a failure
    of a step: the error is logged and its exit code returned in the result. ``yes``: build
    more than :data:`~analysis.config.MAX_RUNS_WITHOUT_YES` runs (as ``build --yes``)."""
    import filelock

    out = config.paths()
    now = datetime.now(UTC)
    started_at = now.isoformat(timespec="seconds")
    show = echo or (lambda line: print(line, flush=True))
    with _log_file(out, now.strftime("%Y%m%dT%H%M%SZ")) as (log_path, handle):
        result = RefreshResult(started_at, log_path)

        def say(line: str) -> None:
            stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            handle.write(f"{stamp} {line}\n")
            handle.flush()
            if not quiet:
                show(line)

        out.cache.mkdir(parents=True, exist_ok=True)
        try:
            with filelock.FileLock(str(out.refresh_lock), timeout=0):
                _steps(result, say, snapshot, update, jobs, executor, scheduler, config_path, yes)
        except filelock.Timeout:
            result.error_code = ExitCode.BUSY
            result.error = f"another refresh is running ({out.refresh_lock})"
        except AnalysisError as err:
            result.error_code, result.error = err.exit_code, str(err)
        except Exception as err:  # noqa: BLE001 - logged, then reported as FAILED
            import traceback

            result.error_code = ExitCode.FAILED
            result.error = f"unexpected {type(err).__name__}: {err}"
            handle.write(traceback.format_exc())
        if result.error_code != ExitCode.BUSY:
            _write_refresh_file(result, out)
        say(result.status_line())
    if quiet and result.exit_code != ExitCode.NOTHING_CHANGED:
        # Cron mails any output: stay silent when nothing changed, one line otherwise.
        print(result.status_line(), file=sys.stderr if result.error else sys.stdout, flush=True)
    return result


def _steps(
    result: RefreshResult,
    say: Callable[[str], None],
    snapshot: Path | None,
    update: bool,
    jobs: int | None,
    executor: str,
    scheduler: str | None,
    config_path: Path | None,
    yes: bool = False,
) -> None:
    """Fetch → clean → build, filling ``result``; raises AnalysisError when a step fails."""
    from analysis.clean.pipeline import clean
    from analysis.errors import FetchError
    from analysis.fetch.fetch import fetch
    from analysis.locking import pipeline_lock
    from analysis.render.runner import build

    out = config.paths()
    say(f"refresh started ({'accepting' if update else 'refusing'} upstream changes)")
    report = fetch(config.snapshot_dir(snapshot), update=update, progress=False)
    for line in report.summary_lines():
        say(f"fetch: {line}")
    result.data_changed = changes(report)
    if not report.ok:
        raise FetchError("fetch not ok: data/raw does not match the lock (see the log)")
    with pipeline_lock("refresh (clean)"):
        outcomes: list[TableOutcome] = clean(echo=lambda line: say(f"clean: {line}"))
    result.tables_rebuilt = [o.name for o in outcomes if o.status != "unchanged"]
    # The index written by the build shows this refresh's data vintage: record it first.
    _write_refresh_file(result, out)
    summary: BuildSummary = build(
        quiet=True,  # log-friendly: one line per run, no progress bar
        jobs=jobs,
        echo=lambda line: say(f"build: {line}"),
        executor=executor,
        scheduler=scheduler,
        config_path=config_path,
        yes=yes,
    )
    result.runs_built = [r.name for r in summary.runs if r.status == "built"]
    result.runs_failed = [r.name for r in summary.failed]
    _write_refresh_file(result, out)  # the index shows only what was known before the build
