"""Property-based tests (issue 7) for the parsers the other suites do not yet cover: arbitrary text
never crashes, and the documented invariants hold."""

from __future__ import annotations

import math
import re
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.clean import jalali
from analysis.parse import amounts, dates
from analysis.parse.numbers import is_na_token, latin_digits, parse_number, to_numeric

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ANYTHING = st.one_of(
    st.text(max_size=40),
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**20), 10**20),
    st.booleans(),
)
STYLES = ("jalali", "gregorian", "iso", "us", "dmy")


@given(st.text(max_size=40))
def test_latin_digits_keeps_length_and_maps_eastern_digits(text: str) -> None:
    out = latin_digits(text)
    assert len(out) == len(text)
    assert not set(out) & set(PERSIAN_DIGITS + ARABIC_DIGITS)


@given(st.integers(0, 10**12))
def test_persian_and_arabic_digits_read_as_latin(value: int) -> None:
    latin = str(value)
    for digits in (PERSIAN_DIGITS, ARABIC_DIGITS):
        assert parse_number(latin.translate(str.maketrans("0123456789", digits))) == value


@given(ANYTHING)
def test_is_na_token_never_crashes_and_na_parses_to_none(value: object) -> None:
    if is_na_token(value) and not isinstance(value, bool):
        assert parse_number(value) is None


@given(st.lists(st.text(max_size=12), max_size=30))
def test_to_numeric_keeps_the_column_and_reads_only_finite_numbers(values: list[str]) -> None:
    series = pd.Series(values, dtype="object")
    numbers = to_numeric(series)
    assert len(numbers) == len(series)
    assert numbers.dropna().map(math.isfinite).all()


@given(ANYTHING, st.sampled_from(STYLES))
def test_parse_date_never_crashes(value: object, style: dates.DateStyle) -> None:
    result = dates.parse_date(value, style)
    assert result is None or isinstance(result, date)


@given(st.sampled_from(("1397/13/40", "1397/00/10", "1397/12/31", "2023-02-30", "2023-13-01")))
def test_impossible_dates_are_none(text: str) -> None:
    style: dates.DateStyle = "jalali" if text.startswith("13") else "iso"
    assert dates.parse_date(text, style) is None


@given(ANYTHING)
def test_excel_serials_never_crash_and_stay_in_range(value: object) -> None:
    result = dates.from_excel_serial(value)
    assert result is None or date(1900, 3, 1) <= result


#: The last day whose fiscal year has computable bounds: jdatetime stops at Jalali year 9377,
#: whose 1 Farvardin is 9998-03-20 (its end needs 1 Farvardin 9378).
LAST_BOUNDED_DAY = date(9998, 3, 19)


@given(st.dates(min_value=date(700, 1, 1), max_value=LAST_BOUNDED_DAY))
def test_fiscal_year_bounds_contain_the_day(day: date) -> None:
    year = dates.fiscal_year(day)
    start, end = dates.fiscal_year_bounds(year)
    assert start <= day <= end


@pytest.mark.parametrize("day", [date(9999, 4, 1), date(500, 1, 1)])
def test_fiscal_year_outside_the_calendar_is_a_clear_error(day: date) -> None:
    with pytest.raises(ValueError, match="outside the Jalali calendar's supported years"):
        dates.fiscal_year(day)


@given(st.integers(1, 1500))
def test_expanded_jalali_year_and_start_year(year: int) -> None:
    full = dates.expand_jalali_year(year)
    assert full >= year and (full == year or year < 1000)
    assert jalali.gregorian_start_year(full) - full in (621, 622)


@given(st.text(max_size=60), st.text(max_size=20))
@settings(max_examples=60)
def test_amount_helpers_never_crash(text: str, period: str) -> None:
    assert isinstance(amounts.normalise(text), str)
    fragments = amounts.split_fragments(text)
    assert all(isinstance(f, str) for f in fragments)
    found, words = amounts.read_period(text, period)
    assert isinstance(found, str) and isinstance(words, str)
    assert all(c == c.upper() and c for c in amounts.stated_currencies(text))


#: Words around a number in a claim that make no period phrase and no year (issue 14's guard).
FILLER = ["Iran", "gave", "Hamas", "funding", "cash", "money", "suitcases", "of", "the", "to"]
FILLER += ["and", "Geld", "dinheiro", "soldi", "argent", "المال", "about", "more than", "dollars"]
FILLER += ["$", "€", "euros", "million", "Millionen", "مليون", "the movement", "weapons", ","]
#: Number words and share words in the six languages (what the guard must see).
NUMBERISH = ["three", "fifty", "drei", "fünfzig", "tre", "cinquanta", "três", "cinquenta"]
NUMBERISH += ["trois", "cinquante", "ثلاثة", "خمسين", "half of", "a third of", "most of", "ثلث"]
NUMBERISH += ["die Hälfte", "la metà", "metade", "la moitié", "um terço", "tens of", "مليونا"]


def _numberish() -> st.SearchStrategy[str]:
    not_a_year = st.integers(0, 10**7).filter(lambda n: not 1900 <= n <= 2099).map(str)
    return st.one_of(not_a_year, st.sampled_from(NUMBERISH))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(FILLER), max_size=6),
    _numberish(),
    st.lists(st.sampled_from(FILLER), max_size=6),
    st.sampled_from(["", "USD", "EUR"]),
)
def test_a_number_or_share_word_is_never_parsed_without_an_amount(
    before: list[str], number: str, after: list[str], currency: str
) -> None:
    parsed = amounts.parse_amount(" ".join([*before, number, *after]), currency, "")
    values = (parsed.amount_low, parsed.amount_high, parsed.share_low, parsed.share_high)
    assert parsed.parse_status == "unparsed" or any(v is not None for v in values), parsed
    if parsed.parse_status == "unparsed":
        assert parsed.parse_reason


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_with_no_amount_read_holds_no_digit(text: str) -> None:
    parsed = amounts.parse_amount(text, "USD", "")
    values = (parsed.amount_low, parsed.amount_high, parsed.share_low, parsed.share_high)
    if parsed.parse_status != "unparsed" and all(v is None for v in values):
        outside_years = re.sub(r"(?<!\d)(19|20)\d\d(?!\d)", "", latin_digits(text))
        assert not re.search(r"[0-9]", outside_years), parsed
