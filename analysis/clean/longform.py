"""Wide sheets → long observations, with the counting every loader of ``indicators`` shares.

A *cell* is one value of a source: one year column of one line of a wide file, or one line of a
long file. Cells that are empty or hold a missing-value token (:data:`NA_TOKENS`: ``...``,
``n/a``, ``--``, ``xxx``...) are gaps: not read, not kept, not quarantined. Every other cell is
*read* and ends up exactly once as kept, excluded (by reason) or quarantined.

The quarantine counts distinct (``source_file``, ``source_row``) pairs
(:func:`analysis.clean.base.count_rows`), but one pair can hold several rejected cells: a wide
line with two bad values, or the same row number on several sheets of one workbook (a
workbook's rows are told apart by sheet in the quarantine reason and by ``indicator_code`` in
the table). Those extra cells are counted under :data:`SAME_ROW`, so that read = kept +
quarantined + excluded stays exact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.clean import countries
from analysis.clean.base import Collector, TableResult, reading
from analysis.parse.numbers import NA_TOKENS, parse_number
from analysis.schemas.indicators import COLUMNS, TEXT_COLUMNS

#: Count of quarantined cells beyond the first for one (source_file, source_row) pair.
SAME_ROW = "more_quarantined_cells_same_file_row"
#: A number written with thousands separators ("38,748.405", "-1,226,743.600").
_GROUPED = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"
#: Values every observation has unless its loader says otherwise.
DEFAULTS: dict[str, Any] = {"year_basis": "calendar", "is_aggregate": False, "is_estimate": False}


def is_gap(raw: pd.Series) -> pd.Series:
    """True where a cell is empty or a missing-value token (a gap, not a defect)."""
    if not pd.api.types.is_string_dtype(raw.dtype):  # object, or pandas 3's str
        return raw.isna()
    text = raw[raw.map(type).isin([str])]
    # each distinct text is normalised once (a wide sheet repeats "n/a" thousands of times)
    tokens = {t for t in pd.unique(text.to_numpy()) if t.strip().lower() in NA_TOKENS}
    return raw.isna() | text.isin(tokens).reindex(raw.index, fill_value=False)


def parse_values(raw: pd.Series) -> pd.Series:
    """Numbers from raw cells (NaN where a cell is not a finite number).

    Vectorised: ``pd.to_numeric`` reads plain numbers; :func:`parse_number` is only asked about
    the rest (thousands separators ``'38,748.405'``, Persian digits, ``'1.5%'``).
    """
    values = pd.to_numeric(raw, errors="coerce").astype("float64")
    todo = values.isna() & raw.notna()
    if todo.any():
        text = raw[todo].astype(str).str.strip()
        grouped = text.str.fullmatch(_GROUPED)
        values[todo] = pd.to_numeric(text.str.replace(",", ""), errors="coerce").where(grouped)
        rest = values.isna() & raw.notna()
        parsed = [parse_number(v) for v in raw[rest]]
        values[rest] = np.array([np.nan if v is None else v for v in parsed], dtype="float64")
    return values.where(np.isfinite(values))


def melt_years(
    lines: pd.DataFrame, year_columns: Mapping[Any, int], id_columns: list[str]
) -> pd.DataFrame:
    """One row per non-gap cell of the year columns of ``lines``.

    Returns ``id_columns`` plus ``column`` (the source's column label, as text), ``year`` and
    ``raw`` (the cell as read). Cells come line by line, in column order.
    """
    labels = list(year_columns)
    block = lines[labels]
    numeric = all(pd.api.types.is_numeric_dtype(t) for t in block.dtypes)
    flat = pd.Series(block.to_numpy(dtype="float64" if numeric else "object").ravel())
    positions = np.flatnonzero(~is_gap(flat).to_numpy())
    line_pos, col_pos = np.divmod(positions, max(len(labels), 1))
    long = lines[id_columns].iloc[line_pos].reset_index(drop=True)
    long["raw"] = flat.iloc[positions].to_numpy()
    long["column"] = np.array([_label_text(x) for x in labels], dtype=object)[col_pos]
    long["year"] = np.array([year_columns[x] for x in labels], dtype="int64")[col_pos]
    return long


def _label_text(label: object) -> str:
    if isinstance(label, float) and label.is_integer():
        return str(int(label))
    return str(label)


def observations(cells: pd.DataFrame, **fields: Any) -> pd.DataFrame:
    """The processed columns (:data:`COLUMNS`) from ``cells`` plus constant ``fields``.

    A column is taken from ``fields`` when given there (a constant or a Series), else from
    ``cells``, else from :data:`DEFAULTS`. Text columns (:data:`TEXT_COLUMNS`) come out
    categorical (:func:`as_category`): each distinct text is held once, not once per row.
    """
    data: dict[str, Any] = {}
    for name in COLUMNS:
        if name in fields:
            data[name] = fields[name]
        elif name in cells.columns:
            data[name] = cells[name]
        else:
            data[name] = DEFAULTS[name]
    text = {c: _text_column(data[c], cells.index) for c in TEXT_COLUMNS}
    return pd.DataFrame(data | text, index=cells.index)


def _text_column(value: Any, index: pd.Index) -> pd.Series:
    """``value`` (a Series, or a constant for every row) as a categorical column on ``index``."""
    if isinstance(value, str):
        codes = np.zeros(len(index), dtype="int8")
        return pd.Series(pd.Categorical.from_codes(codes, pd.Index([value], dtype=object)), index)
    return as_category(pd.Series(value, index=index))


def as_category(values: pd.Series) -> pd.Series:
    """``values`` as a categorical over plain ``str`` categories, in order of appearance (so
    that :func:`~analysis.clean.base.concat_frames` can union any two of them); a categorical
    over ``str`` categories already is one."""
    if isinstance(values.dtype, pd.CategoricalDtype) and values.cat.categories.dtype == object:
        return values
    codes, uniques = pd.factorize(values)
    categories = pd.Index(np.asarray(uniques, dtype=object), dtype=object)
    return pd.Series(
        pd.Categorical.from_codes(codes, categories), index=values.index, name=values.name
    )


def reject(
    out: Collector, cells: pd.DataFrame, column: str | None, check: str, reason: str
) -> None:
    """Quarantine ``cells`` in ``out``: one entry per cell, naming the source column and value.

    ``column`` is the field that failed (its value is taken from ``cells``); ``None`` means
    the cell itself (``cells['column']`` names it, ``cells['raw']`` holds it).
    """
    if cells.empty:
        return
    where = cells["column"] if column is None else pd.Series(column, index=cells.index)
    value = cells["raw"] if column is None else cells[column]
    for file, row, col, val, year_col in zip(
        cells["source_file"], cells["source_row"], where, value, cells["column"], strict=True
    ):
        detail = reason if column is None else f"{reason} (cell in column {year_col})"
        out.add(file, int(row), str(col), val, check, detail)
    out.cells_rejected += len(cells)


def known_countries(cells: pd.DataFrame, out: Collector, *, what: str) -> pd.DataFrame:
    """``cells`` whose ``country`` is a known country name, with its ISO alpha-3 ``code``; the
    others quarantined (check ``country_name``, ``what`` naming the source in the reason)."""
    codes = countries.iso3_from_names(cells["country"].fillna(""))
    unknown = codes.isna()
    reject(out, cells[unknown], "country", "country_name", f"{what}: not a known country name")
    return cells[~unknown].assign(code=codes[~unknown])


def load_each(
    paths: Iterable[Path], raw_dir: Path, load_file: Callable[[Path, Path, Collector], None]
) -> TableResult:
    """``load_file(path, raw_dir, out)`` for each of ``paths``, each file read inside
    :func:`~analysis.clean.base.reading` (an unreadable file is named); the loader's result."""
    out = Collector()
    for path in paths:
        with reading(path, raw_dir):
            load_file(path, raw_dir, out)
    return finish(out)


def approximate_vintage(years: Iterable[int]) -> str:
    """The release of a file that states none: ``~`` and the year after its last year of data
    (``~2024`` for data to 2023), or ``~unknown`` when it has no data."""
    last = max((int(y) for y in years), default=None)
    return "~unknown" if last is None else f"~{last + 1}"


def finish(out: Collector) -> TableResult:
    """The loader's :class:`TableResult` (balanced: read = kept + quarantined + excluded, the
    cells beyond the first of one file row counted under :data:`SAME_ROW`)."""
    return out.result(empty_observations(), same_row=SAME_ROW)


def empty_observations() -> pd.DataFrame:
    """A table with the processed columns and no rows."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})


def parse_cells(cells: pd.DataFrame, out: Collector, *, what: str) -> pd.DataFrame:
    """Read ``cells['raw']`` as numbers; quarantine text that is not a number.

    Returns the parseable cells with a float ``value`` column. ``what`` names the source in the
    quarantine reason.
    """
    values = parse_values(cells["raw"])
    bad = values.isna()
    reject(
        out,
        cells[bad],
        None,
        "number",
        f"{what}: text that is neither a number nor a missing-value token",
    )
    return cells[~bad].assign(value=values[~bad])
