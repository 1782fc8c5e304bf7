"""Every notebook in notebooks/ is committed clean: no outputs, nbformat's canonical layout (a
save in JupyterLab changes no byte), the project kernel, and ruff-clean code cells."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis import config
from analysis.render.notebook_check import problems

NOTEBOOKS = sorted((config.REPO_ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks() -> None:
    assert len(NOTEBOOKS) >= 4


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {index} has outputs"
            assert cell.execution_count is None, f"{path.name} cell {index} was executed"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_saving_through_nbformat_changes_no_byte(path: Path, tmp_path: Path) -> None:
    copy = tmp_path / path.name
    nbformat.write(nbformat.read(path, as_version=4), copy)
    assert copy.read_bytes() == path.read_bytes()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_project_check_passes(path: Path) -> None:
    assert problems(path) == []


def test_the_check_finds_outputs_and_a_non_canonical_layout(tmp_path: Path) -> None:
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", text="hi\n")]
    code.execution_count = 3
    executed = tmp_path / "executed.ipynb"
    nbformat.write(nb, executed)
    assert any("outputs" in p for p in problems(executed))
    squashed = tmp_path / "squashed.ipynb"
    squashed.write_text(NOTEBOOKS[0].read_text(encoding="utf-8").replace("\n ", "\n  ", 1))
    assert any("canonical" in p for p in problems(squashed))


def test_ruff_checks_the_notebooks() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "notebooks"],
        cwd=config.REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout
    assert "All checks passed" in done.stdout  # notebooks are not excluded


def test_the_pre_commit_config_runs_the_same_checks() -> None:
    text = (config.REPO_ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "analysis.render.notebook_check" in text
    assert "ruff" in text
