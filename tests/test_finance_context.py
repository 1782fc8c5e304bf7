"""The Palestinian side and the events tables of the context module, on SYNTHETIC tables."""

from __future__ import annotations

import pandas as pd
import synthetic_processed as syn

from analysis.report import context


def test_palestine_keeps_to_the_editions_years() -> None:
    ind = syn.indicators()
    held = ind.loc[
        ind["country_code"].eq("PSE") & ind["indicator_code"].eq(context.UNEMPLOYMENT), "year"
    ]
    assert held.min() < 2012  # the source has earlier (modelled) years
    frame = context.palestine(ind, 2012, 2024)
    assert (frame["year"].min(), frame["year"].max()) == (2012, 2024)
    # the span a title quotes starts in the edition's first year, not in the source's
    assert context.span_text(frame, context.UNEMPLOYMENT, "%").split(", ")[0].endswith("2012")
    whole = context.palestine(ind, 2012, 2024, full_history=True)
    assert whole["year"].min() == held.min()


def test_span_text_gives_first_last_low_and_high() -> None:
    frame = pd.DataFrame({"year": [1991, 1992, 1993, 1994], "u": [10.0, 30.0, 5.0, 20.0]})
    text = context.span_text(frame, "u", "%")
    assert text == "10.0% in 1991, 20.0% in 1994 (lowest 5.0% in 1993, highest 30.0% in 1992)"
    assert context.span_text(frame.assign(u=float("nan")), "u", "%") == ""
    ends = frame.assign(u=[5.0, 30.0, 10.0, 20.0])  # the lowest is the first year: said once
    assert context.span_text(ends, "u", "%") == (
        "5.0% in 1991, 20.0% in 1994 (highest 30.0% in 1992)"
    )
    assert context.span_text(frame.assign(u=[1.0, 2.0, 3.0, 4.0]), "u", "%") == (
        "1.0% in 1991, 4.0% in 1994"
    )


def test_pse_series_say_west_bank_and_gaza_together() -> None:
    assert "West Bank and Gaza together" in context.PSE_SERIES[context.UNEMPLOYMENT]
    assert "Gaza alone" in context.PSE_MEANING[context.UNEMPLOYMENT][1]


def test_events_tables_name_the_source_by_publisher() -> None:
    urls = pd.Series(["https://www.washingtonpost.com/x", "http://reuters.com/y", None, "n/a"])
    assert context.source_name(urls).tolist() == [
        "washingtonpost.com",
        "reuters.com",
        "source",
        "source",
    ]
    events = syn.events()
    for frame in (
        context.events_between(events, "2000-01-01", "2030-12-31"),
        context.gaza_money_events(events),
    ):
        assert not frame.empty
        assert frame["source_name"].tolist() == context.source_name(frame["source_url"]).tolist()
