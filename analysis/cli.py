"""The ``analysis`` command (also ``python -m analysis``); every Makefile target calls it.

Heavy libraries are imported inside the commands, so ``analysis --help`` answers at once.
"""

from __future__ import annotations

import errno
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from analysis import __version__
from analysis.config import MAX_RUNS_WITHOUT_YES
from analysis.errors import DISK_ERRNOS, AnalysisError, ExitCode, Terminated

#: Errors of the disk, not of the package: full, over quota, read-only.
#: A file or folder this process may not write (exit 8 as well: not a bug).
PERMISSION_ERRNOS = frozenset({errno.EACCES, errno.EPERM})

SNAPSHOT_HELP = (
    "Local folder laid out like ../shared/mirror to fetch from instead of upstream "
    "[env: ANALYSIS_SNAPSHOT]."
)


def config_default(name: str) -> Any:
    """A setting of :mod:`analysis.config`, for --help's defaults (config is light to import)."""
    from analysis import config

    return getattr(config, name)


def _bars(quiet: bool) -> bool:
    """Progress bars only for a person at a terminal: never in --quiet mode, logs or pipes."""
    return not quiet and sys.stderr.isatty()


def _echo_for(quiet: bool) -> Callable[[str], None]:
    return (lambda _msg: None) if quiet else click.echo


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="analysis")
def cli() -> None:
    """Iran's finances and public claims of Iranian funding to Hamas: raw data → reports.

    \b
    Data flows one way:
      fetch   upstream or snapshot → data/raw/        (checksummed in sources.lock.json)
      clean   data/raw/ → data/processed/             (validated tables, quarantine, manifest)
      build   data/processed/ → notebooks → reports/  (HTML + PDF, cached by content)
      refresh fetch + clean + build, for cron and CI
      verify  rebuild from data/raw elsewhere; compare byte for byte

    Run `analysis COMMAND --help` for a command's options.
    """


@cli.command()
@click.option("--snapshot", type=click.Path(file_okay=False, path_type=Path), help=SNAPSHOT_HELP)
@click.option("--update", is_flag=True, help="Accept upstream files that changed since the lock.")
@click.option("--only", multiple=True, metavar="SOURCE", help="Fetch only this source (repeat).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars; summary lines only.")
def fetch(snapshot: Path | None, update: bool, only: tuple[str, ...], quiet: bool) -> None:
    """Bring raw files into data/raw/ and verify them against the lock file."""
    from analysis import config
    from analysis.fetch.fetch import fetch as run_fetch

    report = run_fetch(
        config.snapshot_dir(snapshot), update=update, only=only or None, progress=_bars(quiet)
    )
    for line in report.summary_lines():
        click.echo(line)
    if not report.ok:
        raise SystemExit(ExitCode.FETCH)


@cli.command()
@click.option("--force", is_flag=True, help="Rebuild every table even if nothing changed.")
@click.option("--only", multiple=True, metavar="TABLE", help="Clean only this table (repeat).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def clean(force: bool, only: tuple[str, ...], quiet: bool) -> None:
    """Clean data/raw/ into validated tables in data/processed/ (skips unchanged tables)."""
    from analysis.clean.pipeline import clean as run_clean
    from analysis.locking import pipeline_lock

    echo = _echo_for(quiet)
    with pipeline_lock("clean"):
        outcomes = run_clean(only=only or None, force=force, echo=echo, progress=_bars(quiet))
    if all(o.status == "unchanged" for o in outcomes):
        echo("Nothing to do: inputs and code unchanged.")


@cli.command()
@click.option("--force", is_flag=True, help="Rebuild every run, ignoring the cache.")
@click.option("--dry-run", is_flag=True, help="Say what would run and why; run nothing.")
@click.option(
    "--only",
    multiple=True,
    metavar="NAME",
    help="Build only this run, or every run of this notebook (stem or .ipynb name; repeat).",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Parallel runs [default: cores].")
@click.option(
    "--cell-timeout",
    type=click.FloatRange(min=1),
    default=config_default("DEFAULT_CELL_TIMEOUT"),
    show_default=True,
    help="Seconds a cell may run.",
)
@click.option(
    "--export-timeout",
    type=click.FloatRange(min=1),
    help="Seconds a run's export (HTML and PDF) may take; past it the run fails "
    f"[default: {config_default('EXPORT_TIMEOUT'):g}; env: ANALYSIS_EXPORT_TIMEOUT].",
)
@click.option(
    "--max-output-chars",
    type=click.IntRange(min=1),
    help="Characters of a cell's output a report shows; the rest is cut with a note "
    f"[default: {config_default('MAX_OUTPUT_CHARS'):,}; env: ANALYSIS_MAX_OUTPUT_CHARS].",
)
@click.option("--quiet", "-q", is_flag=True, help="Log-friendly: one line per run, no bars.")
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where runs execute: a local process pool, or Dask distributed.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Dask scheduler (tcp://host:8786) [default with --executor dask: a LocalCluster].",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report config to build instead of reports.toml (e.g. reports-grid.toml).",
)
@click.option(
    "--yes", "-y", is_flag=True, help=f"Build more than {MAX_RUNS_WITHOUT_YES} runs at once."
)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="With NOTEBOOK: a parameter value, read as in reports.toml (2001, true, "
    '["a", "b"]; other text is a string); repeat.',
)
@click.argument("notebook", required=False, type=click.Path(dir_okay=False, path_type=Path))
def build(
    force: bool,
    dry_run: bool,
    only: tuple[str, ...],
    jobs: int | None,
    cell_timeout: float | None,
    export_timeout: float | None,
    max_output_chars: int | None,
    quiet: bool,
    executor: str,
    scheduler: str | None,
    config_path: Path | None,
    yes: bool,
    params: tuple[str, ...],
    notebook: Path | None,
) -> None:
    """Execute the report notebooks and render HTML + PDF into reports/.

    \b
    With NOTEBOOK (a path, or a file in notebooks/): one run of it with the -p values, checked
    against its typed parameters cell, into reports/_oneoff/<run>/ (reports.toml is not read).

    \b
    Exit codes: 0 built or up to date, 5 some runs failed (each with its message; the others
    built), 2 bad command line, one-off parameters or unreadable reports.toml, 6 busy, 8 disk
    full, 1 unexpected error.
    """
    from analysis.render.runner import build as run_build

    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler needs --executor dask")
    if params and notebook is None:
        raise click.UsageError("-p needs a NOTEBOOK (the values of reports.toml runs live there)")
    if notebook is not None and (only or config_path):
        raise click.UsageError("NOTEBOOK builds one run: it takes no --only or --config")
    _export_limits(export_timeout, max_output_chars)
    summary = run_build(
        notebook=notebook,
        values=_parse_params(params),
        force=force,
        dry_run=dry_run,
        only=only or None,
        jobs=jobs,
        quiet=quiet,
        cell_timeout=cell_timeout,
        executor=executor,
        scheduler=scheduler,
        config_path=config_path,
        yes=yes,
    )
    raise SystemExit(summary.exit_code)


def _export_limits(timeout: float | None, max_output_chars: int | None) -> None:
    """Hand the export bounds to the workers (forked, spawned or Dask's local ones) through
    the environment, where :func:`analysis.config.export_timeout` and ``max_output_chars``
    read them; a bad value there is a usage error now, not a failure of every run."""
    import os

    from analysis import config

    if timeout is not None:
        os.environ[config.EXPORT_TIMEOUT_ENV] = repr(timeout)
    if max_output_chars is not None:
        os.environ[config.MAX_OUTPUT_CHARS_ENV] = str(max_output_chars)
    try:
        config.export_timeout(), config.max_output_chars()
    except ValueError as err:
        raise click.UsageError(str(err)) from None


def _parse_params(params: tuple[str, ...]) -> dict[str, Any]:
    """``("a=1", "b=x")`` → ``{"a": 1, "b": "x"}`` (values as :func:`params.parse_value`)."""
    from analysis.render.params import parse_value

    values: dict[str, Any] = {}
    for item in params:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(f"-p {item!r}: write -p name=value")
        values[name.strip()] = parse_value(text.strip())
    return values


@cli.command()
@click.option("--snapshot", type=click.Path(file_okay=False, path_type=Path), help=SNAPSHOT_HELP)
@click.option(
    "--update/--no-update",
    default=True,
    show_default=True,
    help="Accept upstream files that changed since the lock (--no-update: refuse, exit 4).",
)
@click.option("--quiet", "-q", is_flag=True, help="Cron: silent if nothing changed, else 1 line.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Parallel runs [default: cores].")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler address.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report config instead of reports.toml.",
)
@click.option(
    "--yes", "-y", is_flag=True, help=f"Build more than {MAX_RUNS_WITHOUT_YES} runs at once."
)
def refresh(
    snapshot: Path | None,
    update: bool,
    quiet: bool,
    jobs: int | None,
    executor: str,
    scheduler: str | None,
    config_path: Path | None,
    yes: bool,
) -> None:
    """Fetch, clean and build what changed (for cron/CI); a log per run in logs/.

    \b
    Exit codes: 0 rebuilt, 7 nothing changed, 5 some reports failed (others built),
    4 fetch failed, 3 bad data, 2 bad command line or unreadable reports.toml, 6 busy (another
    refresh/clean/build), 8 disk full or read-only, 1 unexpected error.
    """
    from analysis.refresh import refresh as run_refresh

    _export_limits(None, None)
    result = run_refresh(
        snapshot=snapshot,
        update=update,
        quiet=quiet,
        jobs=jobs,
        executor=executor,
        scheduler=scheduler,
        config_path=config_path,
        yes=yes,
    )
    if result.error and not quiet:
        click.echo(f"error: {result.error}", err=True)
    raise SystemExit(result.exit_code)


@cli.command()
@click.option("--only", multiple=True, metavar="NAME", help="Verify only this run (repeat).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Parallel runs [default: cores].")
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    help="Rebuild into this folder and keep it (default: a temporary folder, removed).",
)
def verify(only: tuple[str, ...], jobs: int | None, keep: Path | None) -> None:
    """Rebuild from data/raw in a temporary folder and compare with data/processed and reports/.

    \b
    data/raw is checked against sources.lock.json first (a difference: exit 4, nothing
    rebuilt); fetch is not repeated. One line per file: same, DIFFERENT or missing.
    Exit 0 when every file is byte-identical, 9 when one is not.
    """
    from analysis.verify import verify as run_verify

    result = run_verify(only=only or None, jobs=jobs, echo=click.echo, keep=keep)
    raise SystemExit(result.exit_code)


@cli.group()
def reports() -> None:
    """Inspect the report runs declared in reports.toml."""


@reports.command("list")
def reports_list() -> None:
    """Show each report run and its notebook's parameters (type, default, help)."""
    from analysis.render.report_config import describe_reports

    click.echo(describe_reports())


PASS_THROUGH = {"ignore_unknown_options": True}


@cli.command(context_settings=PASS_THROUGH)
@click.option("--lint-only", is_flag=True, help="Run ruff and mypy, not the tests.")
@click.option("--no-lint", is_flag=True, help="Run the tests, not ruff and mypy.")
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED)
def test(lint_only: bool, no_lint: bool, pytest_args: tuple[str, ...]) -> None:
    """Lint (ruff check, ruff format --check, mypy) and run pytest [PYTEST_ARGS...].

    Other arguments go to pytest: `analysis test -k parse_amount`, `analysis test -- -x`.
    """
    import subprocess

    from analysis.config import REPO_ROOT

    steps: list[list[str]] = []
    if not no_lint:
        steps += [
            [sys.executable, "-m", "ruff", "check", "analysis", "tests", "benchmarks", "notebooks"],
            [sys.executable, "-m", "ruff", "format", "--check", "analysis", "tests", "benchmarks"],
            [sys.executable, "-m", "mypy", "analysis"],
        ]
    if not lint_only:
        steps.append([sys.executable, "-m", "pytest", *pytest_args])
    for step in steps:
        click.echo("$ " + " ".join(step[2:] if step[1] == "-m" else step), err=True)
        code = subprocess.run(step, cwd=REPO_ROOT).returncode
        if code:
            raise SystemExit(code)


@cli.command()
@click.option(
    "--prefix",
    type=click.Path(file_okay=False),
    help="Install below this prefix (PREFIX/share/jupyter/kernels) instead of for the user.",
)
def kernel(prefix: str | None) -> None:
    """Register the project's Jupyter kernel (this environment's Python, parameter checks on).

    The notebooks name it in their metadata, so JupyterLab, a shared JupyterHub, the papermill
    CLI and `jupyter nbconvert --execute` run them where `analysis` imports.
    """
    from analysis import config
    from analysis.render.kernelspec import install

    where = install(prefix=prefix)
    click.echo(f"kernel {config.KERNEL_NAME!r} ({config.KERNEL_DISPLAY_NAME}) installed in {where}")


@cli.command(context_settings=PASS_THROUGH)
@click.argument("lab_args", nargs=-1, type=click.UNPROCESSED)
def lab(lab_args: tuple[str, ...]) -> None:
    """Register the project's kernel, then open JupyterLab on notebooks/ (needs the dev extra).

    Other arguments go to JupyterLab: `analysis lab --no-browser --port 8899`.
    """
    import os

    from analysis import config
    from analysis.render.kernelspec import install

    click.echo(f"kernel {config.KERNEL_NAME!r} installed in {install()}", err=True)
    os.execv(
        sys.executable,
        [sys.executable, "-m", "jupyterlab", f"--notebook-dir={config.paths().notebooks}"]
        + list(lab_args),
    )


@cli.command("clean-reports")
def clean_reports() -> None:
    """Remove reports/ and the build cache; raw and processed data stay."""
    import shutil

    from analysis import config
    from analysis.locking import pipeline_lock

    out = config.paths()
    with pipeline_lock("clean-reports"):
        for folder in (out.reports, out.build_cache):
            shutil.rmtree(folder, ignore_errors=True)
            click.echo(f"removed {folder}")


def main(argv: list[str] | None = None) -> Any:
    """Entry point: run the CLI; turn known errors into one line and an exit code."""
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return cli.main(args=argv, prog_name="analysis", standalone_mode=False)
    except (Terminated, click.exceptions.Abort) as err:
        # click turns a KeyboardInterrupt (so also Terminated) into Abort
        if isinstance(err, Terminated) or isinstance(err.__cause__, Terminated):
            click.echo("Terminated.", err=True)
            sys.exit(ExitCode.TERMINATED)
        click.echo("Interrupted.", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except click.ClickException as err:
        err.show()
        sys.exit(ExitCode.USAGE)
    except AnalysisError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except SystemExit:
        raise
    except OSError as err:
        if err.errno in PERMISSION_ERRNOS:
            click.echo(
                f"error: permission denied: {err.filename or err}; nothing was written there and "
                "the last good outputs stay in use. Make it writable (or run as its owner) and "
                "run again.",
                err=True,
            )
            sys.exit(ExitCode.DISK)
        if err.errno not in DISK_ERRNOS:
            _unexpected(err)
        click.echo(
            f"error: cannot write: {err.strerror or err} ({err.filename or 'a temporary file'}); "
            "nothing was half-written: the last good outputs stay in use (a table whose files "
            "disagree with the manifest is refused until it is rebuilt). Free space (or make "
            "the folder writable) and run again.",
            err=True,
        )
        sys.exit(ExitCode.DISK)
    except Exception as err:  # noqa: BLE001 - the last line of defence: explain, then show
        _unexpected(err)


def _on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C (see :class:`~analysis.errors.Terminated`); a second one
    during that clean-up is ignored (SIGKILL still works)."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Terminated


def _unexpected(err: BaseException) -> None:
    """One line first, then the traceback, then exit 1: a bug in the package."""
    click.echo(
        f"error: unexpected {type(err).__name__}: {err}\n"
        "This is a bug in the analysis package; the traceback follows.",
        err=True,
    )
    traceback.print_exc()
    sys.exit(ExitCode.FAILED)


if __name__ == "__main__":
    main()
