"""Config, atomic writes, the cleaning contract and the CLI shell."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import atomic, config
from analysis.clean.base import Collector, TableResult, concat_frames
from analysis.cli import main


def test_paths_follow_analysis_home(home: Path) -> None:
    p = config.paths()
    assert p.processed == home / "data" / "processed"
    assert p.reports == home / "reports"
    assert p.ledgers == home / "data" / "raw" / "ledgers"


def test_snapshot_dir_prefers_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(config.SNAPSHOT_ENV, str(tmp_path / "env"))
    assert config.snapshot_dir() == (tmp_path / "env").resolve()
    assert config.snapshot_dir(tmp_path / "cli") == (tmp_path / "cli").resolve()
    monkeypatch.delenv(config.SNAPSHOT_ENV)
    assert config.snapshot_dir() is None


def test_atomic_write_keeps_old_file_when_writer_fails(tmp_path: Path) -> None:
    target = tmp_path / "t.csv"
    atomic.write_text(target, "old")

    def boom(path: Path) -> None:
        path.write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        atomic.write_with(target, boom)
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_replace_dir_and_recover(tmp_path: Path) -> None:
    target, staged = tmp_path / "r", tmp_path / "staged"
    target.mkdir()
    (target / "a").write_text("old")
    staged.mkdir()
    (staged / "a").write_text("new")
    atomic.replace_dir(staged, target)
    assert (target / "a").read_text() == "new"
    # a crash between the two renames leaves only the old copy aside: recovery restores it
    os.replace(target, tmp_path / ".r.old")
    atomic.recover_dir(target)
    assert (target / "a").read_text() == "new"


def test_table_result_balance_and_combine() -> None:
    q = Collector()
    q.add("f.csv", 3, "value", "abc", "numeric", "not a number")
    q.add("f.csv", 3, "year", "x", "numeric", "not a year")  # same row, second failure
    a = TableResult(pd.DataFrame({"v": [1, 2]}), q.frame(), rows_read=4, excluded={"agg": 1})
    b = TableResult(pd.DataFrame({"v": [3]}), rows_read=2, excluded={"agg": 1})
    assert a.rows_quarantined == 1 and a.balanced()
    both = TableResult.combine([a, b])
    assert both.rows_kept == 3 and both.excluded == {"agg": 2} and both.balanced()


def test_concat_frames_unions_categories_and_keeps_values() -> None:
    a = pd.DataFrame({"code": pd.Categorical(["IRN", "USA"]), "v": [1.0, 2.0]})
    b = pd.DataFrame({"code": pd.Categorical(["WLD", "IRN", None]), "v": [3.0, 4.0, 5.0]})
    both = concat_frames([a, b])
    assert isinstance(both["code"].dtype, pd.CategoricalDtype)
    assert both["code"].tolist()[:4] == ["IRN", "USA", "WLD", "IRN"]
    assert pd.isna(both["code"].iloc[4]) and both["v"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    # frames without categoricals stack exactly as pd.concat stacks them
    plain = [pd.DataFrame({"x": ["a"], "n": [1]}), pd.DataFrame({"x": ["b"], "n": [2]})]
    pd.testing.assert_frame_equal(concat_frames(plain), pd.concat(plain, ignore_index=True))


def test_cli_help_is_fast_and_lists_commands() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "analysis", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("fetch", "clean", "build", "reports"):
        assert command in out


def test_cli_unknown_table_is_a_one_line_error(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["clean", "--only", "nope"])
    assert exit_info.value.code == 2  # a bad command line, as for fetch --only
    err = capsys.readouterr().err
    assert err.startswith("error: unknown table(s): nope")
    assert "Traceback" not in err
