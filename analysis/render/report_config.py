"""``reports.toml``: which report runs ``analysis build`` renders, with which parameters.

Each ``[[report]]`` names a notebook (below ``notebooks/``), the processed tables it reads (part
of the cache key), fixed ``parameters`` and an optional ``grid``: every grid key lists values and
one run is made per combination (a product), named by the ``name`` template::

    [[report]]
    notebook = "hamas_funding_claims.ipynb"
    tables = ["claims", "fx_rates"]
    name = "hamas_funding_claims-{recipient_scope}"
    parameters = { start_year = 2000 }
    grid = { recipient_scope = ["hamas_only", "including_aggregates"] }

Grid values are written into the name as slugs; the finished name must be a slug (lower-case
letters, digits, ``-`` and ``_``), so an output folder can never escape ``reports/``.
"""

from __future__ import annotations

import itertools
import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import config
from analysis.errors import UsageError
from analysis.render.notebook import notebook_title, read_notebook
from analysis.render.params import NotebookParameter, read_parameters, validate

#: A run name: a folder name under reports/ (no dots, no slashes, not starting with "_").
RUN_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$")
TABLE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
REPORT_KEYS = frozenset({"notebook", "name", "tables", "parameters", "grid", "description"})


@dataclass(frozen=True)
class Run:
    """One report run: a notebook executed with one set of validated parameters."""

    name: str  #: output folder and file stem under reports/
    notebook: Path  #: absolute path of the source notebook
    #: processed tables declared in reports.toml (optional); a run that reads another one fails
    tables: tuple[str, ...]
    parameters: Mapping[str, Any]  #: every parameter's value (defaults filled in), validated
    overrides: Mapping[str, Any] = field(default_factory=dict)  #: what reports.toml set
    description: str = ""

    @property
    def notebook_name(self) -> str:
        """The notebook's path relative to notebooks/ (as written in reports.toml)."""
        try:
            return self.notebook.relative_to(config.paths().notebooks).as_posix()
        except ValueError:
            return self.notebook.name


def slug(value: Any) -> str:
    """A value as it appears in a run name: ``"Hamas only"`` → ``"hamas-only"``, lists joined
    with ``+`` → ``-``."""
    text = "-".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
    return re.sub(r"[^a-z0-9_]+", "-", text.lower()).strip("-_") or "none"


def _read_config(path: Path) -> list[dict[str, Any]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no report config at {path}: add [[report]] entries") from None
    except tomllib.TOMLDecodeError as err:
        raise UsageError(f"{path.name}: not valid TOML ({err})") from None
    entries = data.get("report", [])
    if set(data) - {"report"} or not isinstance(entries, list):
        raise UsageError(f"{path.name}: expected only [[report]] tables, got {sorted(data)}")
    return entries


def _notebook_path(value: Any, where: str) -> Path:
    notebooks = config.paths().notebooks.resolve()
    if not isinstance(value, str) or not value.endswith(".ipynb"):
        raise UsageError(f"{where}: 'notebook' must name an .ipynb file below notebooks/")
    path = (notebooks / value).resolve()
    if not path.is_relative_to(notebooks):
        raise UsageError(f"{where}: notebook {value!r} is outside notebooks/")
    if not path.is_file():
        raise UsageError(f"{where}: notebook {value!r} not found in {notebooks}")
    return path


def _tables(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(
        isinstance(t, str) and TABLE_NAME.match(t) for t in value
    ):
        raise UsageError(
            f"{where}: 'tables' must list processed tables, e.g. tables = [\"indicators\"] "
            "(optional: the builder records the tables each run reads)"
        )
    return tuple(value)


def _names_in(template: str, where: str) -> list[str]:
    try:
        return [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as err:
        raise UsageError(f"{where}: bad name template {template!r} ({err})") from None


def _expand(entry: Any, index: int, params_of: dict[Path, list[NotebookParameter]]) -> list[Run]:
    """The runs one ``[[report]]`` entry stands for (grid expanded, parameters validated)."""
    where = f"reports.toml [[report]] #{index + 1}"
    if not isinstance(entry, dict):
        raise UsageError(f"{where}: must be a table")
    if unknown := set(entry) - REPORT_KEYS:
        raise UsageError(f"{where}: unknown key(s) {sorted(unknown)}; known: {sorted(REPORT_KEYS)}")
    notebook = _notebook_path(entry.get("notebook"), where)
    where = f"reports.toml [[report]] {notebook.name}"
    tables = _tables(entry.get("tables"), where)
    fixed, grid = entry.get("parameters", {}), entry.get("grid", {})
    if not isinstance(fixed, dict) or not isinstance(grid, dict):
        raise UsageError(f"{where}: 'parameters' and 'grid' must be tables (name = value)")
    for key, values in grid.items():
        if not isinstance(values, list) or not values:
            raise UsageError(f"{where}: grid.{key} must be a non-empty list of values")
        if key in fixed:
            raise UsageError(f"{where}: {key!r} is both in parameters and in grid")
    default_name = "-".join([notebook.stem.lower(), *(f"{{{k}}}" for k in grid)])
    template = entry.get("name", default_name)
    if not isinstance(template, str):
        raise UsageError(f"{where}: 'name' must be a string")
    if params_of.get(notebook) is None:
        params_of[notebook] = read_parameters(notebook)
    declared = {p.name for p in params_of[notebook]}
    for field_name in _names_in(template, where):
        if field_name not in declared:
            raise UsageError(
                f"{where}: name template {template!r} uses {{{field_name}}}, "
                f"which is not a parameter of {notebook.name}"
            )
    runs = []
    for combo in itertools.product(*grid.values()):
        overrides = {**fixed, **dict(zip(grid, combo, strict=True))}
        label = template.format_map(
            {k: slug(v) for k, v in overrides.items()} | _defaults(params_of[notebook], overrides)
        )
        parameters = validate(label, params_of[notebook], overrides)
        if not RUN_NAME.match(label):
            raise UsageError(
                f"{where}: run name {label!r} is not a safe name (lower-case letters, digits, "
                "'-' and '_', at most 80 characters, no dots or slashes)"
            )
        runs.append(
            Run(label, notebook, tables, parameters, overrides, str(entry.get("description", "")))
        )
    return runs


def _defaults(params: list[NotebookParameter], overrides: Mapping[str, Any]) -> dict[str, str]:
    return {p.name: slug(p.default) for p in params if p.name not in overrides}


@dataclass(frozen=True)
class BrokenRun:
    """A ``[[report]]`` entry that cannot run (unknown notebook, bad parameter cell or value):
    it fails on its own with ``error``; the other runs still build."""

    name: str  #: the run's name if it can be told, else the notebook's stem
    notebook: str  #: as written in reports.toml
    error: str


def _broken_name(entry: Any, index: int) -> tuple[str, str]:
    """A name for an entry that failed to expand: its fixed name, else its notebook's stem."""
    entry = entry if isinstance(entry, dict) else {}
    notebook = entry.get("notebook")
    notebook = notebook if isinstance(notebook, str) else ""
    name = entry.get("name")
    if isinstance(name, str) and "{" not in name and RUN_NAME.match(name):
        return name, notebook
    stem = Path(notebook).stem.lower() if notebook else ""
    return (stem if RUN_NAME.match(stem) else f"report-{index + 1}"), notebook


def load_config(path: Path | None = None) -> tuple[list[Run], list[BrokenRun]]:
    """The runs of ``reports.toml`` that validate, and the entries that do not (each with its
    message). Only a file that cannot be read as a whole (missing, not TOML) raises UsageError."""
    path = path or config.paths().report_config
    params_of: dict[Path, list[NotebookParameter]] = {}
    runs: list[Run] = []
    broken: list[BrokenRun] = []
    for index, entry in enumerate(_read_config(path)):
        try:
            expanded = _expand(entry, index, params_of)
        except UsageError as err:
            name, notebook = _broken_name(entry, index)
            broken.append(BrokenRun(name, notebook, str(err)))
            continue
        for run in expanded:
            seen = {r.name: r for r in runs}
            if run.name in seen:
                broken.append(
                    BrokenRun(
                        run.name,
                        run.notebook_name,
                        f"run name {run.name!r} is used twice ({seen[run.name].notebook.name} "
                        f"and {run.notebook.name}); put the grid keys in 'name', "
                        'e.g. name = "x-{key}"',
                    )
                )
            else:
                runs.append(run)
    return runs, broken


def load_runs(path: Path | None = None) -> list[Run]:
    """Every report run in ``reports.toml`` (default: ``paths().report_config``), validated.

    All problems in all runs are collected and raised as one :class:`UsageError` *before* any
    kernel starts: a bad value names the run, the parameter, the value and the expected type.
    (``analysis build`` uses :func:`load_config`, so one broken run does not stop the others.)
    """
    path = path or config.paths().report_config
    runs, broken = load_config(path)
    if broken:
        problems = [line for b in broken for line in b.error.splitlines()]
        raise UsageError(f"{path.name}: {len(problems)} problem(s):\n" + "\n".join(problems))
    return runs


def _format_value(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def describe_reports(path: Path | None = None) -> str:
    """For ``analysis reports list``: each notebook's runs and parameters (type, default, help).

    Notebooks in notebooks/ that no run uses are listed too; problems in reports.toml are shown
    at the end rather than hiding the rest.
    """
    path = path or config.paths().report_config
    problems: list[str] = []
    try:
        runs = load_runs(path)
    except UsageError as err:
        runs, problems = [], [str(err)]
    notebooks_dir = config.paths().notebooks
    notebooks = sorted({r.notebook for r in runs} | set(notebooks_dir.glob("*.ipynb")))
    lines: list[str] = []
    for nb_path in notebooks:
        try:
            title = notebook_title(read_notebook(nb_path), nb_path.stem)
            params = read_parameters(nb_path)
        except UsageError as err:
            lines += [f"{nb_path.name}", f"  error: {err}", ""]
            continue
        lines.append(f"{nb_path.name} — {title}")
        nb_runs = [r for r in runs if r.notebook == nb_path]
        lines += sorted({f"  {r.description}" for r in nb_runs if r.description})
        if nb_runs:
            lines.append(f"  tables: {', '.join(nb_runs[0].tables) or '(none)'}")
            for run in nb_runs:
                set_ = ", ".join(f"{k}={_format_value(v)}" for k, v in run.overrides.items())
                lines.append(f"  run {run.name}" + (f"  ({set_})" if set_ else "  (defaults)"))
        else:
            lines.append("  no run in reports.toml")
        if not params:
            lines.append("  no parameters cell")
        width = max((len(p.name) for p in params), default=0)
        type_width = max((len(p.type) for p in params), default=0)
        for p in params:
            lines.append(
                f"    {p.name:<{width}}  {p.type:<{type_width}}  = {_format_value(p.default)}"
                f"  {p.help}"
            )
        lines.append("")
    if problems:
        lines += ["problems in reports.toml:", *problems]
    return "\n".join(lines).rstrip() + "\n" if lines else "no notebooks and no reports.toml runs\n"
