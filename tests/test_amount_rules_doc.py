"""docs/amount-rules.md: every example of the rules table reads as the table says."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from analysis.parse.amounts import parse_amount

DOC = Path(__file__).resolve().parent.parent / "docs" / "amount-rules.md"
INPUTS = ("amount_as_stated", "currency_as_stated", "period_as_stated")
NUMBERS = ("amount_low", "amount_high", "share_low", "share_high")
#: A table cell split on ``|`` not escaped as ``\|`` (a fragment separator inside an example).
_CELL = re.compile(r"(?<!\\)\|")


def _cells(line: str) -> list[str]:
    return [c.strip().strip("`").replace("\\|", "|") for c in _CELL.split(line.strip())[1:-1]]


def rules() -> list[dict[str, str]]:
    """The rows of the table whose header starts with ``rule | amount_as_stated``."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| rule | amount_as_stated"))
    header = _cells(lines[start])
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(dict(zip(header, _cells(line), strict=True)))
    return rows


def test_the_table_has_a_row_per_status_and_bound() -> None:
    rows = rules()
    assert len(rows) >= 30
    assert {r["parse_status"] for r in rows} == {"parsed", "partial", "unparsed"}
    assert {r["bound"] for r in rows} >= {"exact", "approximate", "range", "at_least", "at_most"}


@pytest.mark.parametrize("row", rules(), ids=lambda r: r["rule"][:40])
def test_each_example_reads_as_the_table_says(row: dict[str, str]) -> None:
    got = parse_amount(*(row[c] for c in INPUTS)).as_dict()
    for column, expected in row.items():
        if column in ("rule", *INPUTS):
            continue
        value = got[column]
        if column in NUMBERS:
            assert (value is None) if expected == "" else math.isclose(value, float(expected))
        else:
            assert (value or "") == expected, (column, value, got["parse_reason"])
