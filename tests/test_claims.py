"""The ``claims`` cleaner on SYNTHETIC ledgers, and the real curated ledger.

The ``events`` cleaner is tested in test_events.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.clean import claims
from analysis.clean.pipeline import check_balance, validate
from analysis.errors import DataError
from analysis.parse.annualise import usd_per_unit
from analysis.schemas import claims as claims_schema

FIXTURES = Path(__file__).parent / "fixtures" / "ledgers"
REPO_LEDGERS = config.REPO_ROOT / "data" / "raw" / "ledgers"
#: SYNTHETIC US CPI: every month of a year has the same index, 100 + 5 per year from 1990.
CPI_YEARS = range(1990, 2025)


def synthetic_cpi(year: int) -> float:
    return 100.0 + 5.0 * (year - 1990)


def _write_cpi(raw: Path) -> None:
    lines = ["Date,Index,Inflation", "SYNTHETIC,invented values for tests,"]
    lines += [
        f"{y}-{m:02d}-01,{synthetic_cpi(y)},"
        for y in CPI_YEARS
        for m in range(1, 13)  # synthetic
    ]
    (raw / "datahub-cpi-us").mkdir(parents=True)
    (raw / "datahub-cpi-us" / "cpiai.csv").write_text("\n".join(lines) + "\n")


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """A raw folder with the synthetic ledgers and a synthetic US CPI."""
    raw = tmp_path / "raw"
    (raw / "ledgers").mkdir(parents=True)
    for name in ("claims.csv", "events.csv"):
        shutil.copy(FIXTURES / name, raw / "ledgers" / name)
    _write_cpi(raw)
    return raw


@pytest.fixture
def real_ledger_raw(tmp_path: Path) -> Path:
    """The repository's curated ledgers with a synthetic US CPI."""
    raw = tmp_path / "raw"
    shutil.copytree(REPO_LEDGERS, raw / "ledgers")
    _write_cpi(raw)
    return raw


def _by_id(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index("claim_id")


# --- synthetic ledger ----------------------------------------------------------------------------
def test_bad_rows_are_quarantined_with_reasons_and_none_dropped(raw: Path) -> None:
    result = validate(claims.build(raw), claims_schema.SCHEMA, "claims")
    check_balance("claims", result)
    assert sorted(result.table["claim_id"]) == [f"S00{i}" for i in range(1, 8)]
    q = result.quarantine
    failed = q.groupby("source_row")["check"].apply(set).to_dict()
    assert failed == {
        9: {"date"},  # 2018-02-30
        10: {"vocabulary"},  # status "rumoured"
        11: {"required"},  # no source_url
        12: {"url"},  # no http(s) scheme
        13: {"unique"},  # S001 again
        14: {"date", "vocabulary"},  # every failure of a row is recorded
        15: {"required"},  # recipient_scope empty
        16: {"iso_4217"},
        17: {"order"},  # period_end before period_start
    }
    assert q["reason"].str.len().gt(0).all()
    assert set(q["source_file"]) == {"ledgers/claims.csv"}


def test_derived_columns_follow_the_ledger_columns(raw: Path) -> None:
    table = claims.build(raw).table
    assert list(table.columns) == claims_schema.COLUMNS
    assert list(table.columns[:17]) == claims_schema.RESEARCH_COLUMNS


def test_annual_dollars_nominal_and_constant(raw: Path) -> None:
    table = _by_id(validate(claims.build(raw), claims_schema.SCHEMA, "claims").table)
    base = config.DEFAULT_BASE_YEAR
    s001 = table.loc["S001"]  # "$10 million a year", claimed 2010
    assert (s001["value_year"], s001["annual_low_usd"]) == (2010, 10e6)
    assert s001["annual_low_usd_const"] == pytest.approx(
        10e6 * synthetic_cpi(base) / synthetic_cpi(2010)
    )
    s002 = table.loc["S002"]  # "2 Millionen Euro pro Monat", period_start 2010
    rate, _ = usd_per_unit("EUR", 2010)
    assert rate is not None
    assert s002["annual_low_usd"] == pytest.approx(2e6 * 12 * rate)
    assert s002["usd_per_unit"] == pytest.approx(rate)
    s007 = table.loc["S007"]  # "up to $30 million a month" from 2019: open low side
    assert pd.isna(s007["annual_low_usd"]) and s007["annual_high_usd"] == 360e6


def test_what_is_not_a_rate_or_has_no_rate_stays_empty_with_a_reason(raw: Path) -> None:
    table = _by_id(claims.build(raw).table)
    assert table.loc["S004", "parse_status"] == "unparsed"  # two currencies joined by "and"
    assert "'and'" in table.loc["S004", "parse_reason"]
    s005 = table.loc["S005"]  # £ in 1995: before the ECB data
    assert pd.isna(s005["annual_low_usd"]) and "no ECB rate" in s005["annual_note"]
    s003 = table.loc["S003"]  # "most of the $100m" in 2015: a share of a yearly amount
    assert (s003["amount_low"], s003["amount_high"], s003["annual_high_usd"]) == (
        50e6,
        100e6,
        100e6,
    )
    assert pd.isna(table.loc["S006", "value_year"])  # undated, no amount


def test_a_ledger_with_a_foreign_column_is_a_data_error(raw: Path) -> None:
    path = raw / "ledgers" / "claims.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.assign(extra="x").to_csv(path, index=False)
    with pytest.raises(DataError, match="unexpected \\['extra'\\]"):
        claims.build(raw)


# --- the real curated ledger ---------------------------------------------------------------------
def test_real_ledger_is_clean_and_every_claim_is_read_or_explained(real_ledger_raw: Path) -> None:
    result = validate(claims.build(real_ledger_raw), claims_schema.SCHEMA, "claims")
    check_balance("claims", result)
    assert result.quarantine.empty, result.quarantine.to_string()
    table = result.table
    assert len(table) >= 72 and table["claim_id"].is_unique
    assert set(table["parse_status"]) <= {"parsed", "partial", "unparsed"}
    explained = table.loc[table["parse_status"] != "parsed", "parse_reason"]
    assert explained.notna().all() and explained.str.len().gt(0).all()
    for column in ("recipient_scope", "donor_scope", "status"):
        assert table[column].notna().all()


def test_founding_article_claim_is_a_share_of_260m(real_ledger_raw: Path) -> None:
    table = _by_id(claims.build(real_ledger_raw).table)
    founding = table[table["amount_as_stated"] == "most of the $260m"]
    assert len(founding) == 1
    row = founding.iloc[0]
    assert "aljazeera.com" in row["source_url"] and "Lieberman" in row["claimant"]
    assert (row["amount_kind"], row["share_low"], row["share_high"]) == ("share", 0.5, 1.0)
    assert (row["amount_low"], row["amount_high"], row["currency"]) == (130e6, 260e6, "USD")
    assert (row["period"], row["value_year"], row["parse_status"]) == ("year", 2017, "parsed")


@pytest.mark.snapshot
def test_claims_with_the_real_us_cpi(real_snapshot: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(REPO_LEDGERS, raw / "ledgers")
    shutil.copytree(real_snapshot / "datahub-cpi-us", raw / "datahub-cpi-us")
    result = validate(claims.build(raw), claims_schema.SCHEMA, "claims")
    row = _by_id(result.table).loc["C057"]
    assert row["annual_low_usd"] == 130e6
    # 2017 dollars are worth more in 2024 dollars (US prices rose about a quarter in between).
    assert 1.2 < row["annual_low_usd_const"] / row["annual_low_usd"] < 1.4
