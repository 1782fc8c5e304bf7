"""View helpers behind the report notebooks, on small SYNTHETIC frames (invented values)."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
import synthetic_processed as syn

from analysis.finance import annual_rates
from analysis.report import claims as cv
from analysis.report import finances, periods
from analysis.report import rapprochement as rp


@pytest.fixture(scope="module")
def ind() -> pd.DataFrame:
    return syn.indicators()


@pytest.fixture(scope="module")
def fx() -> pd.DataFrame:
    return syn.fx_rates()


@pytest.fixture(scope="module")
def annual(fx: pd.DataFrame, ind: pd.DataFrame) -> pd.DataFrame:
    return annual_rates(fx, ind)


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return syn.claims()


# --- periods ------------------------------------------------------------------------------


def test_the_return_year_opens_the_last_period() -> None:
    years = pd.Series([2011, 2012, 2016, 2017, 2018, None])
    got = periods.period_of(years, (2012, 2017))
    assert got.iloc[:5].astype(str).tolist() == [
        "before 2012",
        "2012–2016",
        "2012–2016",
        "2017 onwards",  # money for the year of the return is not rift money
        "2017 onwards",
    ]
    assert pd.isna(got.iloc[5])
    assert list(got.cat.categories) == periods.labels((2012, 2017))
    assert periods.period_of(pd.Series([2013]), (2014, 2020)).astype(str).tolist() == [
        "before 2014"
    ]
    with pytest.raises(ValueError, match="must be before"):
        periods.labels((2017, 2017))


def test_periods_are_dated_by_the_break_and_return_events() -> None:
    events = syn.events()
    assert periods.breaks_from_events(events) == (2012, 2017)
    start, end = periods.event_dates(events)
    assert (start, end) == (pd.Timestamp("2012-02-24"), pd.Timestamp("2017-08-28"))
    assert periods.breaks_from_events(events, "SYN1", "E023") == (2008, 2018)
    with pytest.raises(KeyError, match="E999"):
        periods.breaks_from_events(events, "E999")
    with pytest.raises(ValueError, match="not after"):
        periods.breaks_from_events(events, "E021", "E009")


# --- finances -----------------------------------------------------------------------------


def test_series_picks_one_source_and_one_country(ind: pd.DataFrame) -> None:
    got = finances.series(ind, finances.INFLATION, start_year=2000)
    assert set(got["source_id"]) == {"worldbank"}  # more years than the other source
    assert got["year"].min() == 2000 and got["year"].is_monotonic_increasing
    assert (got["value"] != 2.0).all()  # the USA rows are not mixed in
    preferred = finances.series(ind, finances.INFLATION, prefer=["datahub-inflation"])
    assert set(preferred["source_id"]) == {"datahub-inflation"}
    assert finances.series(ind, "NO.SUCH.CODE").empty
    assert finances.has_indicator(ind, finances.INFLATION)
    assert not finances.has_indicator(ind, finances.OIL_RENTS)


def test_monthly_rates_skip_carried_forward_days_and_prefer_bonbast(fx: pd.DataFrame) -> None:
    got = finances.monthly_rates(fx)
    jan_2013 = got[(got["rate_type"] == "open_market") & (got["month"] == "2013-01-01")].iloc[0]
    rows = fx[
        (fx["source_id"] == "bonbast")
        & (fx["rate_type"] == "open_market")
        & (fx["date"].dt.to_period("M") == "2013-01")
        & ~fx["is_carried_forward"]
    ]
    assert jan_2013["source_id"] == "bonbast"
    assert jan_2013["irr_per_usd"] == pytest.approx(rows["irr_per_unit"].mean())
    assert jan_2013["n_days"] == len(rows)
    # 2011 has only tgju quotes: that source fills the gap
    assert set(got[got["month"].dt.year == 2011]["source_id"]) == {"tgju"}


def test_rate_lines_put_the_official_rate_on_1_january(fx: pd.DataFrame, ind: pd.DataFrame) -> None:
    got = finances.rate_lines(fx, ind, start_year=2015, end_year=2016)
    official = got[got["rate_type"] == "official"]
    assert official["date"].dt.strftime("%m-%d").eq("01-01").all()
    assert official["frequency"].eq("year").all()
    assert set(got["rate_type"]) == {"official", "open_market"}  # no NIMA before 2018
    assert got["date"].dt.year.between(2015, 2016).all()


def test_annual_rate_table_ratio(annual: pd.DataFrame) -> None:
    table = finances.annual_rate_table(annual).set_index("year")
    # 2011 (two months of tgju) and NIMA's 2018 (six weeks) are too short to stand for the year
    assert pd.isna(table.loc[2011, "open_market"]) and pd.isna(table.loc[2018, "nima"])
    # 2012: bonbast has only its last quarter, so the full tgju year is used
    tgju_2012 = annual.query("year == 2012 and source_id == 'tgju' and rate_type == 'open_market'")
    assert table.loc[2012, "open_market"] == pytest.approx(tgju_2012["irr_per_usd"].item())
    row = table.loc[2020]
    assert row["open_market_to_official"] == pytest.approx(row["open_market"] / row["official"])
    assert row["open_market"] == pytest.approx(finances.rate_for(annual, "open_market")[2020])
    with pytest.raises(ValueError, match="unknown rate type"):
        finances.rate_for(annual, "black_market")


def test_annual_brent_uses_annual_rows_then_full_years_of_months() -> None:
    prices = pd.DataFrame(
        {
            "date": pd.to_datetime(
                ["2020-06-30"] + [f"2021-{m:02d}-15" for m in range(1, 13)] + ["2022-01-15"]
            ),
            "frequency": ["year"] + ["month"] * 13,
            "benchmark": "brent",
            "usd_per_barrel": [40.0] + [float(m) for m in range(1, 13)] + [99.0],
        }
    )
    got = finances.annual_brent(prices).set_index("year")
    assert got.loc[2020, "usd_per_barrel"] == 40.0
    assert got.loc[2021, "usd_per_barrel"] == pytest.approx(6.5)
    assert 2022 not in got.index  # one month is not a year


def test_oil_output_value(ind: pd.DataFrame) -> None:
    oil = finances.oil(syn.oil_prices(), ind, start_year=2010, end_year=2024).set_index("year")
    row = oil.loc[2015]
    assert row["output_value_usd_bn"] == pytest.approx(
        row["production"] * 1000 * 365.25 * row["brent_usd_per_barrel"] / 1e9
    )
    assert math.isnan(oil.loc[2024, "output_value_usd_bn"])  # no production that year
    assert oil.loc[2015, "production_unit"] == "thousand barrels a day"
    # production only in TWh: no barrels, no value
    twh = ind[ind["indicator_code"] != "EI.OIL_PROD.KBD"].copy()
    extra = ind[ind["indicator_code"] == "EI.OIL_PROD.KBD"].assign(
        indicator_code="OWID.OIL_PROD.TWH", unit="TWh"
    )
    oil_twh = finances.oil(syn.oil_prices(), pd.concat([twh, extra]), start_year=2010)
    assert oil_twh["output_value_usd_bn"].isna().all()
    assert set(oil_twh["production_unit"].dropna()) == {"TWh"}


def test_crude_exports_put_eia_beside_eu_imports(ind: pd.DataFrame) -> None:
    frame = finances.crude_exports(ind, syn.oil_trade(), start_year=2010, end_year=2024)
    assert frame["year"].tolist() == list(range(2010, 2020))  # EIA to 2018, the EU register to 2019
    by_year = frame.set_index("year")
    assert by_year.loc[2018, "exports_kbd"] == 2230.0 and pd.isna(by_year.loc[2019, "exports_kbd"])
    assert pd.isna(by_year.loc[2012, "eu_imports_kbd"])  # no register month before 2013
    assert by_year.loc[2015, "eu_imports_kbd"] == 0.0  # register months with no Iranian row
    assert by_year.loc[2017, "eu_imports_kbd"] == pytest.approx(9300.0 * 12 / 365)
    assert by_year.loc[2017, "eu_months"] == 12
    text = finances.crude_exports_summary(frame)
    assert "ends in 2018, at 2,230 thousand barrels a day" in text
    assert "most from Iran in 2017" in text and "none in 2013, 2014, 2015, 2019" in text
    assert (
        finances.crude_exports_summary(frame.iloc[0:0]) == "Neither series has data in this span."
    )


def test_draw_crude_exports_draws_both_series(ind: pd.DataFrame) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.report.oil_trade import draw_crude_exports

    frame = finances.crude_exports(ind, syn.oil_trade(), start_year=2010)
    fig, ax = plt.subplots()
    draw_crude_exports(ax, frame, colors=("#000000", "#ff0000"))
    assert len(ax.patches) == frame["eu_imports_kbd"].notna().sum()  # one bar per register year
    assert ax.lines[0].get_xdata().tolist() == list(range(2010, 2019))
    assert ax.get_ylim()[0] == 0
    plt.close(fig)


def test_military_converts_rial_at_the_chosen_rate(ind: pd.DataFrame, annual: pd.DataFrame) -> None:
    got = finances.military(ind, annual, rate_type="official").set_index("year")
    rial = ind.query("indicator_code == 'SIPRI.MILEX.LCU_CY' and year == 2019")["value"].item()
    official = ind.query("indicator_code == 'PA.NUS.FCRF' and year == 2019")["value"].item()
    assert got.loc[2019, "usd_m_at_rate"] == pytest.approx(rial / official / 1e6)
    assert got.loc[2019, "rial_bn"] == pytest.approx(rial / 1e9)
    nima = finances.military(ind, annual, rate_type="nima").set_index("year")
    assert math.isnan(nima.loc[2010, "usd_m_at_rate"])  # no NIMA rate before 2018
    # the World Bank's copy of SIPRI's latest release reaches as far as SIPRI's own share table
    # (2019 here): it gives every year, one release, never spliced with SIPRI's older table
    share = pd.DataFrame(
        {
            **{c: ind.iloc[0][c] for c in ind.columns},
            "indicator_code": "SIPRI.MILEX.GDP_SHARE",
            "year": [2019],
            "value": [0.025],
            "source_id": "sipri",
        }
    )
    both = finances.military(pd.concat([ind, share]), annual, rate_type="official")
    world_bank = ind.query("indicator_code == @finances.MILEX_PCT_GDP").set_index("year")["value"]
    assert both.set_index("year").loc[2019, "pct_gdp"] == pytest.approx(world_bank.loc[2019])
    assert both.set_index("year").loc[2019, "pct_gdp"] != pytest.approx(2.5)
    assert both.set_index("year").loc[2020, "pct_gdp"] == world_bank.loc[2020]
    assert both["year"].is_unique


def test_release_revisions_old_and_new_whichever_is_kept() -> None:
    base = {"indicator_code": "C", "country_code": "IRN", "other_vintage": "2025"}
    table = pd.DataFrame(
        [
            # SIPRI keeps the older release (2024): the later one revised 2023 down
            base | {"source_id": "sipri", "year": 2023, "value": 10283.1, "vintage": "2024"},
            base
            | {"source_id": "sipri", "year": 2022, "value": 7334.0, "vintage": "2024"}
            | {"other_vintage": None},
            # a kept newer vintage: the older figure is the old one
            base
            | {"source_id": "worldbank", "year": 2010, "value": 2.79, "vintage": "2026-02-24"}
            | {"other_vintage": "2018-02-22"},
        ]
    ).assign(other_vintage_value=[7390.9, None, 2.76])
    got = finances.release_revisions(table, "C")
    assert got.values.tolist() == [
        [2023, "sipri", "2024", 10283.1, "2025", 7390.9],
        [2010, "worldbank", "2018-02-22", 2.76, "2026-02-24", 2.79],
    ]
    assert finances.release_revisions(table, "C", source_id="sipri")["year"].tolist() == [2023]
    assert finances.release_revisions(table, "C", country="PSE").empty
    no_columns = table.drop(columns=["other_vintage", "other_vintage_value"])
    assert list(finances.release_revisions(no_columns, "C").columns) == finances.REVISION_COLUMNS


def test_military_bases_cover_every_rate_and_sipri(ind: pd.DataFrame, annual: pd.DataFrame) -> None:
    bases = finances.military_bases(ind, annual)
    assert set(bases[bases["year"] == 2020]["basis"]) == {
        "open_market",
        "official",
        "nima",
        finances.SIPRI_BASIS,
    }
    assert set(bases[bases["year"] == 2005]["basis"]) == {"official", finances.SIPRI_BASIS}


def test_fdi_in_billions(ind: pd.DataFrame) -> None:
    got = finances.fdi(ind).set_index("year")
    assert got.loc[2000, "usd_bn"] == pytest.approx(
        ind.query("indicator_code == 'BX.KLT.DINV.CD.WD' and year == 2000")["value"].item() / 1e9
    )
    assert math.isnan(got.loc[2024, "usd_bn"]) and not math.isnan(got.loc[2024, "pct_gdp"])


def test_to_constant_leaves_uncovered_years_empty() -> None:
    cpi = syn.us_cpi()
    got = finances.to_constant(
        pd.Series([100.0, 100.0, np.nan, 100.0]), pd.Series([2000, 2024, 2010, 1800]), 2024, cpi
    )
    ratio = cpi.set_index("year")["cpi_u_annual_average"]
    assert got.iloc[0] == pytest.approx(100 * ratio[2024] / ratio[2000])
    assert got.iloc[1] == pytest.approx(100.0)
    assert got.iloc[2:].isna().all()


# --- claims -------------------------------------------------------------------------------


def test_reference_year_prefers_the_period_then_the_claim_date() -> None:
    frame = pd.DataFrame(
        {
            "period_start": [1993, None, None, None],
            "claim_date": ["2009-01-10", "2006-02", "", None],
            "source_date": ["", "", "2019-08-09", None],
        }
    )
    assert cv.reference_year(frame).tolist() == [1993, 2006, 2019, pd.NA]


def test_an_undated_claim_is_not_placed_at_its_claim_date() -> None:
    # SYNTHETIC: a 2022 claim about earlier years the source does not name (dated_by undated)
    frame = pd.DataFrame(
        {
            "period_start": [None, None],
            "value_year": [None, 2022],
            "claim_date": ["2022", "2022"],
            "source_date": [None, None],
            "dated_by": ["undated", "claim_date"],
        }
    )
    assert cv.reference_year(frame).tolist() == [pd.NA, 2022]


def test_select_filters(claims: pd.DataFrame) -> None:
    everything = cv.select(claims, recipient_scope="including_aggregates")
    assert len(everything) == len(claims)
    hamas = cv.select(claims, recipient_scope="hamas_only")
    assert not hamas["is_aggregate"].any()
    # S004, S010: other recipients; S009, S011: Iran with other donors
    assert set(claims["claim_id"]) - set(hamas["claim_id"]) == {"S004", "S009", "S010", "S011"}
    only_hamas_claimants = cv.select(claims, claimant_types=["hamas"])
    assert set(only_hamas_claimants["claimant_type"]) == {"hamas"}
    no_vague = cv.select(claims, include_vague=False, recipient_scope="including_aggregates")
    assert "S001" not in set(no_vague["claim_id"])
    recent = cv.select(
        claims, start_year=2016, end_year=2019, recipient_scope="including_aggregates"
    )
    assert recent["reference_year"].between(2016, 2019).all()
    with pytest.raises(ValueError, match="unknown claimant types"):
        cv.select(claims, claimant_types=["israeli_govt"])
    with pytest.raises(ValueError, match="recipient_scope"):
        cv.select(claims, recipient_scope="everyone")


def test_ranges_keep_open_ends_and_convert_to_constant_dollars(claims: pd.DataFrame) -> None:
    selected = cv.select(claims, recipient_scope="including_aggregates")
    cpi = syn.us_cpi()
    got = cv.ranges(selected, us_cpi=cpi, base_year=2024).set_index("claim_id")
    assert got.loc["S004", "high_open"] and not got.loc["S004", "low_open"]  # upwards of
    assert got.loc["S005", "low_open"] and not got.loc["S005", "high_open"]  # as much as
    factor = cpi.set_index("year")["cpi_u_annual_average"]
    assert got.loc["S002", "low"] == pytest.approx(2.5e7 * factor[2024] / factor[2009])
    assert got.loc["S003", "nominal_low"] == pytest.approx(2.76e8)  # a month × 12, from the table
    assert str(got.loc["C057", "period"]) == "2017 onwards"
    assert "S008" not in got.index  # 1993: before the synthetic CPI, no constant dollars
    nominal = cv.ranges(selected).set_index("claim_id")
    assert nominal.loc["S008", "span_end"] == 2006
    assert not {"S006", "S007", "S009", "S010", "S011"} & set(nominal.index)


def test_not_annual_says_why(claims: pd.DataFrame) -> None:
    selected = cv.select(claims, recipient_scope="including_aggregates")
    got = cv.not_annual(selected).set_index("claim_id")["category"].to_dict()
    assert got == {
        "S006": "amount not per year",
        "S007": "no amount stated",
        "S009": "share only, no amount",
        "S010": "could not be parsed",
        "S011": "Iran with other donors, not Iran's figure",  # an amount, but several donors'
        "S012": "no amount stated",
        "S013": "no amount stated",
        "C059": "no amount stated",
    }


def test_spread_by_period_lists_every_period() -> None:
    ranges = pd.DataFrame(
        {
            "claim_id": ["a", "b", "c"],
            "period": periods.period_of(pd.Series([2005, 2008, 2019])),
            "low": [10.0, 100.0, np.nan],
            "high": [20.0, 300.0, 50.0],
        }
    )
    got = cv.spread_by_period(ranges).set_index("period")
    assert got.loc["before 2012", "claims"] == 2
    assert got.loc["before 2012", "spread"] == pytest.approx(300 / 10)
    assert got.loc["before 2012", "median_mid"] == pytest.approx((15 + 200) / 2)
    assert got.loc["2012–2016", "claims"] == 0 and math.isnan(got.loc["2012–2016", "lowest"])
    assert got.loc["2017 onwards", "lowest"] == 50.0  # an "up to" claim counts by its one bound


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [
        (1e8, 1e8, "$100m"),
        (2.5e7, 5e7, "$25m–$50m"),
        (3e7, None, "≥ $30m"),
        (None, 1.2e8, "≤ $120m"),
        (1.5e9, 2e9, "$1.50bn–$2.00bn"),
        (30000.0, 30000.0, "$30,000"),
        (None, None, ""),
    ],
)
def test_range_text(low: float | None, high: float | None, text: str) -> None:
    assert cv.range_text(low, high) == text


def test_claims_table_escapes_quotes_and_links_only_http(claims: pd.DataFrame) -> None:
    selected = cv.select(claims, recipient_scope="including_aggregates")
    selected.loc[1, "source_url"] = "javascript:alert(1)"
    out = cv.claims_table(selected)
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "javascript:" not in out.split("Synthetic Gazette &lt;1&gt;")[0][-200:]
    assert 'href="javascript' not in out
    assert out.count('rel="noopener noreferrer"') == len(selected) - 1


def test_claims_table_names_the_kind_of_claimant_in_reader_words(claims: pd.DataFrame) -> None:
    out = cv.claims_table(cv.select(claims, recipient_scope="including_aggregates"))
    kinds = re.findall(r"<br>\(([^)<]*)\)<br>grade:", out)
    assert "Israeli government" in kinds and not any("_" in k for k in kinds)
    proper = re.compile(r"\b(iran|us|israeli|palestinian|hamas|authority)\b")  # lower case
    assert not [k for k in kinds if proper.search(k)]


def test_needs_review_lists_unparsed_first(claims: pd.DataFrame) -> None:
    assert cv.needs_review(claims)["claim_id"].tolist() == ["S010", "S009"]
    out = cv.review_table(claims)
    assert "no rule reads this wording (synthetic)" in out


# --- rapprochement ------------------------------------------------------------------------


def test_founding_claim_against_liebermans_january_figure(claims: pd.DataFrame) -> None:
    check = rp.founding_claim_check(claims)
    assert check["total_usd"] == pytest.approx(2.6e8)
    assert (check["article_share_low"], check["article_share_high"]) == (0.5, 1.0)
    assert check["lieberman_usd"] == pytest.approx(1e8)
    assert check["lieberman_share"] == pytest.approx(1e8 / 2.6e8)
    with pytest.raises(KeyError, match="C999"):
        rp.founding_claim_check(claims, founding_id="C999")


def test_share_of_military_divides_by_same_year_spending(
    claims: pd.DataFrame, ind: pd.DataFrame, annual: pd.DataFrame
) -> None:
    ranges = cv.ranges(cv.select(claims, recipient_scope="hamas_only"))
    bases = finances.military_bases(ind, annual)
    shares = rp.share_of_military(ranges, bases)
    row = shares.query("claim_id == 'C054' and basis == 'official'").iloc[0]
    milex = bases.query("year == 2017 and basis == 'official'")["milex_usd_m"].item()
    assert row["share_low"] == pytest.approx(1e8 / (milex * 1e6))
    open_top = shares.query("claim_id == 'S005'")
    assert open_top["share_low"].isna().all() and open_top["share_high"].notna().all()
    summary = rp.share_summary(shares)
    assert list(summary.columns) == ["period", "basis", "claims", "median_share", "max_share"]
    assert (summary["max_share"] >= summary["median_share"]).all()


def test_capacity_by_period(ind: pd.DataFrame, annual: pd.DataFrame) -> None:
    oil = finances.oil(syn.oil_prices(), ind)
    yearly = rp.yearly_capacity(ind, oil, annual, rate_type="official", start_year=2000)
    got = rp.capacity_by_period(yearly).set_index("period")
    before = yearly[yearly["year"] < 2012]
    assert got.loc["before 2012", "inflation"] == pytest.approx(before["inflation"].mean())
    assert got.loc["before 2012", "years"] == "2000–2011"
    assert list(got.index) == periods.labels()


# --- plots (smoke: draws without error, log axis covers the arrows) --------------------------


def test_draw_ranges_covers_open_ends(claims: pd.DataFrame) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.report import plots

    ranges = cv.ranges(cv.select(claims, recipient_scope="including_aggregates"))
    fig, ax = plt.subplots()
    plots.draw_ranges(ax, ranges)
    low, high = ax.get_ylim()
    assert ax.get_yscale() == "log"
    assert low < 1.2e8 / plots.OPEN_END_FACTOR and high > 3.6e8 * plots.OPEN_END_FACTOR
    fig2, ax2 = plt.subplots()
    plots.draw_ranges(ax2, ranges.iloc[0:0])
    assert ax2.texts and ax2.get_yscale() == "linear"
    plt.close("all")


@pytest.mark.parametrize(
    ("after", "before", "word"),
    [
        (50.0, 100.0, "lower"),
        (95.0, 100.0, "about the same"),
        (140.0, 100.0, "about the same"),
        (200.0, 100.0, "higher"),
    ],
)
def test_compare_medians(after: float, before: float, word: str) -> None:
    from analysis.report import article

    assert article.compare(after, before) == word
    with pytest.raises(ValueError):
        article.compare(1.0, 0.0)


def test_the_claims_timeline_title_shows_dollar_signs_as_text() -> None:
    """Two "$" in a matplotlib title start mathtext ("$4m to $1.95bn" became "4mto1.95bn")."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.report import charts, funding

    r = funding.make(lambda name: syn.TABLES[name](), recipient_scope="including_aggregates",
                     start_year=1990, end_year=2025)  # fmt: skip
    fig = funding.timeline_figure(r)
    title = fig._suptitle  # the finding, above both panels
    assert not title.get_parse_math()  # so "$" stays text, and the alt text has no "\\$"
    text = charts.figure_title(fig)
    assert text.count("$") == 2 and "\\" not in text
    assert text.startswith(f"{len(r.ranges)} yearly figures")
    plt.close("all")


def test_the_claims_report_says_what_each_filter_leaves_out_and_it_reconciles() -> None:
    from analysis.report import funding

    r = funding.make(lambda name: syn.TABLES[name](), recipient_scope="hamas_only",
                     start_year=2000, end_year=2025, min_grade="think_tank_academic")  # fmt: skip
    steps = dict((what.split(" (")[0], n) for n, what in r.left_out)
    # record minus every step is what the report shows
    assert len(r.all_claims) - sum(steps.values()) == len(r.selected)
    every = cv.select(r.all_claims, recipient_scope="including_aggregates")
    hamas = cv.select(r.all_claims, recipient_scope="hamas_only")
    assert steps["about money for groups that include Hamas, the Hamas-led government or donor "
                 "pools"] == len(every) - len(hamas)  # fmt: skip
    # the synthetic statement about 1993 is named with its year
    years = next(what for _, what in r.left_out if what.startswith("about years outside"))
    assert "2000–2025" in years and "Synthetic claimant 9, about 1993" in years
    assert "from lower source grades" in steps
    assert "It leaves out" in funding.intro_html(r)


def test_the_rapprochement_count_reconciles_with_the_whole_record() -> None:
    claims = syn.claims()
    ev = rp.build(claims, syn.events(), syn.us_cpi(), min_grade="think_tank_academic")
    c = ev.counts
    hamas = cv.select(claims, recipient_scope="hamas_only")
    assert c["all"] == len(claims) and c["record"] == len(hamas)
    assert (
        c["record"] - c["article"] - c["later_years"] - c["below_grade"] - c["other_status"]
        == c["counted"]
    )
    text = rp.coverage_text(ev)
    assert f"the record holds {len(claims)} in all; the other {len(claims) - len(hamas)}" in text


def test_the_by_period_title_says_no_amount_was_paid_only_of_money_paid() -> None:
    from types import SimpleNamespace

    # no statement of money paid with a yearly amount for the rift years
    ev = rp.build(syn.claims(), syn.events(), syn.us_cpi(), min_grade="blog_listicle_aggregator")
    middle = periods.labels(ev.breaks)[1]
    spread = ev.spread.assign(claims=ev.spread["claims"].where(ev.spread["period"].astype(str)
                                                               .ne(middle), 0))  # fmt: skip
    title = rp.money_title(SimpleNamespace(ev=SimpleNamespace(spread=spread, breaks=ev.breaks)))  # type: ignore[arg-type]
    assert title == f"No yearly amount of Iranian money paid to Hamas is on record for {middle}"
