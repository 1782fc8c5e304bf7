"""Benchmarks (issues 8, 20): report builds against the plain papermill + nbconvert chain and
the plain-Python floor, the fixed cost of a fresh kernel per run (an empty report), incremental
rebuilds, plain kernels (before) against kernels forked from a warm template (after) per report,
for the whole build, the 56-run grid on the local pool and on Dask and one changed report, and
the cleaner at scale (time and peak memory against pandas only reading).

    .venv/bin/python benchmarks/run.py [--repeat 3] [--quick] [--scales 1,10,100]
        [--skip build|kernels|clean] [--before CHECKOUT]

--before CHECKOUT compares an earlier checkout of this repository (with its own .venv) with
this one, in turn, on the same machine.

Everything happens in temporary project folders (ANALYSIS_HOME) filled from the snapshot
(ANALYSIS_SNAPSHOT, default ../shared/mirror); nothing is written into the repository. Runs are
sequential; each figure is the median of --repeat runs. --quick: one repeat, scales 1 and 3.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ANALYSIS = [sys.executable, "-m", "analysis"]
#: What a project folder needs besides data: the registry, lock, report config and notebooks.
PROJECT_FILES = ("sources.toml", "sources.lock.json", "reports.toml", "reports-grid.toml")
BUILT_LINE = re.compile(r"^built\s+(\S+) in ([\d.]+) s")
#: The one table benchmark (d) changes; every run that lists it must rebuild.
TOUCHED_TABLE = "us_cpi"
#: ANALYSIS_KERNEL values compared by the kernel benchmark: before (a new interpreter per run)
#: and after (forked from a warm template per worker).
KERNEL_MODES = {"before (plain)": "plain", "after (forked)": "forked"}
#: The scale-out grid (56 runs) and the report whose notebook the "one changed report" step edits.
GRID_CONFIG = "reports-grid.toml"
EDITED_RUN = "iran_inflation"


def sh(cmd: Sequence[str | Path], env: dict[str, str], cwd: Path | None = None) -> str:
    """Run a command, fail loudly, return its stdout."""
    done = subprocess.run(
        [str(c) for c in cmd], env=env, cwd=cwd, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(map(str, cmd))}\n{done.stderr}")
    return done.stdout


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def make_home(root: Path, snapshot: Path, repo: Path = REPO, bin_dir: Path = BIN) -> dict[str, str]:
    """A fresh project folder with ``repo``'s config files, notebooks and ledgers; returns its
    environment (``bin_dir``, the virtual environment that runs it, first on PATH)."""
    for name in PROJECT_FILES:
        shutil.copy2(repo / name, root / name)
    shutil.copytree(repo / "notebooks", root / "notebooks")
    shutil.copytree(repo / "data" / "raw" / "ledgers", root / "data" / "raw" / "ledgers")
    env = dict(os.environ, ANALYSIS_HOME=str(root), ANALYSIS_SNAPSHOT=str(snapshot))
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


# --- 1. build speed -----------------------------------------------------------------------


@dataclass
class RunSpec:
    name: str
    notebook: Path
    parameters: dict[str, Any]
    tables: tuple[str, ...]


def load_specs(env: dict[str, str]) -> list[RunSpec]:
    """The report runs of reports.toml, with every parameter filled in (via the package)."""
    code = (
        "import json; from analysis.render.report_config import load_runs\n"
        "print(json.dumps([dict(name=r.name, notebook=str(r.notebook), tables=r.tables,"
        " parameters=dict(r.parameters)) for r in load_runs()]))"
    )
    rows = json.loads(sh([sys.executable, "-c", code], env))
    return [
        RunSpec(r["name"], Path(r["notebook"]), r["parameters"], tuple(r["tables"])) for r in rows
    ]


def plain_chain(spec: RunSpec, env: dict[str, str], out: Path) -> float:
    """(a) papermill, nbconvert --to html --no-input, nbconvert --to weasypdf, one by one."""
    executed = out / f"{spec.name}.ipynb"
    start = time.perf_counter()
    sh(
        [
            BIN / "papermill",
            spec.notebook,
            executed,
            "-y",
            json.dumps(spec.parameters),
            "-k",
            "python3",
            "--cwd",
            spec.notebook.parent,
            "--no-progress-bar",
        ],
        env,
    )
    for fmt in ("html", "weasypdf"):
        sh([BIN / "jupyter", "nbconvert", "--to", fmt, "--no-input", executed], env)
    return time.perf_counter() - start


def analysis_build(
    env: dict[str, str],
    *args: str,
    command: Sequence[str] = tuple(ANALYSIS),
    cwd: Path | None = None,
) -> tuple[float, dict[str, float]]:
    """Wall seconds of ``analysis build -q ARGS`` and each rebuilt run's own seconds;
    ``command`` and ``cwd``: which checkout's ``analysis`` (``python -m`` imports the package
    from the working directory first)."""
    seconds, stdout = timed(lambda: sh([*command, "build", "-q", *args], env, cwd))
    runs = {m[1]: float(m[2]) for line in stdout.splitlines() if (m := BUILT_LINE.match(line))}
    return seconds, runs


def phases(home: Path, names: Sequence[str]) -> dict[str, dict[str, float]]:
    """Each run's own phase seconds (execute = kernel start + code, html, pdf) from the
    ``build.json`` the build wrote beside its report."""
    found = {}
    for name in names:
        record = home / "reports" / name / "build.json"
        if record.is_file():
            seconds = json.loads(record.read_text(encoding="utf-8")).get("seconds", {})
            found[name] = {k: float(v) for k, v in seconds.items() if k != "total"}
    return found


def floor(specs: list[RunSpec], env: dict[str, str]) -> dict[str, float]:
    """(e) every run's code as plain Python in one process (benchmarks/floor.py)."""
    payload = json.dumps(
        [dict(name=s.name, notebook=str(s.notebook), parameters=s.parameters) for s in specs]
    )
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("floor.py"))],
        input=payload,
        env=dict(env, MPLBACKEND="Agg"),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"floor failed:\n{done.stderr}")
    return {k: float(v) for k, v in json.loads(done.stdout.splitlines()[-1]).items()}


#: What every report's first code cell imports: a run of a notebook with only this cell costs
#: what any report run costs before its own code (a kernel, these imports, an HTML and a PDF).
EMPTY_IMPORTS = (
    "import matplotlib.pyplot as plt\n"
    "import pandas as pd\n"
    "from IPython.display import HTML, display\n"
    "from analysis import config\n"
    "from analysis.report import charts, tables\n"
    "from analysis.report.appendix import appendix\n"
    "from analysis.report import claims, finances, periods, plots, rapprochement\n"
    "from analysis.report.html import html_table"
)
EMPTY_RUN = "empty"


def empty_report(home: Path) -> Path:
    """A one-page notebook that only imports what the reports import, and its build config."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Empty report\n\nThe fixed cost of one report run."),
        nbformat.v4.new_code_cell(EMPTY_IMPORTS),
    ]
    nbformat.write(nb, home / "notebooks" / f"{EMPTY_RUN}.ipynb")
    config = home / "empty.toml"
    config.write_text(f'[[report]]\nnotebook = "{EMPTY_RUN}.ipynb"\ntables = []\n')
    return config


def touch_table(env: dict[str, str], step: int) -> None:
    """Rewrite one processed table with one value changed (a new checksum, same schema) and
    record its checksum in the manifest, as ``clean`` would."""
    code = (
        "import sys, pandas as pd; from analysis import store\n"
        f"p = store.table_path('{TOUCHED_TABLE}')\n"
        "df = pd.read_parquet(p); col = df.select_dtypes('float').columns[0]\n"
        f"df.loc[df.index[-1], col] += {step} * 1e-6; df.to_parquet(p)\n"
        # the store refuses a table its manifest does not record: record the new checksum
        f"m = store.manifest(); m['tables']['{TOUCHED_TABLE}']['outputs']['parquet'] = "
        "store.digest(p); store.write_manifest(m)"
    )
    sh([sys.executable, "-c", code], env)


def bench_build(snapshot: Path, repeat: int) -> dict[str, Any]:
    """Benchmarks 1(a)-(e) in one temporary project folder."""
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        home = Path(tmp) / "home"
        (home / "data" / "raw").mkdir(parents=True)
        env = make_home(home, snapshot)
        sh([*ANALYSIS, "fetch", "-q"], env)
        sh([*ANALYSIS, "clean", "-q"], env)
        specs = load_specs(env)
        res: dict[str, Any] = {"specs": [s.name for s in specs], "chain": {}, "floor": {}}
        chain_runs: dict[str, list[float]] = {s.name: [] for s in specs}
        cold: list[float] = []
        cold_runs: dict[str, list[float]] = {s.name: [] for s in specs}
        cold_phases: dict[str, dict[str, list[float]]] = {}
        noop: list[float] = []
        touched: list[float] = []
        touched_runs: dict[str, list[float]] = {}
        floors: dict[str, list[float]] = {s.name: [] for s in specs}
        empty_config = empty_report(home)
        empty: dict[str, list[float]] = {}
        for i in range(repeat):
            out = Path(tmp) / f"chain-{i}"
            out.mkdir()
            for spec in specs:
                chain_runs[spec.name].append(plain_chain(spec, env, out))
            seconds, runs = analysis_build(env, "--force")
            cold.append(seconds)
            for name, s in runs.items():
                cold_runs[name].append(s)
            for name, split in phases(home, [s.name for s in specs]).items():
                for phase, s in split.items():
                    cold_phases.setdefault(name, {}).setdefault(phase, []).append(s)
            noop.append(analysis_build(env)[0])
            touch_table(env, i + 1)
            seconds, runs = analysis_build(env)
            touched.append(seconds)
            for name, s in runs.items():
                touched_runs.setdefault(name, []).append(s)
            for name, s in floor(specs, env).items():
                floors[name].append(s)
            analysis_build(env, "--force", "--config", str(empty_config))
            for phase, s in phases(home, [EMPTY_RUN])[EMPTY_RUN].items():
                empty.setdefault(phase, []).append(s)
        res["chain"] = {k: median(v) for k, v in chain_runs.items()}
        res["chain_total"] = sum(res["chain"].values())
        res["cold"] = median(cold)
        res["cold_runs"] = {k: median(v) for k, v in cold_runs.items()}
        res["phases"] = {
            k: {phase: median(v) for phase, v in split.items()} for k, split in cold_phases.items()
        }
        res["noop"] = median(noop)
        res["touched"] = median(touched)
        res["touched_runs"] = {k: median(v) for k, v in touched_runs.items()}
        res["floor"] = {k: median(v) for k, v in floors.items()}
        res["floor_total"] = sum(res["floor"].values())
        res["empty"] = {phase: median(v) for phase, v in empty.items()}
        return res


# --- 1b. kernels: plain (before) against forked from a warm template (after) ---------------


def edit_notebook(notebook: Path, step: int) -> None:
    """Change one report's notebook (a markdown cell appended): that run alone must rebuild."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell(f"Benchmark edit {step}."))
    nbformat.write(nb, notebook)


def bench_kernels(snapshot: Path, repeat: int, whole_builds: bool = True) -> dict[str, Any]:
    """Per report ``build --force --only NAME`` (wall, and each phase) and, with
    ``whole_builds``, the cold build of all reports, the 56-run grid on the local pool and on
    Dask, one changed report rebuilt alone and the no-op build: with plain kernels and with
    forked ones."""
    with tempfile.TemporaryDirectory(prefix="bench-kernels-") as tmp:
        home = Path(tmp) / "home"
        (home / "data" / "raw").mkdir(parents=True)
        base = make_home(home, snapshot)
        sh([*ANALYSIS, "fetch", "-q"], base)
        sh([*ANALYSIS, "clean", "-q"], base)
        specs = load_specs(base)
        names = [s.name for s in specs]
        floors: dict[str, list[float]] = {n: [] for n in names}
        for _ in range(repeat):
            for name, s in floor(specs, base).items():
                floors[name].append(s)
                print(f"progress: floor {name} {s:.2f} ({load()})", file=sys.stderr, flush=True)
        res: dict[str, Any] = {"specs": names, "floor": {k: median(v) for k, v in floors.items()}}
        grid = str(home / GRID_CONFIG)
        edited = next(s.notebook for s in specs if s.name == EDITED_RUN)
        per: dict[str, dict[str, dict[str, list[float]]]] = {
            label: {n: {} for n in names} for label in KERNEL_MODES
        }
        whole: dict[str, dict[str, list[float]]] = {label: {} for label in KERNEL_MODES}

        def add(into: dict[str, list[float]], key: str, value: float, what: str = "") -> None:
            into.setdefault(key, []).append(value)
            print(f"progress: {what} {key} {value:.2f} ({load()})", file=sys.stderr, flush=True)

        for i in range(repeat):
            for name in names:  # before and after in turn, so both see the same machine load
                for label, mode in KERNEL_MODES.items():
                    env = dict(base, ANALYSIS_KERNEL=mode)
                    seconds, _ = analysis_build(env, "--force", "--only", name)
                    add(per[label][name], "wall", seconds, f"{label} {name}")
                    for phase, s in phases(home, [name]).get(name, {}).items():
                        add(per[label][name], phase, s)
            for label, mode in KERNEL_MODES.items():
                if not whole_builds:
                    break
                env, into = dict(base, ANALYSIS_KERNEL=mode), whole[label]
                add(into, "cold", analysis_build(env, "--force")[0], label)
                add(into, "noop", analysis_build(env)[0], label)
                edit_notebook(edited, 2 * i + (mode == "forked") + 1)
                seconds, runs = analysis_build(env)
                add(into, "changed", seconds, label)
                add(into, "changed_runs", len(runs), label)
            # the grids last, after (forked) first: they take the longest
            for label, mode in reversed(KERNEL_MODES.items()):
                if not whole_builds:
                    break
                env, into = dict(base, ANALYSIS_KERNEL=mode), whole[label]
                for executor in ("local", "dask"):
                    seconds, runs = analysis_build(
                        env, "--force", "--config", grid, "--executor", executor
                    )
                    add(into, f"grid_{executor}", seconds, label)
                    add(into, "grid_runs", len(runs), label)
        for label in KERNEL_MODES:
            res[label] = {
                "runs": {n: {k: median(v) for k, v in p.items()} for n, p in per[label].items()},
                **{k: median(v) for k, v in whole[label].items()},
            }
        return res


#: The per-report goals of issue 20: wall ≤ 1.5 × floor + pdf, and pdf ≤ 0.5 s.
FLOOR_FACTOR = 1.5
PDF_GOAL = 0.5


def print_per_report(
    specs: Sequence[str], floors: dict[str, float], runs: dict[str, dict[str, dict[str, float]]]
) -> None:
    """One row per run and label (``runs[label][name]``: its wall and phases) against the
    per-report goals."""
    print("| run | version | wall | execute | html | pdf | (e) floor | 1.5 × floor + pdf | goals |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for name in specs:
        e = floors[name]
        for label, by_run in runs.items():
            r = dict.fromkeys(("wall", "execute", "html", "pdf"), float("nan"))
            r.update(by_run[name])
            bound = FLOOR_FACTOR * e + r["pdf"]
            verdict = ", ".join(
                [
                    "wall met" if r["wall"] <= bound else "wall not met",
                    "pdf met" if r["pdf"] <= PDF_GOAL else "pdf not met",
                ]
            )
            print(
                f"| {name} | {label} | {r['wall']:.1f} | {r['execute']:.1f} | {r['html']:.2f} |"
                f" {r['pdf']:.2f} | {e:.1f} | {bound:.1f} | {verdict} |"
            )


def print_whole(
    labels: Sequence[str],
    values: dict[str, dict[str, float]],
    rows: Sequence[tuple[str, str, str]],
) -> None:
    """The whole-build table: one row per (title, key, goal), one column per label."""
    print("\n| whole builds | " + " | ".join(labels) + " | goal |")
    print("|---|" + "---:|" * len(labels) + "---|")
    for title, key, goal in rows:
        cells = " | ".join(f"{values[label].get(key, float('nan')):.2f}" for label in labels)
        print(f"| {title} | {cells} | {goal} |")


def print_kernels(res: dict[str, Any]) -> None:
    print("\n## Kernels: plain (before) and forked from a warm template (after), seconds, median\n")
    print(
        "Per report: `analysis build --force --only NAME` wall time, and the run's phases from"
        " build.json (execute = kernel start + code; the executed notebook keeps no cell times,"
        " for byte-identical rebuilds, so the two are not split). Goals: wall ≤ 1.5 × floor + pdf,"
        " and pdf ≤ 0.5 s.\n"
    )
    print_per_report(res["specs"], res["floor"], {k: res[k]["runs"] for k in KERNEL_MODES})
    if "cold" not in res[next(iter(KERNEL_MODES))]:
        return
    print_whole(
        list(KERNEL_MODES),
        {label: res[label] for label in KERNEL_MODES},
        (
            ("cold build of all reports (`build --force`)", "cold", ""),
            ("56-run grid from cold, local pool", "grid_local", "≤ 45 s"),
            ("56-run grid from cold, Dask (LocalCluster)", "grid_dask", "≤ 45 s"),
            (f"one changed report ({EDITED_RUN}.ipynb edited) rebuilt alone", "changed", ""),
            ("no-op `analysis build`", "noop", "≤ 0.2 s"),
        ),
    )
    runs = {label: (res[label]["grid_runs"], res[label]["changed_runs"]) for label in KERNEL_MODES}
    print(f"\nRuns built (grid, changed): {runs}")


# --- 1c. before and after: an earlier checkout against this one --------------------------


@dataclass(frozen=True)
class Checkout:
    """A checkout of the package with its own virtual environment (``make .venv/bin/.dev``)."""

    label: str
    repo: Path

    @property
    def bin(self) -> Path:
        return self.repo / ".venv" / "bin"

    @property
    def command(self) -> tuple[str, ...]:
        """``python -m analysis``: run from :attr:`repo` (the working directory comes first on
        ``sys.path``), so it imports this checkout's package, not the one in the caller's
        directory."""
        return (str(self.bin / "python"), "-m", "analysis")


def git_head(repo: Path) -> str:
    """The checkout's commit (short), to name it in the table."""
    done = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def bench_before(before: Path, snapshot: Path, repeat: int) -> dict[str, Any]:
    """Per report ``build --force --only NAME`` with the earlier checkout ``before`` and with
    this one in turn (so both see the same load), each in its own project folder from its own
    checkout; then the cold build of all reports and the 56-run grid on the local pool and on
    Dask, once per repeat, each checkout in turn. Kernels are each checkout's default."""
    if not (before / ".venv" / "bin" / "python").is_file():
        raise SystemExit(f"--before {before}: no .venv there (run `make .venv/bin/.dev` in it)")
    checkouts = (
        Checkout(f"before ({git_head(before)})", before.resolve()),
        Checkout(f"after ({git_head(REPO)})", REPO),
    )
    with tempfile.TemporaryDirectory(prefix="bench-before-") as tmp:
        envs: dict[str, dict[str, str]] = {}
        homes: dict[str, Path] = {}
        for c in checkouts:
            homes[c.label] = home = Path(tmp) / c.label.split()[0]
            (home / "data" / "raw").mkdir(parents=True)
            env = make_home(home, snapshot, c.repo, c.bin)
            env.pop("ANALYSIS_KERNEL", None)
            sh([*c.command, "fetch", "-q"], env, c.repo)
            sh([*c.command, "clean", "-q"], env, c.repo)
            envs[c.label] = env
        after = checkouts[-1]
        specs = load_specs(envs[after.label])
        names = [s.name for s in specs]
        floors: dict[str, list[float]] = {n: [] for n in names}
        values: dict[str, dict[str, dict[str, list[float]]]] = {
            c.label: {n: {} for n in [*names, "whole"]} for c in checkouts
        }

        def add(c: Checkout, name: str, key: str, value: float) -> None:
            values[c.label][name].setdefault(key, []).append(value)
            print(f"progress: {c.label} {name} {key} {value:.2f} ({load()})", file=sys.stderr)

        grid = GRID_CONFIG
        for _ in range(repeat):
            for name, s in floor(specs, envs[after.label]).items():
                floors[name].append(s)
            for name in names:
                for c in checkouts:
                    env = envs[c.label]
                    add(
                        c,
                        name,
                        "wall",
                        analysis_build(
                            env, "--force", "--only", name, command=c.command, cwd=c.repo
                        )[0],
                    )
                    for phase, s in phases(homes[c.label], [name]).get(name, {}).items():
                        add(c, name, phase, s)
                    record = homes[c.label] / "reports" / name / "build.json"
                    ran = json.loads(record.read_text(encoding="utf-8")).get("code_version", "")
                    if not ran or not c.label.split("(")[1].startswith(ran[:7]):
                        raise SystemExit(
                            f"{c.label}: the build ran code {ran!r}, not this checkout's"
                        )
            for c in checkouts:
                env = envs[c.label]
                add(
                    c,
                    "whole",
                    "cold",
                    analysis_build(env, "--force", command=c.command, cwd=c.repo)[0],
                )
                add(c, "whole", "noop", analysis_build(env, command=c.command, cwd=c.repo)[0])
                grid_path = str(homes[c.label] / grid)
                for executor in ("local", "dask"):
                    seconds, runs = analysis_build(
                        env,
                        "--force",
                        "--config",
                        grid_path,
                        "--executor",
                        executor,
                        command=c.command,
                        cwd=c.repo,
                    )
                    add(c, "whole", f"grid_{executor}", seconds)
                    add(c, "whole", "grid_runs", len(runs))
                    grid_phases = phases(homes[c.label], list(runs))
                    for phase in ("execute", "html", "pdf"):
                        add(
                            c,
                            "whole",
                            f"grid_{executor}_{phase}",
                            sum(p.get(phase, 0.0) for p in grid_phases.values()),
                        )
        return {
            "specs": names,
            "labels": [c.label for c in checkouts],
            "floor": {k: median(v) for k, v in floors.items()},
            **{
                c.label: {
                    n: {k: median(v) for k, v in d.items()} for n, d in values[c.label].items()
                }
                for c in checkouts
            },
        }


def print_before(res: dict[str, Any]) -> None:
    labels = res["labels"]
    print("\n## Before and after (seconds, median)\n")
    print(
        "Per report: `analysis build --force --only NAME` wall time and the run's phases from"
        " build.json (execute = kernel start + code), each checkout with its own default kernels,"
        " in turn. Goals: wall ≤ 1.5 × floor + pdf, and pdf ≤ 0.5 s. The floor is this"
        " checkout's code as plain Python (benchmarks/floor.py).\n"
    )
    print_per_report(res["specs"], res["floor"], {k: res[k] for k in labels})
    print_whole(
        labels,
        {label: res[label]["whole"] for label in labels},
        (
            ("cold build of all reports (`build --force`)", "cold", ""),
            ("no-op `analysis build`", "noop", "≤ 0.2 s"),
            ("56-run grid from cold, local pool", "grid_local", "≤ 45 s"),
            ("56-run grid from cold, Dask (LocalCluster)", "grid_dask", "≤ 45 s"),
            ("local grid: the runs' execute, summed", "grid_local_execute", ""),
            ("local grid: the runs' html, summed", "grid_local_html", ""),
            ("local grid: the runs' pdf, summed", "grid_local_pdf", ""),
        ),
    )
    print(
        "\nThe summed phases are CPU-bound work spread over the 2 workers: a grid cannot take less"
        " than about their sum divided by the workers."
    )


# --- 2. cleaner at scale ------------------------------------------------------------------


def raw_size(raw: Path) -> int:
    return sum(p.stat().st_size for p in raw.rglob("*") if p.is_file())


def _synthetic_codes(taken: set[str]) -> Iterator[str]:
    """Three-letter lower-case codes no real quote uses (bonbast keys are lower-case ISO codes)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    for a, b, c in itertools.product(letters, repeat=3):
        if (code := a + b + c) not in taken:
            yield code


def _widen_bonbast(folder: Path, extra_bytes: int) -> None:
    """Add about ``extra_bytes`` to the bonbast files: every day gets extra synthetic currencies,
    each a renamed copy of a real quote (same name, so the same units); dates stay real, so every
    row stays valid. A synthetic code always copies the same real currency."""
    paths = sorted(folder.glob("*/*/full.json"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    real = sorted({m for text in texts for m in re.findall(r'"([a-z]{3})": \{', text)})
    currency_share = sum(len(re.findall(r'"[a-z]{3}": \{', t)) for t in texts) / sum(
        t.count('{"name"') for t in texts
    )  # gold coins are not copied
    copies = max(0, round(extra_bytes / (sum(map(len, texts)) * currency_share)))
    del texts
    codes = _synthetic_codes(set(real))
    renamed = [{code: next(codes) for code in real} for _ in range(copies)]
    for path in paths:
        data = json.loads(path.read_bytes())
        for day in data.values():
            quotes = [(code, day[code]) for code in real if code in day]
            for names in renamed:
                day.update({names[code]: quote for code, quote in quotes})
        path.write_text(json.dumps(data), encoding="utf-8")


def _copy_worldbank(folder: Path, copies: int) -> None:
    """Add ``copies`` renamed copies of every WDI indicator file (synthetic indicator codes)."""
    for path in sorted(folder.glob("API_*_DS2_*.csv")):
        code = path.name.split("_DS2_")[0].removeprefix("API_")
        text = path.read_text(encoding="utf-8-sig")
        for n in range(1, copies + 1):
            synthetic = f"SYN{n}.{code}"
            name = path.name.replace(f"API_{code}_", f"API_{synthetic}_")
            (folder / name).write_text(
                text.replace(f",{code},", f",{synthetic},").replace(
                    f',"{code}",', f',"{synthetic}",'
                ),
                encoding="utf-8",
            )


def scale_raw(raw: Path, factor: int) -> int:
    """Grow the raw folder to about ``factor`` times its size with valid synthetic rows in the real
    layouts: renamed copies of the World Bank indicator files ("many indicators for all
    countries") and extra currencies on every bonbast day (the largest source); returns bytes."""
    if factor <= 1:
        return raw_size(raw)
    total = raw_size(raw)
    _copy_worldbank(raw / "worldbank", factor - 1)
    _widen_bonbast(raw / "bonbast", factor * total - raw_size(raw))
    return raw_size(raw)


READ_ONLY = """
import json, sys, time, warnings
from pathlib import Path
import pandas as pd
warnings.simplefilter("ignore")
start = time.perf_counter()
for p in sorted(Path(sys.argv[1]).rglob("*")):
    s = p.suffix.lower()
    if s == ".csv":
        try:
            pd.read_csv(p, header=None, on_bad_lines="skip", encoding_errors="replace")
        except Exception:
            pd.read_csv(p, header=None, on_bad_lines="skip", encoding_errors="replace",
                        engine="python")
    elif s == ".json":
        data = json.loads(p.read_bytes())
        if isinstance(data, dict):
            pd.DataFrame.from_dict(data, orient="index")
        else:
            pd.json_normalize(data)
    elif s in (".xlsx", ".xls"):
        pd.read_excel(p, sheet_name=None, header=None, engine="calamine" if s == ".xls" else None)
print(time.perf_counter() - start)
"""

#: Runs a command and prints its wall seconds and peak RSS (bytes) from getrusage(CHILDREN).
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps(dict(code=code, seconds=time.perf_counter() - start, peak=peak)))
"""


def bench_clean(snapshot: Path, scales: Sequence[int], repeat: int) -> list[dict[str, Any]]:
    """Benchmark 2: ``analysis clean --force`` against pandas reading the same raw files."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-clean-") as tmp:
        base = Path(tmp) / "base"
        (base / "data" / "raw").mkdir(parents=True)
        env = make_home(base, snapshot)
        sh([*ANALYSIS, "fetch", "-q"], env)
        for factor in scales:
            home = Path(tmp) / f"x{factor}"
            (home / "data").mkdir(parents=True)
            env = make_home(home, snapshot)
            shutil.rmtree(home / "data" / "raw")
            shutil.copytree(base / "data" / "raw", home / "data" / "raw")
            size = scale_raw(home / "data" / "raw", factor)
            seconds, peaks, reads = [], [], []
            for _ in range(repeat):
                out = json.loads(
                    sh([sys.executable, "-c", MEASURE, *ANALYSIS, "clean", "--force", "-q"], env)
                )
                if out["code"]:
                    raise SystemExit(f"analysis clean failed at {factor}x")
                seconds.append(out["seconds"])
                peaks.append(out["peak"])
                reads.append(
                    float(sh([sys.executable, "-c", READ_ONLY, home / "data" / "raw"], env))
                )
            # the interpreter with pandas, pyarrow and pandera imported, doing nothing
            idle = json.loads(sh([sys.executable, "-c", MEASURE, *ANALYSIS, "clean", "-q"], env))
            rows.append(
                dict(
                    factor=factor,
                    input_mb=size / 1e6,
                    clean=median(seconds),
                    read=median(reads),
                    peak_mb=median(peaks) / 1e6,
                    idle_mb=idle["peak"] / 1e6,
                )
            )
            shutil.rmtree(home)
    return rows


# --- report -------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}"


def load() -> str:
    """The machine's load average (1, 5, 15 min): other work skews every figure."""
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def print_build(res: dict[str, Any]) -> None:
    print("\n## Build speed (seconds, median)\n")
    kernel = os.environ.get("ANALYSIS_KERNEL") or "forked"
    print(f"(b) runs with ANALYSIS_KERNEL={kernel} kernels; (a) starts a plain kernel per run.\n")
    print("| run | (a) plain chain | (b) build --force | (e) floor | (b)/(a) | (b)/(e) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in res["specs"]:
        a, b, e = res["chain"][name], res["cold_runs"].get(name, float("nan")), res["floor"][name]
        print(f"| {name} | {a:.1f} | {b:.1f} | {e:.1f} | {b / a:.2f} | {b / e:.2f} |")
    a, b, e = res["chain_total"], res["cold"], res["floor_total"]
    print(f"| **all (wall)** | {a:.1f} | {b:.1f} | {e:.1f} | {b / a:.2f} | {b / e:.2f} |")
    print(f"\n(c) no-op `analysis build`: {res['noop']:.2f} s")
    rebuilt = ", ".join(f"{k} {v:.1f} s" for k, v in res["touched_runs"].items()) or "none"
    print(
        f"(d) after changing one value in {TOUCHED_TABLE}.parquet: {res['touched']:.1f} s wall; "
        f"rebuilt {len(res['touched_runs'])}/{len(res['specs'])}: {rebuilt}"
    )
    print(
        "\nPer-run (b) is the run's own time inside the parallel build (--jobs = cores); "
        "(e) pays the imports in its first run."
    )
    print("\nWhere (b)'s time goes, per run (seconds, median; from each report's build.json):\n")
    print("| run | execute (kernel start + code) | html | pdf | (e) floor | execute - floor |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in res["specs"]:
        split, e = res["phases"].get(name, {}), res["floor"][name]
        run, html, pdf = (split.get(k, float("nan")) for k in ("execute", "html", "pdf"))
        print(f"| {name} | {run:.1f} | {html:.2f} | {pdf:.1f} | {e:.1f} | {run - e:.1f} |")
    fixed = res["empty"]
    cost = sum(fixed.values())
    print(
        f"\nAn empty report (one cell importing what the reports import) built the same way: "
        f"execute {fixed['execute']:.1f} s, html {fixed['html']:.2f} s, pdf {fixed['pdf']:.2f} s "
        f"= {cost:.1f} s, the fixed cost of a fresh kernel per run. The best (b)/(e) a run can "
        "reach with one is (fixed + floor) / floor:\n"
    )
    print("| run | (e) floor | fixed + floor | best possible (b)/(e) |")
    print("|---|---:|---:|---:|")
    for name in res["specs"]:
        e = res["floor"][name]
        print(f"| {name} | {e:.1f} | {cost + e:.1f} | {(cost + e) / e:.2f} |")


def print_clean(rows: list[dict[str, Any]]) -> None:
    print("\n## Cleaner at scale (`analysis clean --force`, median)\n")
    print(
        "| scale | raw input MB | clean s | pandas read-only s | clean/read | peak MB"
        " | peak/input | (peak - idle)/input |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['factor']}x | {r['input_mb']:.0f} | {r['clean']:.1f} | {r['read']:.1f} | "
            f"{r['clean'] / r['read']:.2f} | {r['peak_mb']:.0f} | "
            f"{r['peak_mb'] / r['input_mb']:.2f} | "
            f"{(r['peak_mb'] - r['idle_mb']) / r['input_mb']:.2f} |"
        )
    idle = median([r["idle_mb"] for r in rows])
    print(
        f"\nidle = the peak of `analysis clean` with nothing to do ({idle:.0f} MB: Python with\n"
        "pandas, pyarrow and pandera imported). Inputs above 1x are the snapshot plus valid\n"
        "synthetic rows in the real layouts: renamed copies of the World Bank indicator files\n"
        "and extra currencies on every bonbast day (the largest source)."
    )


def main() -> None:
    summary, _, details = __doc__.partition("\n\n")
    parser = argparse.ArgumentParser(
        description=" ".join(summary.split()),
        epilog=" ".join(details.split("\n\n", 1)[-1].split()),
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per figure, median (default %(default)s)"
    )
    parser.add_argument("--quick", action="store_true", help="one repeat, scales 1 and 3")
    parser.add_argument(
        "--scales", default="1,10,100", help="cleaner input-size multiples (default %(default)s)"
    )
    parser.add_argument(
        "--skip",
        choices=("build", "kernels", "clean"),
        action="append",
        default=[],
        help="leave out one part (may be given more than once)",
    )
    parser.add_argument(
        "--before",
        type=Path,
        metavar="CHECKOUT",
        help="also compare an earlier checkout of this repository (with its own .venv) against"
        " this one: per report, cold build, no-op and the 56-run grid on both executors",
    )
    parser.add_argument(
        "--reports-only",
        action="store_true",
        help="kernels part: per-report builds only (no whole builds, grid, changed, no-op)",
    )
    args = parser.parse_args()
    repeat = 1 if args.quick else args.repeat
    scales = [1, 3] if args.quick else [int(s) for s in args.scales.split(",")]
    snapshot = Path(os.environ.get("ANALYSIS_SNAPSHOT", REPO.parent / "shared" / "mirror"))
    if not (snapshot / "MANIFEST.csv").is_file():
        raise SystemExit(f"no snapshot at {snapshot}: set ANALYSIS_SNAPSHOT")
    print(f"# Benchmarks\n\nMachine: {machine()}; repeat={repeat}")
    print(f"Command: {' '.join(['python', *sys.argv])}")
    print(f"Before: {load()}", flush=True)
    if "build" not in args.skip:
        print_build(bench_build(snapshot.resolve(), repeat))
        print(f"\nAfter this part: {load()}", flush=True)
    if "kernels" not in args.skip:
        print_kernels(bench_kernels(snapshot.resolve(), repeat, not args.reports_only))
        print(f"\nAfter this part: {load()}", flush=True)
    if args.before is not None:
        print_before(bench_before(args.before, snapshot.resolve(), repeat))
        print(f"\nAfter this part: {load()}", flush=True)
    if "clean" not in args.skip:
        print_clean(bench_clean(snapshot.resolve(), scales, repeat))
        print(f"\nAfter this part: {load()}", flush=True)


if __name__ == "__main__":
    main()
