"""Bad-input suite (issue 7): malformed variants of every raw family, generated from the SYNTHETIC
fixtures, run through the table's ``build`` and the pipeline's ``validate``.

Each case must end in either an :class:`AnalysisError` whose message names the file, or a table
whose rows balance (read = kept + quarantined + excluded). Any other exception is a crash.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from analysis.clean import pipeline
from analysis.errors import AnalysisError

FIXTURES = Path(__file__).parent / "fixtures"
SNAPSHOT = FIXTURES / "snapshot"
LEDGERS = FIXTURES / "ledgers"

#: (family, file relative to the raw folder, table that reads it).
TARGETS: tuple[tuple[str, str, str], ...] = (
    ("worldbank", "worldbank/API_SY.TEST.RATE_DS2_en_csv_v2.csv", "indicators"),
    ("datahub", "datahub-gdp/gdp.csv", "indicators"),
    ("sipri-csv", "sipri/SIPRI-Milex-data-1949-2024_2.csv", "indicators"),
    ("sipri-xlsx", "sipri/SIPRI-Milex-data-1949-2023.xlsx", "indicators"),
    ("imf-weo", "imf-weo/WEOOct2024all.xlsx", "indicators"),
    ("energy-institute", "energy-institute/EI-Stats-Review-All-Data.xlsx", "indicators"),
    ("owid", "owid-oil-production/oil-production-by-country.csv", "indicators"),
    ("sci-cpi-csv", "iran-sci-cpi/cpi.csv", "indicators"),
    ("sci-cpi-xlsx", "iran-sci-cpi/CPIU.xlsx", "indicators"),
    ("cbi-json", "signalmap/iran_cbi_liquidity_levels_solar.json", "indicators"),
    ("eia-intl", "eia-intl/eia_intl_57_4_irn_tbpd_a.json", "indicators"),
    ("bonbast-json", "bonbast/gregorian/2018/full.json", "fx_rates"),
    ("bonbast-jalali", "bonbast/jalali/1396/full.json", "fx_rates"),
    ("tgju", "tgju/Dollar_Rial_Price_Dataset.csv", "fx_rates"),
    ("eia-csv", "eia-oil-prices/brent-daily.csv", "oil_prices"),
    ("eia-xls", "eia-oil-prices/brent-day.xls", "oil_prices"),
    ("eu-coir", "eu-coir/Crude_Oil_Imports_Reporting_Country_2018.xlsx", "oil_trade"),
    ("us-cpi", "datahub-cpi-us/cpiai.csv", "us_cpi"),
    ("us-cpi-claims", "datahub-cpi-us/cpiai.csv", "claims"),
    ("claims", "ledgers/claims.csv", "claims"),
    ("events", "ledgers/events.csv", "events"),
)

Mutation = Callable[[bytes], bytes]
#: Rows in the "very large" variants (kept moderate so the suite stays fast).
LARGE_ROWS = 5_000
JUNK = bytes(range(256)) * 16
NUMBER_FIELD = re.compile(r"(?<=[,\"])-?\d+(\.\d+)?(?=[,\"\r\n]|$)", re.M)
FULL_DATE = re.compile(r"\b\d{4}[-/]\d{2}[-/]\d{2}\b")
YEAR_FIELD = re.compile(r"(?<=[,\"\n])(1[34]\d\d|19\d\d|20\d\d)(?=[,\"\r\n])")


# --- byte-level variants (every format) ---------------------------------------------------------
def empty(_: bytes) -> bytes:
    return b""


def truncated(data: bytes) -> bytes:
    return data[: max(1, len(data) * 2 // 3)]


def junk(_: bytes) -> bytes:
    return JUNK


def utf16(data: bytes) -> bytes:
    return data.decode("utf-8", errors="replace").encode("utf-16")


def nul_bytes(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + b"\x00\x00\x00" + data[middle:]


BYTE_MUTATIONS: dict[str, Mutation] = {
    "empty": empty,
    "truncated": truncated,
    "junk": junk,
    "utf16": utf16,
    "nul-bytes": nul_bytes,
}


# --- text variants (CSV and JSON) ---------------------------------------------------------------
def _text(fn: Callable[[str], str]) -> Mutation:
    def mutate(data: bytes) -> bytes:
        return fn(data.decode("utf-8", errors="replace")).encode("utf-8")

    return mutate


def latin1(data: bytes) -> bytes:
    text = data.decode("utf-8", errors="replace").replace("Synthetic", "Synthétic")
    return text.replace("SYNTHETIC", "SYNTHÉTIC").encode("latin-1", errors="replace")


def _header_index(lines: list[str]) -> int:
    head = lines[:8]
    return max(range(len(head)), key=lambda i: head[i].count(","))


def _split(text: str) -> tuple[list[str], int]:
    lines = text.splitlines()
    return lines, _header_index(lines) if lines else 0


def missing_column(text: str) -> str:
    lines, _ = _split(text)
    return "\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n"


def extra_column(text: str) -> str:
    lines, header = _split(text)
    return "\n".join(
        line + (",synthetic_extra" if i == header else ",7") for i, line in enumerate(lines)
    )


def renamed_columns(text: str) -> str:
    lines, header = _split(text)
    fields = [field.strip('"') + "_renamed" for field in lines[header].split(",")]
    lines[header] = ",".join(fields)
    return "\n".join(lines) + "\n"


def duplicated_rows(text: str) -> str:
    lines, header = _split(text)
    return "\n".join(lines[: header + 1] + lines[header + 1 :] * 2) + "\n"


def non_numeric(text: str) -> str:
    return NUMBER_FIELD.sub("12x4", text)


def impossible_dates(text: str) -> str:
    if FULL_DATE.search(text):
        return FULL_DATE.sub("1397/13/40", text.replace("2018-01-03", "2023-02-30"))
    return YEAR_FIELD.sub("1397/13/40", text)


def gregorian_feb30(text: str) -> str:
    return FULL_DATE.sub("2023-02-30", text) if FULL_DATE.search(text) else non_numeric(text)


def negative(text: str) -> str:
    return NUMBER_FIELD.sub(lambda m: "-" + m.group(0).lstrip("-") + "e300", text)


def absurd(text: str) -> str:
    return NUMBER_FIELD.sub("1e400", text)


def large(text: str) -> str:
    lines, header = _split(text)
    body = lines[header + 1 :] or [""]
    copies = LARGE_ROWS // len(body) + 1
    return "\n".join(lines[: header + 1] + body * copies) + "\n"


CSV_MUTATIONS: dict[str, Mutation] = {
    **BYTE_MUTATIONS,
    "latin1": latin1,
    "missing-column": _text(missing_column),
    "extra-column": _text(extra_column),
    "renamed-columns": _text(renamed_columns),
    "duplicated-rows": _text(duplicated_rows),
    "non-numeric": _text(non_numeric),
    "impossible-dates": _text(impossible_dates),
    "feb-30": _text(gregorian_feb30),
    "negative": _text(negative),
    "absurd": _text(absurd),
    "large": _text(large),
}


def _json(fn: Callable[[object], object]) -> Mutation:
    def mutate(data: bytes) -> bytes:
        return json.dumps(fn(json.loads(data))).encode()

    return mutate


def _walk(value: object, leaf: Callable[[object], object]) -> object:
    if isinstance(value, dict):
        return {k: _walk(v, leaf) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, leaf) for v in value]
    return leaf(value)


def _rekey(value: object, key: Callable[[str], str]) -> object:
    if isinstance(value, dict):
        return {key(k): _rekey(v, key) for k, v in value.items()}
    return value


def _numbers(replacement: Callable[[float], object]) -> Callable[[object], object]:
    def fn(doc: object) -> object:
        return _walk(
            doc,
            lambda v: (
                replacement(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
            ),
        )

    return fn


def _bad_date_key(key: str) -> str:
    if re.fullmatch(r"\d{4}/\d{2}/\d{2}", key):
        return "1397/13/40" if key.endswith("4") else "2018/02/30"
    return "1397/13/40" if re.fullmatch(r"\d{4}", key) else key


def _json_large(doc: object) -> object:
    if not isinstance(doc, dict):
        return doc
    items = [(k, v) for k, v in doc.items() if isinstance(v, dict)]
    return {
        **doc,
        **{f"{k}x{i}": v for i in range(LARGE_ROWS // max(len(items), 1)) for k, v in items},
    }


def _drop_keys(doc: object) -> object:
    if isinstance(doc, dict):
        keys = list(doc)
        return {k: _drop_keys(v) for k, v in doc.items() if k != keys[-1] or len(keys) == 1}
    return doc


def duplicated_json_keys(data: bytes) -> bytes:
    text = data.decode()
    first = re.search(r"\"[^\"]+\": \{[^{}]*(\{[^{}]*\}[^{}]*)*\}", text)
    if not first:
        return data
    return (text[: first.end()] + ", " + first.group(0) + text[first.end() :]).encode()


JSON_MUTATIONS: dict[str, Mutation] = {
    **BYTE_MUTATIONS,
    "top-level-list": lambda _: b"[1, 2, 3]",
    "null": lambda _: b"null",
    "missing-keys": _json(_drop_keys),
    "extra-keys": _json(lambda d: {**d, "synthetic_extra": {"x": 1}} if isinstance(d, dict) else d),
    "renamed-keys": _json(lambda d: _rekey(d, lambda k: k + "_renamed")),
    "duplicated-keys": duplicated_json_keys,
    "non-numeric": _json(_numbers(lambda _: "12x4")),
    "impossible-dates": _json(lambda d: _rekey(d, _bad_date_key)),
    "negative": _json(_numbers(lambda v: -abs(v) * 1e300)),
    "absurd": _json(_numbers(lambda _: 1e308)),
    "large": _json(_json_large),
}


# --- workbook variants (xlsx) -------------------------------------------------------------------
def _workbook(fn: Callable[[object], None]) -> Mutation:
    def mutate(data: bytes) -> bytes:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data))
        for sheet in book.worksheets:
            fn(sheet)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    return mutate


def _cells(sheet: object, change: Callable[[object], object]) -> None:
    for row in sheet.iter_rows():  # type: ignore[attr-defined]
        for cell in row:
            if cell.data_type != "f" and cell.value is not None:
                cell.value = change(cell.value)


def _num(change: Callable[[float], object]) -> Callable[[object], None]:
    return lambda sheet: _cells(
        sheet, lambda v: change(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
    )


def _rename_strings(sheet: object) -> None:
    for row in sheet.iter_rows(max_row=12):  # type: ignore[attr-defined]
        for cell in row:
            if isinstance(cell.value, str):
                cell.value = cell.value + "_renamed"


def _duplicate_rows(sheet: object) -> None:
    rows = [[c.value for c in row] for row in sheet.iter_rows()]  # type: ignore[attr-defined]
    for row in rows[len(rows) // 2 :]:
        sheet.append(row)  # type: ignore[attr-defined]


def _large_sheet(sheet: object) -> None:
    rows = [[c.value for c in row] for row in sheet.iter_rows()]  # type: ignore[attr-defined]
    body = rows[len(rows) // 2 :] or [[]]
    for _ in range(500 // len(body) + 1):
        for row in body:
            sheet.append(row)  # type: ignore[attr-defined]


def _impossible_year(value: object) -> object:
    if isinstance(value, int) and 1300 <= value <= 2100:
        return "1397/13/40"
    if isinstance(value, str) and re.fullmatch(r"\d{4}", value):
        return "1397/13/40"
    return value


XLSX_MUTATIONS: dict[str, Mutation] = {
    **BYTE_MUTATIONS,
    "csv-named-xlsx": lambda _: b"a,b,c\n1,2,3\n",
    "missing-column": _workbook(lambda s: s.delete_cols(1)),  # type: ignore[attr-defined]
    "extra-column": _workbook(lambda s: s.insert_cols(1)),  # type: ignore[attr-defined]
    "renamed-columns": _workbook(_rename_strings),
    "duplicated-rows": _workbook(_duplicate_rows),
    "non-numeric": _workbook(_num(lambda _: "12x4")),
    "impossible-dates": _workbook(lambda s: _cells(s, _impossible_year)),
    "negative": _workbook(_num(lambda v: -abs(v) * 1e300)),
    "absurd": _workbook(_num(lambda _: 1e308)),
    "large": _workbook(_large_sheet),
}

XLS_MUTATIONS: dict[str, Mutation] = {
    **BYTE_MUTATIONS,
    "csv-named-xls": lambda _: b"a,b,c\n1,2,3\n",
    "html-named-xls": lambda _: b"<html><body>synthetic error page</body></html>",
    "xlsx-named-xls": lambda _: (SNAPSHOT / "iran-sci-cpi" / "CPIU.xlsx").read_bytes(),
    "zeros": lambda data: bytes(len(data)),
}


def _mutations(path: str) -> dict[str, Mutation]:
    if path.endswith(".json"):
        return JSON_MUTATIONS
    if path.endswith(".xlsx"):
        return XLSX_MUTATIONS
    if path.endswith(".xls"):
        return XLS_MUTATIONS
    return CSV_MUTATIONS


CASES = [
    pytest.param(target, table, name, mutate, id=f"{family}-{name}")
    for family, target, table in TARGETS
    for name, mutate in _mutations(target).items()
]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic snapshot plus the synthetic ledgers, laid out as a raw folder."""
    raw = tmp_path_factory.mktemp("pristine") / "raw"
    shutil.copytree(SNAPSHOT, raw)
    shutil.copytree(LEDGERS, raw / "ledgers")
    return raw


def run_table(raw: Path, table: str) -> pipeline.TableOutcome | AnalysisError:
    """build + validate + balance check, as ``analysis clean`` does, without writing."""
    spec = pipeline.TABLES[table]
    try:
        result = pipeline.validate(spec.build(raw), spec.schema, table)
        pipeline.check_balance(table, result)
    except AnalysisError as err:
        return err
    assert result.balanced()
    reasons = result.quarantine["reason"].astype(str)
    assert (reasons.str.len() > 0).all(), "every quarantined row says why"
    return pipeline.TableOutcome(
        table,
        "built",
        result.rows_read,
        result.rows_kept,
        result.rows_quarantined,
        result.rows_excluded,
        0.0,
    )


def test_every_family_has_ten_variants() -> None:
    for family, target, _ in TARGETS:
        assert len(_mutations(target)) >= (9 if target.endswith(".xls") else 10), family


def test_pristine_fixtures_build(pristine: Path) -> None:
    for table in sorted({t for _, _, t in TARGETS}):
        outcome = run_table(pristine, table)
        assert isinstance(outcome, pipeline.TableOutcome), f"{table}: {outcome}"


@pytest.mark.parametrize(("target", "table", "name", "mutate"), CASES)
def test_bad_input(
    pristine: Path, tmp_path: Path, target: str, table: str, name: str, mutate: Mutation
) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(pristine, raw)
    path = raw / target
    path.write_bytes(mutate(path.read_bytes()))
    outcome = run_table(raw, table)  # anything but AnalysisError propagates: a crash
    if isinstance(outcome, AnalysisError):
        message = str(outcome)
        assert target in message or Path(target).name in message, message
        assert "\n" not in message.split("(")[0], "one-line explanation first"


#: (file, variant, table): bad inputs run through ``python -m analysis clean`` end to end.
CLI_CASES = (
    ("datahub-cpi-us/cpiai.csv", "junk", "us_cpi"),
    ("ledgers/events.csv", "utf16", "events"),
    ("signalmap/iran_cbi_liquidity_levels_solar.json", "truncated", "indicators"),
    ("eia-intl/eia_intl_57_4_irn_tbpd_a.json", "missing-keys", "indicators"),
    ("eia-oil-prices/brent-day.xls", "csv-named-xls", "oil_prices"),
)


@pytest.mark.parametrize(("target", "name", "table"), CLI_CASES)
def test_cli_says_error_first_and_exits_3(
    pristine: Path, tmp_path: Path, target: str, name: str, table: str
) -> None:
    raw = tmp_path / "data" / "raw"
    shutil.copytree(pristine, raw)
    path = raw / target
    path.write_bytes(_mutations(target)[name](path.read_bytes()))
    env = {**os.environ, "ANALYSIS_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "clean", "--only", table],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    first = done.stderr.splitlines()[0]
    assert done.returncode == 3, done.stderr
    assert first.startswith("error: ") and target in first, first
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "data" / "processed" / f"{table}.parquet").exists()
