"""English translations of non-English claim quotes, curated apart from the claims ledger.

``data/raw/ledgers/quote_translations.csv`` (claim_id, translation, translator_note) holds the
project's own translations, made from the quote text alone; :func:`with_translations` joins them
to a claims frame so a table can show each translation under its original, marked as the
project's. :func:`untranslated` lists the quotes a reader could not read: those that
:func:`is_english` does not recognise as English and that have no translation.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis import config

FILE = "quote_translations.csv"
COLUMNS = ("claim_id", "translation", "translator_note")
#: How a translation is introduced under its quote.
LABEL = "Our translation: "
#: Short words that mark English text, and words that mark the other languages of the ledger
#: (German, French, Italian, Portuguese, Spanish); none is a word of both.
ENGLISH_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "is",
        "was",
        "has",
        "have",
        "had",
        "from",
        "that",
        "with",
        "for",
        "by",
        "its",
        "it",
        "this",
        "as",
        "at",
        "are",
        "were",
        "be",
        "said",
        "says",
        "will",
        "would",
        "been",
        "their",
        "which",
        "who",
        "not",
        "an",
        "about",
        "after",
        "began",
        "ago",
    ]
)
OTHER_WORDS = frozenset(
    (
        *("der", "das", "und", "sei", "habe", "ist", "nicht", "mit", "von", "zu", "den", "dem"),
        *("des", "ein", "eine", "seine", "seinem", "für", "auf", "um", "auch", "sich", "hat"),
        *("wird", "la", "le", "les", "du", "et", "est", "une", "pour", "sur", "dans", "pas"),
        *("qui", "au", "aux", "il", "lo", "gli", "con", "di", "della", "delle", "sono", "più"),
        *("per", "che", "non", "una", "do", "da", "dos", "em", "os", "um", "uma", "acho", "el"),
        *("los", "las", "y", "por", "para"),
    )
)
#: Letters outside the Latin script (Arabic, Persian, Hebrew, Cyrillic, …).
NON_LATIN = re.compile(r"[^\W\d_a-zA-Z\u00C0-\u024F]")


def load() -> pd.DataFrame:
    """The translations ledger (empty frame with :data:`COLUMNS` if the file is absent).

    Raises ``ValueError`` naming the file, row and column for a duplicate or empty entry.
    """
    path = config.paths().ledgers / FILE
    if not path.exists():
        return pd.DataFrame(columns=list(COLUMNS), dtype="string")
    frame = pd.read_csv(path, dtype="string", keep_default_na=False)
    missing = set(COLUMNS) - set(frame.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {sorted(missing)}")
    for row, record in enumerate(frame.itertuples(index=False), start=2):
        for column in ("claim_id", "translation"):
            if not str(getattr(record, column)).strip():
                raise ValueError(f"{path}: row {row}, column {column}: empty value")
    duplicated = frame["claim_id"].duplicated()
    if duplicated.any():
        row = int(duplicated.to_numpy().argmax()) + 2
        raise ValueError(
            f"{path}: row {row}, column claim_id: {frame['claim_id'].iloc[row - 2]!r} repeated"
        )
    return frame[list(COLUMNS)]


def with_translations(
    claims: pd.DataFrame, translations: pd.DataFrame | None = None
) -> pd.DataFrame:
    """``claims`` with a ``quote_shown`` column: the quote, then on a new line the project's
    English translation where the ledger has one."""
    table = load() if translations is None else translations
    mapping = dict(zip(table["claim_id"], table["translation"], strict=True))
    translated = claims["claim_id"].map(mapping)
    shown = claims["quote"].astype("string")
    shown = shown.where(translated.isna(), shown + "\n" + LABEL + translated.astype("string"))
    return claims.assign(quote_shown=shown)


def is_english(text: str) -> bool:
    """True when ``text`` reads as English: no letters outside the Latin script, and more
    English marker words than marker words of the ledger's other languages."""
    if NON_LATIN.search(text):
        return False
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    english = sum(w in ENGLISH_WORDS for w in words)
    other = sum(w in OTHER_WORDS for w in words)
    return english >= other


def untranslated(claims: pd.DataFrame, translations: pd.DataFrame | None = None) -> pd.DataFrame:
    """The claims whose quote is not English (:func:`is_english`) and has no translation."""
    table = load() if translations is None else translations
    quotes = claims["quote"].astype("string").fillna("")
    foreign = ~quotes.map(is_english).astype(bool)
    return claims[foreign & ~claims["claim_id"].isin(table["claim_id"])]
