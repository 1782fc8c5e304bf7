"""The article's claims, one by one (analysis.report.article): each data-driven verdict on small
SYNTHETIC frames, so a change in the numbers changes the verdict."""

from __future__ import annotations

import pandas as pd
import pytest
import synthetic_processed as syn

from analysis.report import article, evidence, periods
from analysis.report import claims as cv
from analysis.report import rapprochement as rp

PUBLISHED = pd.Timestamp("2018-07-26")
BREAKS = (2012, 2017)


def test_the_article_date_comes_from_its_own_row() -> None:
    assert article.article_date(syn.claims()) == PUBLISHED
    with pytest.raises(KeyError, match="C999"):
        article.article_date(syn.claims(), "C999")


def test_a_verdict_outside_the_four_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown verdict"):
        article.Verdict("t", "c", "s", "probably", "w")


def test_a_verdict_rests_only_on_data_known_at_the_article_date() -> None:
    """The rule of every verdict: data to the article's date; later data go apart."""
    with pytest.raises(ValueError, match="after the article's date"):
        article.Verdict("t", "c", "s", article.SUPPORTED, "w", as_of=PUBLISHED,
                        data_to=pd.Timestamp("2018-12-31"))  # fmt: skip
    ok = article.Verdict("t", "c", "s", article.SUPPORTED, "w", later="2018: more",
                         as_of=PUBLISHED, data_to=pd.Timestamp("2018-06-30"))  # fmt: skip
    assert ok.later == "2018: more"


def test_a_verdict_limited_to_part_of_the_claim_is_never_supported() -> None:
    with pytest.raises(ValueError, match="cannot be 'supported'"):
        article.Verdict("t", "c", "s", article.SUPPORTED, "one buyer", limit="one buyer")
    with pytest.raises(ValueError, match="must state the limit"):
        article.Verdict("t", "c", "s", article.PARTLY, "w", limit="one buyer")
    assert article.Verdict("t", "c", "s", article.PARTLY, "one buyer", limit="one buyer")


def test_known_and_later_splits() -> None:
    years = pd.Series([1.0, 2.0, 3.0], index=[2016, 2017, 2018])
    known, later = article.split_years(years, PUBLISHED)
    assert known.index.tolist() == [2016, 2017] and later.index.tolist() == [2018]
    months = pd.DataFrame({"month": pd.date_range("2018-05-01", periods=3, freq="MS")})
    known_m, later_m = article.split_months(months, PUBLISHED)
    # July ends after 26 July: its average was not known on the article's date
    assert known_m["month"].dt.month.tolist() == [5, 6] and later_m["month"].dt.month.tolist() == [
        7
    ]


@pytest.mark.parametrize(
    ("rates", "verdict"),
    [
        ({2016: 9.0, 2017: 18.0, 2018: 40.0}, article.SUPPORTED),
        # below the line at the article's date: contradicted, even though it was rising
        ({2016: 8.0, 2017: 9.6, 2018: 30.0}, article.CONTRADICTED),
        ({2016: 7.2, 2017: 8.0, 2018: 30.0}, article.CONTRADICTED),
        ({2016: 9.0, 2017: 8.0, 2018: 40.0}, article.CONTRADICTED),
        ({2016: 9.0, 2017: 8.0, 2018: 9.0}, article.CONTRADICTED),
        ({2016: 9.0, 2017: 9.0, 2018: 9.0}, article.CONTRADICTED),  # flat is not rising
        ({2018: 40.0}, article.UNTESTABLE),
    ],
)
def test_inflation_judged_on_the_last_full_year_before_the_article(
    rates: dict[int, float], verdict: str
) -> None:
    frame = pd.DataFrame({"year": list(rates), "value": list(rates.values())})
    got = article.check_inflation(frame, PUBLISHED)
    assert got.verdict == verdict
    assert "2018" not in got.shows  # 2018's rate was not known in July 2018
    assert f"{rates[2018]:.1f}% in 2018" in got.later  # shown apart, as what happened next
    if verdict != article.UNTESTABLE:
        assert f"{rates[2017]:.1f}% in 2017" in got.shows and "FP.CPI" not in got.shows
        # the threshold is the report's own choice: the reason states it and why
        assert "15% a year" in got.why and "central bank" in got.why


def test_the_inflation_threshold_is_a_parameter_the_reason_follows() -> None:
    frame = pd.DataFrame({"year": [2016, 2017], "value": [8.0, 9.6]})
    got = article.check_inflation(frame, PUBLISHED, high=9.0)
    assert got.verdict == article.SUPPORTED and "9% a year" in got.why
    below = article.check_inflation(frame, PUBLISHED)
    assert below.verdict == article.CONTRADICTED and "up from 2016's" in below.why
    assert "rial's fall is judged apart" in below.why


def test_inflation_rising_past_the_line_after_the_article_is_what_happened_next() -> None:
    frame = pd.DataFrame({"year": [2016, 2017, 2018], "value": [7.2, 8.0, 30.0]})
    got = article.check_inflation(frame, PUBLISHED)
    assert got.verdict == article.CONTRADICTED
    assert "only after the article (what happened next)" in got.why
    assert "30.0% in 2018" in got.later


def _monthly(rates: list[float]) -> pd.DataFrame:
    months = pd.date_range("2018-01-01", periods=len(rates), freq="MS")
    return pd.DataFrame({"month": months, "rate_type": "open_market", "irr_per_usd": rates})


def test_currency_fall_from_january_to_the_last_full_month_before_the_article() -> None:
    # January 44,000, June 88,000, July (not yet known on 26 July) and September after it
    got = article.check_currency(
        _monthly([44_000, 50_000, 60_000, 70_000, 80_000, 88_000, 90_000, 100_000, 150_000]),
        PUBLISHED,
    )
    assert got.verdict == article.SUPPORTED and "lost 50%" in got.shows and "June 2018" in got.shows
    assert "150,000 rial in September 2018" in got.later
    assert article.check_currency(_monthly([44_000] * 5 + [50_000]), PUBLISHED).verdict == (
        article.PARTLY
    )
    assert article.check_currency(_monthly([44_000]), PUBLISHED).verdict == article.UNTESTABLE


def _eu(last_nonzero: str, before: float = 500.0, during: float = 500.0) -> pd.DataFrame:
    months = pd.date_range("2017-01-01", "2019-12-01", freq="MS")
    kbd = [
        0.0 if m > pd.Timestamp(last_nonzero) else before if m.year == 2017 else during
        for m in months
    ]
    return pd.DataFrame({"month": months, "kbd": kbd})


def test_oil_sales_are_judged_on_the_months_before_the_article_and_never_on_one_buyer() -> None:
    exports = pd.DataFrame({"year": [2017, 2018], "exports_kbd": [2500.0, 2200.0]})
    got = article.check_oil_sales(_eu("2018-11-01"), exports, PUBLISHED)
    # the collapse came after the article: what happened next, not the verdict
    assert got.verdict == article.UNTESTABLE and "forecast" in got.why
    assert "none from December 2018" in got.later and "2,200" in got.later
    assert "2,500 thousand barrels a day in 2017" in got.shows and "2,200" not in got.shows
    assert article.ONE_BUYER in got.why
    # EU purchases already falling before the article: partly, never supported
    falling = article.check_oil_sales(_eu("2018-11-01", 500.0, 300.0), exports, PUBLISHED)
    assert falling.verdict == article.PARTLY and article.ONE_BUYER in falling.why
    assert article.first_zero_month(_eu("2019-09-01"), PUBLISHED) == pd.Timestamp("2019-10-01")
    late = article.check_oil_sales(_eu("2019-09-01"), exports, PUBLISHED)
    assert "15 months after the article" in late.later
    gap = _eu("2019-12-01").query("month.dt.year != 2017")
    assert article.check_oil_sales(gap, exports, PUBLISHED).verdict == article.UNTESTABLE


def test_investment_is_judged_on_the_years_known_at_the_article_date() -> None:
    fdi = pd.DataFrame({"year": [2016, 2017, 2018, 2019], "pct_gdp": [0.5, 0.7, 0.6, 0.45]})
    got = article.check_investment(fdi, PUBLISHED)
    assert got.verdict == article.UNTESTABLE and "still rising" in got.why
    assert "0.70% in 2017" in got.shows and "0.60% of GDP in 2018" in got.later
    fell = article.check_investment(fdi.assign(pct_gdp=[0.9, 0.7, 0.6, 0.45]), PUBLISHED)
    assert "already falling" in fell.why


def _tally(flow: int, paid: int) -> pd.DataFrame:
    labels = periods.labels(BREAKS)
    frame = pd.DataFrame(0, index=labels, columns=list(evidence.EVIDENCE_ORDER))
    frame.loc[labels[1], evidence.FLOW] = flow
    frame.loc[labels[1], evidence.MONEY_PAID] = paid
    return frame


@pytest.mark.parametrize(
    ("flow", "paid", "verdict"),
    [
        (3, 0, article.SUPPORTED),
        (3, 2, article.PARTLY),
        (0, 2, article.CONTRADICTED),
        (0, 0, article.UNTESTABLE),
    ],
)
def test_the_rift_weighs_stops_against_payments(flow: int, paid: int, verdict: str) -> None:
    got = article.check_rift(_tally(flow, paid), BREAKS, "every grade")
    assert got.verdict == verdict
    assert f"For 2012–2016, {flow} statement" in got.shows
    assert "armed wing" not in got.why  # only a counted number of them is named
    if verdict == article.PARTLY:
        wing = article.check_rift(_tally(flow, paid), BREAKS, "g", to_armed_wing=1)
        assert "(1 of them to the armed wing)" in wing.why


def _spread(before: list[float], after: list[float]) -> pd.DataFrame:
    ranges = pd.DataFrame(
        {
            "claim_id": [f"x{i}" for i in range(len(before) + len(after))],
            "period": periods.period_of(
                pd.Series([2005] * len(before) + [2019] * len(after)), BREAKS
            ),
            "low": before + after,
            "high": before + after,
        }
    )
    return cv.spread_by_period(ranges, BREAKS)


def test_a_lower_rate_needs_enough_statements_and_no_overlap() -> None:
    assert article.check_lower_rate(_spread([3e8, 4e8], [5e7, 6e7]), BREAKS, "g").verdict == (
        article.SUPPORTED
    )
    overlap = article.check_lower_rate(_spread([3e7, 4e8], [5e7, 6e7]), BREAKS, "g")
    assert overlap.verdict == article.PARTLY and "overlap" in overlap.why
    higher = article.check_lower_rate(_spread([5e7, 6e7], [3e8, 4e8]), BREAKS, "g")
    assert higher.verdict == article.CONTRADICTED
    few = article.check_lower_rate(_spread([3e8], [5e7, 6e7]), BREAKS, "g")
    assert few.verdict == article.UNTESTABLE


def _ranges(rows: list[tuple[str, int, float]]) -> pd.DataFrame:
    """Synthetic rows of claims.ranges: (claim_date, year the money is for, US$ a year)."""
    frame = pd.DataFrame(rows, columns=["claim_date", "reference_year", "low"])
    return frame.assign(
        claim_id=[f"S{i}" for i in range(len(frame))],
        high=frame["low"],
        period=periods.period_of(frame["reference_year"].astype("Int64"), BREAKS),
    )


def test_a_lower_rate_rests_only_on_statements_made_by_the_article() -> None:
    # two statements before 2012 at $300m-$400m; after 2017, one made before the article at
    # $50m and three made later (2019-2023) at $60m-$90m
    ranges = _ranges(
        [("2010-05-01", 2009, 3e8), ("2011", 2010, 4e8), ("2018-01-15", 2018, 5e7),
         ("2019-03-01", 2018, 6e7), ("2021", 2020, 7e7), ("2023-10-10", 2023, 9e7)]
    )  # fmt: skip
    known, later = evidence.said_by(ranges, PUBLISHED)
    assert known["claim_id"].tolist() == ["S0", "S1", "S2"]
    got = article.check_lower_rate(
        cv.spread_by_period(known, BREAKS), BREAKS, "g", later=later, as_of=PUBLISHED
    )
    # one statement after the return was known at the article's date: too few for a median
    assert got.verdict == article.UNTESTABLE and ", 1 for " in got.shows
    assert got.later.startswith("3 later statements (made 2019–2023)") and "$90m" in got.later
    # all six together would have made a verdict the article's date could not support
    assert article.check_lower_rate(cv.spread_by_period(ranges, BREAKS), BREAKS, "g").verdict == (
        article.SUPPORTED
    )


def test_a_statement_dated_only_by_its_year_counts_as_made_at_the_years_end() -> None:
    said = evidence.said_end(pd.Series(["2018", "2018-07", "2018-07-26", None]))
    assert said.tolist()[:3] == [
        pd.Timestamp("2018-12-31"),
        pd.Timestamp("2018-07-31"),
        pd.Timestamp("2018-07-26"),
    ]
    assert pd.isna(said.iloc[3])
    known, later = evidence.said_by(
        pd.DataFrame({"claim_date": ["2018", "2018-07-26", None]}), PUBLISHED
    )
    assert known["claim_date"].tolist() == ["2018-07-26"] and len(later) == 2


def test_the_260m_against_liebermans_own_figure() -> None:
    got = article.check_260m(rp.founding_claim_check(syn.claims()))
    # his words can be checked, the money cannot: never "contradicted" on one statement
    assert got.verdict == article.UNTESTABLE
    assert "$100m of $260m: 38%" in got.shows and "15 January 2018" in got.shows
    assert "no statement of his from March" in got.why and "no data measure" in got.why


def test_official_figures_come_from_adversaries_only() -> None:
    hamas = cv.select(syn.claims(), recipient_scope="hamas_only")
    got = article.check_no_official_figures(hamas)
    officials = hamas[
        hamas["source_grade"].eq("official_on_record")
        & hamas["status"].eq("paid")
        & hamas["amount_low"].notna()
    ]
    assert got.shows.startswith(f"{len(officials)} statements by officials on the record")
    assert got.verdict == article.PARTLY and "Israeli" in got.shows


def test_an_event_the_article_names_is_checked_against_the_record() -> None:
    events = syn.events()
    got = article.check_event(events, "E024", "conference", "claim")
    assert got.verdict == article.SUPPORTED and got.shows.startswith("16 July 2018")
    assert "E024" not in got.shows and "record" not in got.shows
    assert article.check_event(events, "E999", "x", "y").verdict == article.UNTESTABLE
