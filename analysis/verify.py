"""``analysis verify``: prove that the published tables and reports follow from ``data/raw``.

1. ``data/raw`` is checked against ``sources.lock.json``; a raw file that differs (or is missing)
   is reported first and nothing is rebuilt (exit 4).
2. Everything is rebuilt from those raw files, without fetching, in a temporary project folder
   (``ANALYSIS_HOME``): ``clean``, then ``build``.
3. Each processed table (parquet, CSV, quarantine CSV) and each published report file
   (:mod:`analysis.render.digests`) is compared byte for byte with ``data/processed/`` and
   ``reports/``, and the manifest without when, how fast and by which code each table was
   cleaned: one line per file, ``same``, ``DIFFERENT`` or ``missing``, then a summary. Exit 0
   only when every file is the same, else 9.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from analysis import config, store
from analysis.errors import ExitCode
from analysis.render.cache import MANIFEST_VOLATILE

Status = Literal["same", "DIFFERENT", "missing"]
#: Committed project files a rebuild needs (plus notebooks/ and data/raw/).
PROJECT_FILES = ("sources.toml", "sources.lock.json", "reports.toml")


@dataclass(frozen=True)
class Comparison:
    """One file's verdict."""

    path: str  #: relative to the project root
    status: Status
    note: str = ""

    def line(self) -> str:
        return f"{self.status:<10} {self.path}" + (f"  ({self.note})" if self.note else "")


@dataclass
class VerifyResult:
    """What ``verify`` found; ``exit_code`` is OK, FETCH (raw differs) or DIFFERENT."""

    raw_problems: dict[str, str]
    files: list[Comparison]
    build_error: str | None = None

    @property
    def exit_code(self) -> ExitCode:
        if self.raw_problems:
            return ExitCode.FETCH
        if self.build_error or any(c.status != "same" for c in self.files):
            return ExitCode.DIFFERENT
        return ExitCode.OK

    def summary(self) -> str:
        if self.raw_problems:
            return (
                f"{len(self.raw_problems)} raw file(s) differ from sources.lock.json: nothing "
                "rebuilt. Run `analysis fetch` to restore the locked files."
            )
        counts = {s: sum(c.status == s for c in self.files) for s in ("same", "DIFFERENT")}
        missing = len(self.files) - sum(counts.values())
        verdict = (
            "reproduced: every file is byte-identical to its rebuild."
            if self.exit_code == ExitCode.OK
            else "NOT reproduced."
        )
        error = f" The rebuild failed: {self.build_error}" if self.build_error else ""
        return (
            f"{counts['same']} same, {counts['DIFFERENT']} DIFFERENT, {missing} missing "
            f"of {len(self.files)} file(s): {verdict}{error}"
        )


def check_raw() -> dict[str, str]:
    """``{raw path: problem}`` for every raw file that is missing or differs from the lock."""
    from analysis.fetch.lock import verify as verify_lock

    return verify_lock()


def _copy_project(source: config.Paths, target: Path) -> None:
    """The committed files, notebooks and raw data of ``source`` into an empty project."""
    for name in PROJECT_FILES:
        if (source.root / name).is_file():
            shutil.copy2(source.root / name, target / name)
    shutil.copytree(source.notebooks, target / "notebooks")
    shutil.copytree(source.raw, target / "data" / "raw")


def _analysis(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, config.HOME_ENV: str(home)}
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _tail(done: subprocess.CompletedProcess[str]) -> str:
    lines = (done.stderr or done.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit {done.returncode}"


def rebuild(home: Path, only: Sequence[str] | None, jobs: int | None) -> str | None:
    """Clean and build in project ``home``; the error of a step that failed, else None."""
    selected = [arg for name in only or () for arg in ("--only", name)]
    cleaned = _analysis(home, "clean", "--quiet")
    if cleaned.returncode:
        return f"clean exited {cleaned.returncode}: {_tail(cleaned)}"
    built = _analysis(home, "build", "--quiet", *selected, *(["--jobs", str(jobs)] if jobs else []))
    if built.returncode == ExitCode.PARTIAL:
        return None  # the failed runs' files show up as missing
    if built.returncode:
        return f"build exited {built.returncode}: {_tail(built)}"
    return None


def _canonical_manifest(path: Path) -> Any:
    """The processed manifest without the fields that say when, how fast and by which code a
    table was cleaned (its clean cache key, too): the tables' bytes are compared themselves."""
    data = json.loads(path.read_text(encoding="utf-8"))
    tables = data.get("tables", {}) if isinstance(data, dict) else {}
    return {
        **data,
        "tables": {
            name: {k: v for k, v in entry.items() if k not in MANIFEST_VOLATILE}
            for name, entry in sorted(tables.items())
            if isinstance(entry, dict)
        },
    }


def _same(rel: str, published: Path, rebuilt: Path) -> bool:
    if rel.endswith("manifest.json"):
        try:
            return bool(_canonical_manifest(published) == _canonical_manifest(rebuilt))
        except ValueError:
            return False
    return store.digest(published) == store.digest(rebuilt)


def compare(published: dict[str, Path], rebuilt: dict[str, Path]) -> list[Comparison]:
    """One verdict per file in either set, sorted by path."""
    out = []
    for rel in sorted(set(published) | set(rebuilt)):
        if rel not in published:
            out.append(Comparison(rel, "missing", "the rebuild has it, the project does not"))
        elif rel not in rebuilt:
            out.append(Comparison(rel, "missing", "not produced by the rebuild"))
        else:
            same = _same(rel, published[rel], rebuilt[rel])
            out.append(Comparison(rel, "same" if same else "DIFFERENT"))
    return out


def _selection(only: Sequence[str] | None) -> tuple[set[str] | None, set[str] | None]:
    """The selected run names and the tables they read (None, None: everything)."""
    if not only:
        return None, None
    from analysis.render.report_config import load_runs
    from analysis.render.runner import select

    runs, _ = select(load_runs(), only)
    if not all(r.tables for r in runs):  # a run without a declaration: its reads are recorded
        return {r.name for r in runs}, None
    return {r.name for r in runs}, {t for r in runs for t in r.tables}


def stale_runs(only: Sequence[str] | None) -> dict[str, list[str]]:
    """The published runs that ``analysis build`` would rebuild now, with why (their files
    cannot match a rebuild with the current code and data)."""
    from analysis.render.cache import KeyContext, read_record, run_key, why_stale
    from analysis.render.report_config import load_runs
    from analysis.render.runner import select

    ctx, reports = KeyContext.current(), config.paths().reports
    stale = {}
    for run in select(load_runs(), only)[0]:
        reasons = why_stale(run_key(run, ctx), read_record(reports / run.name), reports / run.name)
        if reasons:
            stale[run.name] = reasons
    return stale


def _processed(root: Path, tables: set[str] | None) -> dict[str, Path]:
    files = store.published_files(root)
    if tables is None:
        return files
    return {rel: p for rel, p in files.items() if Path(rel).stem in tables}


def _reports(root: Path, runs: set[str] | None) -> dict[str, Path]:
    from analysis.render.digests import published_files

    reports = config.Paths(root).reports
    prefix = reports.relative_to(root).as_posix()
    files = {f"{prefix}/{rel}": p for rel, p in published_files(reports, runs).items()}
    digest_manifest = config.Paths(root).digest_manifest
    if runs is None and digest_manifest.is_file():
        files[digest_manifest.relative_to(root).as_posix()] = digest_manifest
    return files


def verify(
    *,
    only: Sequence[str] | None = None,
    jobs: int | None = None,
    echo: Callable[[str], None] = print,
    keep: Path | None = None,
) -> VerifyResult:
    """Check raw files against the lock, rebuild in a temporary project, compare (module doc).

    ``keep``: rebuild into this (empty or new) folder and leave it there, instead of a
    temporary one.
    """
    out = config.paths()
    if problems := check_raw():
        for rel, problem in problems.items():
            echo(f"RAW DIFFERS data/raw/{rel}: {problem} (sources.lock.json)")
        result = VerifyResult(problems, [])
        echo(result.summary())
        return result
    runs, tables = _selection(only)
    for name, reasons in stale_runs(only).items():
        echo(f"STALE      reports/{name}: {'; '.join(reasons)} (run `analysis build` first)")
    with tempfile.TemporaryDirectory(prefix="analysis-verify-") as scratch:
        home = keep or Path(scratch)
        home.mkdir(parents=True, exist_ok=True)
        _copy_project(out, home)
        echo(f"raw files match sources.lock.json; rebuilding in {home} …")
        error = rebuild(home, only, jobs)
        files = compare(_processed(out.root, tables), _processed(home, tables))
        files += compare(_reports(out.root, runs), _reports(home, runs))
    for item in files:
        echo(item.line())
    result = VerifyResult({}, files, error)
    echo(result.summary())
    return result
