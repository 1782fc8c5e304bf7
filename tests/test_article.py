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


@pytest.mark.parametrize(
    ("rates", "verdict"),
    [
        ({2017: 8.0, 2018: 18.0, 2019: 40.0}, article.SUPPORTED),
        ({2017: 8.0, 2018: 9.0, 2019: 40.0}, article.PARTLY),
        ({2017: 8.0, 2018: 9.0, 2019: 10.0}, article.CONTRADICTED),
        ({2017: 8.0}, article.UNTESTABLE),
    ],
)
def test_inflation(rates: dict[int, float], verdict: str) -> None:
    frame = pd.DataFrame({"year": list(rates), "value": list(rates.values())})
    got = article.check_inflation(frame, 2018)
    assert got.verdict == verdict
    if verdict != article.UNTESTABLE:
        assert f"{rates[2018]:.1f}% in 2018" in got.shows and "FP.CPI.TOTL.ZG" in got.shows


def _monthly(jan: float, jul: float) -> pd.DataFrame:
    months = pd.to_datetime(["2018-01-01", "2018-07-01"])
    return pd.DataFrame({"month": months, "rate_type": "open_market", "irr_per_usd": [jan, jul]})


def test_currency_fall_from_january_to_the_article_month() -> None:
    got = article.check_currency(_monthly(44_000, 88_000), PUBLISHED)
    assert got.verdict == article.SUPPORTED and "lost 50%" in got.shows
    assert article.check_currency(_monthly(44_000, 50_000), PUBLISHED).verdict == article.PARTLY
    empty = _monthly(44_000, 50_000).iloc[:1]
    assert article.check_currency(empty, PUBLISHED).verdict == article.UNTESTABLE


def _eu(last_nonzero: str) -> pd.DataFrame:
    months = pd.date_range("2018-01-01", "2019-12-01", freq="MS")
    kbd = [500.0 if m <= pd.Timestamp(last_nonzero) else 0.0 for m in months]
    return pd.DataFrame({"month": months, "kbd": kbd})


def test_oil_sales_collapse_within_a_year_of_the_article() -> None:
    exports = pd.DataFrame({"year": [2017, 2018], "exports_kbd": [2500.0, 2200.0]})
    got = article.check_oil_sales(_eu("2018-11-01"), exports, PUBLISHED)
    assert got.verdict == article.SUPPORTED
    assert "none from December 2018" in got.shows and "2,500" in got.shows
    # zero only from October 2019: 15 months after the article
    assert article.first_zero_month(_eu("2019-09-01"), PUBLISHED) == pd.Timestamp("2019-10-01")
    late = article.check_oil_sales(_eu("2019-09-01"), exports, PUBLISHED)
    assert late.verdict == article.PARTLY
    assert article.check_oil_sales(_eu("2019-09-01"), exports, PUBLISHED, months=15).verdict == (
        article.SUPPORTED
    )
    never = _eu("2019-12-01")
    assert article.check_oil_sales(never, exports, PUBLISHED).verdict == article.UNTESTABLE


def test_investment_fall_is_only_partly_the_sanctions() -> None:
    fdi = pd.DataFrame({"year": [2017, 2018, 2019], "pct_gdp": [1.0, 0.6, 0.45]})
    got = article.check_investment(fdi, 2018)
    assert got.verdict == article.PARTLY and "0.60% in 2018" in got.shows
    rose = fdi.assign(pct_gdp=[0.5, 0.6, 0.7])
    assert article.check_investment(rose, 2018).verdict == article.CONTRADICTED


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


def test_the_260m_against_liebermans_own_figure() -> None:
    got = article.check_260m(rp.founding_claim_check(syn.claims()))
    assert got.verdict == article.CONTRADICTED
    assert "$100m of $260m: 38%" in got.shows and "15 January 2018" in got.shows


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
    assert article.check_event(events, "E999", "x", "y").verdict == article.UNTESTABLE
