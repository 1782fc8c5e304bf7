"""Claimed amounts read the way sources write them (the rules table, one checked example per rule:
``docs/amount-rules.md``).

From ``amount_as_stated``, ``currency_as_stated`` and ``period_as_stated`` of a claim,
:func:`parse_amount` derives ``amount_kind`` (absolute / share / none), ``bound`` (exact,
approximate, range, at_least, at_most, vague, none), ``currency`` (ISO 4217), ``amount_low`` and
``amount_high`` (in the stated currency, empty on an open side), ``share_low`` and ``share_high``
(fractions), ``period`` (year, month, one_off, total, unspecified) and ``parse_status`` (parsed,
partial, unparsed) with a ``parse_reason``.

How a fragment is read, in order:

1. normalise: Persian/Arabic digits and letters, dashes, ``US-Dollar``, ``quarter-billion``,
   ``d'un``, spaced thousands (``5 000 000``), a leading point (``$.5m`` → ``$0.5m``); a sign
   (``-$50 million``) or an exponent (``$2.5e7``) makes the claim ``unparsed``, never misread;
2. cut into tokens: numbers, currency symbols, words;
3. name known phrases: currencies, multipliers (``m``, ``Mio.``, ``Milliarden``, ``مليون``, the
   Arabic duals ``مليونا`` ...), percent words, vague magnitudes (``tens of``, ``several``
   before a multiplier), number words (text2num for en, de, fr, it, pt, es; a small table for
   Arabic and Persian; ``half a``, ``a third of a``; ``مليون ونصف``, ``un milliard et demi``),
   qualifiers before (``about``, ``nicht weniger als``, ``ما لا يقل عن`` ...) and after the amount
   (``or more``, ``تقريبا``), share words (``most of``, ``a third of``, ``die Hälfte``; ``a large
   part of`` names no fraction), range words (``between``, ``to``, ``-``);
4. group them into amounts (``$``, number, multiplier, currency), percents and vague magnitudes;
5. read the claim: one amount, a range of two (either end may be vague: ``tens to hundreds of
   millions``), a share (of an amount or of something else), the level reached by a change
   (``raised from $X to $Y`` → Y), or none. A later amount in brackets or after ``or about`` in
   another currency is a conversion, not a second amount. Anything else (two amounts joined by
   ``and``, a percentage *change*, a change by an amount, a number without a unit, currencies
   that disagree) is ``unparsed`` with a reason; nothing is guessed;
6. guard: a claim with no amount and no share whose text holds a digit, a number word or a share
   word (outside years and period words) is ``unparsed``, never silently ``parsed``.

The words themselves (currencies, multipliers, qualifiers, shares, periods, in each language) are
in :mod:`analysis.parse.amounts_vocab`; this module is the grammar.

Several fragments joined by `` | `` are one claim: the first is the claim, the others context (the
X of "most of X" when the claim has none; or, when a context fragment is a share of
"that amount", the first fragment is that X). Every function is pure and never raises on text.

>>> p = parse_amount("most of the $260m", "USD", "in 2017")
>>> (p.amount_kind, p.bound, p.share_low, p.share_high, p.amount_low, p.amount_high, p.period)
('share', 'range', 0.5, 1.0, 130000000.0, 260000000.0, 'year')
"""

from __future__ import annotations

import math
import re
from collections.abc import Container, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache

from analysis.parse.amounts_vocab import (
    ANAPHORS,
    AND_WORDS,
    ARABIC_CLITICS,
    ARABIC_DUALS,
    ARABIC_NUMBERS,
    BETWEEN_WORDS,
    CHANGE_WORDS,
    CONVERSION_WORDS,
    COUNT_VAGUE,
    CURRENCY_CONNECTORS,
    CURRENCY_WORDS,
    FRACTION_TAILS,
    FRACTION_WORDS,
    FROM_WORDS,
    IMPLIED_ONE,
    LETTER_MULTIPLIERS,
    LEVEL_CHANGE,
    MULTIPLIERS,
    NEUTRAL_WORDS,
    NOT_NUMBERS,
    NUMBER_WORD_LANGUAGES,
    OTHER_RATES,
    PER_UNIT,
    PERCENT_WORDS,
    PERIOD_PATTERNS,
    PLURAL_MAGNITUDES,
    QUALIFIERS,
    RANGE_ARTICLES,
    RANGE_LINKS,
    SHARES,
    TO_WORDS,
    TRAILING_QUALIFIERS,
    UNSTATED_SHARES,
    VAGUE,
)
from analysis.parse.numbers import latin_digits

# --- vocabularies (the schema of the claims table uses these) -----------------------------------
AMOUNT_KINDS = ("absolute", "share", "none")
BOUNDS = ("exact", "approximate", "range", "at_least", "at_most", "vague", "none")
PERIODS = ("year", "month", "one_off", "total", "unspecified")
PARSE_STATUSES = ("parsed", "partial", "unparsed")
#: Columns :func:`parse_amount` adds to a claim, in order.
PARSED_COLUMNS = [
    "amount_kind",
    "bound",
    "currency",
    "amount_low",
    "amount_high",
    "share_low",
    "share_high",
    "period",
    "parse_status",
    "parse_reason",
]
#: Fragments of one claim are joined with this (research README: "the first is the claimed
#: amount, the others its context").
FRAGMENT_SEPARATOR = "|"


@dataclass(frozen=True)
class ParsedAmount:
    """What the rules read from one claim's wording (see the module docstring)."""

    amount_kind: str = "none"
    bound: str = "none"
    currency: str | None = None
    amount_low: float | None = None
    amount_high: float | None = None
    share_low: float | None = None
    share_high: float | None = None
    period: str = "unspecified"
    parse_status: str = "parsed"
    parse_reason: str = ""

    def as_dict(self) -> dict[str, object]:
        """The fields as a dict (keys = :data:`PARSED_COLUMNS`)."""
        return asdict(self)


class _Unparsed(Exception):
    """Raised inside the parser when the rules cannot read the wording; caught by parse_amount."""


@dataclass
class _Tok:
    """One token: ``kind`` in num, word, cur, mult, pct, vague, qual, share, between, punct."""

    kind: str
    text: str
    value: float = 0.0
    extra: tuple[float, ...] = ()
    label: str = ""


@dataclass
class _Item:
    """A grouped piece of the claim: an amount, a percent, a vague magnitude or a bare number."""

    kind: str  # money | pct | vague | bare | year
    start: int  # index of its first token
    end: int  # index after its last token
    value: float = math.nan
    high: float = math.nan  # vague only
    currency: str | None = None
    mult: float | None = None
    text: str = ""
    paren: bool = False
    vague: bool = False  # a vague magnitude ("tens of"), with or without a unit


@dataclass
class _Reading:
    """The claim's reading before the currency and the period are added."""

    kind: str
    bound: str
    low: float | None = None
    high: float | None = None
    share_low: float | None = None
    share_high: float | None = None
    currency: str | None = None
    notes: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)


# --- normalising and tokens -----------------------------------------------------------------------
_ARABIC_FORMS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ـ": None, "ی": "ي", "ک": "ك", "\u200c": ""}
)
_ARABIC_MARKS = re.compile(r"[\u064b-\u0652\u0670]")
_TOKEN = re.compile(
    r"(?P<cur>us\$|r\$|\$|£|€|₪)|(?P<num>\d+(?:[.,]\d+)*)|(?P<pct>%)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)|(?P<punct>[-|()/,;:+&\[\]])"
)


#: Qualifiers named as tokens: before the amount, and after it (``$100m or more``).
_ALL_QUALIFIERS = {**QUALIFIERS, **TRAILING_QUALIFIERS}
#: Currency words (not symbols), looked up among the words of a fragment.
_CURRENCY_NAMES = frozenset(k for k in CURRENCY_WORDS if k[0].isalpha())
#: ``a quarter-billion`` → ``a quarter billion``.
_HYPHEN_BEFORE_MULTIPLIER = re.compile(
    rf"(?<=[^\W\d_])-(?=({'|'.join(sorted(MULTIPLIERS, key=len, reverse=True))})\b)"
)


#: ``one-third``, ``two-thirds``, ``three-quarters`` → words apart.
_HYPHENATED_FRACTION = re.compile(
    r"\b(one|two|three|four|a)-(half|thirds?|quarters?|fifths?|tenths?)\b"
)
#: Thousands separated by spaces (``5 000 000``, French and German style).
_SPACED_THOUSANDS = re.compile(r"\b\d{1,3}(?: \d{3})+\b")


#: A decimal point with no digit before it (``$.5m``).
_LEADING_POINT = re.compile(r"(?<![\w.,])\.(?=\d)")
_SYMBOL = r"(?:us\$|r\$|\$|£|€|₪)"
#: Notations the grammar does not read, and why (looked for in the normalised text).
_REFUSED = (
    (re.compile(r"\d(?:[.,]\d+)?e[+-]?\d"), "a number in exponent notation"),
    (
        re.compile(rf"(?:^|(?<=[\s(\[:;]))-(?={_SYMBOL}?\d)|{_SYMBOL}\s?-\s?\d"),
        "a negative amount (funding cannot be negative: check the sign)",
    ),
)


def refuse_notation(fragment: str) -> None:
    """Raise :class:`_Unparsed` for a sign or an exponent the grammar would otherwise misread
    (``-$50 million`` as +$50m, ``$2.5e7`` as $2.50)."""
    text = normalise(fragment)
    for pattern, why in _REFUSED:
        found = pattern.search(text)
        if found:
            start = max(found.start() - 4, 0)
            raise _Unparsed(f"{why}: {text[start : found.end() + 6].strip()!r}")


def normalise(text: str) -> str:
    """Lower-case, ASCII digits, one kind of dash and space, Arabic letter variants unified."""
    s = latin_digits(str(text)).lower()
    s = re.sub(r"[\u00a0\u2009\u202f\u2007]", " ", s)
    s = re.sub(r"[\u2010-\u2015\u2212]", "-", s)
    s = s.replace("’", "'")
    s = re.sub(r"\bd'(?=[^\W\d_])", "de ", s)  # près d'un milliard → près de un milliard
    s = _SPACED_THOUSANDS.sub(lambda m: m.group().replace(" ", ""), s)  # 5 000 000
    s = _LEADING_POINT.sub("0.", s)  # $.5m → $0.5m
    s = re.sub(r"(?<![^\W\d_])([כמ])[-־]?(?=\d)", r"\1 ", s)  # Hebrew כ-100 (about 100)
    s = re.sub(r"\bu\.\s?s\.\s?", "us ", s)
    s = re.sub(r"\bus[- ]?dollars?\b", "usd", s)
    s = _HYPHEN_BEFORE_MULTIPLIER.sub(" ", s)
    s = _HYPHENATED_FRACTION.sub(r"\1 \2", s)
    s = _ARABIC_MARKS.sub("", s.translate(_ARABIC_FORMS))
    return re.sub(r"\s+", " ", s).strip()


def _lex(text: str) -> list[_Tok]:
    """Raw tokens of a normalised fragment (unknown characters such as ``.`` are skipped)."""
    tokens = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        tokens.append(_Tok(kind, m.group()))
    return tokens


def _strip_article(word: str) -> str:
    """Arabic ``ال`` (the) before a lexicon word: ``الملايين`` → ``ملايين``."""
    return word[2:] if word.startswith("ال") and len(word) > 3 else word


def _arabic_forms(word: str) -> list[str]:
    """A word as written, without ``ال``, without a clinging letter (``بمليوني`` → ``مليوني``)."""
    forms = [word, _strip_article(word)]
    if len(word) > 3 and word.startswith(ARABIC_CLITICS) and "\u0600" <= word[1] <= "\u06ff":
        forms += [word[1:], _strip_article(word[1:])]
    return list(dict.fromkeys(forms))


def _phrase_at(
    tokens: Sequence[_Tok], i: int, keys: Container[str], max_words: int = 5
) -> tuple[str, int] | None:
    """The longest phrase of ``keys`` starting at token ``i`` (words only): (phrase, tokens)."""
    for n in range(max_words, 0, -1):
        window = tokens[i : i + n]
        if len(window) < n or any(t.kind != "word" for t in window):
            continue
        words = [t.text for t in window]
        firsts = _arabic_forms(words[0])
        lasts = _arabic_forms(words[-1]) if n > 1 else [""]
        for first in firsts:
            for last in lasts:
                candidate = " ".join([first, *words[1:-1], last]).strip() if n > 1 else first
                if candidate in keys:
                    return candidate, n
    return None


def _multiplier_at(tokens: Sequence[_Tok], i: int) -> bool:
    """True when a multiplier word (not a single letter) starts at token ``i``."""
    mult = _phrase_at(tokens, i, MULTIPLIERS, max_words=2)
    return mult is not None and mult[0] not in LETTER_MULTIPLIERS


def _name_units(tokens: list[_Tok]) -> list[_Tok]:
    """Currencies, multipliers, percent words and vague magnitudes as their own tokens."""
    out: list[_Tok] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        prev = out[-1] if out else None
        if t.kind == "cur":
            out.append(_Tok("cur", t.text, label=CURRENCY_WORDS[t.text]))
            i += 1
            continue
        if t.kind == "pct":
            out.append(_Tok("pct", t.text))
            i += 1
            continue
        if t.kind != "word":
            out.append(t)
            i += 1
            continue
        dual = _phrase_at(tokens, i, ARABIC_DUALS, max_words=1)
        if dual:
            out.append(_Tok("num", dual[0], value=2.0))
            out.append(_Tok("mult", dual[0], value=ARABIC_DUALS[dual[0]]))
            i += 1
            continue
        count = _phrase_at(tokens, i, COUNT_VAGUE, max_words=2)
        if count and _multiplier_at(tokens, i + count[1]):
            out.append(_Tok("vague", count[0], extra=COUNT_VAGUE[count[0]]))
            i += count[1]
            continue
        vague = _phrase_at(tokens, i, VAGUE)
        if vague:
            low, high = VAGUE[vague[0]]
            out.append(_Tok("vague", vague[0], extra=(low, high)))
            i += vague[1]
            continue
        mult = _phrase_at(tokens, i, MULTIPLIERS, max_words=2)
        if mult and (
            mult[0] not in LETTER_MULTIPLIERS or (prev is not None and prev.kind == "num")
        ):
            out.append(_Tok("mult", mult[0], value=MULTIPLIERS[mult[0]]))
            i += mult[1]
            continue
        pct = _phrase_at(tokens, i, PERCENT_WORDS, max_words=3)
        if pct:
            out.append(_Tok("pct", pct[0]))
            i += pct[1]
            continue
        cur = _phrase_at(tokens, i, _CURRENCY_NAMES, max_words=2)
        if cur:
            out.append(_Tok("cur", cur[0], label=CURRENCY_WORDS[cur[0]]))
            i += cur[1]
            continue
        out.append(t)
        i += 1
    return out


def _word_number(words: Sequence[str], *, before_multiplier: bool) -> float | None:
    """The value of number words (fractions, Arabic, then text2num in each language).

    Fractions and articles (``half a``, ``a``) count only before a multiplier: ``a million``
    is one million, ``a $5 grant`` is not one dollar.
    """
    phrase = " ".join(words)
    if phrase in FRACTION_WORDS:
        return FRACTION_WORDS[phrase] if before_multiplier else None
    if any(w in PLURAL_MAGNITUDES for w in words):
        return None
    arabic = _arabic_number(words)
    if arabic is not None:
        return arabic
    half = re.fullmatch(r"(.+) and a half", phrase)
    if half:
        whole = _text2num(half.group(1))
        return None if whole is None else whole + 0.5
    return _text2num(phrase)


@lru_cache(maxsize=4096)
def _text2num(phrase: str) -> float | None:
    """text2num in the first language that reads the whole phrase, else None."""
    from text_to_num import text2num

    for language in NUMBER_WORD_LANGUAGES:
        try:
            return float(text2num(phrase, language))
        except Exception:  # noqa: BLE001 - text2num raises ValueError and others on odd text
            continue
    return None


def _arabic_number(words: Sequence[str]) -> float | None:
    """Arabic number words joined by و: ``مائة وخمسون`` → 150."""
    total = 0.0
    previous = 0.0
    for word in words:
        w = word[1:] if word.startswith("و") and word[1:] in ARABIC_NUMBERS else word
        if w not in ARABIC_NUMBERS:
            return None
        value = ARABIC_NUMBERS[w]
        if value == 100 and 1 < previous < 10 and w == word:  # ثلاث مائة = 300
            total += previous * 99
        else:
            total += value
        previous = value
    return total if words else None


def _number_before(out: Sequence[_Tok]) -> bool:
    """True when the last token is a number, a number word or a fraction (``نصف``)."""
    if not out:
        return False
    last = out[-1]
    if last.kind == "num":
        return True
    return last.kind == "word" and _word_number([last.text], before_multiplier=True) is not None


def _name_number_words(tokens: list[_Tok]) -> list[_Tok]:
    """Runs of number words right before a multiplier, currency or percent become numbers.

    An Arabic singular multiplier with no number before it is one of it (``مليون دولار``).
    """
    out: list[_Tok] = []
    for t in tokens:
        if t.kind == "mult" and t.text in IMPLIED_ONE and not _number_before(out):
            out.append(_Tok("num", "1", value=1.0, label="implied"))
        if t.kind in ("mult", "cur", "pct") and out and out[-1].kind in ("word", "share"):
            run: list[int] = []
            j = len(out) - 1
            while j >= 0 and len(run) < 8 and out[j].kind in ("word", "share", "punct"):
                if out[j].kind == "punct" and out[j].text != "-":
                    break
                if out[j].kind != "punct":
                    run.insert(0, j)
                j -= 1
            for k in range(len(run)):
                words = [w for idx in run[k:] for w in out[idx].text.split()]
                value = _word_number(words, before_multiplier=t.kind == "mult")
                if value is not None:
                    text = " ".join(words)
                    del out[run[k] :]
                    out.append(_Tok("num", text, value=value))
                    break
        out.append(t)
    return out


def _join_fraction_tails(tokens: list[_Tok]) -> list[_Tok]:
    """``مليون ونصف``, ``un milliard et demi`` → 1.5 of the unit (``ونصف المليون`` too)."""
    out: list[_Tok] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        out.append(t)
        i += 1
        if t.kind != "mult" or len(out) < 2 or out[-2].kind != "num":
            continue
        words: list[str] = []
        for w in tokens[i : i + 2]:
            if w.kind != "word":
                break
            words.append(w.text)
        tail = next(
            (n for n in (1, 2) if " ".join(words[:n]) in FRACTION_TAILS and len(words) >= n),
            None,
        )
        if tail is None:
            continue
        number = out[-2]
        out[-2] = replace(number, value=number.value + FRACTION_TAILS[" ".join(words[:tail])])
        i += tail
        implied = i + 1 < len(tokens) and tokens[i].label == "implied"
        after = tokens[i + 1] if implied else tokens[i] if i < len(tokens) else None
        if after is not None and after.kind == "mult" and after.value == t.value:
            i += 2 if implied else 1  # مليار ونصف المليار
    return out


def _name_phrases(tokens: list[_Tok]) -> list[_Tok]:
    """Qualifiers, share words and between-words as their own tokens."""
    out: list[_Tok] = []
    i = 0
    while i < len(tokens):
        unstated = _phrase_at(tokens, i, UNSTATED_SHARES)
        if unstated:
            out.append(_Tok("share", unstated[0], extra=(math.nan, math.nan), label="unstated"))
            i += unstated[1]
            continue
        share = _phrase_at(tokens, i, SHARES)
        if share:
            low, high, bound = SHARES[share[0]]
            out.append(_Tok("share", share[0], extra=(low, high), label=bound))
            i += share[1]
            continue
        qual = _phrase_at(tokens, i, _ALL_QUALIFIERS)
        if qual:
            out.append(_Tok("qual", qual[0], label=_ALL_QUALIFIERS[qual[0]]))
            i += qual[1]
            continue
        if tokens[i].kind == "word" and tokens[i].text in BETWEEN_WORDS:
            out.append(_Tok("between", tokens[i].text))
            i += 1
            continue
        out.append(tokens[i])
        i += 1
    return out


def _digits(text: str) -> float:
    """A digit string with ``,``/``.`` separators: groups of three are thousands, else decimals.

    ``7,000`` and ``1.000`` (German) → thousands; ``1.5`` and ``1,5`` → decimals; with both
    separators the last one is the decimal point.
    """
    if "," in text and "." in text:
        point = max(text.rfind(","), text.rfind("."))
        whole, decimals = text[:point], text[point + 1 :]
        return float(re.sub(r"[.,]", "", whole) + "." + decimals)
    groups = re.split(r"[.,]", text)
    if len(groups) == 1:
        return float(text)
    if all(len(g) == 3 for g in groups[1:]):
        return float("".join(groups))
    if len(groups) == 2:
        return float(groups[0] + "." + groups[1])
    raise _Unparsed(f"cannot read the number {text!r}")


def tokenise(fragment: str) -> list[_Tok]:
    """The named tokens of one fragment (steps 1-3 of the module docstring)."""
    raw = _lex(normalise(fragment))
    for t in raw:
        if t.kind == "num":
            t.value = _digits(t.text)
    return _name_phrases(_join_fraction_tails(_name_number_words(_name_units(raw))))


# --- grouping -------------------------------------------------------------------------------------
def _is_year(tok: _Tok) -> bool:
    return (
        tok.kind == "num" and re.fullmatch(r"\d{4}", tok.text) is not None
    ) and 1900 <= tok.value <= 2099


def _text(toks: Sequence[_Tok], start: int, end: int) -> str:
    """The (normalised) words of tokens ``start:end``, for reasons and notes."""
    return " ".join(t.text for t in toks[start:end])


def _in_brackets(toks: Sequence[_Tok], start: int) -> bool:
    """True when token ``start`` is inside a bracket opened before it and not yet closed."""
    depth = 0
    for t in toks[:start]:
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(t.text, 0) if t.kind == "punct" else 0
    return depth > 0


def _group(toks: Sequence[_Tok]) -> list[_Item]:
    """Amounts (``$ 5 million dollars``), percents, vague magnitudes, bare numbers and years."""
    items: list[_Item] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        start = i
        currency = None
        if t.kind == "cur" and i + 1 < len(toks) and toks[i + 1].kind in ("num", "vague"):
            currency = t.label
            i += 1
            t = toks[i]
        if t.kind not in ("num", "vague"):
            i += 1
            continue
        i += 1
        mult = None
        if i < len(toks) and toks[i].kind == "mult":
            mult = toks[i].value
            i += 1
        if currency is None and t.kind != "vague" and i < len(toks) and toks[i].kind == "pct":
            items.append(_Item("pct", start, i + 1, value=t.value, text=_text(toks, start, i + 1)))
            i += 1
            continue
        j = i
        while j < len(toks) and toks[j].kind == "word" and toks[j].text in CURRENCY_CONNECTORS:
            j += 1
        if currency is None and j < len(toks) and toks[j].kind == "cur":
            currency = toks[j].label
            i = j + 1
        paren = _in_brackets(toks, start)
        if t.kind == "vague":
            factor = mult or 1.0
            text = _text(toks, start, i)
            if mult is None and currency is None:  # "tens" in "tens to hundreds of millions"
                low, high = t.extra
                items.append(_Item("bare", start, i, low, high, text=text, vague=True))
                continue
            low, high = t.extra[0] * factor, t.extra[1] * factor
            items.append(_Item("vague", start, i, low, high, currency, mult, text, paren, True))
            continue
        if mult is None and currency is None:
            kind = "year" if _is_year(t) else "bare"
            items.append(_Item(kind, start, i, t.value, t.value, text=_text(toks, start, i)))
            continue
        value = t.value * (mult or 1.0)
        text = _text(toks, start, i)
        items.append(_Item("money", start, i, value, value, currency, mult, text, paren))
    return items


def _between(toks: Sequence[_Tok], a: _Item, b: _Item) -> list[_Tok]:
    return list(toks[a.end : b.start])


def _is_range(toks: Sequence[_Tok], a: _Item, b: _Item) -> bool:
    """``A to B``, ``A-B``, ``A bis B``; or ``between A and B``."""
    gap = [t for t in _between(toks, a, b) if t.text not in RANGE_ARTICLES]
    if len(gap) != 1:
        return False
    link = gap[0].text
    if link in RANGE_LINKS:
        return True
    j = a.start - 1
    while j > 0 and toks[j].text in RANGE_ARTICLES:
        j -= 1
    return link in AND_WORDS and j >= 0 and toks[j].kind == "between"


def _qualifier(toks: Sequence[_Tok], first: _Item, reading: _Reading) -> str | None:
    """The bound named right before the first item (skipping ``between``); notes odd words."""
    j = first.start - 1
    while j >= 0 and toks[j].text in RANGE_ARTICLES:
        j -= 1
    if j >= 0 and toks[j].kind == "between":
        j -= 1
    if j < 0:
        return None
    t = toks[j]
    if t.kind == "qual":
        return t.label
    if t.kind == "word" and t.text not in NEUTRAL_WORDS and not t.text.endswith("'s"):
        reading.partial.append(
            f"unrecognised word {t.text!r} before the amount; bound read as exact"
        )
    return None


def _bounds(bound: str, low: float, high: float) -> tuple[float | None, float | None]:
    """Low and high for a bound: open sides are empty."""
    if bound == "at_least":
        return low, None
    if bound == "at_most":
        return None, high
    return low, high


def _word_before(toks: Sequence[_Tok], item: _Item) -> str | None:
    """The word right before an item, skipping qualifiers (``to about $5m`` → ``to``)."""
    j = item.start - 1
    while j >= 0 and toks[j].kind == "qual":
        j -= 1
    return toks[j].text if j >= 0 and toks[j].kind == "word" else None


def _is_conversion(toks: Sequence[_Tok], first: _Item, item: _Item) -> bool:
    """A later amount that converts the first: in brackets, or ``or about €46m`` in another
    currency (``$50 million (about €46 million)``, ``$50 million, or about €46 million``)."""
    if item.paren:
        return True
    j = item.start - 1
    while j >= 0 and toks[j].kind == "qual":
        j -= 1
    while j >= 0 and toks[j].kind == "punct" and toks[j].text == ",":
        j -= 1
    opens = j >= 0 and toks[j].kind == "word" and toks[j].text in CONVERSION_WORDS
    return opens and None not in (first.currency, item.currency) and first.currency != item.currency


def _join_compound(toks: Sequence[_Tok], money: list[_Item]) -> list[_Item]:
    """``مليار و500 مليون دولار`` (a billion and 500 million) is one amount, not two."""
    out: list[_Item] = []
    for it in money:
        prev = out[-1] if out else None
        gap = _between(toks, prev, it) if prev is not None else []
        if (
            prev is not None
            and not prev.vague
            and not it.vague
            and len(gap) == 1
            and gap[0].text in AND_WORDS
            and prev.mult is not None
            and it.mult is not None
            and it.value < prev.mult
            and prev.currency in (None, it.currency)
        ):
            value = prev.value + it.value
            out[-1] = replace(prev, end=it.end, value=value, high=value, currency=it.currency)
            continue
        out.append(it)
    return out


def _trailing(toks: Sequence[_Tok], item: _Item) -> str | None:
    """The bound named right after an item (``$100m or more``)."""
    if item.end < len(toks) and toks[item.end].kind == "qual":
        return TRAILING_QUALIFIERS.get(toks[item.end].text)
    return None


def _single(
    toks: Sequence[_Tok], item: _Item, qualifier: str | None, reading: _Reading
) -> _Reading:
    """One amount (exact, hedged, floor, ceiling) or one vague magnitude."""
    if item.vague:
        if qualifier:
            reading.notes.append("qualifier before a vague magnitude ignored")
        return replace(
            reading,
            kind="absolute",
            bound="vague",
            low=item.value,
            high=item.high,
            currency=item.currency,
        )
    bound = qualifier or _trailing(toks, item) or "exact"
    low_v, high_v = _bounds(bound, item.value, item.value)
    return replace(
        reading, kind="absolute", bound=bound, low=low_v, high=high_v, currency=item.currency
    )


def _new_level(
    toks: Sequence[_Tok], money: list[_Item], bare: list[_Item], reading: _Reading
) -> _Reading:
    """A change of level ("raised from $X to $Y"): the level reached; the earlier one is context.

    The new level is the amount after a to-word (``to``, ``auf``, ``para``, ``à``, ``الى``), or
    the one amount not after a from-word (``$30m, up from $6m``). A change by an amount
    (``increased by $50m``) is no level: unparsed.
    """
    verb = LEVEL_CHANGE.search(" ".join(t.text for t in toks))
    said = verb.group() if verb else "a change"
    olds = [it for it in [*money, *bare] if _word_before(toks, it) in FROM_WORDS]
    targets = [it for it in money if _word_before(toks, it) in TO_WORDS]
    rest = [it for it in money if it not in olds]
    if len(targets) == 1:
        new = targets[0]
    elif not targets and len(rest) == 1 and olds:
        new = rest[0]
    else:
        raise _Unparsed(
            f"a change of the funding ({said!r}) without one level it reached: "
            + ", ".join(repr(it.text) for it in money)
        )
    others = [it for it in money if it is not new and it not in olds]
    if others:
        raise _Unparsed(f"a change ({said!r}) with amounts neither before nor after it")
    if olds:
        reading.notes.append(
            f"the level after the change ({said!r}); the earlier level "
            f"{', '.join(repr(it.text) for it in olds)} is context"
        )
    qualifier = (
        toks[new.start - 1].label if new.start and toks[new.start - 1].kind == "qual" else None
    )
    return _single(toks, new, qualifier, reading)


def _amount(toks: Sequence[_Tok], items: list[_Item], reading: _Reading) -> _Reading:
    """An absolute amount, a range or a vague magnitude from grouped items (no share words)."""
    money = _join_compound(toks, [it for it in items if it.kind in ("money", "vague")])
    dropped = [it for it in money[1:] if _is_conversion(toks, money[0], it)]
    if dropped:
        reading.notes.append(
            "amount in brackets (or after 'or') read as a conversion of the first: "
            + ", ".join(repr(it.text) for it in dropped)
        )
    money = [it for it in money if it not in dropped]
    bare = [it for it in items if it.kind == "bare"]
    if not money:
        loose = [it for it in bare if it.end >= len(toks) or toks[it.end].kind != "word"]
        if loose:
            raise _Unparsed(f"a number without a currency or unit: {loose[0].text!r}")
        return replace(reading, kind="none", bound="none")
    if LEVEL_CHANGE.search(" ".join(t.text for t in toks)):
        return _new_level(toks, money, bare, reading)
    first = money[0]
    # A bare number linked to the first amount is the low end of a range (``25 to $50 million``).
    lead = [it for it in bare if it.end <= first.start and _is_range(toks, it, first)]
    if lead:
        low_item, high_item = lead[-1], first
        rest = money[1:]
    elif len(money) >= 2 and _is_range(toks, money[0], money[1]):
        low_item, high_item = money[0], money[1]
        rest = money[2:]
    else:
        low_item = high_item = first
        rest = money[1:]
    if rest:
        joined = _between(toks, money[0], money[1])
        how = f"joined by {joined[0].text!r}" if len(joined) == 1 else "in one fragment"
        raise _Unparsed(
            f"{len(money)} amounts {how} without 'between' "
            f"({', '.join(repr(it.text) for it in money)}): a sum or a range? "
            "split the claim with ' | ' or rephrase"
        )
    qualifier = _qualifier(toks, low_item, reading)
    if low_item is not high_item:
        low, high, currency = _range_values(low_item, high_item)
        if low > high:
            raise _Unparsed(f"range bounds reversed ({low:g} > {high:g})")
        bound = "vague" if low_item.vague or high_item.vague else "range"
        return replace(reading, kind="absolute", bound=bound, low=low, high=high, currency=currency)
    return _single(toks, first, qualifier, reading)


def _range_values(a: _Item, b: _Item) -> tuple[float, float, str | None]:
    """Both ends of a range; a unit or currency on either bound applies to both.

    An item's value already includes its own multiplier; a bound without one takes the other's.
    A vague end (``tens to hundreds of millions``) gives its own low or high end.
    """
    if a.currency and b.currency and a.currency != b.currency:
        raise _Unparsed(f"range bounds in two currencies ({a.currency}, {b.currency})")
    low = a.value * (b.mult or 1.0) if a.mult is None else a.value
    high = b.high * (a.mult or 1.0) if b.mult is None else b.high
    return low, high, a.currency or b.currency


def _share(toks: Sequence[_Tok], items: list[_Item], reading: _Reading) -> _Reading | None:
    """A share: ``most of X``, ``N%`` (of X); None when the fragment holds no share."""
    share_at = next((k for k, t in enumerate(toks) if t.kind == "share"), None)
    pcts = [it for it in items if it.kind == "pct"]
    if share_at is None and not pcts:
        return None
    if pcts and CHANGE_WORDS.search(" ".join(t.text for t in toks)):
        raise _Unparsed(f"a percentage change ({pcts[0].text}), not a share of the funding")
    starts = [k for k in (share_at, pcts[0].start if pcts else None) if k is not None]
    if any(it.kind in ("money", "vague") and it.end <= min(starts) for it in items):
        # "$300 million, or a third of its budget": the amount is the claim, the share context
        reading.notes.append(
            f"share words after the amount read as context ({toks[min(starts)].text!r})"
        )
        return None
    if share_at is not None and (not pcts or pcts[0].start > share_at):
        tok = toks[share_at]
        if tok.label == "unstated":
            raise _Unparsed(f"a share with no stated fraction ({tok.text!r})")
        low, high = tok.extra
        bound = tok.label
        before = toks[share_at - 1] if share_at else None
        if bound == "exact" and before is not None and before.kind == "qual":
            bound = before.label  # "more than half of", "nearly a third of"
        after = share_at + 1
    else:
        pct = pcts[0]
        partner = next((it for it in pcts[1:] if _is_range(toks, pct, it)), None)
        lead = next(
            (
                it
                for it in items
                if it.kind == "bare" and it.end <= pct.start and _is_range(toks, it, pct)
            ),
            None,
        )
        if partner is not None:
            low, high, bound, after = pct.value / 100, partner.value / 100, "range", partner.end
        elif lead is not None:
            low, high, bound, after = lead.value / 100, pct.value / 100, "range", pct.end
        else:
            low = high = pct.value / 100
            bound = _qualifier(toks, pct, reading) or _trailing(toks, pct) or "exact"
            after = pct.end
        if max(low, high) > 1:
            raise _Unparsed(f"a share above 100% ({max(low, high) * 100:g}%)")
        if low > high:
            raise _Unparsed("share range bounds reversed")
    share_low, share_high = _bounds(bound, low, high)
    reading = replace(
        reading, kind="share", bound=bound, share_low=share_low, share_high=share_high
    )
    rest = [it for it in items if it.start >= after and it.kind in ("money", "vague")]
    if rest:
        of = _amount(toks, [it for it in items if it.start >= after], _Reading("none", "none"))
        reading.partial.extend(of.partial)
        return _apply_share(reading, of, "the amount after the share words")
    return reading


def _apply_share(reading: _Reading, of: _Reading, where: str) -> _Reading:
    """Absolute low/high = share × X (an open side stays open)."""
    if of.kind != "absolute":
        return reading
    low = None if reading.share_low is None or of.low is None else reading.share_low * of.low
    high = None if reading.share_high is None or of.high is None else reading.share_high * of.high
    reading.notes.append(f"share of {where}")
    return replace(reading, low=low, high=high, currency=of.currency)


def _read_fragment(fragment: str) -> tuple[_Reading, list[_Tok]]:
    """The reading of one fragment on its own."""
    toks = tokenise(fragment)
    items = _group(toks)
    covered = {k for it in items for k in range(it.start, it.end)}
    loose = [t for k, t in enumerate(toks) if t.kind == "mult" and k not in covered]
    if loose:
        raise _Unparsed(f"a magnitude without a number: {loose[0].text!r}")
    reading = _Reading("none", "none")
    shared = _share(toks, items, reading)
    return (shared if shared is not None else _amount(toks, items, reading)), toks


def _context_reading(fragment: str) -> _Reading:
    """A context fragment's reading; one the rules cannot read gives nothing (not an error)."""
    try:
        return _read_fragment(fragment)[0]
    except _Unparsed:
        return _Reading("none", "none")


def _anaphoric_share(fragments: Sequence[str]) -> tuple[int, _Reading] | None:
    """A context fragment that is a share of "that amount" (then the first fragment is X)."""
    for k, fragment in enumerate(fragments[1:], start=1):
        toks = tokenise(fragment)
        share_at = next((i for i, t in enumerate(toks) if t.kind == "share"), None)
        if share_at is None:
            continue
        following = toks[share_at + 1 : share_at + 3]
        words = [t.text for t in following if t.kind == "word"]
        if any(" ".join(words[:n]) in ANAPHORS for n in (1, 2)):
            reading = _context_reading(fragment)
            if reading.kind == "share" and reading.low is None:
                return k, reading
    return None


# --- currency and period --------------------------------------------------------------------------
def stated_currencies(currency_as_stated: object) -> list[str]:
    """ISO codes in ``currency_as_stated`` (``USD/GBP`` → ``['USD', 'GBP']``)."""
    text = "" if currency_as_stated is None else str(currency_as_stated)
    if text.lower() == "nan":
        return []
    return [c for c in re.split(r"[/,;\s]+", text.strip().upper()) if c]


def read_period(*texts: object) -> tuple[str, str]:
    """The period named in the texts (amount fragments, period_as_stated) and the words read.

    ``('unspecified', '')`` when none of :data:`PERIOD_PATTERNS` matches.
    """
    joined = " ; ".join(normalise(str(t)) for t in texts if t is not None and str(t) != "nan")
    for period, pattern in PERIOD_PATTERNS:
        m = pattern.search(joined)
        if m:
            return period, m.group().strip()
    return "unspecified", ""


def _resolve_currency(reading: _Reading, stated: list[str]) -> tuple[str | None, list[str]]:
    """The amount's currency (text first, else the stated column) and any partial reasons."""
    if reading.kind == "none" or (reading.low is None and reading.high is None):
        return None, []
    if reading.currency:
        if stated and reading.currency not in stated:
            raise _Unparsed(
                f"currency in the text ({reading.currency}) is not currency_as_stated "
                f"({'/'.join(stated)})"
            )
        return reading.currency, []
    if len(stated) == 1:
        reading.notes.append(f"currency from currency_as_stated ({stated[0]})")
        return stated[0], []
    if len(stated) > 1:
        raise _Unparsed(f"no currency in the text and several stated ({'/'.join(stated)})")
    return None, ["no currency in the text or in currency_as_stated"]


# --- the parser -----------------------------------------------------------------------------------
def split_fragments(amount_as_stated: object) -> list[str]:
    """The fragments of an amount (``'about $100 million | $260 million'`` → two)."""
    text = "" if amount_as_stated is None else str(amount_as_stated)
    return [f.strip() for f in text.split(FRAGMENT_SEPARATOR) if f.strip()]


def _finite(*values: float | None) -> bool:
    return all(v is None or math.isfinite(v) for v in values)


#: Years and decades, which are dates, not amounts (``pre-2012``, ``the 1990s``).
_YEARS = re.compile(r"(?<![\d$€£₪.,])(?:19|20)\d\d(?:'?s)?(?![\d.,]?\d)")
#: Token kinds that only a number or a share can make.
_NUMBER_KINDS = frozenset({"num", "mult", "pct", "vague", "share"})


def number_in_text(fragment: str) -> str | None:
    """The first digit, number word or share word of a fragment, outside years and period words.

    The guard of :func:`parse_amount`: a fragment that holds one must yield an amount or a share,
    or be unparsed with the reason (``over the past two months`` is a period, not an amount).
    """
    text = normalise(fragment)
    for _, pattern in PERIOD_PATTERNS:
        text = pattern.sub(" ", text)
    text = _YEARS.sub(" ", OTHER_RATES.sub(" ", text))
    try:
        toks = tokenise(text)
    except _Unparsed:
        return text
    for t in toks:
        if t.kind in _NUMBER_KINDS:
            return t.text
        if t.kind == "word" and t.text not in NOT_NUMBERS:
            if t.text in FRACTION_WORDS or t.text in ARABIC_DUALS:
                return t.text
            if _word_number([t.text], before_multiplier=False) is not None:
                return t.text
    return None


def _guard(fragments: Sequence[str], reading: _Reading) -> None:
    """No amount and no share although the text holds a number or a share word → unparsed."""
    values = (reading.low, reading.high, reading.share_low, reading.share_high)
    if any(v is not None for v in values):
        return
    for fragment in fragments:
        found = number_in_text(fragment)
        if found is not None:
            raise _Unparsed(
                f"the text holds {found!r} but the rules read no amount or share from it"
            )


def _parse(fragments: list[str], stated: list[str], period_as_stated: str) -> ParsedAmount:
    for fragment in fragments:
        refuse_notation(fragment)
    reading, _ = _read_fragment(fragments[0])
    anaphoric = _anaphoric_share(fragments) if reading.kind == "absolute" else None
    if anaphoric is not None:
        k, share = anaphoric
        reading = _apply_share(share, reading, f"fragment 1 (referred to in fragment {k + 1})")
    elif reading.kind == "share" and reading.low is None and len(fragments) > 1:
        amounts = [c for c in map(_context_reading, fragments[1:]) if c.kind == "absolute"]
        if len(amounts) == 1:
            reading = _apply_share(reading, amounts[0], "the amount in a context fragment")
    currency, partial = _resolve_currency(reading, stated)
    period, period_words = read_period(*fragments, period_as_stated)
    notes = list(reading.notes)
    partial = reading.partial + partial
    if period_words:
        notes.append(f"period from {period_words!r}")
    rate = OTHER_RATES.search(normalise(" ; ".join([*fragments, period_as_stated])))
    if rate and period == "unspecified":
        partial.append(f"a rate per {rate.group()!r} is outside the period vocabulary")
    per_unit = PER_UNIT.search(normalise(" ; ".join([*fragments, period_as_stated])))
    if per_unit and reading.kind != "none":
        partial.append(f"the amount is {per_unit.group()!r}, not a total")
    if not _finite(reading.low, reading.high, reading.share_low, reading.share_high):
        raise _Unparsed("a number too large to read")
    _guard(fragments, reading)
    return ParsedAmount(
        amount_kind=reading.kind,
        bound=reading.bound,
        currency=currency,
        amount_low=reading.low,
        amount_high=reading.high,
        share_low=reading.share_low,
        share_high=reading.share_high,
        period=period,
        parse_status="partial" if partial else "parsed",
        parse_reason="; ".join(partial + notes),
    )


def parse_amount(
    amount_as_stated: object, currency_as_stated: object = "", period_as_stated: object = ""
) -> ParsedAmount:
    """Read one claim's amount, currency and period (never raises on text).

    >>> parse_amount("more than $120 million", "USD", "this year").bound
    'at_least'
    >>> parse_amount("um etwa 60 Prozent zurückgegangen").parse_status
    'unparsed'
    """
    period_text = "" if period_as_stated is None else str(period_as_stated)
    if period_text == "nan":
        period_text = ""
    fragments = split_fragments(amount_as_stated)
    if not fragments:
        return ParsedAmount(
            period=read_period(period_text)[0],
            parse_status="unparsed",
            parse_reason="amount_as_stated is empty",
        )
    try:
        return _parse(fragments, stated_currencies(currency_as_stated), period_text)
    except _Unparsed as err:
        return ParsedAmount(
            period=read_period(*fragments, period_text)[0],
            parse_status="unparsed",
            parse_reason=str(err),
        )
    except (ValueError, OverflowError, IndexError, KeyError) as err:  # a bug, reported not raised
        return ParsedAmount(
            period="unspecified",
            parse_status="unparsed",
            parse_reason=f"parser error {type(err).__name__}: {err}",
        )
