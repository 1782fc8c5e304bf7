"""The amount parser against issue 5's rules table, row by row and language by language, plus
properties that must hold for any text (hypothesis)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.parse.amounts import (
    AMOUNT_KINDS,
    BOUNDS,
    PARSE_STATUSES,
    PERIODS,
    ParsedAmount,
    parse_amount,
    read_period,
)
from analysis.parse.annualise import annual_usd

M, B = 1e6, 1e9


def _read(text: str, currency: str = "", period: str = "") -> ParsedAmount:
    return parse_amount(text, currency, period)


def _expect(parsed: ParsedAmount, **expected: object) -> None:
    got = {k: getattr(parsed, k) for k in expected}
    assert got == expected, f"{parsed}"


# --- rule: a plain number → exact, low = high --------------------------------------------------
@pytest.mark.parametrize(
    ("text", "currency", "value"),
    [
        ("$50 million", "USD", 50 * M),
        ("£500m", "GBP", 500 * M),
        ("US$30 million", "USD", 30 * M),
        ("USD 20 million", "USD", 20 * M),
        ("$ 30 million", "USD", 30 * M),
        ("a total of $70 million", "USD", 70 * M),
        ("$100 m", "USD", 100 * M),
        ("$7,000", "USD", 7000.0),
        ("$1.5 billion", "USD", 1.5 * B),
        ("only $17 billion", "USD", 17 * B),
    ],
)
def test_plain_number_is_exact(text: str, currency: str, value: float) -> None:
    _expect(
        _read(text),
        amount_kind="absolute",
        bound="exact",
        currency=currency,
        amount_low=value,
        amount_high=value,
        parse_status="parsed",
    )


# --- rule: hedges → approximate ------------------------------------------------------------------
@pytest.mark.parametrize(
    "hedge",
    ["about", "around", "approximately", "some", "roughly", "an estimated", "nearly", "almost"],
)
def test_hedge_is_approximate(hedge: str) -> None:
    _expect(
        _read(f"{hedge} $100 million"),
        bound="approximate",
        amount_low=100 * M,
        amount_high=100 * M,
        parse_status="parsed",
    )


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("rund 100 Millionen Dollar", "approximate"),  # de
        ("circa 100 milioni di dollari", "approximate"),  # it
        ("cerca de 100 milhões de dólares", "approximate"),  # pt
        ("environ 100 millions de dollars", "approximate"),  # fr
        ("حوالي 100 مليون دولار", "approximate"),  # ar
        ("mehr als 100 Millionen Dollar", "at_least"),
        ("più di 100 milioni di dollari", "at_least"),
        ("mais de 100 milhões de dólares", "at_least"),
        ("plus de 100 millions de dollars", "at_least"),
        ("أكثر من 100 مليون دولار", "at_least"),
        ("bis zu 100 Millionen Dollar", "at_most"),
        ("fino a 100 milioni di dollari", "at_most"),
        ("até 100 milhões de dólares", "at_most"),
        ("jusqu'à 100 millions de dollars", "at_most"),
    ],
)
def test_qualifiers_in_other_languages(text: str, bound: str) -> None:
    parsed = _read(text)
    assert (parsed.bound, parsed.currency, parsed.parse_status) == (bound, "USD", "parsed")
    assert 100 * M in (parsed.amount_low, parsed.amount_high)


# --- rule: floors and ceilings --------------------------------------------------------------------
@pytest.mark.parametrize("floor", ["more than", "over", "at least", "upwards of", "in excess of"])
def test_floor_is_at_least_with_open_high(floor: str) -> None:
    _expect(_read(f"{floor} $120 million"), bound="at_least", amount_low=120 * M, amount_high=None)


@pytest.mark.parametrize("ceiling", ["up to", "as much as", "no more than", "less than", "under"])
def test_ceiling_is_at_most_with_open_low(ceiling: str) -> None:
    _expect(_read(f"{ceiling} $120 million"), bound="at_most", amount_low=None, amount_high=120 * M)


# --- rule: ranges ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("between $500 million and 1 billion", 500 * M, 1 * B),
        ("between 10 and 20 million dollars", 10 * M, 20 * M),
        ("25 to $50 million", 25 * M, 50 * M),
        ("$25-50 million", 25 * M, 50 * M),
        ("$25–50 million", 25 * M, 50 * M),
        ("about 25 to $50 million", 25 * M, 50 * M),  # a hedge around a range: still a range
        ("zwischen 10 und 20 Millionen Dollar", 10 * M, 20 * M),
        ("entre 10 e 20 milhões de dólares", 10 * M, 20 * M),
    ],
)
def test_range_shares_its_unit_and_currency(text: str, low: float, high: float) -> None:
    _expect(
        _read(text),
        bound="range",
        currency="USD",
        amount_low=low,
        amount_high=high,
        parse_status="parsed",
    )


# --- rule: vague magnitudes -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("tens of millions of dollars", 10 * M, 100 * M),
        ("hundreds of millions of dollars", 100 * M, 1000 * M),
        ("several hundred million dollars a year", 300 * M, 900 * M),
        ("tens of billions of dollars", 10 * B, 100 * B),
        ("to the tune of hundreds of millions of dollars", 100 * M, 1000 * M),
        ("centinaia di milioni di dollari", 100 * M, 1000 * M),
        ("عشرات الملايين من الدولارات", 10 * M, 100 * M),
    ],
)
def test_vague_magnitudes(text: str, low: float, high: float) -> None:
    _expect(_read(text), bound="vague", amount_low=low, amount_high=high, currency="USD")


# --- rule: shares ---------------------------------------------------------------------------------
@pytest.mark.parametrize("words", ["most of", "the majority of", "the bulk of"])
def test_share_of_an_amount_is_half_to_all_of_it(words: str) -> None:
    _expect(
        _read(f"{words} the $260m"),
        amount_kind="share",
        share_low=0.5,
        share_high=1.0,
        amount_low=130 * M,
        amount_high=260 * M,
        currency="USD",
        parse_status="parsed",
    )


def test_share_of_something_else_has_no_amount() -> None:
    _expect(
        _read("the majority of the funding"),
        amount_kind="share",
        share_low=0.5,
        share_high=1.0,
        amount_low=None,
        amount_high=None,
        currency=None,
        parse_status="parsed",
    )


@pytest.mark.parametrize(
    ("text", "share", "bound"),
    [
        ("90%", 0.9, "exact"),
        ("75 percent of the budget", 0.75, "exact"),
        ("60 Prozent der Mittel", 0.6, "exact"),  # de
        ("90% do orçamento militar do Hamas", 0.9, "exact"),  # pt
        ("Some 75% of the Hamas budget", 0.75, "approximate"),
    ],
)
def test_percent_is_an_exact_share(text: str, share: float, bound: str) -> None:
    _expect(_read(text), amount_kind="share", share_low=share, share_high=share, bound=bound)


# --- rule: number words and multipliers -----------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("one hundred and fifty million dollars", 150 * M, "USD"),
        ("a quarter-billion dollars", 0.25 * B, "USD"),
        ("half a million dollars", 0.5 * M, "USD"),
        ("$5mn", 5 * M, "USD"),
        ("$5 million", 5 * M, "USD"),
        ("234 Mio. Euro", 234 * M, "EUR"),
        ("500 Millionen Dollar", 500 * M, "USD"),
        ("500 milioni di dollari", 500 * M, "USD"),
        ("500 milhões de dólares", 500 * M, "USD"),
        ("500 millions de dollars", 500 * M, "USD"),
        ("500 مليون دولار", 500 * M, "USD"),
        ("$2bn", 2 * B, "USD"),
        ("2 billion dollars", 2 * B, "USD"),
        ("2 Milliarden Dollar", 2 * B, "USD"),
        ("2 miliardi di dollari", 2 * B, "USD"),
        ("2 bilhões de dólares", 2 * B, "USD"),
        ("2 milliards de dollars", 2 * B, "USD"),
        ("fünfhundert Millionen Dollar", 500 * M, "USD"),
        ("cinquecento milioni di dollari", 500 * M, "USD"),
        ("quinhentos milhões de dólares", 500 * M, "USD"),
        ("cinq cents millions de dollars", 500 * M, "USD"),
        ("خمسمائة مليون دولار", 500 * M, "USD"),
        ("مائة وخمسون مليون دولار", 150 * M, "USD"),
        ("نصف مليون دولار", 0.5 * M, "USD"),
        ("مليون دولار", 1 * M, "USD"),
        ("٥٠٠ مليون دولار", 500 * M, "USD"),  # Arabic-Indic digits
    ],
)
def test_number_words_and_multipliers(text: str, value: float, currency: str) -> None:
    _expect(
        _read(text),
        amount_kind="absolute",
        amount_low=value,
        amount_high=value,
        currency=currency,
        parse_status="parsed",
    )


def test_currency_comes_from_the_column_when_the_text_has_none() -> None:
    _expect(_read("500 millions", "USD"), currency="USD", amount_low=500 * M, parse_status="parsed")


def test_no_currency_anywhere_is_partial() -> None:
    parsed = _read("500 Millionen")
    assert parsed.parse_status == "partial" and "no currency" in parsed.parse_reason


# --- rule: period words ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("amount", "period_text", "period"),
    [
        ("$5 million a year", "", "year"),
        ("$5 million annually", "", "year"),
        ("$5m in annual funding", "", "year"),
        ("$5m per year", "", "year"),
        ("$5m yearly", "", "year"),
        ("5 Millionen Dollar jährlich", "", "year"),
        ("5 Millionen Dollar pro Jahr", "", "year"),
        ("5 milioni di dollari all'anno", "", "year"),
        ("5 milhões de dólares por ano", "", "year"),
        ("$5 million a month", "", "month"),
        ("$5m monthly", "", "month"),
        ("$5m per month", "", "month"),
        ("5 Millionen Dollar pro Monat", "", "month"),
        ("5 milioni di dollari al mese", "", "month"),
        ("5 milhões de dólares por mês", "", "month"),
        ("$5m", "in 2017", "year"),
        ("$5m", "this year", "year"),
        ("$5m", "last year", "year"),
        ("$5m", "during the course of 2007", "year"),
        ("$5m", "one-off", "one_off"),
        ("a grant of $5m", "", "one_off"),
        ("$5m in cash once", "", "one_off"),
        ("$5m", "between 2014 and 2020", "total"),
        ("$5m", "since 2012", "total"),
        ("$5m", "over three decades", "total"),
        ("$5m", "cumulative", "total"),
        ("$5m", "", "unspecified"),
        ("$5m", "annually, 1993 to 2006", "year"),  # a rate over a span is a rate
        ("USD 20 million per month over two years", "", "month"),
    ],
)
def test_period_words(amount: str, period_text: str, period: str) -> None:
    assert _read(amount, "", period_text).period == period


# --- rule: fragments ------------------------------------------------------------------------------
def test_first_fragment_is_the_claim() -> None:
    _expect(
        _read("about $100 million | $260 million", "USD", "in 2017"),
        bound="approximate",
        amount_low=100 * M,
        amount_high=100 * M,
        period="year",
    )


def test_context_fragment_is_the_x_of_a_share() -> None:
    _expect(
        _read("most of the funding | $260 million"),
        amount_kind="share",
        amount_low=130 * M,
        amount_high=260 * M,
    )


def test_share_of_that_amount_in_context_refers_to_the_first_fragment() -> None:
    _expect(
        _read("$540 million | the bulk of that amount annually", "USD", "annually"),
        amount_kind="share",
        share_low=0.5,
        share_high=1.0,
        amount_low=270 * M,
        amount_high=540 * M,
        period="year",
    )


# --- rule: no number at all -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "text", ["funding", "suitcases of cash", "Wiederaufnahme der Zahlungen", "بالمال والسلاح"]
)
def test_no_number_is_none_and_parsed(text: str) -> None:
    _expect(_read(text), amount_kind="none", bound="none", amount_low=None, parse_status="parsed")


# --- never a guess --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "currency", "reason"),
    [
        ("$9 million and 2 million euros", "USD/EUR", "amounts joined by 'and'"),
        ("um etwa 60 Prozent zurückgegangen", "", "percentage change"),
        ("rund 100", "USD", "without a currency or unit"),
        ("millions of dollars", "", "magnitude without a number"),
        ("150% of the budget", "", "above 100%"),
        ("£14m", "USD", "not currency_as_stated"),
        ("5 million", "EUR/USD", "several stated"),
        ("$50 to $20 million", "", "reversed"),
        ("", "", "empty"),
    ],
)
def test_what_the_rules_cannot_read_is_unparsed_with_a_reason(
    text: str, currency: str, reason: str
) -> None:
    parsed = _read(text, currency)
    assert parsed.parse_status == "unparsed"
    assert reason in parsed.parse_reason
    assert (parsed.amount_low, parsed.amount_high, parsed.share_low) == (None, None, None)


def test_per_family_amount_is_partial() -> None:
    parsed = _read("$7,000 | $30,000", "USD", "per family (one-off)")
    assert (parsed.parse_status, parsed.amount_low) == ("partial", 7000.0)
    assert "per family" in parsed.parse_reason


def test_bracketed_conversion_is_ignored_and_noted() -> None:
    parsed = _read("around $23m (£14m) a month", "USD/GBP")
    assert (parsed.currency, parsed.amount_low, parsed.period) == ("USD", 23 * M, "month")
    assert "conversion" in parsed.parse_reason


def test_read_period_names_the_words() -> None:
    assert read_period("$5m", "per month over two years") == ("month", "per month")


# --- properties -----------------------------------------------------------------------------------
def _consistent(p: ParsedAmount) -> None:
    assert p.amount_kind in AMOUNT_KINDS and p.bound in BOUNDS
    assert p.period in PERIODS and p.parse_status in PARSE_STATUSES
    if p.parse_status != "parsed":
        assert p.parse_reason
    if p.amount_low is not None and p.amount_high is not None:
        assert p.amount_low <= p.amount_high
    for share in (p.share_low, p.share_high):
        assert share is None or 0.0 <= share <= 1.0
    if p.share_low is not None and p.share_high is not None:
        assert p.share_low <= p.share_high
    for value in (p.amount_low, p.amount_high):
        assert value is None or (math.isfinite(value) and value >= 0)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.text(max_size=10), st.text(max_size=40))
def test_any_text_reads_without_crashing(amount: str, currency: str, period: str) -> None:
    _consistent(parse_amount(amount, currency, period))


WORDS = ["about", "more than", "up to", "most of the", "between", "and", "to", "-", "(", ")", "|"]
WORDS += ["$", "£", "€", "million", "m", "bn", "Millionen", "milhões", "مليون", "%", "percent"]
WORDS += ["tens of", "hundreds of", "a year", "a month", "half a", "one", "fifty", "of", "dollars"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(WORDS),
            st.integers(0, 10**6).map(str),
            st.decimals(0, 1000, places=2).map(str),
        ),
        max_size=9,
    )
)
def test_amount_like_text_keeps_the_invariants(parts: list[str]) -> None:
    _consistent(parse_amount(" ".join(parts), "USD", ""))


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["", "about ", "some ", "at least ", "up to "]),
    st.integers(1, 999),
    st.sampled_from([("million", M), ("m", M), ("billion", B), ("bn", B)]),
)
def test_generated_amounts_read_back(qualifier: str, number: int, unit: tuple[str, float]) -> None:
    word, factor = unit
    parsed = parse_amount(f"{qualifier}${number} {word} a year", "USD", "")
    value = number * factor
    assert parsed.parse_status == "parsed" and parsed.period == "year"
    assert value in (parsed.amount_low, parsed.amount_high)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 10**4), st.integers(1999, 2024))
def test_a_month_annualises_times_twelve(millions: int, year: int) -> None:
    monthly = parse_amount(f"${millions} million a month", "USD", "")
    yearly = parse_amount(f"${millions} million a year", "USD", "")
    per_month = annual_usd(monthly.amount_low, monthly.amount_high, "USD", monthly.period, year)
    per_year = annual_usd(yearly.amount_low, yearly.amount_high, "USD", yearly.period, year)
    assert per_month[1] == pytest.approx(12 * per_year[1])
    assert per_month[2] == pytest.approx(12 * per_year[2])
