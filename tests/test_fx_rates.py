"""fx_rates: bonbast (JSON, toman, two calendar trees) and tgju (three CSV layouts) → rial per unit.

Fixtures: tests/fixtures/snapshot/{bonbast,tgju} (synthetic, invented values, real layouts).
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import jdatetime
import numpy as np
import pandas as pd
import pytest

from analysis.clean import carried
from analysis.clean.base import TableResult
from analysis.clean.sources import bonbast, tgju
from analysis.clean.tables import fx_rates
from analysis.finance import annual_rates
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


def _bonbast_days(tmp_path: Path, days: dict[str, dict[str, float]]) -> pd.DataFrame:
    """bonbast.load of one synthetic Gregorian file: ``{date: {code: sell}}``."""
    names = {"usd": "US Dollar", "eur": "Euro"}
    records = {
        day: {
            code: {"name": names[code], "sell": sell, "buy": sell - 1} for code, sell in q.items()
        }
        for day, q in days.items()
    }
    folder = tmp_path / "bonbast" / "gregorian" / "2019"
    folder.mkdir(parents=True)
    (folder / "full.json").write_text(json.dumps(records))
    return bonbast.load(tmp_path).table


def _flagged(table: pd.DataFrame) -> list[str]:
    rows = table[table["is_carried_forward"]]
    return [f"{c} {d:%m-%d}" for c, d in zip(rows["currency"], rows["date"], strict=True)]


def test_carried_forward_is_decided_per_currency_on_closed_days(tmp_path: Path) -> None:
    """Synthetic week of February 2019: Thu 7, Fri 8, Sat 9, Sun 10, Mon 11 (Islamic Revolution
    Day, an official holiday), Tue 12. The dollar repeats on Friday, Sunday and the holiday while
    the euro moves every day: the Friday and holiday dollars are copies, Sunday's is a quote."""
    table = _bonbast_days(
        tmp_path,
        {
            "2019/02/07": {"usd": 100, "eur": 120},
            "2019/02/08": {"usd": 100, "eur": 121},  # Friday: USD copied, EUR moved
            "2019/02/09": {"usd": 101, "eur": 122},
            "2019/02/10": {"usd": 101, "eur": 123},  # Sunday: USD did not move
            "2019/02/11": {"usd": 101, "eur": 124},  # holiday: USD copied
            "2019/02/12": {"usd": 102, "eur": 125},
        },
    )
    assert _flagged(table) == ["USD 02-08", "USD 02-11"]
    # annual averages and day counts leave the copies out
    annual = annual_rates(table).set_index("source_id")
    assert annual.loc["bonbast", "n_days"] == 4
    assert annual.loc["bonbast", "irr_per_usd"] == (1000 + 1010 + 1010 + 1020) / 4


def test_a_friday_or_holiday_quote_that_moved_is_not_carried_forward(tmp_path: Path) -> None:
    table = _bonbast_days(
        tmp_path,
        {"2019/02/07": {"usd": 100}, "2019/02/08": {"usd": 99}, "2019/02/11": {"usd": 99}},
    )  # Friday moved; the holiday repeats Friday's value but Sunday 02-10 is missing
    assert _flagged(table) == []


def test_market_closed_on_fridays_and_official_holidays() -> None:
    days = pd.Series(pd.to_datetime(["2019-02-08", "2019-02-10", "2019-02-11", "2024-03-20"]))
    # Friday, Sunday, 22 Bahman 1397 (Islamic Revolution Day), 1 Farvardin 1403 (Nowruz)
    assert carried.market_closed(days).tolist() == [True, False, True, True]
    assert carried.market_closed(pd.Series([pd.NaT])).tolist() == [False]


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


def test_tgju_rows_dated_a_day_early_are_moved_to_the_market_day(tmp_path: Path) -> None:
    """Rows of the rial and NIMA files dated before 2025-08-09 name the day before the market
    day (synthetic rows in the real layouts); later rows are dated right."""
    folder = tmp_path / "tgju"
    folder.mkdir()
    header = "Open Price,Low Price,High Price,Close Price,Change Amount,Change Percent,"
    (folder / "Dollar_Rial_Price_Dataset.csv").write_text(
        header + "Gregorian Date,Persian Date\n"
        "9,9,9,9,-,-,2025/08/09,1404/05/18\n"
        "8,8,8,8,-,-,2025/08/06,1404/05/15\n"
    )
    (folder / "Dollar_Toman_Price_Dataset.csv").write_text(
        '"Date","Persian_Date","Open","Low","High","Close"\n'
        '"08/07/2025","1404/05/16","1","1","1","1"\n'  # the rial file's "2025/08/06" row
        '"08/08/2025","1404/05/17","1","1","1","1"\n'
    )
    (folder / "tgju_nima_buy_usd.csv").write_text(
        "Open,Close,High,Low,Price,Change%,Date_Gregorian,Date_Persian\n"
        '"7","7","7","7",-,-,2019/01/03,1397/10/13\n'
    )
    result = tgju.load(tmp_path)
    table = result.table.set_index(["rate_type", "date"])
    assert table.loc[("open_market", pd.Timestamp("2025-08-07")), "irr_per_unit"] == 8
    assert table.loc[("open_market", pd.Timestamp("2025-08-07")), "date_jalali"] == "1404/05/16"
    assert table.loc[("open_market", pd.Timestamp("2025-08-09")), "irr_per_unit"] == 9
    assert table.loc[("nima", pd.Timestamp("2019-01-04")), "irr_per_unit"] == 7  # Fri → Sat
    # the toman file fills Friday 08-08 (no rial row); its 08-07 row is the rial file's day
    toman = result.table[result.table["source_file"].str.contains("Toman")]
    assert toman["date"].tolist() == [pd.Timestamp("2025-08-08")]
    assert result.excluded == {"date_in_preferred_file": 1} and result.balanced()


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
    """On a working day, a quote is carried forward only when the whole record (every currency,
    name, sell and buy) repeats the day before (in any key order); a changed buy or an extra
    currency makes it a new quote day. 2030-01-02 is a Wednesday, 2030-01-04 a Friday."""
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


def _agreement(series: pd.Series, reference: pd.Series) -> tuple[float, float]:
    """(share of ``series``' days within 0.5 % of ``reference`` on the same day, correlation of
    their day-on-day log changes over consecutive calendar days)."""
    both = pd.concat([series.rename("s"), reference.rename("r")], axis=1)
    same_day = both.dropna()
    close = float(((same_day["s"] / same_day["r"] - 1).abs() < 0.005).mean())
    changes = np.log(both.asfreq("D")).diff()
    return close, float(changes["s"].corr(changes["r"]))


@pytest.mark.snapshot
def test_real_tgju_dates_moved_a_day_agree_with_bonbast(real_snapshot: Path) -> None:
    """The rial file's closes, moved one day later, agree with bonbast's open-market US$ far
    better than as written; the NIMA file then has (almost) no Friday quotes."""
    usd = bonbast.load(real_snapshot).table.query("currency == 'USD'")
    reference = usd.set_index("date")["irr_per_unit"]
    rial, _, nima = tgju.FILES

    def series(spec: tgju.TgjuFile) -> pd.Series:
        return tgju.read_file(spec, real_snapshot).table.set_index("date")["irr_per_unit"]

    as_written = replace(rial, dated_a_day_early_before=None)
    close_before, corr_before = _agreement(series(as_written), reference)
    close_after, corr_after = _agreement(series(rial), reference)
    print(
        f"rial vs bonbast: within 0.5% {close_before:.3f} -> {close_after:.3f}; "
        f"daily-change correlation {corr_before:.2f} -> {corr_after:.2f}"
    )
    assert close_before < 0.50 and close_after > 0.58  # measured 0.466 -> 0.610
    assert corr_before < 0.20 and corr_after > 0.50  # measured 0.16 -> 0.55

    def fridays(spec: tgju.TgjuFile) -> int:
        return int((series(spec).index.dayofweek == carried.FRIDAY).sum())

    assert fridays(replace(nima, dated_a_day_early_before=None)) == 261
    assert fridays(nima) <= 15  # measured 13


@pytest.mark.snapshot
def test_real_bonbast_dollar_copied_on_fridays_is_carried_forward(real_snapshot: Path) -> None:
    """2019-2021: the euro moves on Fridays, the dollar is copied from Thursday; every such
    Friday dollar is flagged, and no Friday euro that moved."""
    table = bonbast.load(real_snapshot).table
    table = table[table["date"].dt.year.between(2019, 2021)].set_index(["currency", "date"])
    usd, eur = table.loc["USD"], table.loc["EUR"]
    fridays = usd.index[usd.index.dayofweek == carried.FRIDAY]
    thursday = usd["irr_per_unit"].reindex(fridays - pd.Timedelta(days=1)).to_numpy()
    copied = fridays[usd.loc[fridays, "irr_per_unit"].to_numpy() == thursday]
    assert len(copied) >= 150  # measured 157 of 157 Fridays
    assert usd.loc[copied, "is_carried_forward"].all()
    eur_moved = fridays[
        eur.loc[fridays, "irr_per_unit"].to_numpy()
        != eur["irr_per_unit"].reindex(fridays - pd.Timedelta(days=1)).to_numpy()
    ]
    assert len(eur_moved) > 100 and not eur.loc[eur_moved, "is_carried_forward"].any()


def test_a_bonbast_file_whose_keys_were_renamed_is_quarantined_not_a_crash(tmp_path: Path) -> None:
    """Renamed keys leave a file with no ``name`` at all: its empty name column must still
    stack with the other files' text names (it failed with 'dtype of categories must be the
    same'), and its quotes are quarantined (no ISO currency code) with the file named."""
    raw = tmp_path / "raw"
    for tree, year in (("gregorian", "2016"), ("gregorian", "2018")):
        source = SYNTHETIC_SNAPSHOT / "bonbast" / tree / year / "full.json"
        (raw / "bonbast" / tree / year).mkdir(parents=True)
        (raw / "bonbast" / tree / year / "full.json").write_bytes(source.read_bytes())
    renamed = raw / "bonbast" / "gregorian" / "2018" / "full.json"

    def rekey(value: object) -> object:
        if isinstance(value, dict):
            return {f"{k}_renamed": rekey(v) for k, v in value.items()}
        return value

    renamed.write_text(json.dumps(rekey(json.loads(renamed.read_text()))))
    result = bonbast.load(raw)
    assert result.balanced()
    bad = result.quarantine[result.quarantine["source_file"] == "bonbast/gregorian/2018/full.json"]
    assert not bad.empty and not result.table.empty
