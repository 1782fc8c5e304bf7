"""The ``claims`` cleaner on SYNTHETIC ledgers, and the real curated ledger.

The ``events`` cleaner is tested in test_events.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest

from analysis import config
from analysis.clean.pipeline import check_balance, validate
from analysis.clean.sources import ledgers
from analysis.clean.tables import claims
from analysis.errors import DataError
from analysis.parse.annualise import usd_per_unit
from analysis.report import claims as cv
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
    assert sorted(result.table["claim_id"]) == [f"S{i:03d}" for i in range(1, 11)]
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
        21: {"vocabulary"},  # dated_by: an analyst writes only "undated" (or nothing)
        22: {"vocabulary"},  # source_grade outside the scale
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


def test_a_claim_is_placed_by_its_period_else_its_date(raw: Path) -> None:
    table = _by_id(validate(claims.build(raw), claims_schema.SCHEMA, "claims").table)
    placed = table[["claim_year", "value_year", "dated_by"]].astype(object)
    assert placed.loc["S001"].tolist() == [2010, 2010, "claim_date"]
    assert placed.loc["S002"].tolist() == [2010, 2010, "period_start"]
    assert placed.loc["S005"].tolist() == [1996, 1995, "period_start"]
    # "$5 million a month" said in 2017 about the years up to 2012: placed in 2012, not 2017
    assert placed.loc["S008"].tolist() == [2017, 2012, "period_end"]
    assert table.loc["S008", "annual_low_usd_const"] == pytest.approx(
        60e6 * synthetic_cpi(config.DEFAULT_BASE_YEAR) / synthetic_cpi(2012)
    )


def test_a_claim_about_unnamed_earlier_years_is_undated_not_placed_at_its_claim(
    raw: Path,
) -> None:
    table = _by_id(validate(claims.build(raw), claims_schema.SCHEMA, "claims").table)
    s009 = table.loc["S009"]  # said in 2022, dated_by "undated" in the ledger
    assert (s009["claim_year"], s009["dated_by"]) == (2022, "undated")
    assert pd.isna(s009["value_year"])
    # the yearly US$ amount stays (no exchange rate needed), but no year means no constant dollars
    assert s009["annual_low_usd"] == 30e6 and pd.isna(s009["annual_low_usd_const"])
    assert "no year for constant dollars" in s009["annual_note"]
    assert table.loc["S006", "dated_by"] == "undated"  # no date at all


def test_a_total_of_several_donors_gives_no_iran_annual_figure(raw: Path) -> None:
    table = _by_id(validate(claims.build(raw), claims_schema.SCHEMA, "claims").table)
    s010 = table.loc["S010"]  # "between $500 million and 1 billion annually", iran_and_others
    assert (s010["amount_low"], s010["amount_high"], s010["period"]) == (500e6, 1e9, "year")
    annual = ["annual_low_usd", "annual_high_usd", "annual_low_usd_const", "annual_high_usd_const"]
    assert s010[annual].isna().all()
    assert "not Iran's figure" in s010["annual_note"]
    assert table.loc["S001", "annual_low_usd"] == 10e6  # Iran's own figure is untouched


def test_the_schema_rejects_an_annual_figure_for_pooled_donors(raw: Path) -> None:
    table = validate(claims.build(raw), claims_schema.SCHEMA, "claims").table
    pooled = table["claim_id"] == "S010"
    broken = table.assign(annual_low_usd=table["annual_low_usd"].mask(pooled, 500e6))
    with pytest.raises(pa.errors.SchemaError, match="donor_scope"):
        claims_schema.SCHEMA.validate(broken)


def test_the_schema_rejects_a_year_for_an_undated_claim(raw: Path) -> None:
    table = validate(claims.build(raw), claims_schema.SCHEMA, "claims").table
    undated = table["claim_id"] == "S009"
    broken = table.assign(value_year=table["value_year"].mask(undated, 2022))
    with pytest.raises(pa.errors.SchemaError, match="dated_by"):
        claims_schema.SCHEMA.validate(broken)


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
    assert len(table) >= 94 and table["claim_id"].is_unique
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


def test_every_ledger_row_has_an_http_source_a_known_status_and_a_unique_id() -> None:
    # the committed ledger as typed, before the cleaner could quarantine anything
    ledger = pd.read_csv(REPO_LEDGERS / "claims.csv", dtype=str, keep_default_na=False)
    assert ledger["claim_id"].is_unique and ledger["claim_id"].str.len().gt(0).all()
    bad_url = ledger.loc[~ledger["source_url"].map(ledgers.http_url_ok), "claim_id"]
    assert bad_url.empty, bad_url.tolist()
    assert ledger["source_url"].str.match(r"^https?://").all()
    bad_status = ledger.loc[~ledger["status"].isin(claims_schema.STATUSES), "claim_id"]
    assert bad_status.empty, bad_status.tolist()
    ungraded = ledger.loc[~ledger["source_grade"].isin(claims_schema.SOURCE_GRADES), "claim_id"]
    assert ungraded.empty, ungraded.tolist()  # every claim graded on the scale


def test_real_grades_follow_the_rule() -> None:
    """docs/adding-a-claim.md: listicles and blogs at the bottom, statements of a government
    on the record at the top, anonymous sources never above unnamed officials."""
    ledger = pd.read_csv(REPO_LEDGERS / "claims.csv", dtype=str, keep_default_na=False)
    grade = ledger.set_index("claim_id")["source_grade"]
    assert grade[["C015", "C016", "C026", "C087"]].eq("blog_listicle_aggregator").all()
    assert grade[["C054", "C046", "C082"]].eq("official_on_record").all()
    # the claimant is unnamed (not "a named official and an anonymous one", C028)
    anonymous = ledger["claimant"].str.contains(r"^(?:unnamed|anonymous)|\(unnamed", case=False)
    top = ("official_on_record", "named_official_or_party")
    assert not ledger.loc[anonymous, "source_grade"].isin(top).any()


def test_real_claims_about_other_years_are_placed_there_or_undated(real_ledger_raw: Path) -> None:
    table = _by_id(claims.build(real_ledger_raw).table)
    c073 = table.loc["C073"]  # "initially ... US$30 million annually" (early years), said 2022
    assert (c073["claim_year"], c073["dated_by"]) == (2022, "undated")
    assert pd.isna(c073["value_year"]) and pd.isna(c073["annual_low_usd_const"])
    c053 = table.loc["C053"]  # "prior to the 2012 split ... $50 million a month", said 2017
    assert (c053["value_year"], c053["dated_by"]) == (2012, "period_end")
    assert table.loc["C066", "dated_by"] == "undated"  # "In the past", said 2020


def test_real_pooled_donor_claims_have_no_annual_figure(real_ledger_raw: Path) -> None:
    table = claims.build(real_ledger_raw).table
    pooled = table[table["donor_scope"] != "iran"]
    assert {"C010", "C026", "C040"} <= set(pooled["claim_id"])
    annual = ["annual_low_usd", "annual_high_usd", "annual_low_usd_const", "annual_high_usd_const"]
    assert pooled[annual].isna().all().all()
    c040 = pooled.set_index("claim_id").loc["C040"]  # the whole Hamas budget, $500m-1bn a year
    assert (c040["amount_low"], c040["amount_high"]) == (500e6, 1e9)


def test_real_claim_of_a_raised_level_reads_the_new_level(real_ledger_raw: Path) -> None:
    row = _by_id(claims.build(real_ledger_raw).table).loc["C064"]
    # "360 Millionen US-Dollar | rund 100 Millionen": raised from about 100m to $360m a year
    assert (row["amount_low"], row["amount_high"], row["currency"]) == (360e6, 360e6, "USD")
    assert (row["period"], row["annual_low_usd"]) == ("year", 360e6)


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


@pytest.mark.parametrize(
    ("amount", "period", "shown"),
    [
        ("$50 million annually", "annually, after 1992", "$50 million annually, after 1992"),
        ("US$30 million annually", "annually, 1993 to 2006",
         "US$30 million annually, 1993 to 2006"),
        ("an annual allowance of $200 million per year", "annual ... per year",
         "an annual allowance of $200 million per year"),
        ("3 milioni di dollari", "unspecified (annual implied)", "3 milioni di dollari"),
        ("$30 million", "monthly (up from under $6 million a month per INN/x)",
         "$30 million, monthly"),
        ("360 Millionen | rund 100 Millionen", "jährlich (annual)",
         "360 Millionen; rund 100 Millionen, jährlich"),
        ("$100 million", None, "$100 million"),
    ],
)  # fmt: skip
def test_an_amount_and_its_period_are_joined_once_without_the_curators_remarks(
    amount: str, period: str | None, shown: str
) -> None:
    assert cv.stated_amount(amount, period) == shown


def test_words_no_amount_was_read_from_are_not_shown_as_an_amount() -> None:
    frame = pd.DataFrame(
        {
            "amount_as_stated": ["I cannot give you the exact amount | we lost very much", "$5m"],
            "period_as_stated": ["", "a year"],
            "amount_low": [None, 5e6],
            "amount_high": [None, 5e6],
        }
    )
    assert cv.stated_amounts(frame).tolist() == [cv.NO_AMOUNT, "$5m, a year"]
