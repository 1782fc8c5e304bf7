"""Reproducibility you can prove (issue 19): byte-identical rebuilds and ``analysis verify``.

The integration tests build the ``iran_inflation`` run from the SYNTHETIC snapshot, cold, in two
different project folders, the first with kernels forked from a warm template and the second with
plain kernels (``ANALYSIS_KERNEL=plain``), and compare every published file's digest; then
``analysis verify`` is run on an untouched build, after one byte of a report or one value of a
table is changed, and after a raw file is changed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import SYNTHETIC_SNAPSHOT

from analysis.render import determinism
from analysis.render.digests import manifest_text, published_files
from analysis.report.vintage import data_date

REPO = Path(__file__).resolve().parent.parent
RUN = "iran_inflation"


# --- units ------------------------------------------------------------------------------------


def _executed(folder: Path, source: str) -> Path:
    """A notebook as papermill leaves it: a random id on the injected cell, clocks, paths."""
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    cell.metadata["papermill"] = {"start_time": "2026-11-30T09:29:01", "duration": 0.1}
    cell.metadata["execution"] = {"iopub.status.busy": "2026-11-30T09:29:01.1Z"}
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["papermill"] = {
        "start_time": "2026-11-30T09:29:00",
        "end_time": "2026-11-30T09:29:02",
        "duration": 2.0,
        "input_path": f"{folder}/notebooks/x.ipynb",
        "output_path": f"{folder}/staging/x.ipynb",
        "parameters": {"a": 1},
    }
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / "x.ipynb")
    return folder / "x.ipynb"


def test_normalised_notebooks_of_two_runs_are_byte_identical(tmp_path: Path) -> None:
    one, two = _executed(tmp_path / "a", "a = 1"), _executed(tmp_path / "b", "a = 1")
    assert one.read_bytes() != two.read_bytes()  # random cell ids, clocks, folders
    for path in (one, two):
        determinism.normalise_notebook(path)
    assert one.read_bytes() == two.read_bytes()
    nb = nbformat.read(one, as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].id == determinism.content_id("a = 1", "injected-parameters")
    assert "execution" not in nb.cells[0].metadata
    assert "start_time" not in nb.cells[0].metadata.papermill
    assert dict(nb.metadata.papermill) == {
        "input_path": "x.ipynb",
        "output_path": "x.ipynb",
        "parameters": {"a": 1},
    }


def test_the_injected_cell_id_follows_its_content() -> None:
    assert determinism.content_id("a = 1") != determinism.content_id("a = 2")
    assert determinism.content_id("a = 1") == determinism.content_id("a = 1")


def test_the_data_date_is_the_newest_access_date_of_the_tables_inputs() -> None:
    manifest = {
        "t1": {"inputs": [{"accessed": "2025-01-02"}, {"accessed": "2025-03-04"}]},
        "t2": {"inputs": [{"accessed": "2026-05-06"}, {"path": "ledgers/x.csv"}]},
        "t3": {"inputs": [{"accessed": "not a date"}]},
    }
    assert data_date(["t1"], manifest) == "2025-03-04"
    assert data_date(["t1", "t2"], manifest) == "2026-05-06"
    assert data_date(["t3", "missing"], manifest) is None
    assert determinism.source_date_epoch("2025-03-04") == 1741046400
    assert determinism.source_date_epoch(None) == 0


def test_the_digest_manifest_leaves_out_build_records_and_checks_with_sha256sum(
    tmp_path: Path,
) -> None:
    run = tmp_path / "r1"
    (run / "charts").mkdir(parents=True)
    (run / "r1.html").write_text("<p>x</p>")
    (run / "charts" / "c.svg").write_text("<svg/>")
    (run / "build.json").write_text('{"built_at": "now"}')
    (tmp_path / "_failed" / "r2").mkdir(parents=True)
    (tmp_path / "_failed" / "r2" / "build.json").write_text("{}")
    (tmp_path / "index.html").write_text("built now")
    assert list(published_files(tmp_path)) == ["r1/charts/c.svg", "r1/r1.html"]
    text = manifest_text(tmp_path)
    assert text.splitlines()[1] == f"{hashlib.sha256(b'<p>x</p>').hexdigest()}  r1/r1.html"
    if shutil.which("sha256sum"):
        (tmp_path / "MANIFEST.sha256").write_text(text)
        ok = subprocess.run(["sha256sum", "-c", "MANIFEST.sha256"], cwd=tmp_path, check=False)
        assert ok.returncode == 0
        (run / "r1.html").write_text("<p>y</p>")
        bad = subprocess.run(
            ["sha256sum", "-c", "MANIFEST.sha256"], cwd=tmp_path, capture_output=True, check=False
        )
        assert bad.returncode != 0 and b"r1/r1.html: FAILED" in bad.stdout


# --- two cold builds, and verify --------------------------------------------------------------


def _analysis(home: Path, *args: str, kernel: str = "forked") -> subprocess.CompletedProcess[str]:
    env = {"ANALYSIS_HOME": str(home), "PATH": "/usr/bin:/bin", "HOME": str(home)}
    env["ANALYSIS_KERNEL"] = kernel
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def _cold_build(home: Path, lock: Path | None, kernel: str) -> Path:
    """fetch (synthetic snapshot) → clean → build the one run, in an empty project folder."""
    home.mkdir()
    for name in ("sources.toml", "reports.toml"):
        shutil.copy(REPO / name, home / name)
    if lock is not None:
        shutil.copy(lock, home / "sources.lock.json")  # the same lock: the same access dates
    shutil.copytree(REPO / "notebooks", home / "notebooks")
    shutil.copytree(REPO / "data" / "raw" / "ledgers", home / "data" / "raw" / "ledgers")
    for step in (
        ("fetch", "--quiet", "--snapshot", str(SYNTHETIC_SNAPSHOT)),
        ("clean", "--quiet"),
        ("build", "--quiet", "--only", RUN),
    ):
        done = _analysis(home, *step, kernel=kernel)
        assert done.returncode == 0, done.stdout + done.stderr
    return home


def _digests(home: Path) -> dict[str, str]:
    """sha256 of every published report file and every processed table file."""
    from analysis import store

    files = {f"reports/{k}": v for k, v in published_files(home / "reports").items()}
    files |= {
        k: v for k, v in store.published_files(home).items() if k.endswith((".parquet", ".csv"))
    }
    return {rel: hashlib.sha256(p.read_bytes()).hexdigest() for rel, p in files.items()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("repro")
    first = _cold_build(root / "first", None, kernel="forked")
    second = _cold_build(root / "second-folder", first / "sources.lock.json", kernel="plain")
    return first, second


def test_two_cold_builds_in_two_folders_and_kernels_give_identical_digests(
    builds: tuple[Path, Path],
) -> None:
    first, second = builds
    one, two = _digests(first), _digests(second)
    assert any(k.endswith(".pdf") for k in one) and any(k.endswith(".ipynb") for k in one)
    assert any(k.endswith(".parquet") for k in one)
    assert one == two, sorted(k for k in one.keys() | two.keys() if one.get(k) != two.get(k))
    records = [json.loads((h / "reports" / RUN / "build.json").read_text()) for h in builds]
    kernels = [record["kernel"] for record in records]
    assert kernels == ["forked", "plain"]  # the same bytes from a forked and a plain kernel
    manifest = (first / "reports" / "MANIFEST.sha256").read_bytes()
    assert manifest == (second / "reports" / "MANIFEST.sha256").read_bytes()
    assert f"  {RUN}/{RUN}.html".encode() in manifest


def test_no_published_file_names_its_folder_or_the_build_time(builds: tuple[Path, Path]) -> None:
    first, _ = builds
    built_at = json.loads((first / "reports" / RUN / "build.json").read_text())["built_at"]
    for rel, path in published_files(first / "reports").items():
        if path.suffix in (".html", ".ipynb"):
            text = path.read_text(encoding="utf-8")
            assert str(first) not in text, rel
            assert built_at[:16].replace("T", " ") not in text, rel
    html = (first / "reports" / RUN / f"{RUN}.html").read_text(encoding="utf-8")
    assert "Files obtained up to " in html and "Built " not in html


@pytest.fixture
def project(builds: tuple[Path, Path], tmp_path: Path) -> Path:
    """A copy of a cold build to tamper with (the builds stay untouched)."""
    home = tmp_path / "project"
    shutil.copytree(builds[1], home, symlinks=True)
    return home


def test_verify_passes_on_an_untouched_build(project: Path) -> None:
    done = _analysis(project, "verify", "--only", RUN, "--jobs", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"same       reports/{RUN}/{RUN}.pdf" in done.stdout
    assert "same       data/processed/indicators.parquet" in done.stdout
    assert "0 DIFFERENT, 0 missing" in done.stdout


def test_verify_names_a_report_with_one_byte_changed(project: Path) -> None:
    html = project / "reports" / RUN / f"{RUN}.html"
    data = bytearray(html.read_bytes())
    data[-2] ^= 1
    html.write_bytes(bytes(data))
    done = _analysis(project, "verify", "--only", RUN, "--jobs", "1")
    assert done.returncode == 9, done.stdout + done.stderr
    assert f"DIFFERENT  reports/{RUN}/{RUN}.html" in done.stdout
    assert f"same       reports/{RUN}/{RUN}.pdf" in done.stdout


def test_verify_names_a_table_with_one_value_changed(project: Path) -> None:
    import pandas as pd

    path = project / "data" / "processed" / "indicators.parquet"
    table = pd.read_parquet(path)
    table.loc[table.index[0], "value"] = table["value"].iloc[0] + 1
    table.to_parquet(path, index=False)
    done = _analysis(project, "verify", "--only", RUN, "--jobs", "1")
    assert done.returncode == 9, done.stdout + done.stderr
    assert "DIFFERENT  data/processed/indicators.parquet" in done.stdout
    assert "same       data/processed/indicators.csv" in done.stdout


def test_verify_says_a_changed_raw_file_differs_from_the_lock_first(project: Path) -> None:
    lock = json.loads((project / "sources.lock.json").read_text())
    rel = sorted(lock["files"])[0]
    with open(project / "data" / "raw" / rel, "ab") as fh:
        fh.write(b"\n")
    done = _analysis(project, "verify", "--only", RUN)
    assert done.returncode == 4, done.stdout + done.stderr
    first = done.stdout.splitlines()[0]
    assert first.startswith(f"RAW DIFFERS data/raw/{rel}")
    assert "differ from sources.lock.json" in done.stdout


def test_in_a_build_the_appendix_states_the_code_digest_not_the_commit(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit that leaves the report code alone rebuilds no report, so the appendix must not
    name the commit: it names the digest the cache key holds."""
    import os

    from analysis import config
    from analysis.provenance import code_version
    from analysis.report.appendix import appendix

    monkeypatch.delenv(config.CODE_DIGEST_ENV, raising=False)
    determinism.pin_run({"data_date": "2025-03-04", "key": {"code": "ab" * 32}})
    try:
        assert os.environ["SOURCE_DATE_EPOCH"] == "1741046400"
        html = appendix([], {})
    finally:
        os.environ.pop(config.CODE_DIGEST_ENV, None)
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    assert f"<code>sha256:{'ab' * 6}</code>" in html
    assert code_version() not in html


def test_verify_compares_the_manifest_without_clean_times_but_with_its_counts(
    tmp_path: Path,
) -> None:
    from analysis.verify import compare

    entry = {"rows_read": 3, "built_at": "2026-01-01T00:00:00", "seconds": 1.0, "key": "k1"}
    files = {}
    for name, changes in (
        ("a", {}),
        ("b", {"built_at": "2027", "key": "k2"}),
        ("c", {"rows_read": 4}),
    ):
        path = tmp_path / name / "manifest.json"
        path.parent.mkdir()
        path.write_text(json.dumps({"tables": {"t": {**entry, **changes}}}))
        files[name] = {"data/processed/manifest.json": path}
    assert [c.status for c in compare(files["a"], files["b"])] == ["same"]
    assert [c.status for c in compare(files["a"], files["c"])] == ["DIFFERENT"]
    assert [c.status for c in compare(files["a"], {})] == ["missing"]
