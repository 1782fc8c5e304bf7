"""bonbast.com open-market rates (Tehran exchange houses), archived as one JSON file per year.

Layout (``bonbast/{gregorian,jalali}/<year>/full.json``): one single-line JSON object keyed by
date (``YYYY/MM/DD``, Gregorian or Jalali after the tree's name), each date holding
``{"usd": {"name": "US Dollar", "sell": 4290, "buy": 4280}, ...}``. Quirks owned here:

- values are TOMAN (1 toman = 10 rial); some quotes are for 10 or 100 units, said only in the name
  (``"10 Japanese Yen"``, ``"100 Iraqi Dinar"``, ``"10 Armenian Dram"``);
- keys are lowercase ISO codes, plus gold coins (``azadi1``, ``emami1``...) which are not
  currencies and are left out (counted);
- the jalali/ and gregorian/ trees hold the same observations: the Gregorian tree wins, the
  Jalali tree adds only dates the Gregorian one lacks; the rest are counted as duplicates;
- weekends (Fridays) and holidays repeat the previous day: a date whose whole record (every
  currency, sell and buy) equals the previous calendar day's is flagged ``is_carried_forward``.

A *row* is one quote: one currency on one date. ``source_row`` is the 1-based position of that
quote in the file (dates in file order, currencies in their order within a date); a single-line
file has no line numbers, and the balance needs a distinct number per row. The date and currency
columns find the quote in the file.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.clean.base import Quarantine, TableResult, relative
from analysis.parse.dates import DateStyle, to_dates, to_jalali_text
from analysis.schemas.fx_rates import COLUMNS

SOURCE_ID = "bonbast"
#: The two trees, in order of preference, with the calendar of their date keys.
TREES: tuple[tuple[str, DateStyle], ...] = (("gregorian", "gregorian"), ("jalali", "jalali"))
INPUTS: tuple[str, ...] = tuple(f"bonbast/{tree}/*/full.json" for tree, _ in TREES)
#: bonbast quotes toman; the table is in rial.
RIAL_PER_TOMAN = 10
#: Quotes the archive names "10 Japanese Yen" / "10 Armenian Dram" that were in fact for ONE unit
#: up to and including these dates: the value jumps ×10 overnight (JPY 35 → 352 toman on
#: 2016-11-12, AMD 8 → 85 on 2016-11-24) while the US$ rate barely moves.
PER_ONE_UNIT_UNTIL: dict[str, str] = {"JPY": "2016-11-11", "AMD": "2016-11-23"}
#: A day-on-day move larger than this factor is reported in the notes as a possible unit slip.
SUSPICIOUS_JUMP = 3.0
#: Gold coins quoted next to the currencies (full, half, quarter Bahar Azadi, Emami, one gram).
GOLD_COINS = frozenset({"azadi1", "azadi1_2", "azadi1_4", "azadi1g", "emami1"})
_ISO_CODE = re.compile(r"[A-Z]{3}")
#: What :func:`pandas.api.types.infer_dtype` says of a column holding only JSON numbers.
_NUMERIC_KINDS = frozenset({"integer", "floating", "mixed-integer-float", "empty"})


def _field(quotes: list[Any], key: str) -> list[Any]:
    """``quote[key]`` for every quote (None where missing or where the quote is not an object);
    C-level lookups when every quote is an object, as in the archive."""
    try:
        return list(map(dict.get, quotes, itertools.repeat(key)))
    except TypeError:  # a quote that is not an object
        return [q.get(key) if isinstance(q, dict) else None for q in quotes]


def _sells(quotes: list[Any]) -> pd.Series:
    """The ``sell`` of each quote: a float column when every one is a real JSON number (the
    archive), else an object column that keeps each raw value for the quarantine."""
    values = np.array(_field(quotes, "sell"), dtype=object)
    if pd.api.types.infer_dtype(values, skipna=False) in _NUMERIC_KINDS:
        return pd.Series(values.astype("float64"))
    return pd.Series(values)


def _names(quotes: list[Any]) -> pd.Categorical:
    """The ``name`` of each quote, as a categorical (a few dozen distinct names)."""
    names = _field(quotes, "name")
    try:
        return pd.Categorical(names)
    except TypeError:  # an object or list as a name: unhashable, and not a name
        return pd.Categorical([n if isinstance(n, str) else None for n in names])


def _quotes(data: Any, source_file: str, calendar: DateStyle) -> tuple[pd.DataFrame, pd.Series]:
    """Flatten one file's ``{date: {code: quote}}`` object into one row per quote.

    Also returns each date key's parsed date (dates are parsed once per key, not per quote).
    Text columns are categorical: a file repeats a few dozen codes and names many times.
    """
    days = data if isinstance(data, dict) else {}
    keys = list(days)
    day_dates = to_dates(pd.Series(keys, dtype=object), calendar)
    records = [day if isinstance(day, dict) else {"*": day} for day in days.values()]
    counts = np.fromiter(map(len, records), dtype=np.int64, count=len(records))
    take = np.repeat(np.arange(len(records)), counts)
    quotes = list(itertools.chain.from_iterable(map(dict.values, records)))
    frame = pd.DataFrame(
        {
            "key": pd.Categorical.from_codes(take, categories=pd.Index(keys, dtype=object))
            if keys
            else pd.Categorical([]),
            "date": day_dates.to_numpy()[take],
            "code": pd.Categorical(list(itertools.chain.from_iterable(records))),
            "sell": _sells(quotes),
            "name": _names(quotes),
            "source_file": source_file,
            "source_row": np.arange(1, len(quotes) + 1),
        }
    )
    return frame, day_dates


def _fingerprint(record: Any) -> bytes:
    """A digest of one day's whole record (every currency with its name, sell and buy), so that
    a day repeating the previous one is found without keeping every record in memory."""
    items = sorted(record.items()) if isinstance(record, dict) else record
    return hashlib.blake2b(repr(items).encode(), digest_size=16).digest()


def _jumps(table: pd.DataFrame) -> list[str]:
    """Day-on-day moves beyond :data:`SUSPICIOUS_JUMP` (unit slips look like ×10 or ×0.1)."""
    quoted = table.loc[~table["is_carried_forward"]].sort_values(["currency", "date"])
    ratio = quoted["irr_per_unit"] / quoted.groupby("currency", observed=True)[
        "irr_per_unit"
    ].shift(1)
    jumps = quoted[(ratio > SUSPICIOUS_JUMP) | (ratio < 1 / SUSPICIOUS_JUMP)]
    return [f"{c} {d:%Y-%m-%d}" for c, d in zip(jumps["currency"], jumps["date"], strict=True)]


def _is_number(values: pd.Series) -> pd.Series:
    """True for real JSON numbers (not booleans, not text); a float column is all numbers."""
    if pd.api.types.is_float_dtype(values):
        return pd.Series(True, index=values.index)
    return values.map(type).isin([int, float])


def _carried_forward(fingerprints: dict[pd.Timestamp, bytes]) -> set[pd.Timestamp]:
    """Dates whose whole record equals the previous calendar day's record."""
    one_day = pd.Timedelta(days=1)
    return {
        day for day, print_ in fingerprints.items() if fingerprints.get(day - one_day) == print_
    }


def read(raw_dir: Path) -> tuple[pd.DataFrame, dict[pd.Timestamp, bytes], list[str]]:
    """Every quote of every bonbast file (Gregorian tree first), each date's record fingerprint
    (from the first file holding the date), and the inputs read."""
    frames: list[pd.DataFrame] = []
    fingerprints: dict[pd.Timestamp, bytes] = {}
    inputs: list[str] = []
    for tree, calendar in TREES:
        for path in sorted((raw_dir / "bonbast" / tree).glob("*/full.json")):
            data = json.loads(path.read_bytes())
            frame, day_dates = _quotes(data, relative(path, raw_dir), calendar)
            if isinstance(data, dict):
                for day, record in zip(day_dates, data.values(), strict=True):
                    if pd.notna(day) and day not in fingerprints:
                        fingerprints[day] = _fingerprint(record)
            frames.append(frame)
            inputs.append(relative(path, raw_dir))
            del data  # the parsed JSON is several times the file's size
    if not frames:
        return _quotes({}, "", "gregorian")[0], fingerprints, inputs
    return _concat(frames), fingerprints, inputs


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-file frames, keeping the text columns categorical (union of categories)."""
    text = ["key", "code", "name", "source_file"]
    union = {
        column: pd.api.types.union_categoricals(
            [f[column].astype("category") for f in frames]
        ).categories
        for column in text
    }
    return pd.concat(
        [f.astype({c: pd.CategoricalDtype(union[c]) for c in text}) for f in frames],
        ignore_index=True,
    )


def _reject(
    quotes: pd.DataFrame, bad: pd.Series, quarantine: Quarantine, column: str, check: str, why: str
) -> pd.DataFrame:
    """Quarantine the ``bad`` rows (one entry each) and return the others."""
    quarantine.add_frame(quotes[bad], column, check, why)
    return quotes[~bad]


def _per_category(column: pd.Series, fn: Callable[[Any], Any]) -> np.ndarray:
    """``fn`` of each row's value of a categorical column, computed once per category
    (``fn(None)`` for missing values)."""
    codes = column.cat.codes.to_numpy()
    results = np.array([fn(c) for c in column.cat.categories] + [fn(None)], dtype=object)
    return results[codes]  # code -1 (missing) takes the last entry


def _with_currency(quotes: pd.DataFrame) -> pd.DataFrame:
    """Add ``currency`` (ISO, upper case) and ``units`` (per quote) from the code and name."""
    currency = _per_category(quotes["code"], lambda code: str(code).upper())
    units = _per_category(
        quotes["name"],
        lambda name: float(m.group(1)) if (m := re.match(r"\s*(\d+)\s", str(name))) else 1.0,
    ).astype("float64")
    until = pd.to_datetime(pd.Series(currency, index=quotes.index).map(PER_ONE_UNIT_UNTIL))
    return quotes.assign(
        currency=pd.Categorical(currency),
        units=pd.Series(units, index=quotes.index).mask(quotes["date"] <= until, 1.0),
    )


def load(raw_dir: Path) -> TableResult:
    """bonbast selling rates in rial per unit, one row per date and currency."""
    quotes, fingerprints, inputs = read(raw_dir)
    rows_read = len(quotes)
    quarantine = Quarantine()
    quotes = _reject(
        quotes,
        quotes["code"] == "*",
        quarantine,
        "key",
        "record",
        "the value of this date key is not an object of quotes",
    )
    quotes = _reject(
        quotes,
        quotes["date"].isna(),
        quarantine,
        "key",
        "date",
        "date key is not a valid YYYY/MM/DD date in the tree's calendar",
    )
    coins = quotes["code"].isin(GOLD_COINS)
    quotes = _with_currency(quotes[~coins])
    iso = {code for code in pd.unique(quotes["currency"]) if _ISO_CODE.fullmatch(str(code))}
    bad_code = ~quotes["currency"].isin(iso)
    quotes = _reject(
        quotes,
        bad_code,
        quarantine,
        "code",
        "currency",
        "currency key is not a 3-letter ISO code (nor a known gold coin)",
    )
    sell = pd.to_numeric(quotes["sell"].where(_is_number(quotes["sell"])), errors="coerce")
    quotes = _reject(
        quotes.assign(value=sell),
        ~(sell > 0),
        quarantine,
        "sell",
        "positive_number",
        "sell is not a number > 0",
    )
    duplicate = quotes.duplicated(["date", "currency"], keep="first")
    kept = quotes[~duplicate]
    flagged = _carried_forward(fingerprints)
    table = kept.assign(
        irr_per_unit=kept["value"] * RIAL_PER_TOMAN / kept["units"],
        date_jalali=to_jalali_text(kept["date"]),
        rate_type="open_market",
        source_id=SOURCE_ID,
        is_carried_forward=kept["date"].isin(flagged),
    )
    conflicts = _conflicts(quotes, duplicate)
    jumps = _jumps(table)
    return TableResult(
        table=table[COLUMNS].reset_index(drop=True),
        quarantine=quarantine.frame(),
        rows_read=rows_read,
        excluded={
            "gold_coin_not_a_currency": int(coins.sum()),
            "duplicate_other_calendar_tree": int(duplicate.sum()),
        },
        inputs=inputs,
        notes=[
            f"bonbast: {int(duplicate.sum())} quotes repeated across the gregorian/ and jalali/ "
            f"trees (the gregorian tree kept); {conflicts} of them disagree with the kept value",
            f"bonbast: {len(flagged)} dates flagged carried forward (record = previous day's)",
        ]
        + (
            [f"bonbast: day-on-day moves > x{SUSPICIOUS_JUMP:g} (unit slip?): {jumps}"]
            if jumps
            else []
        ),
    )


def _conflicts(quotes: pd.DataFrame, duplicate: pd.Series) -> int:
    """How many duplicate quotes carry a different selling value from the one kept."""
    kept = quotes[~duplicate].set_index(["date", "currency"])["value"]
    repeats = quotes[duplicate]
    first = kept.reindex(pd.MultiIndex.from_frame(repeats[["date", "currency"]])).to_numpy()
    return int((first != repeats["value"].to_numpy()).sum())
