"""Annual US$ from parsed claims: which periods are rates, and the ECB average rate."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.parse.annualise import annual_usd, annualise, usd_per_unit


def test_only_years_and_months_are_rates() -> None:
    assert annual_usd(5e6, 5e6, "USD", "year", 2010)[1:3] == (5e6, 5e6)
    assert annual_usd(5e6, 5e6, "USD", "month", 2010)[1:3] == (60e6, 60e6)
    for period in ("one_off", "total", "unspecified"):
        _, low, high, note = annual_usd(5e6, 5e6, "USD", period, 2010)
        assert (low, high) == (None, None) and "not a rate" in note


def test_an_open_side_stays_open() -> None:
    assert annual_usd(None, 10e6, "USD", "month", 2010)[1:3] == (None, 120e6)


def test_ecb_annual_average_matches_the_published_figure() -> None:
    # ECB annual average reference rate, US$ per euro: 2010 = 1.3257 (ECB Statistical Bulletin).
    rate, note = usd_per_unit("EUR", 2010)
    assert rate == pytest.approx(1.3257, abs=0.005)
    assert "EUR→USD" in note


def test_converted_amount_uses_the_years_rate() -> None:
    rate, _ = usd_per_unit("GBP", 2007)
    assert rate is not None and 1.8 < rate < 2.2  # sterling was about two dollars in 2007
    _, low, high, _ = annual_usd(1e6, 2e6, "GBP", "year", 2007)
    assert (low, high) == (pytest.approx(1e6 * rate), pytest.approx(2e6 * rate))


@pytest.mark.parametrize(
    ("currency", "year", "reason"),
    [
        ("GBP", 1995, "no ECB rate"),
        ("IRR", 2015, "no ECB reference rate"),
        ("EUR", None, "no year"),
    ],
)
def test_no_rate_means_no_annual_figure_and_a_reason(
    currency: str, year: int | None, reason: str
) -> None:
    _, low, high, note = annual_usd(1e6, 1e6, currency, "year", year)
    assert (low, high) == (None, None) and reason in note


def test_annualise_adds_columns_to_a_frame() -> None:
    frame = pd.DataFrame(  # synthetic
        {
            "amount_low": [1e6, None],
            "amount_high": [1e6, 5e6],
            "currency": ["USD", "USD"],
            "period": ["month", "total"],
        }
    )
    out = annualise(frame, pd.Series([2019, 2019]))
    assert out["annual_low_usd"].tolist()[0] == 12e6
    assert out["annual_high_usd"].isna().tolist() == [False, True]
