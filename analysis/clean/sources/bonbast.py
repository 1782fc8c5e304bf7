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
- weekends (Fridays) and holidays repeat the previous day, but not always for every currency:
  since 2019 the euro and pound move on Fridays while the dollar is copied. Each quote is flagged
  ``is_carried_forward`` by the rule of :mod:`analysis.clean.carried` (closed market and the
  currency's quote repeats the day before); a day whose whole record (every currency, sell and
  buy) equals the previous calendar day's is a copy too, whatever its weekday (the Nowruz week,
  when exchange houses stay shut beyond the official holidays).

A *row* is one quote: one currency on one date. ``source_row`` is the 1-based position of that
quote in the file (dates in file order, currencies in their order within a date); a single-line
file has no line numbers, and the balance needs a distinct number per row. The date and currency
columns find the quote in the file.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Callable, Iterable
from operator import attrgetter
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
import pandas as pd

from analysis.clean.base import (
    Collector,
    TableResult,
    concat_frames,
    reading,
    release_freed_memory,
)
from analysis.clean.carried import carried_forward
from analysis.parse.dates import DateStyle, jalali_text, to_dates
from analysis.schemas import TEXT
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
#: An odd 64-bit constant (2^64 / golden ratio) that mixes a day's quote count into its digest.
_MIX = np.uint64(0x9E3779B97F4A7C15)


class Quote(msgspec.Struct):
    """One quote in the archive's shape: ``{"name": "US Dollar", "sell": 4290, "buy": 4280}``
    (some years' quotes have no ``buy``)."""

    name: str
    sell: float
    buy: float = math.nan


#: Decodes a file in the archive's exact shape straight into :class:`Quote` objects.
_ARCHIVE = msgspec.json.Decoder(dict[str, dict[str, Quote]])


def parse(raw: bytes) -> tuple[Any, bool]:
    """(a file's JSON, whether it is in the archive's shape).

    A file in that shape (every day an object of quotes, every quote a name and a numeric sell,
    and buy if any) is decoded by msgspec into :class:`Quote` objects: several times faster than
    json, and no dict per quote. Any other file is read by json as it is, for the checks to
    quarantine what is wrong (json's own error names the place of a syntax error).
    """
    try:
        return _ARCHIVE.decode(raw), True
    except msgspec.MsgspecError:
        return json.loads(raw), False


def _coded(days: Iterable[tuple[str, ...]]) -> pd.Categorical:
    """The texts of every day, in order, as one categorical. Each distinct tuple is coded once:
    a file's days nearly always list the same currencies (and names) in the same order."""
    categories: dict[str, int] = {}
    known: dict[tuple[str, ...], np.ndarray] = {}
    parts: list[np.ndarray] = []
    for day in days:
        if day not in known:
            day_codes = [categories.setdefault(text, len(categories)) for text in day]
            known[day] = np.array(day_codes, dtype=np.int32)
        parts.append(known[day])
    codes = np.concatenate(parts) if parts else np.array([], dtype=np.int32)
    return pd.Categorical.from_codes(codes, categories=_text_index(categories))


def _field(quotes: list[Any], key: str) -> list[Any]:
    """``quote[key]`` for every quote (None where missing or where the quote is not an object);
    C-level lookups when every quote is an object, as in the archive."""
    try:
        return list(map(dict.get, quotes, itertools.repeat(key)))
    except TypeError:  # a quote that is not an object
        return [q.get(key) if isinstance(q, dict) else None for q in quotes]


def _numbers(quotes: list[Any], key: str) -> pd.Series:
    """The ``key`` (``sell``, ``buy``) of each quote: a float column when every one is a real JSON
    number (the archive), else an object column that keeps each raw value for the quarantine."""
    values = np.array(_field(quotes, key), dtype=object)
    if pd.api.types.infer_dtype(values, skipna=False) in _NUMERIC_KINDS:
        return pd.Series(values.astype("float64"))
    return pd.Series(values)


def _categorical(values: list[Any]) -> pd.Categorical:
    """``values`` as a categorical; text categories are held as Arrow strings, so no Python
    string made while parsing a file outlives its JSON (a few hundred long-lived strings spread
    over the parser's memory would keep most of it from being returned: with plain ``str``
    categories, as the ``indicators`` loaders use, the 10× benchmark's clean peaks at 1.12 GB
    instead of 0.90 GB)."""
    try:
        column = pd.Categorical(values)
    except TypeError:  # an object or list as a value: unhashable, and not text
        column = pd.Categorical([v if isinstance(v, str) else None for v in values])
    kind = pd.api.types.infer_dtype(column.categories, skipna=False)
    if len(column.categories) and kind not in ("string", "empty"):
        return column  # a number among the names: only in a malformed file
    return pd.Categorical.from_codes(column.codes, categories=_text_index(column.categories))


def _text_index(values: Iterable[str]) -> pd.Index:
    """``values`` as an index of Arrow strings (one buffer, not a Python object each)."""
    return pd.Index(pd.array(list(values), dtype=TEXT))


def _quotes(
    data: Any, source_file: str, calendar: DateStyle, typed: bool = False
) -> tuple[pd.DataFrame, pd.Series]:
    """Flatten one file's ``{date: {code: quote}}`` object into one row per quote (``typed``: the
    quotes are :class:`Quote` objects, see :func:`parse`; else any JSON values).

    Also returns each date key's record digest (:func:`_day_prints`), indexed by its parsed date
    (dates are parsed once per key, not per quote). Text columns are categorical: a file repeats
    a few dozen codes and names many times.
    """
    days = data if isinstance(data, dict) else {}
    keys = list(days)
    day_dates = to_dates(pd.Series(keys, dtype=object), calendar)
    records = [day if isinstance(day, dict) else {"*": day} for day in days.values()]
    counts = np.fromiter(map(len, records), dtype=np.int64, count=len(records))
    take = np.repeat(np.arange(len(records)), counts)
    quotes = list(itertools.chain.from_iterable(map(dict.values, records)))
    if typed:
        names = _coded(tuple(map(attrgetter("name"), r.values())) for r in records)
        sell, buy = (pd.Series(_floats(quotes, key)) for key in ("sell", "buy"))
    else:
        names = _categorical(_field(quotes, "name"))
        sell, buy = (_numbers(quotes, key) for key in ("sell", "buy"))
    frame = pd.DataFrame(
        {
            "key": pd.Categorical.from_codes(take, categories=_text_index(keys)),
            "date": day_dates.to_numpy()[take],
            "code": _coded(map(tuple, records)),
            "sell": sell,
            "name": names,
            "source_file": _constant(source_file, len(quotes)),
            "source_row": np.arange(1, len(quotes) + 1),
        }
    )
    prints = _day_prints(frame.assign(buy=buy), counts, day_dates)
    return frame, prints


def _floats(quotes: list[Quote], key: str) -> np.ndarray:
    """The ``key`` (``sell``, ``buy``) of every :class:`Quote`, as floats."""
    return np.fromiter(map(attrgetter(key), quotes), dtype="float64", count=len(quotes))


def _day_prints(quotes: pd.DataFrame, counts: np.ndarray, day_dates: pd.Series) -> pd.Series:
    """A digest of each date's whole record (every currency with its name, sell and buy: the sum
    of its quotes' 64-bit hashes, mixed with their count), so that a day repeating the previous
    one is found from the columns, without keeping or re-reading the records. Dates with no
    quote have none."""
    hashes = pd.util.hash_pandas_object(quotes[["code", "name", "sell", "buy"]], index=False)
    quoted = counts > 0
    starts = (np.cumsum(counts) - counts)[quoted]
    sums = np.add.reduceat(hashes.to_numpy(), starts) if len(starts) else hashes.to_numpy()
    digests = sums + counts[quoted].astype(np.uint64) * _MIX
    return pd.Series(digests, index=pd.DatetimeIndex(day_dates[quoted]), dtype=np.uint64)


def _jumps(table: pd.DataFrame) -> list[str]:
    """Day-on-day moves beyond :data:`SUSPICIOUS_JUMP` (unit slips look like ×10 or ×0.1)."""
    quoted = table.loc[~table["is_carried_forward"], ["currency", "date", "irr_per_unit"]]
    quoted = quoted.sort_values(["currency", "date"])
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


def _copied_days(fingerprints: pd.Series) -> pd.DatetimeIndex:
    """Dates whose whole record equals the previous calendar day's record (``fingerprints``:
    one digest per date, dates unique and sorted)."""
    days = pd.DatetimeIndex(fingerprints.index)
    digests = fingerprints.to_numpy()
    previous = days.get_indexer(days - pd.Timedelta(days=1))
    same = (previous >= 0) & (digests[previous] == digests)
    return days[same]


def read(raw_dir: Path) -> tuple[pd.DataFrame, pd.Series, list[str]]:
    """Every quote of every bonbast file (Gregorian tree first), each date's record fingerprint
    (from the first file holding the date; sorted by date), and the inputs read."""
    frames: list[pd.DataFrame] = []
    prints: list[pd.Series] = []
    inputs: list[str] = []
    for tree, calendar in TREES:
        for path in sorted((raw_dir / "bonbast" / tree).glob("*/full.json")):
            with reading(path, raw_dir) as rel:
                data, typed = parse(path.read_bytes())
                frame, day_prints = _quotes(data, rel, calendar, typed)
            prints.append(day_prints)
            frames.append(frame)
            inputs.append(rel)
            del data  # the parsed JSON is several times the file's size
    fingerprints = pd.concat(prints) if prints else _quotes({}, "", "gregorian")[1]
    fingerprints = fingerprints[fingerprints.index.notna()]
    fingerprints = fingerprints[~fingerprints.index.duplicated(keep="first")].sort_index()
    if not frames:
        return _quotes({}, "", "gregorian")[0], fingerprints, inputs
    quotes = concat_frames(frames)
    del frames
    release_freed_memory()  # the files' parsed JSON
    return quotes, fingerprints, inputs


def _reject(
    out: Collector, quotes: pd.DataFrame, alive: pd.Series, bad: pd.Series, column: str, *why: str
) -> pd.Series:
    """Quarantine the live quotes that are ``bad`` (one entry each, ``why`` = check, reason);
    returns the quotes still alive. A quote failing one check is not tried on the next, and the
    kept rows are taken once at the end (the quotes are never copied whole)."""
    bad = bad & alive
    if bad.any():
        out.add_frame(quotes[bad], column, *why)
    return alive & ~bad


def _per_category(column: pd.Series, fn: Callable[[Any], Any], dtype: Any = object) -> np.ndarray:
    """``fn`` of each row's value of a categorical column, computed once per category
    (``fn(None)`` for missing values)."""
    codes = column.cat.codes.to_numpy()
    results = np.array([fn(c) for c in column.cat.categories] + [fn(None)], dtype=dtype)
    return results[codes]  # code -1 (missing) takes the last entry


def _recode(values: pd.Series, fn: Callable[[Any], Any]) -> pd.Categorical:
    """A categorical of ``fn`` of each value, computed once per distinct value (``fn(None)`` for a
    missing one); two values may meet in one category (``usd`` and ``USD``). Categories are
    sorted, so sorting by the column sorts alphabetically."""
    codes, uniques = pd.factorize(values)
    labels = np.array([fn(v) for v in uniques] + [fn(None)], dtype=object)
    label_codes, categories = pd.factorize(labels, sort=True)
    return pd.Categorical.from_codes(label_codes[codes], categories=pd.Index(categories))


def _constant(value: str, rows: int) -> pd.Categorical:
    """``value`` on every one of ``rows`` rows, as a one-category categorical (one byte a row)."""
    return pd.Categorical.from_codes(np.zeros(rows, dtype=np.int8), categories=_text_index([value]))


def _currency_and_units(quotes: pd.DataFrame) -> tuple[pd.Categorical, np.ndarray]:
    """Each quote's ``currency`` (ISO, upper case) and ``units`` (of currency quoted), from its
    code and name."""
    currency = _recode(quotes["code"], lambda code: str(code).upper())
    units = _per_category(
        quotes["name"],
        lambda name: float(m.group(1)) if (m := re.match(r"\s*(\d+)\s", str(name))) else 1.0,
        "float64",
    )
    until = _per_category(
        pd.Series(currency, index=quotes.index), PER_ONE_UNIT_UNTIL.get, "datetime64[ns]"
    )
    return currency, np.where(quotes["date"].to_numpy() <= until, 1.0, units)


def load(raw_dir: Path) -> TableResult:
    """bonbast selling rates in rial per unit, one row per date and currency."""
    quotes, fingerprints, inputs = read(raw_dir)
    rows_read = len(quotes)
    out = Collector()
    alive = pd.Series(True, index=quotes.index)
    alive = _reject(
        out,
        quotes,
        alive,
        quotes["code"] == "*",
        "key",
        "record",
        "the value of this date key is not an object of quotes",
    )
    alive = _reject(
        out,
        quotes,
        alive,
        quotes["date"].isna(),
        "key",
        "date",
        "date key is not a valid YYYY/MM/DD date in the tree's calendar",
    )
    coin = quotes["code"].isin(GOLD_COINS) & alive
    alive &= ~coin
    coins = int(coin.sum())
    quotes["currency"], quotes["units"] = _currency_and_units(quotes)
    live_codes = pd.unique(quotes.loc[alive, "currency"])
    iso = {code for code in live_codes if _ISO_CODE.fullmatch(str(code))}
    alive = _reject(
        out,
        quotes,
        alive,
        ~quotes["currency"].isin(iso),
        "code",
        "currency",
        "currency key is not a 3-letter ISO code (nor a known gold coin)",
    )
    sell = quotes["sell"]
    quotes["value"] = pd.to_numeric(sell.where(_is_number(sell)), errors="coerce")
    alive = _reject(
        out,
        quotes,
        alive,
        ~(quotes["value"] > 0),
        "sell",
        "positive_number",
        "sell is not a number > 0",
    )
    valid = np.flatnonzero(alive.to_numpy())
    day_currency = _day_currency(_take(quotes, valid, ["date", "currency"]))
    duplicate = day_currency.duplicated(keep="first").to_numpy()
    conflicts = _conflicts(day_currency, quotes["value"].to_numpy()[valid], duplicate)
    columns = ["date", "currency", "value", "units", "source_file", "source_row"]
    kept = _take(quotes, valid[~duplicate], columns)
    quarantine = out.frame()
    del quotes, valid, day_currency, alive, coin  # only the kept rows from here on
    copied = _copied_days(fingerprints)
    table = kept.assign(
        date_jalali=_recode(kept["date"], lambda day: day and jalali_text(day.date())),
        rate_type=_constant("open_market", len(kept)),
        irr_per_unit=kept["value"] * RIAL_PER_TOMAN / kept["units"],
        source_id=_constant(SOURCE_ID, len(kept)),
        is_carried_forward=False,
    )[COLUMNS]
    del kept
    table["is_carried_forward"] = carried_forward(table, ["currency"], copied)
    flagged = table["is_carried_forward"]
    jumps = _jumps(table)
    return TableResult(
        table=table,
        quarantine=quarantine,
        rows_read=rows_read,
        excluded={
            "gold_coin_not_a_currency": coins,
            "duplicate_other_calendar_tree": int(duplicate.sum()),
        },
        inputs=inputs,
        notes=[
            f"bonbast: {int(duplicate.sum())} quotes repeated across the gregorian/ and jalali/ "
            f"trees (the gregorian tree kept); {conflicts} of them disagree with the kept value",
            f"bonbast: {int(flagged.sum())} quotes flagged carried forward on "
            f"{table.loc[flagged, 'date'].nunique()} dates ({len(copied)} dates whose whole record "
            "repeats the previous day's)",
        ]
        + (
            [f"bonbast: day-on-day moves > x{SUSPICIOUS_JUMP:g} (unit slip?): {jumps}"]
            if jumps
            else []
        ),
    )


def _conflicts(day_currency: pd.Series, values: np.ndarray, duplicate: np.ndarray) -> int:
    """How many duplicate quotes carry a different selling value from the one kept (the first
    quote of their date and currency)."""
    if not duplicate.any():
        return 0
    first = pd.Series(values).groupby(day_currency.to_numpy(), sort=False).transform("first")
    return int((first.to_numpy() != values)[duplicate].sum())


def _take(frame: pd.DataFrame, rows: np.ndarray, columns: list[str]) -> pd.DataFrame:
    """``frame[columns]`` at the positions ``rows``: each column copied once."""
    return pd.DataFrame({c: frame[c].array.take(rows) for c in columns})


def _day_currency(quotes: pd.DataFrame) -> pd.Series:
    """One integer per (date, currency) pair: cheaper to hash than the pair."""
    days = quotes["date"].to_numpy().astype("datetime64[D]").astype("int64")
    currency = quotes["currency"].cat
    return pd.Series(days * (len(currency.categories) + 1) + currency.codes.to_numpy())
