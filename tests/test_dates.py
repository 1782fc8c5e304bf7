"""Date parsers (Jalali, Gregorian, US, ISO, Excel serial) and the Iranian fiscal year."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.parse import dates as d


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1397/01/01", date(2018, 3, 21)),
        ("1397-1-1", date(2018, 3, 21)),
        ("۱۳۹۷/۰۱/۰۱", date(2018, 3, 21)),  # Persian digits
        ("١٣٩٧/٠١/٠١", date(2018, 3, 21)),  # Arabic-Indic digits
        ("77/01/01", date(1998, 3, 21)),  # two-digit year: 77 = 1377
        ("02/01/01", date(2023, 3, 21)),  # 02 = 1402
        ("1399/12/30", date(2021, 3, 20)),  # 1399 is a leap year
        ("1390/09/10", date(2011, 12, 1)),
    ],
)
def test_parse_jalali(text: str, expected: date) -> None:
    assert d.parse_jalali(text) == expected


@pytest.mark.parametrize(
    "text", ["1397/13/40", "1398/12/30", "1397/00/10", "", "abc", None, float("nan"), "1397"]
)
def test_impossible_or_unreadable_jalali_is_none(text: object) -> None:
    assert d.parse_jalali(text) is None


@pytest.mark.parametrize(
    ("func", "text", "expected"),
    [
        (d.parse_gregorian, "2018/01/01", date(2018, 1, 1)),
        (d.parse_gregorian, "2019/02/30", None),
        (d.parse_gregorian, "18/01/01", None),  # no two-digit Gregorian years
        (d.parse_iso, "2018-01-31", date(2018, 1, 31)),
        (d.parse_iso, "2018-01-31T12:00:00Z", date(2018, 1, 31)),
        (d.parse_iso, "2018/01/31", None),
        (d.parse_us, "12/01/2011", date(2011, 12, 1)),
        (d.parse_us, "27/11/2011", None),
        (d.parse_dmy, "27/11/2011", date(2011, 11, 27)),
        (d.from_excel_serial, 31917.0, date(1987, 5, 20)),  # EIA: 31917 = 1987-05-20
        (d.from_excel_serial, "43325", date(2018, 8, 13)),
        (d.from_excel_serial, 60, None),  # Excel's fictitious 1900-02-29
        (d.from_excel_serial, True, None),
        (d.from_excel_serial, float("inf"), None),
    ],
)
def test_gregorian_us_iso_and_excel(func: object, text: object, expected: date | None) -> None:
    assert func(text) == expected  # type: ignore[operator]


def test_series_helpers_parse_once_per_value_and_give_nat() -> None:
    values = pd.Series(["1397/01/01", "bad", None, "1397/01/01"], index=[5, 6, 7, 8])
    parsed = d.to_dates(values, "jalali")
    assert str(parsed.dtype) == "datetime64[ns]" and parsed.index.tolist() == [5, 6, 7, 8]
    assert parsed.isna().tolist() == [False, True, True, False]
    assert d.to_jalali_text(parsed).tolist() == ["1397/01/01", None, None, "1397/01/01"]
    assert d.fiscal_years(parsed).tolist()[0] == 1397
    serials = d.excel_serials_to_dates(pd.Series([31917.0, pd.Timestamp("2018-08-13"), "x"]))
    assert serials.tolist()[:2] == [pd.Timestamp("1987-05-20"), pd.Timestamp("2018-08-13")]


def test_fiscal_year_starts_on_1_farvardin() -> None:
    assert d.fiscal_year(date(2018, 3, 20)) == 1396
    assert d.fiscal_year(pd.Timestamp("2018-03-21")) == 1397
    assert d.fiscal_year_bounds(1397) == (date(2018, 3, 21), date(2019, 3, 20))
    assert d.fiscal_year_bounds(1399)[1] == date(2021, 3, 20)  # leap year: 366 days


ANY_INPUT = st.one_of(st.text(), st.none(), st.integers(), st.floats(), st.booleans(), st.dates())


@given(ANY_INPUT)
def test_arbitrary_input_never_crashes(value: object) -> None:
    for style in ("jalali", "gregorian", "iso", "us", "dmy"):
        result = d.parse_date(value, style)  # type: ignore[arg-type]
        assert result is None or isinstance(result, date)
    assert d.from_excel_serial(value) is None or isinstance(d.from_excel_serial(value), date)


@given(st.text(alphabet="0123456789۰۱۲۳۴۵۶۷۸۹/-. ", max_size=14))
def test_date_like_text_never_crashes(text: str) -> None:
    assert d.parse_jalali(text) is None or isinstance(d.parse_jalali(text), date)


@given(st.integers(1, 3000), st.integers(1, 12), st.integers(1, 31))
def test_jalali_gregorian_jalali_round_trip(year: int, month: int, day: int) -> None:
    gregorian = d.jalali_to_gregorian(year, month, day)
    month_length = 31 if month <= 6 else 30 if month <= 11 else 29  # Esfand: 30 in leap years
    if day <= month_length:
        assert gregorian is not None
    elif day > month_length + (month == 12):
        assert gregorian is None
    if gregorian is not None:
        assert d.gregorian_to_jalali(gregorian) == (year, month, day)
        assert d.parse_jalali(f"{year:04d}/{month:02d}/{day:02d}") == gregorian


@given(st.dates(min_value=date(700, 1, 1)))
def test_gregorian_jalali_gregorian_round_trip(day: date) -> None:
    text = d.jalali_text(day)
    assert text is not None and d.parse_jalali(text) == day


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9000, 1, 1)))
def test_a_date_lies_within_its_fiscal_year(day: date) -> None:
    start, end = d.fiscal_year_bounds(d.fiscal_year(day))
    assert start <= day <= end
    assert d.fiscal_year(start - timedelta(days=1)) == d.fiscal_year(day) - 1
    assert (end - start).days + 1 in (365, 366)


@given(st.dates(min_value=date(1900, 3, 1)))
def test_excel_serial_round_trip(day: date) -> None:
    serial = (day - d.EXCEL_EPOCH).days
    assert d.from_excel_serial(float(serial) + 0.5) == day


@pytest.mark.parametrize(
    ("written", "full"), [(77, 1377), (99, 1399), (100, 1400), (102, 1402), (2, 1402), (1397, 1397)]
)
def test_one_rule_for_short_jalali_years(written: int, full: int) -> None:
    """The SCI workbooks' year columns (77-102) and two-digit years in dates read alike."""
    from analysis.clean import jalali

    assert d.expand_jalali_year(written) == full
    assert jalali.to_start_years(pd.Series([written])).item() == jalali.gregorian_start_year(full)
