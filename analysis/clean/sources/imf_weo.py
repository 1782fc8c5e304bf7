"""IMF World Economic Outlook by-country workbook (``imf-weo/WEO<Mon><YYYY>all.xlsx``).

One line per (country, subject): ``ISO``, ``WEO Subject Code``, ``Subject Descriptor``,
``Units``, ``Scale``, ``Country/Series-specific Notes``, one column per year 1980–2029 and
``Estimates Start After``. Indicator codes are ``WEO.<subject>`` (``WEO.NGDP_RPCH``).

**The re-saved workbook mangles decimals.** The IMF publishes every value as text with three
decimals (``"26.916"``, ``"1,149.961"``). The user who re-saved the file as .xlsx let the
spreadsheet read each text with a locale where ``.`` groups thousands: a text it could read that
way became a *number cell* 1,000 times too large (``"26.916"`` → 26916), the rest stayed text
(``"1,149.961"``, ``"0.671"``). Evidence in the real file: every one of the 100,818 text values
has exactly three decimals, and every one of the 221,517 number cells is an integer between
1,000 and 999,999 in absolute value — exactly the texts ``1.000``–``999.999``; Iran's CPI
(``PCPI``) is 100.000 in its base year only after dividing. So a number cell is divided by
:data:`NUMBER_CELL_SCALE`; one that is not an integer in that range cannot come from the
re-save and is quarantined. Text cells are read with thousands separators.

``n/a`` and ``--`` are gaps. Values for years after ``Estimates Start After`` are flagged
``is_estimate`` (IMF staff estimates and projections). ``WBG`` (West Bank and Gaza) becomes
``PSE``, ``UVK`` (Kosovo) ``XKX``; every country and subject is kept (Palestine's fiscal,
labour and national accounts series as Iran's). ``year_basis`` follows the notes of each series
(or of the series its notes point to): ``iranian_year`` where they put Iran's data on fiscal
years mapped to calendar years as FY(t/t+1) = CY(t), ``financial_year`` for other fiscal-year
reporting, ``calendar`` otherwise (see :func:`year_bases`).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.clean import countries, xlsx
from analysis.clean.base import Collector, TableResult, relative
from analysis.clean.longform import (
    load_each,
    melt_years,
    observations,
    parse_values,
    reject,
)
from analysis.errors import DataError

SOURCE_ID = "imf-weo"
INPUTS = ("imf-weo/WEO*all.xlsx",)
#: Number cells are the text value × 1000 (see the module docstring).
NUMBER_CELL_SCALE = 1000.0
#: The range a mangled three-decimal text can land in: "1.000" … "999.999" → 1000 … 999999.
NUMBER_CELL_RANGE = (1_000, 999_999)
_MONTHS = {"Apr": "04", "Oct": "10", "Sep": "09", "May": "05"}
_FILE = re.compile(r"WEO(?P<mon>[A-Z][a-z]{2})(?P<year>\d{4})all", re.IGNORECASE)
_FISCAL = re.compile(
    r"Reporting in calendar year: No|FY\(t/t\+1\)\s*=\s*CY\(t\)|SY\(t/t\+1\)\s*=\s*CY\(t\)"
)
_IRANIAN = re.compile(r"Iranian year", re.IGNORECASE)
#: A series whose notes date its data by fiscal year ("Latest actual data: FY2022/23").
_FY_DATA = re.compile(r"Latest actual data:\s*FY\s*\d{4}/\d{2}")
#: The mapping that stores a fiscal year under the calendar year in which it *starts*.
_START_MAPPING = re.compile(r"[FS]Y\(t/t\+1\)\s*=\s*CY\(t\)")
ID_COLUMNS = {
    "ISO": "iso",
    "WEO Subject Code": "subject",
    "Country": "country",
    "Subject Descriptor": "descriptor",
    "Units": "units",
    "Scale": "scale",
    "Country/Series-specific Notes": "notes",
    "Estimates Start After": "estimates_after",
}


def vintage_of(path: Path) -> str:
    """``WEOOct2024all.xlsx`` → ``'2024-10'``."""
    match = _FILE.search(path.name)
    if not match:
        raise DataError("IMF WEO file name does not state its release (WEO<Mon><YYYY>all)")
    month = _MONTHS.get(match.group("mon").title(), match.group("mon"))
    return f"{match.group('year')}-{month}"


def unit_of(units: object, scale: object) -> str:
    """``('National currency', 'Billions')`` → ``'National currency, billions'``."""
    unit = str(units).strip() if units else "not stated"
    scale_text = str(scale).strip() if scale else ""
    return unit if scale_text in ("", "Units") else f"{unit}, {scale_text.lower()}"


def year_bases(lines: pd.DataFrame) -> pd.Series:
    """``calendar`` / ``financial_year`` / ``iranian_year`` for each line, from the notes.

    A line is on fiscal years where its notes say so: a mapping ``FY(t/t+1) = CY(t)``,
    "Reporting in calendar year: No", or data dated by fiscal year ("Latest actual data:
    FY2022/23") in a country whose other notes state the mapping ``FY(t/t+1) = CY(t)`` (the IMF
    states it once per source, not on every series: Iran's balance of payments, trade volumes
    and population). Notes reading "See notes for: <Descriptor> (<Units>) ..." inherit the
    basis of the country's series so named. Iran's fiscal year is the Iranian year (21
    March–20 March).
    """
    notes = lines["notes"].fillna("").astype(str)
    basis = pd.Series("calendar", index=lines.index)
    basis[notes.str.contains(_FISCAL)] = "financial_year"
    starts = lines.loc[notes.str.contains(_START_MAPPING), "iso"].unique()
    fiscal_data = notes.str.contains(_FY_DATA) & lines["iso"].isin(starts)
    basis[fiscal_data] = "financial_year"
    iranian = notes.str.contains(_IRANIAN) | (lines["iso"] == "IRN")
    basis[(basis == "financial_year") & iranian] = "iranian_year"
    refers = notes.str.startswith("See notes for")
    label = lines["descriptor"].astype(str) + " (" + lines["units"].astype(str) + ")"
    targets: dict[object, list[tuple[str, str]]] = {}
    for iso, text, value in zip(lines["iso"][~refers], label[~refers], basis[~refers], strict=True):
        if value != "calendar":
            targets.setdefault(iso, []).append((text, value))
    inherited = [
        next((value for text, value in targets.get(iso, []) if text in note), "calendar")
        for iso, note in zip(lines["iso"][refers], notes[refers], strict=True)
    ]
    basis[refers] = pd.Series(inherited, index=basis.index[refers], dtype="object")
    return basis


def _values(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(values, reason where a cell is rejected) for WEO cells."""
    number = raw.map(type).isin([int, float])
    nums = pd.to_numeric(raw.where(number), errors="coerce")
    low, high = NUMBER_CELL_RANGE
    whole = nums.notna() & (nums % 1 == 0) & nums.abs().between(low, high)
    values = (nums / NUMBER_CELL_SCALE).where(whole)
    values[~number] = parse_values(raw[~number])
    values = values.where(np.isfinite(values))
    reason = pd.Series("", index=raw.index)
    reason[number & ~whole] = (
        "number cell that is not an integer 1,000-999,999: cannot be undone from the re-save"
    )
    reason[~number & values.isna()] = "text that is neither a number nor a missing-value token"
    return values, reason


def load(raw_dir: Path) -> TableResult:
    """Every ``imf-weo/WEO*all.xlsx`` by-country workbook."""
    return load_each(sorted((raw_dir / "imf-weo").glob("WEO*all.xlsx")), raw_dir, _load_file)


def _load_file(path: Path, raw_dir: Path, out: Collector) -> None:
    rel = relative(path, raw_dir)
    out.inputs.append(rel)
    vintage = vintage_of(path)
    frame = xlsx.read_frame(path)
    header = frame.iloc[0]
    named = {str(v).strip(): pos for pos, v in header.items() if isinstance(v, str)}
    missing = [c for c in ID_COLUMNS if c not in named]
    if missing:
        raise DataError(f"IMF WEO header lacks {', '.join(missing)}", file=rel, row=1)
    years = {
        pos: int(v)
        for pos, v in header.items()
        if isinstance(v, int | float) and float(v).is_integer() and 1900 <= v <= 2100
    }
    body = frame.iloc[1:]
    lines = pd.DataFrame(
        {key: body[named[col]] for col, key in ID_COLUMNS.items()}
        | {"source_row": body.index}
        | {str(year): body[pos] for pos, year in years.items()},
        index=body.index,
    )
    codes = countries.fix_codes(lines["iso"].astype("string").str.strip())
    lines = lines.assign(
        year_basis=year_bases(lines),
        country_code=codes,
        country_name=countries.short_names(codes.fillna(""), lines["country"]),
        indicator_code="WEO." + lines["subject"].astype("string").str.strip(),
        indicator_name=lines["descriptor"].astype("string").str.strip(),
        unit=[unit_of(u, s) for u, s in zip(lines["units"], lines["scale"], strict=True)],
        after=pd.to_numeric(lines["estimates_after"], errors="coerce"),
        source_file=rel,
    )
    ids = ["source_file", "source_row", "country_code", "country_name", "indicator_code"]
    ids += ["indicator_name", "unit", "year_basis", "after"]
    cells = melt_years(lines, {str(y): y for y in years.values()}, ids)
    out.read(cells)
    no_code = cells["country_code"].isna() | cells["indicator_code"].isna()
    reject(
        out,
        cells[no_code],
        "country_code",
        "country_code",
        "value on a line with no ISO or subject",
    )
    cells = cells[~no_code]
    values, reason = _values(cells["raw"])
    for text in reason[reason != ""].unique():
        reject(out, cells[reason == text], None, "number", f"IMF WEO: {text}")
    cells = cells[reason == ""].assign(value=values[reason == ""])
    after = cells["after"]
    out.keep(
        observations(
            cells,
            source_id=SOURCE_ID,
            is_estimate=(cells["year"] > after).fillna(False).astype(bool),
            vintage=vintage,
        )
    )
    undated = int(after.isna().sum())
    out.notes.append(
        f"{rel}: WEO {vintage}; number cells divided by {NUMBER_CELL_SCALE:g} (locale re-save); "
        f"estimates/projections flagged after 'Estimates Start After'"
        + (f" ({undated} values on lines without that year are not flagged)" if undated else "")
    )
