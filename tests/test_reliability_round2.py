"""Issue 21: what an outside probe broke (reliability and security, round two).

Each test here failed on the code before its fix. Fixtures are small and SYNTHETIC.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from analysis.clean import worldbank
from analysis.errors import DataError, ExitCode
from analysis.parse.amounts import parse_amount

FIXTURES = Path(__file__).parent / "fixtures"

WB_HEADER = "Country Name,Country Code,Indicator Name,Indicator Code"


def wb_file(raw: Path, header_years: str, *rows: str) -> Path:
    """A synthetic WDI file with the given year headers and data lines."""
    path = raw / "worldbank" / "API_SY.TEST.RATE_DS2_en_csv_v2_1.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([f"{WB_HEADER},{header_years}", *rows]) + "\n", encoding="utf-8")
    return path


# -- 1. World Bank headers -------------------------------------------------------------------


def test_databank_year_headers_are_read_and_every_cell_counts(tmp_path: Path) -> None:
    wb_file(
        tmp_path,
        "2018 [YR2018],2019 [YR2019],2020 [YR2020]",
        "Synthetia,SYN,Synthetic rate (%),SY.TEST.RATE,1.5,..,2.5",
        "Testland,TST,Synthetic rate (%),SY.TEST.RATE,3,4,x",
    )
    result = worldbank.load(tmp_path)
    t = result.table
    got = {(c, y): v for c, y, v in zip(t["country_code"], t["year"], t["value"], strict=True)}
    assert got == {("SYN", 2018): 1.5, ("SYN", 2020): 2.5, ("TST", 2018): 3.0, ("TST", 2019): 4.0}
    # 4 numbers + 1 text cell are read; ".." is DataBank's gap
    assert result.rows_read == 5 and len(result.quarantine) == 1
    assert result.balanced()


@pytest.mark.parametrize(
    ("years", "bad"),
    [("2018,2019,Notes", "Notes"), ("2018,2019,2018", "2018"), ("2018,FY2019,2020", "FY2019")],
)
def test_a_header_the_loader_does_not_read_is_bad_data_naming_file_and_header(
    tmp_path: Path, years: str, bad: str
) -> None:
    path = wb_file(tmp_path, years, "Synthetia,SYN,Synthetic rate (%),SY.TEST.RATE,1,2,3")
    with pytest.raises(DataError) as err:
        worldbank.load(tmp_path)
    assert str(path) in str(err.value) and f"column {bad}" in str(err.value)


def test_a_trailing_column_with_values_but_no_header_is_bad_data(tmp_path: Path) -> None:
    wb_file(tmp_path, "2018,", "Synthetia,SYN,Synthetic rate (%),SY.TEST.RATE,1,2")
    with pytest.raises(DataError, match="no header"):
        worldbank.load(tmp_path)


# -- 2. Orphaned workers ---------------------------------------------------------------------

SLOW_RUNS = "".join(
    f'[[report]]\nnotebook = "slow_cell.ipynb"\ntables = []\nname = "slow{i}"\n'
    f"[report.parameters]\nseconds = 600.0\n"
    for i in range(3)
)


def _kernels_started(build: psutil.Process, deadline: float) -> list[psutil.Process]:
    """Every process of the build once at least one kernel runs (polls until ``deadline``)."""
    while time.monotonic() < deadline:
        family = build.children(recursive=True)
        if any("ipykernel" in " ".join(_cmdline(p)) for p in family):
            return family
        time.sleep(0.2)
    raise AssertionError("no kernel started")


def _cmdline(process: psutil.Process) -> list[str]:
    with contextlib.suppress(psutil.Error):
        return process.cmdline()
    return []


def _alive(processes: list[psutil.Process], deadline: float) -> list[psutil.Process]:
    """The processes still running (not zombies) at ``deadline`` or as soon as none is."""
    while True:
        alive = [p for p in processes if _running(p)]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


def _running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_build_takes_its_workers_and_kernels_with_it(home: Path, sig: int) -> None:
    shutil.copytree(FIXTURES / "notebooks", home / "notebooks")
    (home / "reports.toml").write_text(SLOW_RUNS)
    child = subprocess.Popen(
        [sys.executable, "-m", "analysis", "build", "-q", "--jobs", "2"],
        env={**os.environ, "ANALYSIS_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        family = _kernels_started(psutil.Process(child.pid), time.monotonic() + 120)
        child.send_signal(sig)
        # the caller's pipes close: every process holding them has gone
        _out, err = child.communicate(timeout=60)
        assert _alive(family, time.monotonic() + 10) == []
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    if sig == signal.SIGTERM:
        assert child.returncode == ExitCode.TERMINATED
        assert err.decode().strip().splitlines()[-1] == "Terminated."
        assert not (home / "reports" / "slow0").exists()
        assert not list((home / ".cache").rglob("staging/*"))
    else:
        assert child.returncode == -signal.SIGKILL


# -- 3. Amount parser ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low"),
    [
        ("$.5m", 500_000.0),
        ("US$ .5 billion", 500_000_000.0),
        ("پنجاه میلیون دلار", 50_000_000.0),  # Persian "fifty million dollars"
        ("سیصد میلیون دلار", 300_000_000.0),  # Persian "three hundred million dollars"
        ("۵۰ میلیون دلار", 50_000_000.0),
        ("$10 - $20 million", 10_000_000.0),  # a range dash is not a sign
    ],
)
def test_leading_points_and_persian_numbers_are_read(text: str, low: float) -> None:
    parsed = parse_amount(text, "USD", "")
    assert (parsed.parse_status, parsed.amount_low) == ("parsed", low), parsed


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("-$50 million", "negative"),
        ("−$50m", "negative"),
        ("$-50m", "negative"),
        ("$2.5e7", "exponent"),
        ("$1e308", "exponent"),
        ("2.5E7 USD", "exponent"),
    ],
)
def test_signs_and_exponents_are_unparsed_with_a_reason(text: str, why: str) -> None:
    parsed = parse_amount(text, "USD", "")
    assert parsed.parse_status == "unparsed" and why in parsed.parse_reason, parsed
    assert parsed.amount_low is None and parsed.amount_high is None
