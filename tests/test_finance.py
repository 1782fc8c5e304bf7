"""finance: annual average rates, rial → US$ with the nearest-earlier-quote rule, constant US$.

All frames here are synthetic (invented rates), shaped like the processed tables.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.errors import DataError, UsageError
from analysis.finance import annual_rates, rial_to_usd, to_constant_usd

CPI = pd.DataFrame({"year": [2000, 2010, 2020], "cpi_u_annual_average": [100.0, 125.0, 200.0]})


def fx(rows: list[tuple[str, str, float, bool]], source_id: str = "bonbast") -> pd.DataFrame:
    """A synthetic fx_rates frame: (date, rate_type, irr_per_unit, is_carried_forward) in USD."""
    frame = pd.DataFrame(rows, columns=["date", "rate_type", "irr_per_unit", "is_carried_forward"])
    return frame.assign(date=pd.to_datetime(frame["date"]), currency="USD", source_id=source_id)


# --- to_constant_usd --------------------------------------------------------------------------
def test_constant_usd_scales_by_the_cpi_ratio() -> None:
    values = pd.Series([10.0, 10.0, 10.0], index=["a", "b", "c"])
    result = to_constant_usd(values, [2000, 2010, 2020], 2020, CPI)
    assert result.tolist() == pytest.approx([20.0, 16.0, 10.0])
    assert result.index.tolist() == ["a", "b", "c"]


def test_constant_usd_keeps_missing_values_missing() -> None:
    result = to_constant_usd([None, 5.0], [1990, 2000], 2010, CPI)
    assert result.isna().tolist() == [True, False] and result.iloc[1] == pytest.approx(6.25)


@pytest.mark.parametrize(("years", "base"), [([1999], 2020), ([2000], 2024)])
def test_constant_usd_names_a_year_without_cpi(years: list[int], base: int) -> None:
    with pytest.raises(DataError, match=str(years[0] if base == 2020 else base)):
        to_constant_usd([1.0], years, base, CPI)


def test_constant_usd_needs_one_year_per_value() -> None:
    with pytest.raises(UsageError, match="2 values but 1 years"):
        to_constant_usd([1.0, 2.0], [2000], 2020, CPI)


# --- rial_to_usd ------------------------------------------------------------------------------
RATES = fx(
    [
        ("2018-01-01", "open_market", 40_000.0, False),
        ("2018-01-05", "open_market", 50_000.0, True),  # a carried-forward copy: not a quote
        ("2018-01-10", "open_market", 60_000.0, False),
        ("2018-01-01", "nima", 30_000.0, False),
    ]
)


def test_same_day_quote_is_used() -> None:
    assert rial_to_usd(400_000, "2018-01-01", "open_market", RATES) == pytest.approx(10.0)
    assert rial_to_usd(300_000, date(2018, 1, 1), "nima", RATES) == pytest.approx(10.0)


def test_nearest_earlier_quote_within_the_gap_and_copies_ignored() -> None:
    got = rial_to_usd(
        pd.Series([400_000.0, 600_000.0], index=[7, 8]),
        pd.Series(["2018-01-06", "2018-01-12"], index=[7, 8]),
        "open_market",
        RATES,
    )
    assert got.tolist() == pytest.approx([10.0, 10.0]) and got.index.tolist() == [7, 8]


def test_no_quote_within_the_gap_is_an_error_naming_the_date() -> None:
    with pytest.raises(DataError, match="2018-01-09"):
        rial_to_usd(1.0, "2018-01-09", "open_market", RATES, max_gap_days=7)
    with pytest.raises(DataError, match="2017-12-31"):
        rial_to_usd(1.0, ["2018-01-02", "2017-12-31"], "open_market", RATES)
    assert rial_to_usd(1.0, "2018-01-09", "open_market", RATES, max_gap_days=8) > 0


def test_official_rate_is_not_daily() -> None:
    with pytest.raises(DataError, match="PA.NUS.FCRF"):
        rial_to_usd(1.0, "2018-01-01", "official", RATES)


def test_several_sources_default_to_bonbast_or_must_be_named() -> None:
    both = pd.concat([RATES, fx([("2018-01-01", "open_market", 80_000.0, False)], "tgju")])
    assert rial_to_usd(400_000, "2018-01-01", "open_market", both) == pytest.approx(10.0)
    assert rial_to_usd(
        400_000, "2018-01-01", "open_market", both, source_id="tgju"
    ) == pytest.approx(5.0)
    other = both.replace({"source_id": {"bonbast": "elsewhere"}})
    with pytest.raises(UsageError, match="source_id"):
        rial_to_usd(1.0, "2018-01-01", "open_market", other)


# --- annual_rates -----------------------------------------------------------------------------
DAILY = fx(
    [
        ("2018-03-19", "open_market", 100.0, False),
        ("2018-03-20", "open_market", 200.0, False),
        ("2018-03-21", "open_market", 400.0, False),  # 1 Farvardin 1397
        ("2018-03-22", "open_market", 999.0, True),  # carried forward: left out
        ("2019-01-02", "nima", 50.0, False),
    ]
)
INDICATORS = pd.DataFrame(
    {
        "indicator_code": ["PA.NUS.FCRF", "PA.NUS.FCRF", "NY.GDP.MKTP.CD"],
        "country_code": ["IRN", "USA", "IRN"],
        "year": [2018, 2018, 2018],
        "value": [42_000.0, 1.0, 5.0],
        "source_id": ["worldbank"] * 3,
    }
)


def test_annual_rates_by_gregorian_year_with_official_rate() -> None:
    table = annual_rates(DAILY, INDICATORS).set_index(["rate_type", "year"])
    assert table.loc[("open_market", 2018), "irr_per_usd"] == pytest.approx(700 / 3)
    assert table.loc[("open_market", 2018), "n_days"] == 3
    assert table.loc[("nima", 2019), "irr_per_usd"] == pytest.approx(50.0)
    official = table.loc[("official", 2018)]
    assert official["irr_per_usd"] == 42_000 and pd.isna(official["n_days"])
    assert len(table) == 3


def test_annual_rates_by_fiscal_year_split_at_farvardin() -> None:
    table = annual_rates(DAILY, basis="fiscal").set_index(["rate_type", "year"])
    assert table.loc[("open_market", 1396), "irr_per_usd"] == pytest.approx(150.0)
    assert table.loc[("open_market", 1397), "n_days"] == 1
    assert table.loc[("nima", 1397), "irr_per_usd"] == pytest.approx(50.0)


def test_fiscal_official_rate_is_refused() -> None:
    with pytest.raises(UsageError, match="fiscal"):
        annual_rates(DAILY, INDICATORS, basis="fiscal")
