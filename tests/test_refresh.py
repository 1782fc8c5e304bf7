"""``analysis refresh`` end to end on synthetic data: fetch from a synthetic snapshot, clean a
tiny fake table, build one synthetic report; exit codes, logs, data vintage on the index and
the previous build kept reachable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import filelock
import pandas as pd
import pandera.pandas as pa
import pytest
from test_render_runner import NOTEBOOKS

from analysis import cli
from analysis.clean import pipeline
from analysis.clean.base import Table, TableResult
from analysis.config import REFRESH_SUMMARY_FILE, SNAPSHOT_ENV
from analysis.errors import ExitCode
from analysis.refresh import RefreshResult, refresh

FETCH_FIXTURES = Path(__file__).parent / "fixtures" / "fetch"
EDITED = "worldbank/API_SY.NTH.A_DS2_en_csv_v2_101.csv"
SCHEMA = pa.DataFrameSchema(
    {
        "year": pa.Column(int),
        "value": pa.Column(float),
        "source_file": pa.Column(str),
        "source_row": pa.Column(int),
    },
    strict=True,
)
REPORTS = '[[report]]\nnotebook = "ok.ipynb"\ntables = ["fake"]\nname = "ok-fake"\n'
REPORTS += 'parameters = { table = "fake" }\n'


def _fake_build(raw_dir: Path) -> TableResult:
    """One synthetic row per line of the World Bank fixture: (year, line length)."""
    lines = (raw_dir / EDITED).read_text(encoding="utf-8-sig").splitlines()
    table = pd.DataFrame(
        {
            "year": range(2000, 2000 + len(lines)),
            "value": [float(len(line)) for line in lines],
            "source_file": EDITED,
            "source_row": range(1, 1 + len(lines)),
        }
    )
    return TableResult(table, pd.DataFrame(), rows_read=len(lines), inputs=[EDITED])


@pytest.fixture
def project(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(SNAPSHOT_ENV, raising=False)
    registry = (FETCH_FIXTURES / "sources.toml").read_text()
    (home / "sources.toml").write_text(registry.replace("@SERVER@", "https://127.0.0.1:9"))
    shutil.copytree(NOTEBOOKS, home / "notebooks")
    (home / "reports.toml").write_text(REPORTS, encoding="utf-8")
    monkeypatch.setattr(
        pipeline, "TABLES", {"fake": Table(_fake_build, SCHEMA, ("worldbank/*.csv",))}
    )
    return home


@pytest.fixture
def snap(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FETCH_FIXTURES / "snapshot", tmp_path / "snapshot"))


def quiet_refresh(snap: Path, **kw: Any) -> tuple[RefreshResult, list[str]]:
    lines: list[str] = []
    return refresh(snapshot=snap, echo=lines.append, jobs=1, **kw), lines


@pytest.mark.slow
def test_refresh_rebuilds_then_reports_nothing_changed_then_picks_up_an_update(
    project: Path, snap: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = project / "reports"
    first, lines = quiet_refresh(snap)
    assert first.exit_code == ExitCode.OK, lines
    assert first.tables_rebuilt == ["fake"] and first.runs_built == ["ok-fake"]
    assert any(c == f"added {EDITED}" for c in first.data_changed)
    index = (reports / "index.html").read_text()
    assert 'id="data-vintage">Data updated on ' in index and f"added {EDITED}" in index
    vintage = json.loads((reports / REFRESH_SUMMARY_FILE).read_text())
    assert vintage["exit_code"] == 0 and vintage["runs_built"] == ["ok-fake"]
    assert (project / "logs" / vintage["log"]).read_text().count("build: built") == 1

    # Nothing upstream changed: exit 7, nothing rebuilt, the last data change still shown.
    code = _cli(["refresh", "--quiet", "--snapshot", str(snap), "-j", "1"])
    assert code == ExitCode.NOTHING_CHANGED
    assert capsys.readouterr().out == ""  # --quiet: cron mails nothing
    again = json.loads((reports / REFRESH_SUMMARY_FILE).read_text())
    assert again["data_updated_at"] == vintage["data_updated_at"]
    assert again["data_changed"] == vintage["data_changed"]
    assert len(list((project / "logs").glob("refresh-*.log"))) >= 1

    # Upstream changes: --no-update refuses (exit 4, nothing rebuilt) ...
    (snap / EDITED).write_bytes(
        (snap / EDITED).read_bytes() + b'"Newland (synthetic)","NEW","x","SY.NTH.A","1","2",\n'
    )
    refused, _ = quiet_refresh(snap, update=False)
    assert refused.exit_code == ExitCode.FETCH
    assert refused.runs_built == []
    # ... a scheduled refresh accepts it, rebuilds, and keeps the previous report reachable.
    old_html = (reports / "ok-fake" / "ok-fake.html").read_bytes()
    updated, _ = quiet_refresh(snap)
    assert updated.exit_code == ExitCode.OK
    assert updated.data_changed[0].startswith(f"updated {EDITED}: sha ")
    assert updated.runs_built == ["ok-fake"]
    assert (reports / "_previous" / "ok-fake" / "ok-fake.html").read_bytes() == old_html
    index = (reports / "index.html").read_text()
    assert 'href="_previous/ok-fake/ok-fake.html"' in index and f"updated {EDITED}" in index


@pytest.mark.slow
def test_a_broken_report_entry_does_not_stop_refresh(project: Path, snap: Path) -> None:
    """A run whose notebook is missing fails alone: the data is refreshed, the good run built."""
    (project / "reports.toml").write_text(
        REPORTS + '\n[[report]]\nnotebook = "half_finished.ipynb"\n', encoding="utf-8"
    )
    result, lines = quiet_refresh(snap)
    assert result.exit_code == ExitCode.PARTIAL, lines
    assert result.tables_rebuilt == ["fake"] and result.runs_built == ["ok-fake"]
    assert result.runs_failed == ["half_finished"]
    assert any("notebook 'half_finished.ipynb' not found" in line for line in lines)


def test_a_second_refresh_at_the_same_time_exits_busy(project: Path, snap: Path) -> None:
    (project / ".cache").mkdir()
    with filelock.FileLock(str(project / ".cache" / "refresh.lock")):
        result, _ = quiet_refresh(snap)
    assert result.exit_code == ExitCode.BUSY
    assert "another refresh is running" in (result.error or "")
    assert not (project / "data" / "raw").exists()  # nothing was fetched


def test_a_fetch_failure_is_logged_and_exits_fetch(project: Path, tmp_path: Path) -> None:
    result, lines = quiet_refresh(tmp_path / "no-such-snapshot")
    assert result.exit_code == ExitCode.FETCH
    assert "snapshot folder not found" in result.status_line()
    assert "refresh FAILED (exit 4)" in result.log.read_text()
    assert lines[-1].startswith("refresh FAILED")


def _cli(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    return int(exit_info.value.code or 0)
