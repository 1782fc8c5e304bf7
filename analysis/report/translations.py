"""English translations of non-English claim quotes, curated apart from the claims ledger.

``data/raw/ledgers/quote_translations.csv`` (claim_id, translation, translator_note) holds the
project's own translations, made from the quote text alone; :func:`with_translations` joins them
to a claims frame so a table can show each translation under its original, marked as the
project's.
"""

from __future__ import annotations

import pandas as pd

from analysis import config

FILE = "quote_translations.csv"
COLUMNS = ("claim_id", "translation", "translator_note")
#: How a translation is introduced under its quote.
LABEL = "Translation (this project's): "


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
