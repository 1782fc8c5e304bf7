"""One parameter contract on every route: the stock papermill CLI, ``jupyter nbconvert --execute``
(the project kernel) and ``analysis build`` give the same one-line message for the same bad value.

The papermill and nbconvert commands are the ones installed with the package, run on the real
notebooks; the bad values are refused before any kernel starts (papermill) or before the bad
cell runs (the kernel), so these tests need no data.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis import config
from analysis.errors import UsageError
from analysis.render import kernel_check
from analysis.render.kernelspec import install
from analysis.render.params import read_parameters

NOTEBOOKS = config.REPO_ROOT / "notebooks"
BIN = Path(sys.executable).parent
CASES = [
    # (papermill -p, analysis build -p, reports.toml value, the shared message)
    (
        ["fx_rate_typ", "nima"],
        "fx_rate_typ=nima",
        'fx_rate_typ = "nima"',
        "run 'iran_finances': unknown parameter 'fx_rate_typ' (did you mean 'fx_rate_type'? "
        "known: start_year, end_year, fx_rate_type, constant_dollars_base_year)",
    ),
    (
        ["start_year", "twenty"],
        "start_year=twenty",
        'start_year = "twenty"',
        "run 'iran_finances': parameter 'start_year' = 'twenty' is a str, not an int; expected int",
    ),
    (
        ["fx_rate_type", "bogus"],
        "fx_rate_type=bogus",
        'fx_rate_type = "bogus"',
        "run 'iran_finances': parameter 'fx_rate_type' = 'bogus' is not one of 'open_market', "
        "'official', 'nima'; expected Literal['open_market', 'official', 'nima']",
    ),
]


@pytest.fixture(scope="module")
def jupyter_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment with the project kernel installed in a throwaway prefix."""
    prefix = tmp_path_factory.mktemp("kernel-prefix")
    install(prefix=str(prefix))
    env = dict(os.environ, JUPYTER_PATH=str(prefix / "share" / "jupyter"))
    env.pop("ANALYSIS_HOME", None)
    return env


def run(
    args: list[str], env: dict[str, str], cwd: Path = config.REPO_ROOT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, timeout=600)


def test_the_notebooks_name_the_project_kernel() -> None:
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        spec = nbformat.read(path, as_version=4).metadata.kernelspec
        assert spec.name == config.KERNEL_NAME, path.name


@pytest.mark.parametrize(("pm_args", "cli_arg", "toml", "message"), CASES)
def test_papermill_and_build_refuse_the_same_value_with_the_same_line(
    jupyter_env: dict[str, str],
    tmp_path: Path,
    pm_args: list[str],
    cli_arg: str,
    toml: str,
    message: str,
) -> None:
    out = tmp_path / "out.ipynb"
    pm = run(
        [str(BIN / "papermill"), "notebooks/iran_finances.ipynb", str(out), "-p", *pm_args],
        jupyter_env,
    )
    assert pm.returncode == 2, pm.stderr
    assert f"Error: {message}\n" in pm.stderr
    assert "Passed unknown parameter" not in pm.stderr or "unknown parameter" in message
    assert not out.exists()  # refused before the notebook was written or a kernel started

    one_off = run(
        [str(BIN / "analysis"), "build", "notebooks/iran_finances.ipynb", "-p", cli_arg],
        jupyter_env,
    )
    assert one_off.returncode == 2, one_off.stderr
    assert one_off.stderr == f"error: {message}\n"

    copy = tmp_path / "reports.toml"
    original = config.paths().report_config.read_text(encoding="utf-8")
    good = 'parameters = { start_year = 2000, end_year = 2024, fx_rate_type = "open_market", '
    assert good in original
    copy.write_text(original.replace(good, f"parameters = {{ {toml}, "), encoding="utf-8")
    built = run(
        [
            str(BIN / "analysis"),
            "build",
            "--config",
            str(copy),
            "--dry-run",
            "--only",
            "iran_finances",
        ],
        jupyter_env,
    )
    assert built.returncode == 5, built.stdout + built.stderr
    assert f"FAILED       iran_finances: {message}" in built.stdout


def test_help_notebook_shows_every_parameter_with_type_default_and_help(
    jupyter_env: dict[str, str],
) -> None:
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        shown = run([str(BIN / "papermill"), str(path), "--help-notebook"], jupyter_env)
        assert shown.returncode == 0, shown.stderr
        text = re.sub(r"\s+", " ", shown.stdout)
        for param in read_parameters(path):
            assert f"{param.name}: {param.type} (default {param.default!r}) {param.help}" in text


@pytest.mark.slow
def test_a_valid_papermill_run_warns_of_nothing(
    jupyter_env: dict[str, str], tmp_path: Path
) -> None:
    if not (config.paths().processed / "indicators.parquet").exists():
        pytest.skip("no processed tables (run `analysis clean`)")
    out = tmp_path / "out.ipynb"
    done = run(
        [
            str(BIN / "papermill"),
            "notebooks/iran_inflation.ipynb",
            str(out),
            "-p",
            "start_year",
            "2001",
            "--no-progress-bar",
        ],
        jupyter_env,
    )
    assert done.returncode == 0, done.stderr
    assert "Passed unknown parameter" not in done.stderr
    assert "without encryption" not in done.stderr
    injected = next(
        c
        for c in nbformat.read(out, 4).cells
        if "injected-parameters" in c.metadata.get("tags", [])
    )
    assert "start_year = 2001" in injected.source


def test_nbconvert_stops_at_a_wrongly_edited_parameters_cell(
    jupyter_env: dict[str, str], tmp_path: Path
) -> None:
    """The edit a user makes in JupyterLab, run by `jupyter nbconvert --execute` in the project
    kernel: the cell is refused with the line `analysis build` gives for the same notebook."""
    nb = nbformat.read(NOTEBOOKS / "iran_inflation.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace("start_year: int = 1990", 'start_year: int = "twenty"')
    edited = tmp_path / "iran_inflation.ipynb"
    nbformat.write(nb, edited)
    line = "line 1: parameter 'start_year': default 'twenty' a str, not an int"

    done = run(
        [
            str(BIN / "jupyter"),
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            str(edited),
            "--output",
            str(tmp_path / "out.ipynb"),
        ],
        jupyter_env,
    )
    assert done.returncode != 0
    assert f"ParameterError: parameters cell, {line}" in done.stderr
    assert "Traceback" not in done.stderr.split("ParameterError")[0].splitlines()[-1]

    built = run([str(BIN / "analysis"), "build", str(edited)], jupyter_env)
    assert built.returncode == 2
    assert built.stderr == f"error: iran_inflation.ipynb parameters cell, {line}\n"


def test_the_kernel_checks_injected_values_against_the_declarations() -> None:
    class State(kernel_check._State):
        pass

    kernel_check.check_cell("x: int = 1  # a number\n", State)
    kernel_check.check_cell("# Parameters\nx = 2\n", State)
    with pytest.raises(UsageError, match=r"parameter 'x' = 'two' is a str, not an int"):
        kernel_check.check_cell('# Parameters\nx = "two"\n', State)
    with pytest.raises(UsageError, match="has no comment"):
        kernel_check.check_cell("y: int = 1\n", State)
    kernel_check.check_cell("total: float = frame.sum()\n", State)  # ordinary code: not checked
    kernel_check.check_cell("import os\nx: int = 'a'\n", State)


def test_the_analysis_engine_checks_notebooks_on_any_kernel(
    jupyter_env: dict[str, str], tmp_path: Path
) -> None:
    """`papermill --engine analysis -k python3`: papermill's own translator, the same check."""
    done = run(
        [
            str(BIN / "papermill"),
            "--engine",
            "analysis",
            "-k",
            "python3",
            "notebooks/iran_finances.ipynb",
            str(tmp_path / "out.ipynb"),
            "-p",
            "start_year",
            "twenty",
        ],
        jupyter_env,
    )
    assert done.returncode == 2
    assert f"Error: {CASES[1][3]}\n" in done.stderr
