"""fx_rates: bonbast (JSON, toman, two calendar trees) and tgju (three CSV layouts) → rial per unit.

Fixtures: tests/fixtures/snapshot/{bonbast,tgju} (synthetic, invented values, real layouts).
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import jdatetime
import pandas as pd
import pytest

from analysis.clean import bonbast, fx_rates, tgju
from analysis.clean.base import TableResult
from analysis.schemas.fx_rates import SCHEMA

SYNTHETIC_SNAPSHOT = Path(__file__).parent / "fixtures" / "snapshot"


@pytest.fixture(scope="module")
def bon() -> TableResult:
    return bonbast.load(SYNTHETIC_SNAPSHOT)


@pytest.fixture(scope="module")
def tg() -> TableResult:
    return tgju.load(SYNTHETIC_SNAPSHOT)


def rate(table: pd.DataFrame, day: str, currency: str = "USD", **match: str) -> float:
    rows = table[(table["date"] == pd.Timestamp(day)) & (table["currency"] == currency)]
    for column, value in match.items():
        rows = rows[rows[column] == value]
    return float(rows["irr_per_unit"].item())


# --- bonbast ----------------------------------------------------------------------------------
def test_bonbast_toman_becomes_rial_per_single_unit(bon: TableResult) -> None:
    assert rate(bon.table, "2018-01-04") == 4290 * 10
    assert rate(bon.table, "2018-01-04", "JPY") == 384 * 10 / 10  # "10 Japanese Yen"
    assert rate(bon.table, "2018-01-04", "IQD") == 340 * 10 / 100  # "100 Iraqi Dinar"


def test_bonbast_early_yen_quotes_were_for_one_yen(bon: TableResult) -> None:
    # 35 toman for one yen on 2016-11-11, 352 toman for ten yen the next day: the same rate.
    assert rate(bon.table, "2016-11-11", "JPY") == 350.0
    assert rate(bon.table, "2016-11-12", "JPY") == 352.0


def test_bonbast_trees_deduplicated_and_coins_left_out(bon: TableResult) -> None:
    table = bon.table
    assert not table.duplicated(["date", "currency"]).any()
    assert set(table["currency"]) == {"USD", "EUR", "JPY", "IQD"}
    only_jalali = table[table["date"] == pd.Timestamp("2018-01-08")]
    assert only_jalali["source_file"].tolist() == ["bonbast/jalali/1396/full.json"]
    assert only_jalali["date_jalali"].tolist() == ["1396/10/18"]
    assert bon.excluded == {"gold_coin_not_a_currency": 6, "duplicate_other_calendar_tree": 4}


def test_bonbast_friday_copy_is_flagged(bon: TableResult) -> None:
    flagged = bon.table[bon.table["is_carried_forward"]]
    assert set(flagged["date"]) == {pd.Timestamp("2018-01-05")} and len(flagged) == 4


def test_bonbast_defects_quarantined_and_balance_holds(bon: TableResult) -> None:
    quarantine = bon.quarantine.set_index("source_row")
    assert quarantine["check"].to_dict() == {17: "date", 13: "currency", 15: "positive_number"}
    assert quarantine.loc[13, "value"] == "usdt"
    assert (bon.rows_read, bon.rows_kept) == (27, 14) and bon.balanced()


def test_bonbast_source_row_is_the_quote_position(bon: TableResult) -> None:
    row = bon.table[
        (bon.table["date"] == pd.Timestamp("2018-01-06")) & (bon.table["currency"] == "EUR")
    ]
    assert row["source_row"].item() == 12  # 5 + 5 quotes on the two days before, then usd, eur


def test_bonbast_odd_quotes_are_quarantined_not_crashed_on(tmp_path: Path) -> None:
    """Quotes that are not objects, names that are objects, booleans and text as sell values
    (synthetic): each odd quote is quarantined with its value; the good ones are kept."""
    folder = tmp_path / "bonbast" / "gregorian" / "2018"
    folder.mkdir(parents=True)
    days = {
        "2018/01/01": {
            "usd": {"name": {"en": "US Dollar"}, "sell": 4290},
            "eur": {"name": "Euro", "sell": True},
            "gbp": 5880,
            "chf": {"name": "Swiss Franc", "sell": "4400"},
            "cad": {"name": "Canadian Dollar", "sell": 3570.5},
        },
        "2018/01/02": [1, 2],
    }
    (folder / "full.json").write_text(json.dumps(days))
    result = bonbast.load(tmp_path)
    assert result.table["currency"].tolist() == ["USD", "CAD"]
    assert result.table["irr_per_unit"].tolist() == [42_900.0, 35_705.0]
    q = result.quarantine.set_index("source_row")
    assert q["check"].to_dict() == {
        2: "positive_number",
        3: "positive_number",
        4: "positive_number",
        6: "record",
    }
    assert q.loc[[2, 4, 6], "value"].tolist() == ["True", "4400", "2018/01/02"]
    assert result.balanced()


# --- tgju -------------------------------------------------------------------------------------
def test_tgju_units_columns_and_nima_close_not_price(tg: TableResult) -> None:
    # rial and NIMA rows dated 2018/01/07 and 2019/01/02 are the next days' (a day early)
    assert rate(tg.table, "2018-01-08", rate_type="open_market") == 43_100
    assert rate(tg.table, "2017-12-30", rate_type="open_market") == 4_270 * 10  # toman file
    assert rate(tg.table, "2019-01-03", rate_type="nima") == 81_415  # not "Price" (= 15)


def test_tgju_dates_read_from_the_unambiguous_column(tg: TableResult) -> None:
    toman = tg.table[tg.table["source_file"].str.contains("Toman")]
    assert toman["date"].tolist() == [pd.Timestamp("2017-12-30")]  # "30/12/2017": day-first
    iso_in_persian = tg.table[tg.table["source_row"] == 6]  # "2018/01/03", then a day later
    assert iso_in_persian["date"].tolist() == [pd.Timestamp("2018-01-04")]
    assert iso_in_persian["date_jalali"].tolist() == ["1396/10/14"]
    assert any("unreadable Persian Date" in note for note in tg.notes)


def test_tgju_toman_file_fills_only_days_the_rial_file_lacks(tg: TableResult) -> None:
    # toman 1396/10/14 = 2018-01-04: the rial file quotes that day (its "2018/01/03" row)
    assert tg.excluded == {"date_in_preferred_file": 1}
    open_market = tg.table[tg.table["rate_type"] == "open_market"]
    assert not open_market.duplicated("date").any()


def test_tgju_quarantine_names_each_defect(tg: TableResult) -> None:
    got = set(
        zip(
            tg.quarantine["source_file"],
            tg.quarantine["source_row"],
            tg.quarantine["check"],
            strict=True,
        )
    )
    assert got == {
        ("tgju/Dollar_Rial_Price_Dataset.csv", 8, "date"),  # SYNTHETIC label row
        ("tgju/Dollar_Rial_Price_Dataset.csv", 7, "date_consistency"),
        ("tgju/Dollar_Toman_Price_Dataset.csv", 6, "date"),
        ("tgju/Dollar_Toman_Price_Dataset.csv", 4, "date_consistency"),  # neither 1 Feb nor 2 Jan
        ("tgju/Dollar_Toman_Price_Dataset.csv", 3, "positive_number"),  # "4,2x0"
        ("tgju/tgju_nima_buy_usd.csv", 4, "date"),
    }
    assert tg.balanced() and tg.rows_read == 15


def test_tgju_a_repeat_is_carried_forward_on_friday_not_on_saturday(tg: TableResult) -> None:
    # rows "2018/01/03".."2018/01/05" close at 42,900: market days Thu 4, Fri 5 and Sat 6 Jan
    flagged = tg.table[tg.table["is_carried_forward"]]
    assert flagged["date"].tolist() == [pd.Timestamp("2018-01-05")]


# --- the table --------------------------------------------------------------------------------
def test_fx_rates_table_validates_and_balances() -> None:
    result = fx_rates.build(SYNTHETIC_SNAPSHOT)
    table = SCHEMA.validate(result.table)
    assert result.balanced()
    assert len(table) == 14 + 8 and set(table["source_id"]) == {"bonbast", "tgju"}
    assert set(result.inputs) >= {"bonbast/jalali/1396/full.json", *tgju.INPUTS}


def test_a_new_bonbast_year_adds_rows_without_code_changes(tmp_path: Path) -> None:
    folder = tmp_path / "bonbast" / "gregorian" / "2030"
    folder.mkdir(parents=True)
    (folder / "full.json").write_text('{"2030/01/01": {"usd": {"name": "US Dollar", "sell": 9}}}')
    table = bonbast.load(tmp_path).table
    assert table["irr_per_unit"].tolist() == [90.0]
    expected = jdatetime.date.fromgregorian(date=date(2030, 1, 1)).strftime("%Y/%m/%d")
    assert table["date_jalali"].tolist() == [expected]


# --- the real snapshot ------------------------------------------------------------------------
@pytest.fixture
def real(real_snapshot: Path) -> tuple[TableResult, float]:
    started = time.perf_counter()
    result = fx_rates.build(real_snapshot)
    return result, time.perf_counter() - started


@pytest.mark.snapshot
def test_real_fx_rates_spot_checks(real: tuple[TableResult, float]) -> None:
    result, seconds = real
    table = SCHEMA.validate(result.table, lazy=True)
    assert result.balanced() and result.quarantine.empty
    # bonbast/gregorian/2018/full.json, "2018/01/01" → usd sell 4290 toman (the issue's check)
    assert rate(table, "2018-01-01", source_id="bonbast") == 42_900
    # tgju/Dollar_Rial_Price_Dataset.csv line 2: 2026/08/06 close 1880200 rial
    assert rate(table, "2026-08-06", source_id="tgju", rate_type="open_market") == 1_880_200
    # tgju/tgju_nima_buy_usd.csv line 2: 2025/10/05 Close "696,486" (Price = change 672)
    assert rate(table, "2025-10-05", rate_type="nima") == 696_486
    # bonbast: 10 Japanese Yen 352 toman on 2016-11-12 → 352 rial per yen
    assert rate(table, "2016-11-12", "JPY", source_id="bonbast") == 352
    # bonbast/gregorian/2018/full.json: Friday 2018/01/05 repeats Thursday's whole record
    bon = table[(table["source_id"] == "bonbast") & (table["currency"] == "USD")].set_index("date")
    assert (
        bon.loc["2018-01-05", "is_carried_forward"]
        and bon.loc["2018-01-05", "irr_per_unit"] == 43_240
    )
    assert not bon.loc["2018-01-04", "is_carried_forward"]
    print(f"fx_rates: {len(table):,} rows in {seconds:.2f} s; excluded {result.excluded}")


def test_bonbast_unit_slips_are_noted_and_bad_records_quarantined(tmp_path: Path) -> None:
    folder = tmp_path / "bonbast" / "gregorian" / "2030"
    folder.mkdir(parents=True)
    usd = '{{"usd": {{"name": "US Dollar", "sell": {}}}}}'
    days = {"2030/01/01": usd.format(100), "2030/01/02": usd.format(1000), "2030/01/03": "null"}
    body = ", ".join(f'"{day}": {record}' for day, record in days.items())
    (folder / "full.json").write_text("{" + body + "}")
    result = bonbast.load(tmp_path)
    assert any("USD 2030-01-02" in note for note in result.notes)
    assert result.quarantine["check"].tolist() == ["record"] and result.balanced()


def test_bonbast_carried_forward_compares_whole_records(tmp_path: Path) -> None:
    """A day is carried forward only when every currency, name, sell and buy repeat the day
    before (in any key order); a changed buy or an extra currency makes it a new quote day."""
    usd = {"name": "US Dollar", "sell": 100, "buy": 99}
    eur = {"name": "Euro", "sell": 120, "buy": 119}
    days = {
        "2030/01/01": {"usd": usd, "eur": eur},
        "2030/01/02": {"eur": eur, "usd": usd},  # same record, other key order
        "2030/01/03": {"usd": {**usd, "buy": 98}, "eur": eur},  # only a buy changed
        "2030/01/04": {"usd": {**usd, "buy": 98}, "eur": eur},  # repeats 01/03
        "2030/01/05": {"usd": {**usd, "buy": 98}, "eur": eur, "gbp": usd | {"name": "Pound"}},
        "2030/01/07": {"usd": {**usd, "buy": 98}, "eur": eur, "gbp": usd | {"name": "Pound"}},
    }  # 01/07 repeats 01/05, but 01/06 is missing: not the previous calendar day
    folder = tmp_path / "bonbast" / "gregorian" / "2030"
    folder.mkdir(parents=True)
    (folder / "full.json").write_text(json.dumps(days))
    table = bonbast.load(tmp_path).table
    flagged = table.groupby("date")["is_carried_forward"].agg(["all", "any"])
    assert (flagged["all"] == flagged["any"]).all()  # a whole day is flagged or not
    assert flagged.index[flagged["all"]].strftime("%m/%d").tolist() == ["01/02", "01/04"]


def test_bonbast_typed_decoder_and_json_give_the_same_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """msgspec decodes files in the archive's shape; json reads the rest. Both paths must give
    the same rows, quarantine, counts and notes for the same files."""
    files = sorted(SYNTHETIC_SNAPSHOT.glob("bonbast/*/*/full.json"))
    typed = [bonbast.parse(p.read_bytes())[1] for p in files]
    assert any(typed), "no fixture file takes the typed path"
    fast = bonbast.load(SYNTHETIC_SNAPSHOT)
    monkeypatch.setattr(bonbast, "parse", lambda raw: (json.loads(raw), False))
    slow = bonbast.load(SYNTHETIC_SNAPSHOT)
    pd.testing.assert_frame_equal(fast.table, slow.table)
    pd.testing.assert_frame_equal(fast.quarantine, slow.quarantine)
    assert (fast.rows_read, fast.excluded, fast.notes) == (
        slow.rows_read,
        slow.excluded,
        slow.notes,
    )


def test_bonbast_parse_falls_back_to_json_for_any_other_shape() -> None:
    archive = b'{"2030/01/01": {"usd": {"name": "US Dollar", "sell": 4290, "buy": 4280}}}'
    assert bonbast.parse(archive)[1]
    for odd in (
        b'{"2030/01/01": {"usd": {"name": "US Dollar", "sell": "4290"}}}',  # text as a number
        b'{"2030/01/01": {"usd": {"name": "US Dollar", "sell": true}}}',  # a boolean
        b'{"2030/01/01": null}',  # a day that is not an object
        b'[{"usd": 1}]',  # not an object of days
    ):
        data, typed = bonbast.parse(odd)
        assert not typed and data == json.loads(odd)
    with pytest.raises(json.JSONDecodeError):
        bonbast.parse(b'{"2030/01/01": {"usd": ')  # truncated: json's own error
