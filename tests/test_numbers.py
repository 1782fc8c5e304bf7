"""Number parsing: tokens, separators, digits; arbitrary text never crashes."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.parse.numbers import is_na_token, latin_digits, parse_number, to_numeric


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42.0),
        ("-3.5", -3.5),
        ("1,350", 1350.0),
        ("38,748.405", 38748.405),
        ("1.52%", 1.52),
        ("۴۲۹۰", 4290.0),
        ("٤٢٩٠", 4290.0),
        ("1e3", 1000.0),
        (" 7 ", 7.0),
        (7, 7.0),
        (2.5, 2.5),
    ],
)
def test_parse_number_reads_numbers(text: object, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    ["", "n/a", "--", "...", ". .", "xxx", "–", "-", None, float("nan"), "abc", "1,35", "1e999"],
)
def test_parse_number_missing_or_bad_is_none(text: object) -> None:
    assert parse_number(text) is None


def test_percent_flag_divides_by_100() -> None:
    assert parse_number("25%", percent=True) == pytest.approx(0.25)


def test_to_numeric_reads_defects_and_gaps_as_missing() -> None:
    values = pd.Series(["1", "x1", "...", "", "2,000", None])
    assert to_numeric(values).isna().tolist() == [False, True, True, True, False, True]


def test_latin_digits_and_tokens() -> None:
    assert latin_digits("۱۳۹۷/۰۱/۰۱") == "1397/01/01"
    assert is_na_token(" N/A ") and not is_na_token("0")


@given(st.text())
def test_any_text_never_crashes_and_gives_finite_or_none(text: str) -> None:
    value = parse_number(text)
    assert value is None or math.isfinite(value)
