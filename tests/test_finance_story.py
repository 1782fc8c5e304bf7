"""The iran_finances report's sections on small SYNTHETIC tables (invented values)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
import synthetic_processed as syn

from analysis.finance import annual_rates
from analysis.report import charts, finances
from analysis.report import finance_story as story

SPAN = {"start_year": 2000, "end_year": 2024}


@pytest.fixture(scope="module")
def ind() -> pd.DataFrame:
    return syn.indicators()


@pytest.fixture(scope="module")
def annual(ind: pd.DataFrame) -> pd.DataFrame:
    return annual_rates(syn.fx_rates(), ind)


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return charts.key_events(syn.events(), 2000, 2024)


def test_inflation_paragraph_names_mean_peak_and_latest(ind: pd.DataFrame) -> None:
    inflation = finances.series(ind, finances.INFLATION, **SPAN)
    text = story.inflation_paragraph(inflation)
    peak = inflation.sort_values("value", ascending=False, kind="stable").iloc[0]
    assert f"<b>{inflation['value'].mean():.1f}%</b>" in text
    assert f"<b>{peak['value']:.1f}%</b> in {int(peak['year'])}" in text
    assert f"the latest, {int(inflation['year'].iloc[-1])}" in text


def test_rates_paragraph_and_table(annual: pd.DataFrame) -> None:
    rates = story.annual_rates_in_span(annual, 2010, 2020)
    assert rates["year"].between(2010, 2020).all()
    text = story.rates_paragraph(rates)
    assert "times as many" in text and "times dearer" in text
    assert "Annual average rial per US$" in story.rates_table(rates)
    assert story.rates_paragraph(rates.iloc[0:0]) == ""


def test_oil_paragraphs_say_rents_are_missing_and_value_peaks(ind: pd.DataFrame) -> None:
    oil = finances.oil(syn.oil_prices(), ind, **SPAN)
    assert "is <b>not</b> among the series" in story.oil_paragraph(oil, ind)
    top = oil.dropna(subset=["output_value_usd_bn"]).sort_values("output_value_usd_bn").iloc[-1]
    assert f"worth most in {int(top['year'])}" in story.oil_value_paragraph(oil)
    assert story.oil_value_paragraph(oil.assign(output_value_usd_bn=float("nan"))) == ""


def test_charts_are_finished_figures(
    ind: pd.DataFrame, annual: pd.DataFrame, events: pd.DataFrame
) -> None:
    oil = finances.oil(syn.oil_prices(), ind, **SPAN)
    exports = finances.crude_exports(ind, syn.oil_trade(), **SPAN)
    milex = story.military_in_constant_dollars(
        ind, annual, syn.us_cpi(), rate_type="open_market", base_year=2024, **SPAN
    )
    figures = [
        story.rate_chart(syn.fx_rates(), ind, events, fx_rate_type="open_market", **SPAN),
        story.oil_chart(oil, syn.oil_prices(), ind, events, **SPAN),
        story.exports_chart(exports, events),
        story.military_chart(milex, events, fx_rate_type="open_market", base_year=2024),
    ]
    titles = [charts.figure_title(f) for f in figures]
    assert titles[0].startswith("Rial per US dollar at three rates")
    assert "Oil: price" in titles[1] and "crude-oil exports" in titles[2]
    assert all(t for t in titles)
    assert milex[["sipri_const_bn", "at_rate_const_bn"]].notna().any().all()
    plt.close("all")


def test_military_and_revision_paragraphs(ind: pd.DataFrame, annual: pd.DataFrame) -> None:
    text = story.military_bases_paragraph(ind, annual, 2000, 2024)
    assert text.startswith("<p>The exchange rate decides the size") and "times the smallest" in text
    assert story.military_bases_paragraph(ind, annual, 1900, 1901) == ""
    revised = story.revisions_paragraph(ind, 2000, 2024)
    assert "A later SIPRI release revised" in revised and "2022: US$" in revised
    assert story.revisions_paragraph(ind, 1990, 1991) == ""


def test_exports_and_fdi_paragraphs(ind: pd.DataFrame) -> None:
    exports = finances.crude_exports(ind, syn.oil_trade(), **SPAN)
    assert "The EU bought most from Iran in 2017" in story.exports_paragraph(exports)
    investment = finances.fdi(ind, **SPAN)
    text = story.fdi_paragraph(investment)
    assert text.startswith("<p>The dollar series ends in") and "peak" in text
    assert story.fdi_paragraph(investment.iloc[0:0]) == ""
