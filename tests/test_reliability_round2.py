"""Issue 21: what an outside probe broke (reliability and security, round two).

Each test here failed on the code before its fix. Fixtures are small and SYNTHETIC.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pyarrow.csv
import pyarrow.parquet
import pytest

from analysis import cli, store
from analysis.clean import pipeline
from analysis.clean.sources import worldbank
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


def _is_kernel(process: psutil.Process) -> bool:
    """A plain kernel (``python -m ipykernel_launcher``) or one forked from a worker's warm
    template (``python -m analysis.render.kernels``, as its template's child)."""
    if "ipykernel" in " ".join(_cmdline(process)):
        return True
    with contextlib.suppress(psutil.Error):
        parent = process.parent()
        return parent is not None and all(
            TEMPLATE_MODULE in " ".join(_cmdline(p)) for p in (process, parent)
        )
    return False


#: The module a worker's kernel template runs as (analysis/render/kernels.py).
TEMPLATE_MODULE = "analysis.render.kernels"


def _kernels_started(build: psutil.Process, deadline: float) -> list[psutil.Process]:
    """Every process of the build once at least one kernel runs (polls until ``deadline``)."""
    while time.monotonic() < deadline:
        family = build.children(recursive=True)
        if any(_is_kernel(p) for p in family):
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


# -- 4. A table's files are one unit; 13. a damaged manifest -----------------------------------

TABLES = ("us_cpi", "events")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _outputs(home: Path) -> dict[str, str]:
    processed = home / "data" / "processed"
    files = [*processed.glob("*.*"), *processed.glob("quarantine/*.csv")]
    return {p.name + p.parent.name: _sha(p) for p in sorted(files) if not p.name.startswith(".")}


@pytest.fixture
def cleaned(home: Path) -> Path:
    """A home with the synthetic US CPI and ledgers, cleaned once (the last good tables)."""
    raw = home / "data" / "raw"
    shutil.copytree(FIXTURES / "snapshot" / "datahub-cpi-us", raw / "datahub-cpi-us")
    shutil.copytree(FIXTURES / "ledgers", raw / "ledgers")
    pipeline.clean(only=list(TABLES), echo=lambda _l: None)
    return home


def test_a_full_disk_after_the_parquet_replaces_none_of_the_files(
    cleaned: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _outputs(cleaned)

    def no_space(table: object, path: object, *args: object, **kwargs: object) -> None:
        Path(str(path)).write_bytes(b"a,b\n")
        raise OSError(errno.ENOSPC, "No space left on device (simulated)")

    monkeypatch.setattr(pyarrow.csv, "write_csv", no_space)
    with pytest.raises(SystemExit) as stopped:
        cli.main(["clean", "-q", "--force", "--only", "us_cpi"])
    assert stopped.value.code == ExitCode.DISK
    assert _outputs(cleaned) == before
    assert "nothing was half-written" in capsys.readouterr().err
    assert not store.load("us_cpi").empty


def test_a_table_that_disagrees_with_its_manifest_is_refused_then_rebuilt(cleaned: Path) -> None:
    parquet = cleaned / "data" / "processed" / "us_cpi.parquet"
    good = _sha(parquet)
    # what a kill between the renames leaves: a new parquet beside the old manifest entry
    store.load("us_cpi").head(1).to_parquet(parquet, index=False)
    with pytest.raises(DataError, match="does not match its manifest"):
        store.load("us_cpi")
    outcomes = pipeline.clean(only=["us_cpi"], echo=lambda _l: None)
    assert [o.status for o in outcomes] == ["built"]
    assert _sha(parquet) == good and not store.load("us_cpi").empty


def test_a_stale_csv_copy_makes_the_table_dirty(cleaned: Path) -> None:
    csv = cleaned / "data" / "processed" / "us_cpi.csv"
    csv.write_text("date,value\n")
    outcomes = pipeline.clean(only=["us_cpi"], echo=lambda _l: None)
    assert [o.status for o in outcomes] == ["built"]
    assert len(csv.read_text().splitlines()) > 1


def test_a_manifest_entry_that_is_not_an_object_is_rebuilt(cleaned: Path) -> None:
    path = cleaned / "data" / "processed" / "manifest.json"
    data = json.loads(path.read_text())
    data["tables"]["us_cpi"] = ["not", "an", "object"]
    path.write_text(json.dumps(data))
    outcomes = pipeline.clean(echo=lambda _l: None, only=list(TABLES))
    assert {o.name: o.status for o in outcomes} == {"us_cpi": "built", "events": "unchanged"}


def test_after_a_truncated_manifest_clean_only_records_every_table_on_disk(cleaned: Path) -> None:
    path = cleaned / "data" / "processed" / "manifest.json"
    path.write_text(path.read_text()[:40])
    pipeline.clean(only=["events"], echo=lambda _l: None)
    assert set(json.loads(path.read_text())["tables"]) == set(TABLES)
    assert not store.load("us_cpi").empty


# -- 5. Permission errors ----------------------------------------------------------------------


def test_a_processed_folder_that_cannot_be_written_is_exit_8_before_any_write(
    cleaned: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _outputs(cleaned)
    processed = cleaned / "data" / "processed"
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode, **kw: Path(p) != processed and real_access(p, mode, **kw)
    )
    with pytest.raises(SystemExit) as stopped:
        cli.main(["clean", "-q", "--force", "--only", "us_cpi"])
    err = capsys.readouterr().err
    assert stopped.value.code == ExitCode.DISK
    assert err.startswith(f"error: permission denied: {processed};") and "bug" not in err
    assert _outputs(cleaned) == before


def test_eacces_while_writing_is_exit_8_with_one_line(
    cleaned: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def denied(table: object, path: object, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(pyarrow.parquet, "write_table", denied)
    with pytest.raises(SystemExit) as stopped:
        cli.main(["clean", "-q", "--force", "--only", "us_cpi"])
    err = capsys.readouterr().err
    assert stopped.value.code == ExitCode.DISK
    assert err.count("\n") == 1 and "permission denied" in err and "Traceback" not in err


def _alpha(home: Path, value: float) -> None:
    folder = home / "data" / "processed"
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(
        {"year": [2000, 2001], "value": [1.0, value], "source_file": "synthetic/s.csv"}
        | {"source_row": [2, 3]}
    ).to_parquet(folder / "alpha.parquet", index=False)


@pytest.mark.slow
def test_a_report_that_cannot_be_promoted_keeps_the_one_back_copy(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.render.runner import build

    shutil.copytree(FIXTURES / "notebooks", home / "notebooks")
    (home / "reports.toml").write_text(
        '[[report]]\nnotebook = "ok.ipynb"\ntables = ["alpha"]\nname = "r"\n'
    )
    for value in (2.0, 3.0):  # two good builds: reports/r and reports/_previous/r
        _alpha(home, value)
        assert build(quiet=True, echo=lambda _l: None).exit_code == ExitCode.OK
    previous = home / "reports" / "_previous" / "r"
    current = home / "reports" / "r"
    kept = {p.name: _sha(p) for p in previous.iterdir() if p.is_file()}
    now = {p.name: _sha(p) for p in current.iterdir() if p.is_file()}

    real_replace = os.replace

    def denied(src: object, dst: object, *args: object, **kwargs: object) -> None:
        if Path(str(dst)) == current and ".cache" in Path(str(src)).parts:  # the new report
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        real_replace(src, dst, *args, **kwargs)

    _alpha(home, 4.0)
    monkeypatch.setattr(os, "replace", denied)
    with pytest.raises(PermissionError):
        build(quiet=True, echo=lambda _l: None)
    monkeypatch.undo()
    assert {p.name: _sha(p) for p in previous.iterdir() if p.is_file()} == kept
    assert {p.name: _sha(p) for p in current.iterdir() if p.is_file()} == now


# -- 6. WeasyPrint fetches only data: URLs and the package's assets ---------------------------


def test_the_pdf_fetcher_refuses_local_files_and_the_network(tmp_path: Path) -> None:
    from analysis.render.pdf_exporter import CSS_PATH, report_url_fetcher

    secret = tmp_path / "secret.txt"
    secret.write_text("SYNTHETIC-SECRET-TEXT")
    fetcher = report_url_fetcher()
    for url in (secret.as_uri(), "file:///etc/passwd", "http://127.0.0.1:9/x.png", "ftp://h/x"):
        with pytest.raises(ValueError, match="refused"):
            fetcher(url)
    assert fetcher("data:text/plain,ok").read() == b"ok"
    assert fetcher(CSS_PATH.as_uri()).read() == CSS_PATH.read_bytes()


def test_an_attachment_link_to_a_local_file_is_not_embedded(tmp_path: Path) -> None:
    from analysis.render.pdf_exporter import html_to_pdf

    secret = tmp_path / "secret.txt"
    secret.write_text("SYNTHETIC-SECRET-TEXT")
    html = (
        f'<html><head><link rel="attachment" href="{secret.as_uri()}"></head>'
        f'<body><p>synthetic</p><img src="{secret.as_uri()}"></body></html>'
    )
    pdf = html_to_pdf(html, base_url=tmp_path)
    assert b"/EmbeddedFile" not in pdf and b"SYNTHETIC-SECRET-TEXT" not in pdf


def _fetch_home(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fetch fixtures' registry in ``home`` (no reachable server) and a copy of their snapshot
    folder, returned; the snapshot setting unset."""
    from analysis.config import SNAPSHOT_ENV

    fixtures = FIXTURES / "fetch"
    monkeypatch.delenv(SNAPSHOT_ENV, raising=False)
    registry = (fixtures / "sources.toml").read_text().replace("@SERVER@", "https://127.0.0.1:9")
    (home / "sources.toml").write_text(registry)
    return Path(shutil.copytree(fixtures / "snapshot", tmp_path / "snapshot"))


# -- 7. Snapshot fetch refuses links and special files -----------------------------------------


@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_a_link_or_special_file_in_a_snapshot_is_refused_and_named(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    from analysis.config import paths
    from analysis.fetch.fetch import fetch

    snap = _fetch_home(home, tmp_path, monkeypatch)
    secret = tmp_path / "secret.csv"
    secret.write_text("SYNTHETIC-SECRET\n")
    odd = snap / "worldbank" / "API_SY.ODD.A_DS2_en_csv_v2_1.csv"
    if kind == "symlink":
        odd.symlink_to(secret)
    else:
        os.mkfifo(odd)
    report = fetch(snap, progress=False)
    assert not report.ok
    assert [f.what for f in report.failed] == [odd.relative_to(snap).as_posix()]
    assert str(odd) in report.failed[0].reason and "refused" in report.failed[0].reason
    assert not (paths().raw / "worldbank" / odd.name).exists()


# -- 8. A full disk during build -----------------------------------------------------------------


@pytest.mark.slow
def test_a_full_disk_during_build_is_exit_8_not_a_failed_run(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from analysis import atomic
    from analysis.render import execute

    shutil.copytree(FIXTURES / "notebooks", home / "notebooks")
    _alpha(home, 2.0)
    (home / "reports.toml").write_text(
        '[[report]]\nnotebook = "ok.ipynb"\ntables = ["alpha"]\nname = "r"\n'
    )

    parent, real_write = os.getpid(), atomic.write_text

    def no_space(*args: object, **kwargs: object) -> None:
        if os.getpid() == parent:  # the build's own summary and index
            return real_write(*args, **kwargs)  # type: ignore[arg-type]
        raise OSError(errno.ENOSPC, "No space left on device (simulated)")

    # the worker is forked from here: it inherits the full disk
    monkeypatch.setattr(execute, "_execute", no_space)
    monkeypatch.setattr(atomic, "write_text", no_space)
    with pytest.raises(SystemExit) as stopped:
        cli.main(["build", "-q", "--jobs", "1"])
    assert stopped.value.code == ExitCode.DISK
    assert "No space left on device" in capsys.readouterr().err
    assert not (home / "reports" / "_failed" / "r").exists()


# -- 14. A large grid needs --yes ----------------------------------------------------------------


def test_a_grid_above_the_limit_needs_yes(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from analysis import config

    shutil.copytree(FIXTURES / "notebooks", home / "notebooks")
    monkeypatch.setattr(config, "MAX_RUNS_WITHOUT_YES", 2)
    (home / "reports.toml").write_text(
        "".join(
            f'[[report]]\nnotebook = "slow_cell.ipynb"\ntables = []\nname = "g{i}"\n'
            for i in range(3)
        )
    )
    with pytest.raises(SystemExit) as stopped:
        cli.main(["build", "-q"])
    err = capsys.readouterr().err
    assert stopped.value.code == ExitCode.USAGE
    assert "3 report runs" in err and "--yes" in err
    assert not (home / "reports").exists()


# -- 12. CSV injection -----------------------------------------------------------------------------


def test_csv_copies_neutralise_formulas_and_the_parquet_keeps_the_value(home: Path) -> None:
    formula = '=HYPERLINK("http://example.invalid","synthetic")'
    table = pd.DataFrame(
        {
            "note": [formula, "+1", "-x", "@SUM(A1)", "plain", None],
            "kind": pd.Categorical(["=1", "a", "a", "a", "a", "a"]),
            "value": [-1.5, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    quarantine = pd.DataFrame({"source_row": [2], "value": ["=1+1"], "reason": ["synthetic"]})
    store.write_table("synthetic", table, quarantine)
    paths = store.output_paths("synthetic")
    assert pd.read_parquet(paths["parquet"])["note"].iloc[0] == formula
    csv = pd.read_csv(paths["csv"])
    assert list(csv["note"].iloc[:5]) == [f"'{formula}", "'+1", "'-x", "'@SUM(A1)", "plain"]
    assert csv["kind"].iloc[0] == "'=1" and csv["value"].iloc[0] == -1.5  # numbers untouched
    assert pd.read_csv(paths["quarantine"])["value"].iloc[0] == "'=1+1"


# -- 11. Data checks: future dates, a $0 claim -----------------------------------------------------


def _ledgers_home(home: Path) -> Path:
    raw = home / "data" / "raw"
    shutil.copytree(FIXTURES / "snapshot" / "datahub-cpi-us", raw / "datahub-cpi-us")
    shutil.copytree(FIXTURES / "ledgers", raw / "ledgers")
    return raw / "ledgers"


def test_claims_and_events_dated_in_the_future_are_quarantined(home: Path) -> None:
    ledgers = _ledgers_home(home)
    claims = ledgers / "claims.csv"
    lines = claims.read_text().splitlines()
    lines[1] = lines[1].replace("S001,2010-05-01,", "S001,2099-05-01,", 1)
    claims.write_text("\n".join(lines) + "\n")
    events = ledgers / "events.csv"
    events.write_text(events.read_text().replace("X01,2010-01-15,", "X01,2099-01-15,", 1))
    pipeline.clean(only=["us_cpi", "claims", "events"], echo=lambda _l: None)
    assert "S001" not in set(store.load("claims")["claim_id"])
    assert "X01" not in set(store.load("events")["event_id"])
    quarantined = pd.read_csv(home / "data" / "processed" / "quarantine" / "claims.csv")
    assert (quarantined["value"].astype(str) == "2099-05-01").any()


def test_a_zero_dollar_claim_gives_no_infinite_spread() -> None:
    from analysis.report import claims as view

    ranges = pd.DataFrame(
        {
            "claim_id": ["S1", "S2"],
            "period": pd.Categorical(["2012–2016"] * 2),
            "low": [0.0, 50e6],
            "high": [0.0, 50e6],
        }
    )
    row = view.spread_by_period(ranges, breaks=(2012, 2017)).dropna(subset=["highest"]).iloc[0]
    assert not np.isinf(row["spread"])
    assert "times" not in view.spread_phrase(row["spread"])
    assert view.spread_phrase(4.0) == "the highest is <b>4.0</b> times the lowest"


@pytest.mark.slow
def test_rapprochement_says_a_quarantined_claim_is_missing_instead_of_failing(
    home: Path, tmp_path: Path
) -> None:
    import nbformat
    import papermill
    import synthetic_processed as syn

    processed = syn.write_tables(home)
    claims = pd.read_parquet(processed / "claims.parquet")
    claims[claims["claim_id"] != "C054"].to_parquet(processed / "claims.parquet", index=False)
    out = tmp_path / "rapprochement.ipynb"
    notebooks = Path(__file__).parents[1] / "notebooks"
    papermill.execute_notebook(
        str(notebooks / "rapprochement.ipynb"),
        str(out),
        kernel_name="python3",
        progress_bar=False,
        cwd=str(notebooks),
    )
    html = "".join(
        "".join(o.get("data", {}).get("text/html", ""))
        for c in nbformat.read(out, as_version=4).cells
        for o in c.get("outputs", [])
    )
    assert "<b>Left out:</b> claim C054 is not in the claims table" in html


# -- 12. reports/_failed shows no local paths ----------------------------------------------------


@pytest.mark.slow
def test_a_failed_run_shows_no_local_paths(home: Path) -> None:
    from analysis.render.runner import build

    shutil.copytree(FIXTURES / "notebooks", home / "notebooks")
    _alpha(home, 2.0)
    (home / "reports.toml").write_text(
        '[[report]]\nnotebook = "broken.ipynb"\ntables = ["alpha"]\nname = "b"\n'
    )
    assert build(quiet=True, echo=lambda _l: None).exit_code == ExitCode.PARTIAL
    failed = home / "reports" / "_failed" / "b"
    texts = {f.name: f.read_text() for f in failed.iterdir() if f.is_file()}
    assert "error.txt" in texts and "ZeroDivisionError" in texts["error.txt"]
    leaks = [name for name, text in texts.items() if str(home) in text or sys.base_prefix in text]
    assert leaks == []


# -- 10. What arrives is checked before it replaces the last good file ------------------------


@pytest.mark.parametrize("bad", [b"", b"   \n", b"\x00\x01synthetic garbage\n"])
def test_an_empty_or_garbage_update_keeps_the_last_good_raw_file(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: bytes
) -> None:
    from analysis.config import paths
    from analysis.fetch.fetch import fetch
    from analysis.fetch.lock import load_lock

    snap = _fetch_home(home, tmp_path, monkeypatch)
    assert fetch(snap, progress=False).ok
    rel = "worldbank/API_SY.NTH.A_DS2_en_csv_v2_101.csv"
    good, entry = (paths().raw / rel).read_bytes(), load_lock()[rel]
    (snap / rel).write_bytes(bad)
    report = fetch(snap, update=True, progress=False)
    assert not report.ok and [f.what for f in report.failed] == [rel]
    assert (paths().raw / rel).read_bytes() == good and load_lock()[rel] == entry


def test_source_row_is_the_editor_line_after_a_multi_line_field(home: Path) -> None:
    ledgers = _ledgers_home(home)
    claims = ledgers / "claims.csv"
    claims.write_text(claims.read_text().replace("synthetic quote", '"synthetic\nquote"', 1))
    pipeline.clean(only=["us_cpi", "claims"], echo=lambda _l: None)
    table = store.load("claims").set_index("claim_id")
    lines = claims.read_text().splitlines()
    s002 = next(i for i, line in enumerate(lines, 1) if line.startswith("S002,"))
    assert int(table.loc["S001", "source_row"]) == 2
    assert int(table.loc["S002", "source_row"]) == s002 == 4
