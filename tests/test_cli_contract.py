"""The command line's documented forms: pass-through arguments, --help defaults and exit codes,
problem counts, bars only at a terminal."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from analysis import cli
from analysis.errors import UsageError
from analysis.render.report_config import load_runs

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"


def test_test_passes_pytest_options_through(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    class Done:
        returncode = 0

    def fake_run(args: list[str], **_kw: Any) -> Done:
        calls.append(args)
        return Done()

    monkeypatch.setattr("subprocess.run", fake_run)
    result = CliRunner().invoke(cli.cli, ["test", "--no-lint", "-k", "parse_amount", "-x"])
    assert result.exit_code == 0, result.output
    assert calls[-1][-3:] == ["-k", "parse_amount", "-x"]


def test_lab_registers_the_kernel_and_passes_options_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    installed: list[bool] = []
    launched: list[list[str]] = []
    monkeypatch.setattr(
        "analysis.render.kernelspec.install", lambda **_kw: installed.append(True) or Path("/k")
    )
    monkeypatch.setattr("os.execv", lambda _exe, argv: launched.append(argv))
    result = CliRunner().invoke(cli.cli, ["lab", "--no-browser", "--port", "8899"])
    assert result.exit_code == 0, result.output
    assert installed == [True]
    assert launched[0][-3:] == ["--no-browser", "--port", "8899"]


def test_help_shows_the_cell_timeout_default_and_every_exit_code() -> None:
    build_help = CliRunner().invoke(cli.cli, ["build", "--help"]).output
    assert "default: 600" in build_help
    refresh_help = " ".join(CliRunner().invoke(cli.cli, ["refresh", "--help"]).output.split())
    for code in (
        "0 rebuilt",
        "7 nothing changed",
        "5 some",
        "4 fetch",
        "3 bad data",
        "2 bad",
        "6 busy",
        "8 disk",
        "1 unexpected",
    ):
        assert code in refresh_help


def test_bars_are_off_when_output_is_not_a_terminal() -> None:
    assert cli._bars(quiet=False) is False  # pytest captures stderr: not a terminal
    assert cli._bars(quiet=True) is False


def test_the_problem_count_counts_every_problem(home: Path) -> None:
    shutil.copytree(FIXTURES, home / "notebooks")
    (home / "reports.toml").write_text(
        '[[report]]\nnotebook = "typed_parameters.ipynb"\n'
        'parameters = { start_year = "x", ratio = "y" }\n',
        encoding="utf-8",
    )
    with pytest.raises(UsageError) as err:
        load_runs()
    message = str(err.value)
    assert message.startswith("reports.toml: 2 problem(s):\n")
    assert message.count("\n") == 2


def test_only_accepts_a_notebook_file_name(home: Path) -> None:
    from analysis.render.runner import build

    shutil.copytree(FIXTURES, home / "notebooks")
    (home / "reports.toml").write_text(
        '[[report]]\nnotebook = "ok.ipynb"\nname = "a"\n\n'
        '[[report]]\nnotebook = "typed_parameters.ipynb"\n',
        encoding="utf-8",
    )
    lines: list[str] = []
    summary = build(dry_run=True, only=["notebooks/ok.ipynb"], echo=lines.append)
    assert [r.name for r in summary.runs] == ["a"]
