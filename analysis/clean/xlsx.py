"""Spreadsheets as plain rows of cells, fast (python-calamine: ~0.3 s for the 8,600-row IMF
WEO workbook, where openpyxl takes ~3 s).

A sheet comes back from cell A1, so row ``i`` of the list is spreadsheet row ``i + 1``.
Numbers are floats, text is ``str``, empty cells are ``""`` — the difference between a number
cell and a text cell is kept (the IMF WEO loader needs it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from python_calamine import CalamineWorkbook

from analysis.errors import DataError


def sheet_names(path: Path) -> list[str]:
    """The workbook's sheet names, in order."""
    return list(CalamineWorkbook.from_path(str(path)).sheet_names)


def read_rows(path: Path, sheet: str | int = 0) -> list[list[Any]]:
    """All rows of one sheet from A1 (empty cells as ``""``)."""
    book = CalamineWorkbook.from_path(str(path))
    try:
        data = (
            book.get_sheet_by_index(sheet)
            if isinstance(sheet, int)
            else book.get_sheet_by_name(sheet)
        )
    except Exception as err:  # calamine raises its own error types for a missing sheet
        raise DataError(f"cannot read sheet {sheet!r}: {err}", file=str(path)) from err
    rows: list[list[Any]] = data.to_python(skip_empty_area=False)
    return rows


def read_frame(path: Path, sheet: str | int = 0) -> pd.DataFrame:
    """One sheet as a DataFrame of raw cells: positional columns, index = spreadsheet row.

    Empty cells become ``None``; a row number is ``index`` (1-based, as a spreadsheet shows it).
    """
    rows = read_rows(path, sheet)
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype="object")
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame.replace({"": None})
