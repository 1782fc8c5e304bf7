"""The amount parser against its rules (docs/amount-rules.md), row by row and language by
language, plus properties that must hold for any text (hypothesis)."""

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


# === issue 14: wordings the second unseen set showed (made-up examples, several languages) ======
THIRD, TWO_THIRDS = 1 / 3, 2 / 3


# --- fractions and idioms for a share -------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("a third of its budget", THIRD),
        ("one third of the movement's funding", THIRD),
        ("two thirds of the money", TWO_THIRDS),
        ("a quarter of the budget", 0.25),
        ("three quarters of its income", 0.75),
        ("half the money", 0.5),
        ("um terço do orçamento", THIRD),  # pt
        ("dois terços do financiamento", TWO_THIRDS),
        ("metade do dinheiro", 0.5),
        ("un terzo del bilancio", THIRD),  # it
        ("la metà dei fondi", 0.5),
        ("tre quarti dei finanziamenti", 0.75),
        ("ein Drittel des Budgets", THIRD),  # de
        ("die Hälfte der Gelder", 0.5),
        ("zwei Drittel der Mittel", TWO_THIRDS),
        ("un tiers du budget", THIRD),  # fr
        ("la moitié de l'argent", 0.5),
        ("ثلث الميزانية", THIRD),  # ar
        ("نصف التمويل", 0.5),
        ("ربع ميزانية الحركة", 0.25),
    ],
)
def test_fraction_words_are_exact_shares(text: str, share: float) -> None:
    _expect(
        _read(text),
        amount_kind="share",
        bound="exact",
        share_low=pytest.approx(share),
        share_high=pytest.approx(share),
        parse_status="parsed",
    )


@pytest.mark.parametrize(
    "text",
    [
        "the bulk of the money",
        "the lion's share of the funding",
        "the greater part of its budget",
        "la maggior parte dei fondi",
        "il grosso dei finanziamenti",
        "der Löwenanteil der Gelder",
        "die meisten Mittel",
        "a maior parte do financiamento",
        "o grosso do dinheiro",
        "la majeure partie du financement",
        "la part du lion",
        "الجزء الأكبر من التمويل",
        "معظم الأموال",
    ],
)
def test_share_idioms_are_half_to_all(text: str) -> None:
    _expect(_read(text), amount_kind="share", bound="range", share_low=0.5, share_high=1.0)


@pytest.mark.parametrize(
    ("text", "currency", "low", "high"),
    [
        ("a third of the $300 million", "USD", 100 * M, 100 * M),
        ("um terço dos 300 milhões de dólares", "USD", 100 * M, 100 * M),
        ("die Hälfte der 300 Millionen Dollar", "USD", 150 * M, 150 * M),
        ("ثلث الـ300 مليون دولار", "USD", 100 * M, 100 * M),
    ],
)
def test_fraction_of_an_amount(text: str, currency: str, low: float, high: float) -> None:
    parsed = _read(text)
    assert parsed.amount_kind == "share" and parsed.currency == currency
    assert (parsed.amount_low, parsed.amount_high) == (pytest.approx(low), pytest.approx(high))


def test_a_third_of_a_billion_is_an_amount() -> None:
    parsed = _read("a third of a billion dollars")
    assert (parsed.amount_kind, parsed.currency) == ("absolute", "USD")
    assert parsed.amount_low == pytest.approx(B / 3)


@pytest.mark.parametrize(
    "text",
    [
        "a large part of the budget",
        "a significant portion of the funding",
        "ein großer Teil der Gelder",
        "gran parte dei fondi",
        "uma grande parte do dinheiro",
        "une grande partie du financement",
        "جزء كبير من التمويل",
    ],
)
def test_share_with_no_stated_fraction_is_unparsed(text: str) -> None:
    parsed = _read(text)
    assert parsed.parse_status == "unparsed" and "no stated fraction" in parsed.parse_reason


# --- floors, ceilings and hedges in other languages -----------------------------------------------
@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("not less than $100 million", "at_least"),
        ("a minimum of $100 million", "at_least"),
        ("nicht weniger als 100 Millionen Dollar", "at_least"),  # de
        ("mindestens 100 Millionen Dollar", "at_least"),
        ("wenigstens 100 Millionen Dollar", "at_least"),
        ("almeno 100 milioni di dollari", "at_least"),  # it
        ("non meno di 100 milioni di dollari", "at_least"),
        ("pelo menos 100 milhões de dólares", "at_least"),  # pt
        ("no mínimo 100 milhões de dólares", "at_least"),
        ("não menos de 100 milhões de dólares", "at_least"),
        ("au moins 100 millions de dollars", "at_least"),  # fr
        ("pas moins de 100 millions de dollars", "at_least"),
        ("ما لا يقل عن 100 مليون دولار", "at_least"),  # ar
        ("لا يقل عن 100 مليون دولار", "at_least"),
        ("ما يزيد على 100 مليون دولار", "at_least"),
        ("على الأقل 100 مليون دولار", "at_least"),
        ("etwa 100 Millionen Dollar", "approximate"),
        ("fast 100 Millionen Dollar", "approximate"),
        ("schätzungsweise 100 Millionen Dollar", "approximate"),
        ("quasi 100 milioni di dollari", "approximate"),
        ("cerca de 100 milhões de dólares", "approximate"),
        ("em torno de 100 milhões de dólares", "approximate"),
        ("environ 100 millions de dollars", "approximate"),
        ("quelque 100 millions de dollars", "approximate"),
        ("près de 100 millions de dollars", "approximate"),
        ("حوالي 100 مليون دولار", "approximate"),
        ("ما يقرب من 100 مليون دولار", "approximate"),
        ("بحوالي 100 مليون دولار", "approximate"),  # ب clings to the hedge
        ("höchstens 100 Millionen Dollar", "at_most"),
        ("al massimo 100 milioni di dollari", "at_most"),
        ("no máximo 100 milhões de dólares", "at_most"),
        ("au maximum 100 millions de dollars", "at_most"),
    ],
)
def test_floors_and_hedges_in_other_languages(text: str, bound: str) -> None:
    parsed = _read(text)
    assert (parsed.bound, parsed.currency, parsed.parse_status) == (bound, "USD", "parsed")
    assert 100 * M in (parsed.amount_low, parsed.amount_high)


@pytest.mark.parametrize(
    ("text", "bound", "low", "high"),
    [
        ("$100 million or more", "at_least", 100 * M, None),
        ("100 Millionen Dollar oder mehr", "at_least", 100 * M, None),
        ("100 milhões de dólares ou mais", "at_least", 100 * M, None),
        ("100 مليون دولار على الأقل", "at_least", 100 * M, None),
        ("100 مليون دولار تقريبا", "approximate", 100 * M, 100 * M),
        ("$100 million or so", "approximate", 100 * M, 100 * M),
        ("100 millions de dollars ou moins", "at_most", None, 100 * M),
    ],
)
def test_qualifier_after_the_amount(
    text: str, bound: str, low: float | None, high: float | None
) -> None:
    _expect(_read(text), bound=bound, amount_low=low, amount_high=high, parse_status="parsed")


# --- Arabic duals, number words and digits --------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("مليونا دولار", 2 * M),
        ("مليوني دولار", 2 * M),
        ("مليونان من الدولارات", 2 * M),
        ("بمليوني دولار", 2 * M),
        ("ملياران من الدولارات", 2 * B),
        ("ملياري دولار", 2 * B),
        ("مليارين من الدولارات", 2 * B),
        ("ألفا دولار", 2000.0),
        ("مليون ونصف دولار", 1.5 * M),
        ("مليار ونصف المليار دولار", 1.5 * B),
        ("مليار و500 مليون دولار", 1.5 * B),
        ("ثلاثمائة مليون دولار", 300 * M),
        ("ثلاث مئة مليون دولار", 300 * M),
        ("عشرة ملايين دولار", 10 * M),
        ("خمسة وعشرون مليون دولار", 25 * M),
        ("٣٠٠ مليون دولار", 300 * M),
        ("١٫٥ مليار دولار", 1.5 * B),
    ],
)
def test_arabic_duals_and_number_words(text: str, value: float) -> None:
    _expect(
        _read(text),
        amount_kind="absolute",
        bound="exact",
        currency="USD",
        amount_low=value,
        amount_high=value,
        parse_status="parsed",
    )


# --- period words in other languages -------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("3 milioni di dollari l'anno", "year"),  # it
        ("3 milioni di dollari ogni anno", "year"),
        ("3 milioni di dollari ogni mese", "month"),
        ("3 milhões de dólares ao ano", "year"),  # pt
        ("3 milhões de dólares anualmente", "year"),
        ("3 milhões de dólares ao mês", "month"),
        ("3 milhões de dólares mensalmente", "month"),
        ("3 مليون دولار سنويا", "year"),  # ar
        ("3 ملايين دولار شهريا", "month"),
        ("3 ملايين دولار كل عام", "year"),
        ("3 Millionen Dollar im Jahr", "year"),  # de
        ("3 Millionen Dollar jedes Jahr", "year"),
        ("3 Millionen Dollar im Monat", "month"),
        ("3 millions de dollars chaque année", "year"),  # fr
        ("3 millions de dollars l'an", "year"),
        ("3 millions de dollars par mois", "month"),
        ("3 millions de dollars chaque mois", "month"),
        ("3 millions de dollars tous les ans", "year"),
        ("$3 million", "year"),
    ],
)
def test_period_words_in_other_languages(text: str, period: str) -> None:
    period_text = "next year" if text == "$3 million" else ""
    assert _read(text, "USD", period_text).period == period


# --- an amount and its conversion -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "stated", "currency", "bound", "value"),
    [
        ("$50 million (about €46 million)", "USD", "USD", "exact", 50 * M),
        ("über 150 Millionen US-Dollar (140 Mio Euro)", "USD", "USD", "at_least", 150 * M),
        ("100 milioni di dollari (circa 92 milioni di euro)", "USD", "USD", "exact", 100 * M),
        ("50 مليون دولار (نحو 46 مليون يورو)", "USD", "USD", "exact", 50 * M),
        ("€46m (roughly $50m)", "EUR/USD", "EUR", "exact", 46 * M),
        ("$50 million, or about €46 million", "USD", "USD", "exact", 50 * M),
        (
            "cerca de 50 milhões de dólares, ou seja 46 milhões de euros",
            "USD",
            "USD",
            "approximate",
            50 * M,
        ),
    ],
)
def test_bracketed_conversion_is_not_a_second_amount(
    text: str, stated: str, currency: str, bound: str, value: float
) -> None:
    parsed = _read(text, stated)
    assert (parsed.currency, parsed.bound, parsed.parse_status) == (currency, bound, "parsed")
    assert value in (parsed.amount_low, parsed.amount_high)
    assert "conversion" in parsed.parse_reason


def test_and_between_two_currencies_is_still_two_amounts() -> None:
    assert _read("$9 million e 2 milioni di euro", "USD/EUR").parse_status == "unparsed"


# --- ranges whose ends are vague ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("tens to hundreds of millions of dollars", 10 * M, 1000 * M),
        ("between tens and hundreds of millions of dollars", 10 * M, 1000 * M),
        ("einige zehn bis einige hundert Millionen Dollar", 10 * M, 900 * M),
        ("dezenas a centenas de milhões de dólares", 10 * M, 1000 * M),
        ("da decine a centinaia di milioni di dollari", 10 * M, 1000 * M),
        ("des dizaines à des centaines de millions de dollars", 10 * M, 1000 * M),
        ("عشرات إلى مئات الملايين من الدولارات", 10 * M, 1000 * M),
        ("from several hundred million to a billion dollars", 300 * M, 1 * B),
    ],
)
def test_range_with_vague_ends(text: str, low: float, high: float) -> None:
    _expect(
        _read(text),
        amount_kind="absolute",
        bound="vague",
        currency="USD",
        amount_low=low,
        amount_high=high,
        parse_status="parsed",
    )


# --- a level raised (or cut) from one figure to another: the new level ---------------------------
@pytest.mark.parametrize(
    ("text", "bound", "low", "high", "period"),
    [
        ("raised from $100 million to $150 million a year", "exact", 150 * M, 150 * M, "year"),
        ("increased its funding from $50m to $70m", "exact", 70 * M, 70 * M, "unspecified"),
        ("increased funding to about $150 million", "approximate", 150 * M, 150 * M, "unspecified"),
        ("cut from $23 million to $5 million a month", "exact", 5 * M, 5 * M, "month"),
        ("$30 million a month, up from $6 million", "exact", 30 * M, 30 * M, "month"),
        ("von 100 auf 150 Millionen Dollar jährlich erhöht", "exact", 150 * M, 150 * M, "year"),
        ("passou de 100 para 150 milhões de dólares por ano", "exact", 150 * M, 150 * M, "year"),
        ("è passato da 100 a 150 milioni di dollari l'anno", "exact", 150 * M, 150 * M, "year"),
        ("est passé de 100 à 150 millions de dollars par an", "exact", 150 * M, 150 * M, "year"),
        ("ارتفع من 100 مليون إلى 150 مليون دولار سنويا", "exact", 150 * M, 150 * M, "year"),
        ("raised to at least $100m", "at_least", 100 * M, None, "unspecified"),
    ],
)
def test_a_raised_level_reads_the_new_level(
    text: str, bound: str, low: float | None, high: float | None, period: str
) -> None:
    _expect(
        _read(text, "USD"),
        bound=bound,
        amount_low=low,
        amount_high=high,
        period=period,
        parse_status="parsed",
    )


@pytest.mark.parametrize(
    "text", ["increased by $50 million", "um 50 Millionen Dollar erhöht", "fell from $50 million"]
)
def test_a_change_without_the_level_reached_is_unparsed(text: str) -> None:
    parsed = _read(text, "USD")
    assert parsed.parse_status == "unparsed" and "change" in parsed.parse_reason


def test_from_to_without_a_change_verb_is_still_a_range() -> None:
    _expect(_read("from $20 million to $23 million a month"), bound="range", amount_low=20 * M)


# --- the guard: a number or a share word, no amount → unparsed ------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "three suitcases of cash",
        "2 suitcases of cash",
        "drei Koffer voller Bargeld",
        "sette valigie di contanti",
        "payments to 12 families",
        "ثلاث حقائب من النقود",
        "hundreds of fighters trained",
    ],
)
def test_a_number_with_no_amount_is_unparsed(text: str) -> None:
    parsed = _read(text)
    assert parsed.parse_status == "unparsed" and "no amount" in parsed.parse_reason
    assert (parsed.amount_low, parsed.amount_high, parsed.share_low) == (None, None, None)


@pytest.mark.parametrize(
    ("text", "period_text"),
    [
        ("payments had stopped over the past two months", ""),
        ("at a much lower rate than pre-2012", ""),
        ("a one-off grant", ""),
        ("funding since the 1990s", ""),
        ("a second tranche of aid was due, non-governmental", ""),  # words, not numbers
    ],
)
def test_years_and_period_words_are_not_amounts(text: str, period_text: str) -> None:
    _expect(_read(text, "", period_text), amount_kind="none", parse_status="parsed")


# --- more wordings found while probing (issue 14) -------------------------------------------------
@pytest.mark.parametrize(
    ("text", "bound", "low", "high"),
    [
        ("more than half of the money", "at_least", 0.5, None),
        ("nearly a third of its budget", "approximate", THIRD, THIRD),
        ("fast die Hälfte des Budgets", "approximate", 0.5, 0.5),
        ("mais da metade do orçamento", "at_least", 0.5, None),
        ("plus de la moitié du budget", "at_least", 0.5, None),
        ("أكثر من نصف الميزانية", "at_least", 0.5, None),
    ],
)
def test_a_qualifier_before_a_fraction_bounds_the_share(
    text: str, bound: str, low: float, high: float | None
) -> None:
    parsed = _read(text)
    assert (parsed.amount_kind, parsed.bound) == ("share", bound)
    assert (parsed.share_low, parsed.share_high) == (
        pytest.approx(low),
        high and pytest.approx(high),
    )


@pytest.mark.parametrize(
    ("text", "currency", "bound", "value"),
    [
        ("près d'un milliard de dollars", "USD", "approximate", 1 * B),
        ("fast eine Milliarde Dollar", "USD", "approximate", 1 * B),
        ("quase mil milhões de dólares", "USD", "approximate", 1 * B),
        ("un milliard et demi de dollars", "USD", "exact", 1.5 * B),
        ("anderthalb Milliarden Dollar", "USD", "exact", 1.5 * B),
        ("5 000 000 dollars", "USD", "exact", 5 * M),
        ("$5 000", "USD", "exact", 5000.0),
        ("más de 100 millones de dólares", "USD", "at_least", 100 * M),
        ("R$ 50 milhões", "BRL", "exact", 50 * M),
        ("50 milhões de reais", "BRL", "exact", 50 * M),
    ],
)
def test_more_number_forms(text: str, currency: str, bound: str, value: float) -> None:
    parsed = _read(text)
    assert (parsed.currency, parsed.bound, parsed.parse_status) == (currency, bound, "parsed")
    assert value in (parsed.amount_low, parsed.amount_high)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("several million dollars", 3 * M, 9 * M),
        ("mehrere Millionen Dollar", 3 * M, 9 * M),
        ("plusieurs millions de dollars", 3 * M, 9 * M),
        ("عدة ملايين من الدولارات", 3 * M, 9 * M),
        ("dozens of millions of dollars", 10 * M, 100 * M),
        ("Dutzende Millionen Dollar", 10 * M, 100 * M),
    ],
)
def test_counts_before_a_multiplier_are_vague(text: str, low: float, high: float) -> None:
    _expect(_read(text), bound="vague", amount_low=low, amount_high=high, parse_status="parsed")


@pytest.mark.parametrize(
    "text",
    ["ما بين 20 و30 مليون دولار", "من 20 إلى 30 مليون دولار", "fra i 20 e i 30 milioni di dollari"],
)
def test_range_with_articles_and_arabic_particles(text: str) -> None:
    _expect(
        _read(text), bound="range", amount_low=20 * M, amount_high=30 * M, parse_status="parsed"
    )


def test_possessive_before_the_amount_is_neutral() -> None:
    _expect(_read("half of its $100 million budget"), amount_low=50 * M, parse_status="parsed")


def test_share_of_davon_refers_to_the_first_fragment() -> None:
    parsed = _read("$300 million | ein Drittel davon", "USD")
    assert parsed.amount_kind == "share" and parsed.amount_low == pytest.approx(100 * M)


@pytest.mark.parametrize(
    "text", ["a single payment of $10 million", "un versement unique de 10 millions de dollars"]
)
def test_single_payment_is_one_off(text: str) -> None:
    assert _read(text).period == "one_off"


def test_over_the_past_decade_is_a_total() -> None:
    assert _read("more than $100 million over the past decade").period == "total"


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("$70m/year", "year"),
        ("70 Mio. USD/Jahr", "year"),
        ("$70m p.a.", "year"),
        ("$7m/month", "month"),
        ("7 milhões de dólares/mês", "month"),
    ],
)
def test_period_after_a_slash(text: str, period: str) -> None:
    assert _read(text).period == period


@pytest.mark.parametrize(
    ("text", "bound", "low", "high", "period"),
    [
        ("70 juta dolar hingga 100 juta dolar per tahun", "range", 70 * M, 100 * M, "year"),  # id
        ("sekitar 100 juta dolar per tahun", "approximate", 100 * M, 100 * M, "year"),
        ("puluhan juta dolar", "vague", 10 * M, 100 * M, "unspecified"),
        ("حدود ۱۰۰ میلیون دلار سالانه", "approximate", 100 * M, 100 * M, "year"),  # fa
        ("۱۰۰ میلیون دلار در سال", "exact", 100 * M, 100 * M, "year"),
        ("כ-100 מיליון דולר בשנה", "approximate", 100 * M, 100 * M, "year"),  # he
        ("עשרות מיליוני דולרים", "vague", 10 * M, 100 * M, "unspecified"),
    ],
)
def test_indonesian_persian_and_hebrew_wordings(
    text: str, bound: str, low: float, high: float, period: str
) -> None:
    _expect(
        _read(text),
        bound=bound,
        currency="USD",
        amount_low=low,
        amount_high=high,
        period=period,
        parse_status="parsed",
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [("أحد عشر مليون دولار", 11 * M), ("اثنا عشر مليون دولار", 12 * M), ("ثلث مليار دولار", B / 3)],
)
def test_arabic_teens_and_a_third_of_a_billion(text: str, value: float) -> None:
    parsed = _read(text)
    assert (parsed.amount_kind, parsed.currency, parsed.parse_status) == (
        "absolute",
        "USD",
        "parsed",
    )
    assert parsed.amount_low == pytest.approx(value)


def test_a_qualifier_after_a_percent() -> None:
    _expect(_read("70% or more of its budget"), bound="at_least", share_low=0.7, share_high=None)


@pytest.mark.parametrize(
    "text",
    [
        "$300 million, or a third of Hamas's budget",
        "300 Millionen Dollar, ein Drittel des Budgets",
        "$300 million, 30% of its budget",
    ],
)
def test_an_amount_before_share_words_is_the_claim(text: str) -> None:
    _expect(
        _read(text),
        amount_kind="absolute",
        amount_low=300 * M,
        amount_high=300 * M,
        share_low=None,
        parse_status="parsed",
    )


@pytest.mark.parametrize(
    ("text", "bound", "share"),
    [
        ("one-third of its budget", "exact", THIRD),
        ("two-thirds of the funding", "exact", TWO_THIRDS),
        ("all of its funding", "exact", 1.0),
        ("almost all of the money", "approximate", 1.0),
        ("a tenth of the budget", "exact", 0.1),
        ("50 pct of the budget", "exact", 0.5),
    ],
)
def test_hyphenated_and_whole_shares(text: str, bound: str, share: float) -> None:
    parsed = _read(text)
    assert (parsed.amount_kind, parsed.bound, parsed.parse_status) == ("share", bound, "parsed")
    assert parsed.share_low == pytest.approx(share)


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("north of $100 million", "at_least"),
        ("ما يفوق 100 مليون دولار", "at_least"),
        ("below $100 million", "at_most"),
        ("in the region of $100 million", "approximate"),
        ("بحدود 100 مليون دولار", "approximate"),
    ],
)
def test_more_floors_and_hedges(text: str, bound: str) -> None:
    assert (_read(text).bound, _read(text).parse_status) == (bound, "parsed")


@pytest.mark.parametrize(
    "text", ["5 milhões de dólares mensais", "5 millones de dólares mensuales"]
)
def test_plural_month_adjectives(text: str) -> None:
    assert _read(text).period == "month"


def test_the_largest_share_names_no_fraction() -> None:
    assert _read("the largest share of the funding").parse_status == "unparsed"
