"""Numbers as sources write them: missing-value tokens, thousands separators, percent signs,
Persian and Arabic-Indic digits.

Every function is pure and never raises on text: what cannot be read comes back as ``None``
(scalars) or ``NaN`` (Series), and the caller decides whether that is a gap or a defect.
"""

from __future__ import annotations

import math
import re

import pandas as pd

#: Tokens that mean "no value" in the sources we read (named once, at the point of reading).
#: World Bank / datahub: empty (DataBank: ``..``); IMF WEO: ``n/a``, ``--``; SIPRI: ``...``,
#: ``. .``, ``xxx``; Energy Institute: ``n/a``, ``-``, ``–`` and whitespace; SCI CPI: ``-``.
NA_TOKENS: frozenset[str] = frozenset(
    {"", "n/a", "na", "n.a.", "nan", "none", "null", "--", "-", "–", "—", "..", "...", "…", ". ."}
    | {"xxx"}
)

#: Persian (U+06F0–U+06F9) and Arabic-Indic (U+0660–U+0669) digits, and their separators.
_DIGITS = {ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
_DIGITS |= {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}
_DIGITS |= {ord("٬"): ",", ord("٫"): ".", ord("،"): ",", ord("\u066a"): "%"}

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def latin_digits(text: str) -> str:
    """Replace Persian and Arabic-Indic digits (and separators) by ASCII ones.

    >>> latin_digits("۱۳۹۷/۰۱/۰۱")
    '1397/01/01'
    """
    return text.translate(_DIGITS)


def is_na_token(text: object) -> bool:
    """True when ``text`` is empty or one of :data:`NA_TOKENS` (case and space insensitive)."""
    if text is None:
        return True
    if isinstance(text, float) and math.isnan(text):
        return True
    return str(text).strip().lower() in NA_TOKENS


def parse_number(text: object, *, percent: bool = False) -> float | None:
    """Read one number; ``None`` for a missing token or anything that is not a number.

    Accepts ints and floats as they are, thousands separators (``'1,350'``, ``'38,748.405'``),
    a trailing ``%`` (kept as the number: ``'1.52%'`` → 1.52, or 0.0152 with ``percent=True``),
    and Persian or Arabic-Indic digits. Infinite values are not numbers.

    >>> parse_number("38,748.405"), parse_number("n/a"), parse_number("1.52%", percent=True)
    (38748.405, None, 0.0152)
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        value = float(text)
        return value if math.isfinite(value) else None
    if text is None:
        return None
    s = latin_digits(str(text)).strip().replace("\u00a0", "").replace(" ", "")
    if s.lower() in NA_TOKENS:
        return None
    is_pct = s.endswith("%")
    if is_pct:
        s = s[:-1]
    if _THOUSANDS.match(s):
        s = s.replace(",", "")
    if not _NUMBER.match(s):
        return None
    value = float(s)
    if not math.isfinite(value):
        return None
    return value / 100 if (is_pct and percent) else value


def to_numeric(values: pd.Series, *, percent: bool = False) -> pd.Series:
    """Vectorised :func:`parse_number`: a float Series, NaN where a value is missing or bad.

    Fast path: a Series that pandas already reads as numbers is returned as floats.
    """
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        out = values.astype("float64")
        return out.where(out.abs() != math.inf)
    parsed = [parse_number(v, percent=percent) for v in values]
    return pd.Series(parsed, index=values.index, dtype="float64")
