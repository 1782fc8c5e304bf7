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
    assert "is <b>not</b> in the data this report uses" in story.oil_paragraph(oil, ind)
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
    assert "Oil: price" in titles[1] and "crude exports" in titles[2]
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


def _annual(official: dict[int, float], open_market: dict[int, float]) -> pd.DataFrame:
    """A ``finance.annual_rates``-like frame (invented rates, enough quoted days)."""
    rows = [
        {"rate_type": kind, "source_id": src, "year": y, "irr_per_usd": v, "n_days": n}
        for kind, src, n, values in (
            ("official", "worldbank", None, official),
            ("open_market", "bonbast", 300, open_market),
        )
        for y, v in values.items()
    ]
    return pd.DataFrame(rows)


#: Invented: SIPRI converts at the official rate to 2018, then at a market-like rate; its rial
#: figure rises every year, its dollars fall in 2019.
CONVERSION_MILEX = pd.DataFrame(
    {
        "year": [2017, 2018, 2019, 2020],
        "rial_bn": [300_000.0, 400_000.0, 500_000.0, 700_000.0],
        "usd_m_sipri": [10_000.0, 10_000.0, 5_000.0, 6_000.0],
    }
)
CONVERSION_ANNUAL = _annual(
    {2017: 30_000.0, 2018: 40_000.0, 2019: 42_000.0, 2020: 42_000.0},
    {2017: 35_000.0, 2018: 80_000.0, 2019: 110_000.0, 2020: 120_000.0},
)


def test_sipri_conversion_reveals_the_rate_and_the_drop_it_makes() -> None:
    conversion = finances.sipri_conversion(CONVERSION_MILEX, CONVERSION_ANNUAL)
    assert conversion["sipri_irr_per_usd"].tolist() == [30_000.0, 40_000.0, 100_000.0,
                                                       700_000 / 6]  # fmt: skip
    assert conversion["at_official"].tolist() == [True, True, False, False]
    drops = finances.conversion_drops(conversion)
    assert drops["year"].tolist() == [2019]  # 2018: dollars flat; 2020: dollars rose
    assert drops.loc[0, "usd_change"] == pytest.approx(-0.5)
    assert drops.loc[0, "rial_change"] == pytest.approx(0.25)


def test_military_conversion_paragraph_says_which_dollars_and_explains_the_drop() -> None:
    text = story.military_conversion_paragraph(CONVERSION_MILEX, CONVERSION_ANNUAL, 2017, 2020)
    assert "<b>current US dollars</b>" in text
    assert "equal the official rate in 2017–2018 and differ from it in 2019–2020" in text
    assert "2019: SIPRI's dollars fell 50%, from US$10.0 bn to <b>US$5.0 bn</b>" in text
    assert "rial figure rose 25%" in text and "<b>100,000</b> in 2019" in text
    assert "(official rate 42,000, open market 110,000)" in text
    assert "SIPRI stopped converting at the official rate" in text
    assert "2020:" not in text
    # outside the span: no drop listed
    assert "<li>" not in story.military_conversion_paragraph(
        CONVERSION_MILEX, CONVERSION_ANNUAL, 2020, 2020
    )
    # the chart's note names the same year
    milex = CONVERSION_MILEX.assign(
        pct_gdp=2.0, sipri_const_bn=[10.0, 10.0, 5.0, 6.0], at_rate_const_bn=[9.0, 5.0, 4.5, 5.8]
    )
    fig = story.military_chart(
        milex, pd.DataFrame(columns=["date", "label"]), fx_rate_type="open_market",
        base_year=2024, annual=CONVERSION_ANNUAL,
    )  # fmt: skip
    texts = " ".join(t.get_text() for t in fig.texts)
    assert "SIPRI's dollars fall in 2019 while its rial figures rise: the fall comes from" in texts
    labels = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert labels == [
        "SIPRI's dollars (converted at SIPRI's rate)",
        "SIPRI's rials at the open-market average rate",
    ]
    assert "deflated to 2024 prices" in fig.axes[1].get_title(loc="left")
    plt.close(fig)


def test_fixed_since_finds_the_last_run_of_one_value() -> None:
    rate = pd.Series({2016: 30_000.0, 2017: 33_000.0, 2018: 40_000.0, 2019: 42_000.0,
                      2020: 42_000.0, 2021: 42_000.0})  # fmt: skip
    assert finances.fixed_since(rate) == (2019, 42_000.0)
    assert finances.fixed_since(rate.iloc[:-2]) is None  # the last two values differ
    assert finances.fixed_since(pd.Series({2019: 5.0, 2020: 5.0})) == (2019, 5.0)


def test_military_bases_paragraph_computes_when_the_official_rate_froze(
    ind: pd.DataFrame, annual: pd.DataFrame
) -> None:
    text = story.military_bases_paragraph(ind, annual, 2000, 2024)
    fixed = finances.fixed_since(finances.rate_for(annual, "official"))
    assert fixed is not None
    assert f"stayed at {fixed[1]:,.0f} rial per dollar every year since {fixed[0]}" in text
    assert "since 2018" not in text or fixed[0] == 2018


def test_series_table_shows_reader_columns_not_provenance(ind: pd.DataFrame) -> None:
    inflation = finances.series(ind, finances.INFLATION, **SPAN)
    table = story.series_table(inflation, "inflation (%)")
    assert "source_file" not in table and "source_row" not in table
    # no raw file name (the table's own CSV download link is for readers)
    assert str(inflation["source_file"].iloc[0]) not in table
    assert "<th" in table and "inflation (%)" in table and ">unit<" in table
    assert f"Source: World Bank WDI: {inflation['indicator_name'].iloc[0]}" in table
    assert table.count("<tr>") == len(inflation) + 1
    assert ">source<" not in table  # one source: named once, in the caption
    two = pd.concat([inflation, inflation.tail(1).assign(source_id="imf-weo", year=2099)])
    mixed = story.series_table(two, "inflation (%)")
    assert ">source<" in mixed and "Source:" not in mixed


def test_deflator_paragraph_picks_the_widest_gap() -> None:
    rows = syn.indicators()
    inflation = finances.series(rows, finances.INFLATION, start_year=2000, end_year=2003)
    deflator = inflation.assign(
        indicator_code=story.DEFLATOR,
        country_code="IRN",
        value=inflation["value"] + [1.0, 9.0, 2.0, 3.0],
    )
    text = story.deflator_paragraph(pd.concat([rows, deflator]), inflation)
    row = inflation.iloc[1]
    assert f"In {int(row['year'])} consumer prices rose <b>{row['value']:.1f}%</b>" in text
    assert "swapped" not in text  # a fault of a copy upstream is no reader's business
    assert f"the deflator <b>{row['value'] + 9:.1f}%</b>" in text
    assert story.deflator_paragraph(rows, inflation) == ""  # no deflator: nothing said


def test_oil_chart_axes_start_at_zero_and_value_is_current_dollars(
    ind: pd.DataFrame, events: pd.DataFrame
) -> None:
    oil = finances.oil(syn.oil_prices(), ind, **SPAN)
    fig = story.oil_chart(oil, syn.oil_prices(), ind, events, **SPAN)
    price, production, value, fuel = fig.axes[:4]
    assert price.get_ylim()[0] == 0 and production.get_ylim()[0] == 0  # no cut axis
    assert fuel.get_ylim() == (0, 100)
    assert "current" in value.get_ylabel()
    plt.close(fig)
    assert "(current dollars)" in story.oil_value_paragraph(oil)


def _legend_clear_of_axes(ax: object) -> bool:
    """True when the axes' legend, drawn, lies wholly below the axes' data area."""
    fig = ax.figure  # type: ignore[attr-defined]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)  # type: ignore[attr-defined]
    box = ax.get_window_extent(renderer)  # type: ignore[attr-defined]
    return bool(legend.y1 <= box.y0)


def test_rate_and_oil_legends_sit_outside_the_data(ind: pd.DataFrame, events: pd.DataFrame) -> None:
    from analysis.report import charts

    fig = story.rate_chart(syn.fx_rates(), ind, events, fx_rate_type="open_market", **SPAN)
    assert _legend_clear_of_axes(fig.axes[0])
    plt.close(fig)
    fig, ax = plt.subplots()
    ax.plot([2000, 2001], [1, 2], label="a line")
    charts.legend_below(ax)
    assert _legend_clear_of_axes(ax)
    plt.close(fig)


def test_conversion_note_names_only_drops_in_the_years_drawn() -> None:
    note = story.conversion_note(CONVERSION_MILEX, CONVERSION_ANNUAL)
    assert note is not None and "fall in 2019" in note
    assert story.conversion_note(CONVERSION_MILEX, CONVERSION_ANNUAL, start_year=2020) is None
    assert "2019" in str(
        story.conversion_note(CONVERSION_MILEX, CONVERSION_ANNUAL, start_year=2018, end_year=2020)
    )


def test_capacity_shading_note_follows_the_rift_dates() -> None:
    from analysis.report import plots

    span, words = plots._rift_shade(
        (2012, 2017), (pd.Timestamp("2012-02-06"), pd.Timestamp("2017-08-07"))
    )
    assert words == "the rift, February 2012 to August 2017"
    assert 2012 < span[0] < 2012.2 and 2017.5 < span[1] < 2017.7
    assert plots._rift_shade((2012, 2017), None)[1] == "the rift years 2012–2016"
