"""The European Commission's EU crude-oil import register (DG ENER), one workbook a year.

``eu-coir/Crude_Oil_Imports_Reporting_Country_<YEAR>.xlsx`` has thirteen sheets: ``Detailed Crude
Oil Imports - cu`` (the cumulative year) and ``EU COI - Jan`` .. ``EU COI - Dec`` (``Sept`` for
September). In each sheet, column A is empty and the table starts at column B:

* title rows ("EUROPEAN COMMISSION ...", "Jan - 2018") above the first header row (row 2 in
  2013-2017, rows 5-7 in 2018-2019); the header ``Reporting Country | Country of Origin | Type
  of crude oil | Volume (1000 bbl) | Total Value ($ 1000) | CIF price (2) ($/bbl) | % of Total
  Imports`` is repeated above every reporting country's block (written once in the April and
  December sheets);
* the reporting country is written on the block's first row only (filled down here, never past
  the block's ``Sum:`` row or the next header);
* each block ends with a subtotal row (``Sum:`` in the grade column), the sheet with a ``World``
  row (the EU total), a blank row and a footnote;
* some number cells are text (``'450.0'``), and value and CIF price are ``(3)`` where the data
  are confidential (footnote 3): the volume is still given.

Row accounting, per month sheet: every non-blank row below the first header row is read. Data
rows are kept or quarantined; the rest is excluded by reason: ``repeated_header``,
``reporter_subtotal``, ``eu_total``, ``footnote``. The cumulative sheet is never added to the
months: its rows are read, counted as ``cumulative_year_sheet`` and only used to check that the
twelve months add up to it (a note in the manifest).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.clean import countries, xlsx
from analysis.clean.base import Collector, TableResult, reading, relative
from analysis.errors import DataError
from analysis.parse import numbers
from analysis.schemas.oil_trade import COLUMNS, SOURCE_ID

INPUTS: tuple[str, ...] = ("eu-coir/Crude_Oil_Imports_Reporting_Country_[0-9][0-9][0-9][0-9].xlsx",)
_YEAR = re.compile(r"_(\d{4})\.xlsx$")
CUMULATIVE_SHEET = "Detailed Crude Oil Imports - cu"
MONTH_SHEETS: dict[str, int] = {
    f"EU COI - {name}": number
    for number, name in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"],
        start=1,
    )
}
#: Header labels (as each starts) → field name; the CIF header carries a footnote mark "(2)".
HEADER: dict[str, str] = {
    "Reporting Country": "reporter",
    "Country of Origin": "origin",
    "Type of crude oil": "grade",
    "Volume (1000 bbl)": "volume",
    "Total Value ($ 1000)": "value",
    "CIF price": "cif",
}
#: Footnote (3): "Données confidentielles / confidential data / vertrauliche Daten".
CONFIDENTIAL = "(3)"
SUBTOTAL_GRADE = "Sum:"
TOTAL_REPORTER = "World"
#: The register's residual origins ("Other African Countries"...): several countries, no code.
RESIDUAL_ORIGIN = re.compile(r"^Other\b", re.IGNORECASE)
#: Origins country_converter does not map: the register names the emirate, not the country.
ORIGIN_FIXES: dict[str, str] = {"Abu Dhabi": "ARE"}
#: A sheet's title cell naming its month ("Jan - 2018", "Sep - 2019"), checked when present.
_TITLE_MONTH = re.compile(r"^([A-Z][a-z]{2}) - (\d{4})$")
#: Relative tolerance of the check that the months add up to the cumulative sheet.
CUMULATIVE_TOLERANCE = 0.001


def year_of(path: Path) -> int:
    """The year a workbook covers, from its name (``..._2017.xlsx`` → 2017)."""
    match = _YEAR.search(path.name)
    if not match:
        raise DataError("EU import register file name does not end in _<YEAR>.xlsx", file=str(path))
    return int(match.group(1))


def _header_rows(frame: pd.DataFrame) -> pd.Series:
    """Mask of the header rows (a cell reading ``Reporting Country``)."""
    return frame.apply(lambda col: col.astype("string").str.strip().eq("Reporting Country")).any(
        axis=1
    )


def _columns(header: pd.Series, rel: str, sheet: str) -> dict[str, int]:
    """Field name → column position, from one header row."""
    found: dict[str, int] = {}
    for pos, cell in header.items():
        text = str(cell or "").strip()
        for label, name in HEADER.items():
            if text.startswith(label):
                found[name] = int(str(pos))
    missing = [label for label, name in HEADER.items() if name not in found]
    if missing:
        raise DataError(f"EU import register sheet '{sheet}' header lacks {missing}", file=rel)
    return found


def _check_title(
    frame: pd.DataFrame, first_header: int, month: pd.Timestamp, rel: str, sheet: str
) -> None:
    """A title cell above the header that names a month must name the sheet's month."""
    for cell in frame.loc[: first_header - 1].stack():
        match = _TITLE_MONTH.match(str(cell).strip())
        if match and (match.group(1), int(match.group(2))) != (month.strftime("%b"), month.year):
            raise DataError(
                f"EU import register sheet '{sheet}' is titled {cell!r}, not {month:%b %Y}",
                file=rel,
            )


def read_sheet(path: Path, sheet: str, rel: str, month: pd.Timestamp | None = None) -> pd.DataFrame:
    """The rows of one sheet below its first header: the fields as raw cells (text stripped),
    ``kind`` (data / repeated_header / reporter_subtotal / eu_total / footnote), the reporter
    filled down within its block, ``source_file`` and ``source_row`` (``<sheet>!<row>``).

    With ``month``, a title cell above the header that names a month must name that one."""
    frame = xlsx.read_frame(path, sheet)
    headers = _header_rows(frame)
    if not headers.any():
        raise DataError(
            f"EU import register sheet '{sheet}' has no 'Reporting Country' header", file=rel
        )
    first = int(headers.index[headers.to_numpy()][0])
    if month is not None:
        _check_title(frame, first, month, rel, sheet)
    cols = _columns(frame.iloc[first - 1], rel, sheet)  # index = spreadsheet row, from 1
    body = frame.loc[first + 1 :]
    body = body[body.notna().any(axis=1)]
    rows = pd.DataFrame(
        {
            name: body[pos].map(lambda v: v.strip() if isinstance(v, str) else v)
            for name, pos in cols.items()
        },
        index=body.index,
    ).replace({"": None})
    is_header = headers.loc[body.index]
    blank_origin = rows["origin"].isna() & rows["grade"].isna()
    kind = pd.Series("data", index=rows.index)
    kind[blank_origin & rows["volume"].isna()] = "footnote"
    kind[blank_origin & rows["reporter"].eq(TOTAL_REPORTER)] = "eu_total"
    kind[rows["grade"].eq(SUBTOTAL_GRADE)] = "reporter_subtotal"
    kind[is_header] = "repeated_header"
    # a reporter's block starts after a header row or after the previous block's "Sum:" row (the
    # April and December sheets do not repeat the header): a name never leaks into the next block
    # (numpy booleans: on pandas 3 a text comparison gives Arrow booleans, which cannot cumsum)
    block = (is_header | kind.shift(fill_value="").eq("reporter_subtotal")).astype(bool).cumsum()
    reporter = rows["reporter"].where(kind.isin(["data", "reporter_subtotal"]))
    return rows.assign(
        kind=kind,
        block=block,
        reporter_raw=rows["reporter"],
        reporter=reporter.groupby(block).ffill(),
        source_file=rel,
        source_row=[f"{sheet}!{row}" for row in rows.index],
        sheet=sheet,
    )


def _codes(names: pd.Series, fixes: dict[str, str]) -> pd.Series:
    """ISO alpha-3 codes for ``names`` (None where unknown), with ``fixes`` applied first."""
    codes = countries.iso3_from_names(names.fillna(""))
    return names.map(fixes).fillna(codes).where(names.notna())


def parse_rows(rows: pd.DataFrame, month: pd.Timestamp, tally: Collector) -> pd.DataFrame:
    """The data rows of one month sheet in the processed columns; failures quarantined."""
    data = rows[rows["kind"] == "data"]
    volume = numbers.to_numeric(data["volume"].astype(object))
    confidential = data["value"].eq(CONFIDENTIAL) | data["cif"].eq(CONFIDENTIAL)
    value = numbers.to_numeric(data["value"].where(~confidential).astype(object))
    cif = numbers.to_numeric(data["cif"].where(~confidential).astype(object))
    reporter_code = _codes(data["reporter"], {})
    origin_code = _codes(data["origin"], ORIGIN_FIXES)
    residual = data["origin"].fillna("").str.match(RESIDUAL_ORIGIN)
    checks = [
        (
            "reporter",
            data["reporter"].isna(),
            "reporter_filled_down",
            "no reporting country written above in its block",
        ),
        (
            "reporter",
            data["reporter"].notna() & reporter_code.isna(),
            "country",
            "reporting country is not a known country name",
        ),
        ("origin", data["origin"].isna(), "not_empty", "country of origin is empty"),
        (
            "origin",
            data["origin"].notna() & origin_code.isna() & ~residual,
            "country",
            "country of origin is not a known country name nor an 'Other ...' group",
        ),
        ("grade", data["grade"].isna(), "not_empty", "type of crude oil is empty"),
        ("volume", volume.isna(), "number", "volume is not a number"),
        ("volume", volume < 0, "non_negative", "volume is negative"),
        (
            "value",
            data["value"].notna() & ~confidential & value.isna(),
            "number",
            "value is neither a number nor '(3)' (confidential)",
        ),
        (
            "cif",
            data["cif"].notna() & ~confidential & cif.isna(),
            "number",
            "CIF price is neither a number nor '(3)' (confidential)",
        ),
    ]
    bad = pd.Series(False, index=data.index)
    sheet = str(data["sheet"].iloc[0]) if len(data) else ""
    for column, mask, check, reason in checks:
        tally.add_frame(data[mask], column, check, f"{sheet}: {reason}", blank=True)
        bad |= mask
    ok = ~bad
    return pd.DataFrame(
        {
            "month": month,
            "reporter_code": reporter_code[ok],
            "reporter_name": data["reporter"][ok],
            "origin_code": origin_code[ok].where(~residual[ok]),
            "origin_name": data["origin"][ok],
            "crude_grade": data["grade"][ok].astype(str),
            "volume_kbbl": volume[ok],
            "value_kusd": value[ok],
            "cif_usd_per_bbl": cif[ok],
            "is_confidential": confidential[ok].astype(bool),
            "source_id": SOURCE_ID,
            "source_file": data["source_file"][ok],
            "source_row": data["source_row"][ok],
        },
        columns=COLUMNS,
    )


def cumulative_check(months: pd.DataFrame, cumulative: pd.DataFrame, year: int) -> str:
    """A note: do the twelve months' volumes add up to the cumulative sheet, for all origins and
    for Iran? Reporters absent from the cumulative sheet (2015 leaves out the Czech Republic,
    "due to confidentiality") are named and compared apart."""
    data = cumulative[cumulative["kind"] == "data"]
    whole = data.assign(volume_kbbl=numbers.to_numeric(data["volume"].astype(object)))
    absent = sorted(set(months["reporter_name"]) - set(whole["reporter"].dropna()))
    shared = months[~months["reporter_name"].isin(absent)]
    parts = []
    for label, monthly, year_total in (
        ("all origins", shared["volume_kbbl"], whole["volume_kbbl"]),
        (
            "Iran",
            shared.loc[shared["origin_name"].eq("Iran"), "volume_kbbl"],
            whole.loc[whole["origin"].eq("Iran"), "volume_kbbl"],
        ),
    ):
        with np.errstate(over="ignore"):  # absurd cells (quarantined later) may overflow
            a, b = float(monthly.sum()), float(year_total.sum())
        agree = abs(a - b) <= CUMULATIVE_TOLERANCE * max(abs(b), 1.0)
        parts.append(
            f"{label} {a:,.1f} vs {b:,.1f} thousand bbl ({'agree' if agree else 'DIFFER'})"
        )
    if absent:
        extra = months.loc[months["reporter_name"].isin(absent), "volume_kbbl"].sum()
        parts.append(
            f"not in the cumulative sheet: {absent} ({extra:,.1f} thousand bbl in the months)"
        )
    return f"oil_trade {year}: 12 month sheets vs the cumulative sheet: " + "; ".join(parts)


def subtotal_mismatches(rows: pd.DataFrame) -> tuple[int, int]:
    """(reporter blocks with a "Sum:" row, blocks whose data volumes do not add up to it)."""
    volume = numbers.to_numeric(rows["volume"].astype(object))
    frame = rows.assign(volume_kbbl=volume)
    data = frame[frame["kind"] == "data"].groupby("block")["volume_kbbl"].sum()
    sums = frame[frame["kind"] == "reporter_subtotal"].set_index("block")["volume_kbbl"]
    added = data.reindex(sums.index, fill_value=0.0)
    with np.errstate(over="ignore", invalid="ignore"):
        differ = ~np.isclose(added, sums, rtol=CUMULATIVE_TOLERANCE, atol=0.01)
    return len(sums), int(differ.sum())


def load_workbook(path: Path, raw_dir: Path, tally: Collector) -> list[str]:
    """Read one year's workbook into ``tally``; returns its notes."""
    rel = relative(path, raw_dir)
    year = year_of(path)
    sheets = xlsx.sheet_names(path)
    missing = [s for s in MONTH_SHEETS if s not in sheets]
    if missing:
        raise DataError(f"EU import register workbook lacks the sheets {missing}", file=rel)
    notes = []
    unknown = [s for s in sheets if s not in MONTH_SHEETS and s != CUMULATIVE_SHEET]
    if unknown:
        notes.append(f"{rel}: sheets not read (not a month, not the cumulative year): {unknown}")
    parsed = []
    blocks = differ = 0
    for sheet, number in MONTH_SHEETS.items():
        month = pd.Timestamp(year=year, month=number, day=1)
        frame_rows = read_sheet(path, sheet, rel, month)
        tally.read(frame_rows)
        for kind, n in frame_rows["kind"].value_counts().items():
            if kind != "data":
                tally.exclude(int(n), str(kind))
        parsed.append(parse_rows(frame_rows, month, tally))
        counted, wrong = subtotal_mismatches(frame_rows)
        blocks, differ = blocks + counted, differ + wrong
    notes.append(
        f"oil_trade {year}: {blocks - differ} of {blocks} reporter subtotals ('Sum:') equal the "
        "sum of their rows as read"
    )
    months = pd.concat(parsed, ignore_index=True)
    tally.tables.append(months)
    if CUMULATIVE_SHEET in sheets:
        cumulative = read_sheet(path, CUMULATIVE_SHEET, rel)
        tally.read(cumulative)
        tally.exclude(len(cumulative), "cumulative_year_sheet")
        notes.append(cumulative_check(months, cumulative, year))
    return notes


def load(raw_dir: Path) -> TableResult:
    """Every month of every year's workbook (pure: reads only)."""
    tally = Collector()
    for path in sorted(p for pattern in INPUTS for p in raw_dir.glob(pattern)):
        with reading(path, raw_dir) as rel:
            tally.inputs.append(rel)
            tally.notes += load_workbook(path, raw_dir, tally)
    return tally.result(pd.DataFrame(columns=COLUMNS))
