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

import json
import re
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


def _quotes(data: Any, source_file: str, calendar: DateStyle) -> tuple[pd.DataFrame, pd.Series]:
    """Flatten one file's ``{date: {code: quote}}`` object into one row per quote.

    Also returns each date key's parsed date (dates are parsed once per key, not per quote).
    """
    days = list(data.items()) if isinstance(data, dict) else []
    day_dates = to_dates(pd.Series([key for key, _ in days], dtype=object), calendar)
    rows = [
        (position, code, quote)
        for position, (_, day) in enumerate(days)
        for code, quote in (day.items() if isinstance(day, dict) else [("*", day)])
    ]
    positions, codes, quotes = zip(*rows, strict=True) if rows else ((), (), ())
    take = np.fromiter(positions, dtype=np.int64, count=len(rows))
    frame = pd.DataFrame(
        {
            "key": np.array([key for key, _ in days], dtype=object)[take],
            "date": day_dates.to_numpy()[take],
            "code": pd.Series(codes, dtype=object),
            "sell": pd.Series([q.get("sell") if isinstance(q, dict) else None for q in quotes]),
            "name": pd.Series([q.get("name") if isinstance(q, dict) else None for q in quotes]),
            "source_file": source_file,
            "source_row": np.arange(1, len(rows) + 1),
        }
    )
    return frame, day_dates


def _jumps(table: pd.DataFrame) -> list[str]:
    """Day-on-day moves beyond :data:`SUSPICIOUS_JUMP` (unit slips look like ×10 or ×0.1)."""
    quoted = table.loc[~table["is_carried_forward"]].sort_values(["currency", "date"])
    ratio = quoted["irr_per_unit"] / quoted.groupby("currency")["irr_per_unit"].shift(1)
    jumps = quoted[(ratio > SUSPICIOUS_JUMP) | (ratio < 1 / SUSPICIOUS_JUMP)]
    return [f"{c} {d:%Y-%m-%d}" for c, d in zip(jumps["currency"], jumps["date"], strict=True)]


def _is_number(values: pd.Series) -> pd.Series:
    """True for real JSON numbers (not booleans, not text)."""
    return values.map(type).isin([int, float])


def _carried_forward(records: dict[pd.Timestamp, Any]) -> set[pd.Timestamp]:
    """Dates whose whole record equals the previous calendar day's record."""
    one_day = pd.Timedelta(days=1)
    return {day for day, record in records.items() if records.get(day - one_day) == record}


def read(raw_dir: Path) -> tuple[pd.DataFrame, dict[pd.Timestamp, Any], list[str]]:
    """Every quote of every bonbast file (Gregorian tree first), the day records by date, inputs."""
    frames: list[pd.DataFrame] = []
    records: dict[pd.Timestamp, Any] = {}
    inputs: list[str] = []
    for tree, calendar in TREES:
        for path in sorted((raw_dir / "bonbast" / tree).glob("*/full.json")):
            data = json.loads(path.read_bytes())
            frame, day_dates = _quotes(data, relative(path, raw_dir), calendar)
            if isinstance(data, dict):
                for day, record in zip(day_dates, data.values(), strict=True):
                    if pd.notna(day):
                        records.setdefault(day, record)
            frames.append(frame)
            inputs.append(relative(path, raw_dir))
    if not frames:
        return _quotes({}, "", "gregorian")[0], records, inputs
    return pd.concat(frames, ignore_index=True), records, inputs


def _reject(
    quotes: pd.DataFrame, bad: pd.Series, quarantine: Quarantine, column: str, check: str, why: str
) -> pd.DataFrame:
    """Quarantine the ``bad`` rows (one entry each) and return the others."""
    quarantine.add_frame(quotes[bad], column, check, why)
    return quotes[~bad]


def _with_currency(quotes: pd.DataFrame) -> pd.DataFrame:
    """Add ``currency`` (ISO, upper case) and ``units`` (per quote) from the code and name."""
    # few distinct codes and names: the string work is done once per distinct value
    upper = {code: str(code).upper() for code in pd.unique(quotes["code"])}
    units = {
        name: float(m.group(1)) if (m := re.match(r"\s*(\d+)\s", str(name))) else 1.0
        for name in pd.unique(quotes["name"])
    }
    until = pd.to_datetime(quotes["code"].map(upper).map(PER_ONE_UNIT_UNTIL).astype(object))
    return quotes.assign(
        currency=quotes["code"].map(upper).astype(object),
        units=quotes["name"]
        .map(units)
        .astype("float64")
        .fillna(1.0)
        .mask(quotes["date"] <= until, 1.0),
    )


def load(raw_dir: Path) -> TableResult:
    """bonbast selling rates in rial per unit, one row per date and currency."""
    quotes, records, inputs = read(raw_dir)
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
    flagged = _carried_forward(records)
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
