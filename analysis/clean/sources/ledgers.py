"""Reading the curated ledgers (``data/raw/ledgers/*.csv``) and checking what analysts typed.

The ledgers are edited by people, so every check collects all failures (a row can fail several)
and a failing row goes to the quarantine with the column, the value and a readable reason; it is
never dropped silently. Empty cells are ``None`` after reading (optional fields).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from analysis.clean.base import Collector, reading
from analysis.errors import DataError

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
YEAR = re.compile(r"^\d{4}$")


def read_ledger(path: Path, raw_dir: Path, columns: Sequence[str]) -> pd.DataFrame:
    """The ledger as text (``None`` for empty cells) with ``source_file`` and ``source_row``.

    Raises :class:`DataError` when the header lacks a column of ``columns`` or has one that is
    not in it (a layout change is a defect of the whole file, not of a row).
    """
    if not path.exists():
        raise DataError("ledger not found", file=str(path))
    with reading(path, raw_dir) as rel:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        missing = [c for c in columns if c not in frame.columns]
        extra = [c for c in frame.columns if c not in columns]
        if missing or extra:
            raise DataError(
                f"ledger header does not match: missing {missing}, unexpected {extra} "
                "(see docs/adding-a-claim.md)",
                file=rel,
                row=1,
            )
        text = frame[list(columns)].apply(lambda col: col.str.strip()).replace("", None)
        lines = record_lines(path)
        rows = lines if len(lines) == len(frame) else list(frame.index + 2)  # line 1: the header
        return text.assign(source_file=rel, source_row=rows)


def record_lines(path: Path) -> list[int]:
    """The line (1-based) on which each data record of a CSV file starts: a quoted field that
    spans several lines moves every later record down, so an editor's line is not the record
    number + 1. Blank lines are skipped, as the reader skips them."""
    import csv

    starts: list[int] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        previous = 0
        for record in reader:
            if record:
                starts.append(previous + 1)
            previous = reader.line_num
    return starts[1:]


def _missing(value: object) -> bool:
    """An empty cell: None, pd.NA, or NaN (what pandas 3's ``str`` columns hold)."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def partial_date_ok(value: object) -> bool:
    """True for an empty cell or a real ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` date.

    >>> [partial_date_ok(v) for v in (None, "2018", "2018-03", "2018-02-30", "March 2018")]
    [True, True, True, False, False]
    """
    if _missing(value):
        return True
    m = PARTIAL_DATE.match(str(value))
    if not m:
        return False
    year, month, day = (int(g) if g else 1 for g in m.groups())
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2100


def year_of(values: pd.Series) -> pd.Series:
    """The year of partial dates (``Int64``, missing when empty or unreadable)."""
    years = values.str.extract(r"^(\d{4})", expand=False)
    return pd.to_numeric(years, errors="coerce").astype("Int64")


def http_url_ok(value: object) -> bool:
    """True for an absolute ``http(s)://host/...`` URL."""
    if _missing(value):
        return False
    parsed = urlparse(str(value))
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and " " not in str(value)


def flag(
    frame: pd.DataFrame,
    bad: pd.Series,
    column: str,
    check: str,
    reason: str,
    quarantine: Collector,
) -> pd.Series:
    """Record ``bad`` rows in ``quarantine`` (one entry per row) and return the mask."""
    bad = bad.fillna(True).astype(bool)
    quarantine.add_frame(frame[bad], column, check, reason)
    return bad


def check_required(frame: pd.DataFrame, columns: Sequence[str], quarantine: Collector) -> pd.Series:
    """Rows with an empty required cell (every such cell is recorded)."""
    bad = pd.Series(False, index=frame.index)
    for column in columns:
        bad |= flag(
            frame, frame[column].isna(), column, "required", f"{column} is empty", quarantine
        )
    return bad


def check_vocabulary(
    frame: pd.DataFrame, column: str, allowed: Sequence[str], quarantine: Collector
) -> pd.Series:
    """Rows whose (non-empty) ``column`` is outside ``allowed``."""
    values = frame[column]
    bad = values.notna() & ~values.isin(allowed)
    reason = f"{column} is not one of: {', '.join(allowed)}"
    return flag(frame, bad, column, "vocabulary", reason, quarantine)


def check_dates(frame: pd.DataFrame, column: str, quarantine: Collector) -> pd.Series:
    """Rows whose ``column`` is not a real partial date (``YYYY[-MM[-DD]]``)."""
    bad = ~frame[column].map(partial_date_ok).astype(bool)
    reason = f"{column} is not a real date written YYYY, YYYY-MM or YYYY-MM-DD"
    return flag(frame, bad, column, "date", reason, quarantine)


def check_urls(frame: pd.DataFrame, column: str, quarantine: Collector) -> pd.Series:
    """Rows whose ``column`` is present but not an absolute http(s) URL."""
    values = frame[column]
    bad = values.notna() & ~values.map(http_url_ok).astype(bool)
    reason = f"{column} is not an http(s):// URL"
    return flag(frame, bad, column, "url", reason, quarantine)


def check_years(frame: pd.DataFrame, column: str, quarantine: Collector) -> pd.Series:
    """Rows whose ``column`` is present but not a four-digit year 1900-2100."""
    values = frame[column]
    text = values.fillna("")
    ok = values.isna() | (text.str.match(YEAR) & text.str[:4].between("1900", "2100"))
    reason = f"{column} is not a year (four digits, 1900-2100)"
    return flag(frame, ~ok.astype(bool), column, "year", reason, quarantine)


def check_duplicates(frame: pd.DataFrame, column: str, quarantine: Collector) -> pd.Series:
    """Rows repeating an earlier row's ``column`` (the first one is kept)."""
    values = frame[column]
    bad = values.notna() & values.duplicated(keep="first")
    reason = f"{column} repeats an earlier row's"
    return flag(frame, bad, column, "unique", reason, quarantine)
