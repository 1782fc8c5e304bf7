"""The ``indicators`` table: every family together, vintage choice, repeats, schema, and the
real snapshot (``ANALYSIS_SNAPSHOT``) with spot checks read by hand from the raw files."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.clean import countries
from analysis.clean.base import TableResult, to_text
from analysis.clean.longform import as_category
from analysis.clean.pipeline import check_balance, resolve_inputs, validate
from analysis.clean.tables import indicators
from analysis.schemas.indicators import (
    COLUMNS,
    KEY,
    OTHER_VINTAGE_COLUMNS,
    SCHEMA,
    SCHEMA_ALL_VINTAGES,
    TEXT,
    TEXT_COLUMNS,
)

SNAPSHOT = Path(__file__).parent / "fixtures" / "snapshot"


@pytest.fixture(scope="module")
def built() -> TableResult:
    return indicators.build(SNAPSHOT)


def value(table: pd.DataFrame, source: str, code: str, country: str, year: int) -> float:
    rows = table[
        (table["source_id"] == source)
        & (table["indicator_code"] == code)
        & (table["country_code"] == country)
        & (table["year"] == year)
    ]
    assert len(rows) == 1, rows
    return float(rows["value"].iloc[0])


def test_inputs_cover_every_family_file() -> None:
    found = {
        p.relative_to(SNAPSHOT).as_posix() for p in resolve_inputs(indicators.INPUTS, SNAPSHOT)
    }
    families = {f.split("/")[0] for f in found}
    assert families == {
        "worldbank",
        "datahub-inflation",
        "datahub-gdp",
        "sipri",
        "imf-weo",
        "energy-institute",
        "owid-oil-production",
        "iran-sci-cpi",
        "signalmap",
        "eia-intl",
    }
    assert "signalmap/iran_cbi_liquidity_levels_solar.json" in found
    assert not any("bonbast" in f or "tgju" in f or "events" in f for f in found)


def test_build_balances_and_passes_the_schema(built: TableResult) -> None:
    assert list(built.table.columns) == COLUMNS + OTHER_VINTAGE_COLUMNS
    assert built.balanced()
    checked = validate(built, SCHEMA, "indicators")
    check_balance("indicators", checked)
    assert checked.rows_kept == built.rows_kept  # the loaders leave nothing for the schema
    assert not built.table.duplicated(KEY).any()


def test_newest_vintage_of_each_series_only(built: TableResult) -> None:
    t = built.table
    # World Bank: the 2018 file of SY.TEST.RATE is left out whole (IRN 2016-17, MEA 2016)
    assert set(t.loc[t["indicator_code"] == "SY.TEST.RATE", "vintage"]) == {"2026-01-15"}
    assert 2016 not in set(t.loc[t["indicator_code"] == "SY.TEST.RATE", "year"])
    assert built.excluded["older_vintage"] == 3
    # the older file's figures that the newer one revised are on the kept rows
    assert t.loc[t["source_id"] == "worldbank", "other_vintage"].isna().all()  # none revised


def test_sipri_one_release_per_country_year(built: TableResult) -> None:
    t = built.table
    sipri = t[t["source_id"] == "sipri"].astype({"vintage": str})
    # every measure of a country-year from one release (before: Iran 2022 current US$ from the
    # 2025 CSV, 9999.9, beside the local-currency figure of the 2024 workbook)
    assert (sipri.groupby(["country_code", "year"])["vintage"].nunique() == 1).all()
    assert value(t, "sipri", "SIPRI.MILEX.USD_CURRENT_M", "IRN", 2022) == 10283.1
    assert value(t, "sipri", "SIPRI.MILEX.LCU_FY", "IRN", 2022) == 3e6
    # the 2025 release fills the country-years the 2024 workbook lacks (TUR 2022: unreadable)
    later = sipri[sipri["vintage"] == "2025"]
    assert sorted(zip(later["country_code"], later["year"], strict=True)) == [
        ("IRN", 2023),
        ("TUR", 2022),
        ("TUR", 2023),
    ]
    assert built.excluded["other_release"] == 4  # IRN 2020, 2022; TUR 2020, 2021
    # the revision is kept: 2025 says 9999.9 for Iran 2022; 9000.5 in 2020 is the same figure
    revised = sipri[sipri["other_vintage"].notna()]
    assert revised[["year", "vintage", "other_vintage", "other_vintage_value"]].values.tolist() == [
        [2022, "2024", "2025", 9999.9]
    ]
    assert any(n.startswith("sipri: one release per country-year") for n in built.notes)


def test_one_release_prefers_the_fuller_release_then_the_newer() -> None:
    rows = [
        # release 2024 has two measures, 2025 one: Iran 2023 from 2024, Iran 2024 from 2025
        ("sipri", "USD", "2024", "IRN", 2023),
        ("sipri", "SHARE", "2024", "IRN", 2023),
        ("sipri", "USD", "2025", "IRN", 2023),
        ("sipri", "USD", "2025", "IRN", 2024),
        # another publisher is left to newest_vintage
        ("worldbank", "X", "2018-02-22", "IRN", 2023),
        ("worldbank", "X", "2026-02-24", "IRN", 2023),
    ]
    table = pd.DataFrame(rows, columns=["source_id", "indicator_code", "vintage", *KEY[2:]])
    keep, notes = indicators.one_release_per_year(table)
    assert keep.tolist() == [True, True, False, True, True, True]
    assert notes == [
        "sipri: one release per country-year, in the order 2024 (2 measures), 2025 (1 measure); "
        "left out 1 rows of a country-year an earlier release in that order covers; 1 rows "
        "taken from a later one (years 2024)"
    ]
    # equally full releases: the newer wins
    even = table.iloc[[0, 2]]
    assert indicators.one_release_per_year(even)[0].tolist() == [False, True]


def test_other_vintages_record_revisions_not_roundings() -> None:
    base = {"source_id": "worldbank", "indicator_code": "X", "country_code": "IRN"}
    table = pd.DataFrame(
        [
            base | {"year": 2020, "vintage": "2026", "value": 10588.7715},
            base | {"year": 2020, "vintage": "2025", "value": 10588.8},  # same, fewer decimals
            base | {"year": 2021, "vintage": "2026", "value": 7390.9},
            base | {"year": 2021, "vintage": "2018", "value": 10283.0844},
            base | {"year": 2021, "vintage": "2025", "value": 10283.1},  # newest left out wins
            base | {"year": 2022, "vintage": "2026", "value": 0.0235},
        ]
    )
    keep = (table["vintage"] == "2026").to_numpy()
    got = indicators.other_vintages(table, keep)
    assert got["year"].tolist() == [2020, 2021, 2022]
    assert got["other_vintage"].isna().tolist() == [True, False, True]
    assert got["other_vintage"].iloc[1] == "2025" and got["other_vintage_value"].iloc[1] == 10283.1
    same = indicators.same_figure(np.array([0.0206, 0.0235]), np.array([0.02061404, 0.0206]))
    assert same.tolist() == [True, False]


def test_all_vintages_on_request() -> None:
    result = indicators.build(SNAPSHOT, vintages="all")
    assert "older_vintage" not in result.excluded and "other_release" not in result.excluded
    assert result.table["other_vintage"].isna().all()
    assert result.balanced()
    both = result.table[
        (result.table["indicator_code"] == "SIPRI.MILEX.USD_CURRENT_M")
        & (result.table["country_code"] == "IRN")
        & (result.table["year"] == 2022)
    ]
    assert dict(zip(both["vintage"], both["value"], strict=True)) == {
        "2024": 10283.1,
        "2025": 9999.9,
    }
    SCHEMA_ALL_VINTAGES.validate(result.table)


def test_aggregates_flagged_only_where_kept(built: TableResult) -> None:
    t = built.table
    flagged = t[t["is_aggregate"]]
    assert set(flagged["source_id"]) <= {"worldbank", "datahub-inflation", "datahub-gdp"}
    assert {"MEA", "ARB", "WLD"} <= set(flagged["country_code"])
    for source in ("sipri", "energy-institute", "owid-oil-production"):
        assert not t.loc[t["source_id"] == source, "is_aggregate"].any()
    assert built.excluded["aggregate"] == 7 + 3  # SIPRI European Union, OWID regions
    assert built.excluded["region_total"] > 0 and built.excluded["residual_group"] > 0


def test_loaders_hold_text_as_categories_and_build_as_arrow_strings(built: TableResult) -> None:
    for load in indicators.LOADERS:
        table = load(SNAPSHOT).table
        categorical = [c for c in TEXT_COLUMNS if isinstance(table[c].dtype, pd.CategoricalDtype)]
        assert table.empty or categorical == TEXT_COLUMNS, load.__module__
    assert [str(built.table[c].dtype) for c in TEXT_COLUMNS] == [str(TEXT)] * len(TEXT_COLUMNS)


def test_newest_vintage_notes_in_text_order_whatever_the_categories() -> None:
    rows = [("b", "Y", "2020"), ("b", "Y", "2021"), ("a", "Z", "~2019"), ("a", "Z", "2020")]
    table = pd.DataFrame(rows, columns=["source_id", "indicator_code", "vintage"])
    table = table.assign(**{c: as_category(table[c]) for c in table.columns})  # "b" first
    kept, older, notes = indicators.newest_vintage(table)
    assert older == 2 and kept["vintage"].tolist() == ["2021", "2020"]
    assert notes == [
        "a Z: kept vintage 2020; left out 1 rows of vintage(s) ~2019",
        "b Y: kept vintage 2021; left out 1 rows of vintage(s) 2020",
    ]


def test_to_text_keeps_values_and_missing_values() -> None:
    plain = pd.Series(["b", None, "a", "b"], index=[3, 5, 7, 9])
    for values in (plain, as_category(plain), plain.astype("category")):
        text = to_text(values)
        assert str(text.dtype) == str(TEXT) and list(text.index) == [3, 5, 7, 9]
        assert text.isna().tolist() == [False, True, False, False]  # not another row's text
        assert text.dropna().tolist() == ["b", "a", "b"]


def test_vintage_rank_orders_approximate_before_dated() -> None:
    ranks = indicators.vintage_rank(pd.Series(["2025-07-01", "~2025", "2018-02-22", "~2025"]))
    assert ranks[2] < ranks[1] == ranks[3] < ranks[0]


def test_repeats_identical_dropped_conflicting_quarantined() -> None:
    base = {
        "source_id": "worldbank",
        "indicator_code": "X",
        "country_code": "IRN",
        "vintage": "2020",
        "source_file": "worldbank/a.csv",
    }
    table = pd.DataFrame(
        [
            base | {"year": 2020, "value": 1.0, "source_row": 5},
            base | {"year": 2020, "value": 1.0, "source_row": 9},  # identical: duplicate
            base | {"year": 2021, "value": 1.0, "source_row": 5},
            base | {"year": 2021, "value": 2.0, "source_row": 9},  # conflict: both out
        ]
    )
    kept, duplicates, quarantine, cells = indicators.resolve_repeats(table, KEY)
    assert kept[["year", "source_row"]].values.tolist() == [[2020, 5]]
    assert duplicates == 1 and cells == 2
    assert sorted(quarantine["source_row"]) == [5, 9]
    assert set(quarantine["check"]) == {"unique_key"}


def test_country_names_harmonised() -> None:
    codes = countries.iso3_from_names(
        pd.Series(["Iran", "Islamic Republic of Iran", "West Bank and Gaza", "USSR", "Narnia"])
    )
    assert codes.tolist() == ["IRN", "IRN", "PSE", "SUN", None]
    names = countries.short_names(pd.Series(["IRN", "PSE", "MEA"]), pd.Series(["a", "b", "MENA "]))
    assert names.tolist() == ["Iran", "Palestine", "MENA"]
    assert countries.fix_codes(pd.Series(["WBG", "UVK", "IRN"])).tolist() == ["PSE", "XKX", "IRN"]


# --- the real snapshot --------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> tuple[TableResult, float]:
    """The table built once from ``$ANALYSIS_SNAPSHOT`` (skips when it is not set)."""
    value = os.environ.get("ANALYSIS_SNAPSHOT")
    if not value or not Path(value, "MANIFEST.csv").exists():
        pytest.skip("ANALYSIS_SNAPSHOT is not set to a snapshot folder")
    snapshot = Path(value)
    started = time.perf_counter()
    result = indicators.build(snapshot)
    return result, time.perf_counter() - started


@pytest.mark.snapshot
def test_real_snapshot_balances_and_validates(real: tuple[TableResult, float]) -> None:
    result, seconds = real
    checked = validate(result, SCHEMA, "indicators")
    check_balance("indicators", checked)
    assert checked.rows_kept == result.rows_kept
    print(f"indicators: {result.rows_kept:,} rows in {seconds:.1f} s; excluded {result.excluded}")
    # the only quarantined cells: cpi.csv index levels rounded to 0.0
    assert set(result.quarantine["check"]) == {"positive_index"}
    assert set(result.quarantine["source_file"]) == {"iran-sci-cpi/cpi.csv"}


@pytest.mark.snapshot
def test_real_snapshot_spot_checks(real: tuple[TableResult, float]) -> None:
    t = real[0].table
    # worldbank/API_PA.NUS.FCRF_..._22859.csv line 118: Iran 2022 = 42000 (official rate)
    assert value(t, "worldbank", "PA.NUS.FCRF", "IRN", 2022) == pytest.approx(42000)
    # datahub-inflation/FP.CPI.TOTL.ZG.csv line 114: Iran 2018 = 18.0141...; the deflator
    # (31.64...) is what the mislabelled "consumer" long file holds
    assert value(t, "datahub-inflation", "FP.CPI.TOTL.ZG", "IRN", 2018) == pytest.approx(
        18.014, 1e-3
    )
    assert value(t, "datahub-inflation", "NY.GDP.DEFL.KD.ZG", "IRN", 2018) == pytest.approx(
        31.641, 1e-3
    )
    # SIPRI xlsx 'Current US$' (2024 release): Iran 2023 = 10283.08...; the 2025 CSV's line 181
    # revised it to 7390.9, kept beside it (one release per country-year)
    iran = t[
        (t["indicator_code"] == "SIPRI.MILEX.USD_CURRENT_M")
        & (t["country_code"] == "IRN")
        & (t["year"] == 2023)
    ]
    assert iran["value"].item() == pytest.approx(10283.08, abs=0.01)
    assert (iran["vintage"].item(), iran["other_vintage"].item()) == ("2024", "2025")
    assert iran["other_vintage_value"].item() == 7390.9
    # the 2025 CSV line 181: Iran 2024 = 7891.9, a year the 2024 release does not have
    assert value(t, "sipri", "SIPRI.MILEX.USD_CURRENT_M", "IRN", 2024) == 7891.9
    # SIPRI xlsx 'Share of GDP' row 186: Iran 2023 = 0.0206...
    assert value(t, "sipri", "SIPRI.MILEX.GDP_SHARE", "IRN", 2023) == pytest.approx(0.02061, 1e-3)
    # WEO row 3495: Iran PCPIPCH 2018 number cell 26916 → 26.916 (Iranian year 1397)
    assert value(t, "imf-weo", "WEO.PCPIPCH", "IRN", 2018) == pytest.approx(26.916)
    assert value(t, "imf-weo", "WEO.GGXCNL", "IRN", 2018) == pytest.approx(-354618.2)
    # EI 'Oil Production - barrels' row 38: Iran 2023 = 4662 kb/d; tonnes sheet 214.3 Mt
    assert value(t, "energy-institute", "EI.OIL_PROD.KBD", "IRN", 2023) == 4662
    assert value(t, "energy-institute", "EI.OIL_PROD.MT", "IRN", 2023) == pytest.approx(214.298)
    # OWID: Iran 2021 = 1949.8636 TWh
    assert value(t, "owid-oil-production", "OWID.OIL_PROD.TWH", "IRN", 2021) == 1949.8636
    # SCI cpi.csv: urban 1397 = 39.1 (1400 = 100); CBI liquidity 1387 = 1,901,366 bn rial
    assert value(t, "iran-sci-cpi", "SCI.CPI.URBAN", "IRN", 2018) == 39.1
    assert value(t, "signalmap", "CBI.M2.LEVEL", "IRN", 2008) == 1901366
    # Palestine under its ISO code in every source that has it
    assert "WBG" not in set(t["country_code"])
    assert value(t, "imf-weo", "WEO.NGDPD", "PSE", 2020) > 0


@pytest.mark.snapshot
def test_real_snapshot_new_series_and_year_bases(real: tuple[TableResult, float]) -> None:
    t = real[0].table
    # eia-intl/eia_intl_57_4_irn_tbpd_a.json: Iran's crude exports, 1980-2018, kb/d
    eia = t[t["source_id"] == "eia-intl"]
    assert len(eia) == 39 and set(eia["vintage"]) == {"2021-07-09"}
    assert value(t, "eia-intl", "EIA.INTL.57_4_TBPD.A", "IRN", 2013) == 1086.4
    # World Bank unemployment keeps West Bank and Gaza under PSE (line 202: 2022 = 24.42)
    assert value(t, "worldbank", "SL.UEM.TOTL.ZS", "PSE", 2022) == 24.42
    # Iran's national accounts, BoP, trade volumes and population on the Iranian year
    iran = t[t["country_code"] == "IRN"].set_index(["source_id", "indicator_code"]).sort_index()
    for source, code in [
        ("worldbank", "NY.GDP.MKTP.CD"),
        ("datahub-gdp", "NY.GDP.MKTP.CD"),
        ("imf-weo", "WEO.BCA"),
        ("imf-weo", "WEO.LP"),
        ("imf-weo", "WEO.TX_RPCH"),
    ]:
        assert set(iran.loc[(source, code), "year_basis"]) == {"iranian_year"}, code
    assert set(iran.loc[("worldbank", "PA.NUS.FCRF"), "year_basis"]) == {"calendar"}


@pytest.mark.snapshot
def test_real_snapshot_vintages_and_swaps(real: tuple[TableResult, float]) -> None:
    result = real[0]
    t = result.table
    mil = t[(t["source_id"] == "worldbank") & (t["indicator_code"] == "MS.MIL.XPND.GD.ZS")]
    assert set(mil["vintage"]) == {"2026-02-24"}
    assert result.excluded["older_vintage"] == 8652  # the WB 2018 file
    # SIPRI: the 2025 CSV's rows of country-years the 2024 workbook has
    assert result.excluded["other_release"] == 8689
    sipri = t[t["source_id"] == "sipri"].astype({"vintage": str})
    assert (sipri.groupby(["country_code", "year"])["vintage"].nunique() == 1).all()
    assert set(sipri.loc[sipri["vintage"] == "2025", "year"]) == {2022, 2023, 2024}
    swaps = [n for n in result.notes if "SWAPPED" in n]
    assert len(swaps) == 2
    assert t.loc[
        (t["country_code"] == "MEA") & (t["source_id"] == "worldbank"), "is_aggregate"
    ].all()


@pytest.mark.snapshot
def test_real_snapshot_sipri_measures_of_a_year_agree(real: tuple[TableResult, float]) -> None:
    """Iran 2018-2023: SIPRI's current US$ is per capita × population (IMF WEO LP) to within
    SIPRI's own population figures (UN, about 4 % above the IMF's each year). Mixing releases
    broke it: the 2025 release's 2023 dollars (7,390.9) are 0.75 of what the 2024 release's per
    capita figure implies."""
    t = real[0].table
    years = range(2018, 2024)
    usd = [value(t, "sipri", "SIPRI.MILEX.USD_CURRENT_M", "IRN", y) for y in years]
    per_person = [value(t, "sipri", "SIPRI.MILEX.USD_PER_CAPITA", "IRN", y) for y in years]
    people = [value(t, "imf-weo", "WEO.LP", "IRN", y) for y in years]  # millions
    ratios = np.array(usd) / (np.array(per_person) * np.array(people))
    assert ratios == pytest.approx(np.full(len(ratios), 1.04), abs=0.02)
