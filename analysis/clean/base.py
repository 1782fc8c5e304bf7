"""The shape every cleaning step shares: rows kept, rows quarantined, rows excluded.

A *family loader* reads one family of raw files (``raw_dir / <source_id> / ...``) and returns a
:class:`TableResult`. The pipeline (:mod:`analysis.clean.pipeline`) concatenates the results of
the loaders that feed one processed table, validates them with that table's pandera schema,
moves failing rows to the quarantine, and writes the table atomically.

Every kept row carries its provenance in two columns: ``source_file`` (path relative to the raw
folder, e.g. ``worldbank/API_...csv``) and ``source_row`` (1-based line or row number in that
file, as a person would count it in a text editor or spreadsheet).

The invariant checked for every table: ``rows_read == kept + quarantined + sum(excluded)``.
"""

from __future__ import annotations

import ctypes
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from analysis.errors import AnalysisError, DataError
from analysis.schemas import TEXT

#: Columns of ``data/processed/quarantine/<table>.csv``; one row per failed check.
QUARANTINE_COLUMNS = ["source_file", "source_row", "column", "value", "check", "reason"]
#: A control character (C0 or DEL, tab and line ends aside): a NUL byte in a damaged file.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Provenance columns every processed table keeps.
PROVENANCE_COLUMNS = ["source_file", "source_row"]


def printable(text: str) -> str:
    """``text`` with each control character (a NUL byte...; tab and line ends aside) written as
    ``\\xNN``, so that a quarantine file or a message shows it."""
    return CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


def has_control(values: pd.Series) -> pd.Series:
    """True where a text cell holds a control character: the mark of a damaged file (no
    publisher writes a NUL into a name). pandas 2 groups texts only up to a NUL (two texts that
    differ after one are one text to ``factorize``); pandas 3 does not, so such a cell must not
    reach the table on either. Cell by cell: no hashing of the texts."""
    found = [isinstance(v, str) and CONTROL.search(v) is not None for v in values]
    return pd.Series(found, index=values.index, dtype=bool)


def empty_quarantine() -> pd.DataFrame:
    """An empty quarantine frame with the standard columns."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in QUARANTINE_COLUMNS})


def concat_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """``frames`` stacked (new index), as ``pd.concat`` does, except that a column categorical in
    every frame stays categorical over the union of their categories (not objects)."""
    columns = frames[0].columns
    categorical = any(isinstance(t, pd.CategoricalDtype) for t in frames[0].dtypes)
    if not categorical or any(not f.columns.equals(columns) for f in frames):
        return pd.concat(frames, ignore_index=True)
    return pd.DataFrame({c: _stack([f[c] for f in frames]) for c in columns}, copy=False)


def _stack(parts: list[pd.Series]) -> pd.Series:
    if all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
        if len({p.cat.categories.dtype for p in parts}) > 1:
            parts = [_object_categories(p) for p in parts]
        return pd.Series(union_categoricals(parts), name=parts[0].name)
    return pd.concat(parts, ignore_index=True)


def _object_categories(part: pd.Series) -> pd.Series:
    """``part`` with its categories as Python objects: pandas 3 infers ``str`` categories from
    text but keeps ``object`` ones from an object column, and cannot union the two."""
    categories = part.cat.categories.astype(object)
    codes = pd.Categorical.from_codes(part.cat.codes, categories=categories)
    return pd.Series(codes, index=part.index, name=part.name)


@dataclass
class Collector:
    """What one step collects while it reads: rows read, kept, excluded by reason, and every
    failure (not only the first) for the quarantine, in :data:`QUARANTINE_COLUMNS`.

    The one collector of every loader and table: ``add``/``add_frame`` record failed checks,
    ``read``/``keep``/``exclude`` count rows, ``result`` hands back a :class:`TableResult`.
    """

    entries: list[dict[str, object]] = field(default_factory=list)
    tables: list[pd.DataFrame] = field(default_factory=list)
    rows_read: int = 0
    #: entries recorded one per rejected cell, when one row may hold several (see ``result``).
    cells_rejected: int = 0
    excluded: Counter[str] = field(default_factory=Counter)
    inputs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(
        self,
        source_file: str,
        source_row: int | str,
        column: str,
        value: object,
        check: str,
        reason: str,
    ) -> None:
        """Record one failed check on one cell (or on a whole row with ``column='*'``);
        ``source_row`` is a line number, or a text such as ``<sheet>!<row>``."""
        self.entries.append(
            {
                "source_file": source_file,
                "source_row": source_row if isinstance(source_row, str) else int(source_row),
                "column": column,
                "value": None if value is None else printable(str(value))[:500],
                "check": check,
                "reason": reason,
            }
        )

    def add_frame(
        self, rows: pd.DataFrame, column: str, check: str, reason: str, *, blank: bool = False
    ) -> None:
        """Record one failed check for each row of ``rows`` (which has provenance columns).

        The value recorded is ``rows[column]`` when that column exists, else empty; with
        ``blank``, a missing or empty cell is recorded as empty too.
        """
        values = rows[column] if column in rows.columns else pd.Series(None, index=rows.index)
        if blank:
            values = values.astype(object).where(values.notna() & (values != ""), None)
        for file, row, value in zip(rows["source_file"], rows["source_row"], values, strict=True):
            self.add(file, row, column, value, check, reason)

    def read(self, rows: pd.DataFrame | int) -> None:
        """Count ``rows`` as read (every one must then be kept, excluded or quarantined)."""
        self.rows_read += rows if isinstance(rows, int) else len(rows)

    def keep(self, table: pd.DataFrame) -> None:
        """Keep rows already in the processed columns."""
        if not table.empty:
            self.tables.append(table)

    def exclude(self, rows: pd.DataFrame | int, reason: str) -> None:
        """Count rows deliberately left out (aggregates, older vintages, copies...)."""
        n = rows if isinstance(rows, int) else len(rows)
        if n:
            self.excluded[reason] += n

    def frame(self) -> pd.DataFrame:
        """The failures as a DataFrame with :data:`QUARANTINE_COLUMNS`."""
        if not self.entries:
            return empty_quarantine()
        return pd.DataFrame(self.entries, columns=QUARANTINE_COLUMNS)

    def result(self, empty: pd.DataFrame | None = None, *, same_row: str = "") -> TableResult:
        """The step's :class:`TableResult` from what was kept (``empty`` when nothing was).

        With ``same_row``, entries counted one per cell (:attr:`cells_rejected`) beyond the
        first of their (file, row) pair are counted as excluded under that reason, so that
        read = kept + quarantined + excluded stays exact.
        """
        table = concat_frames(self.tables) if self.tables else empty
        quarantine = self.frame()
        excluded = dict(self.excluded)
        extra = self.cells_rejected - count_rows(quarantine)
        if same_row and extra:
            excluded[same_row] = excluded.get(same_row, 0) + extra
        return TableResult(
            table=pd.DataFrame() if table is None else table,
            quarantine=quarantine,
            rows_read=self.rows_read,
            excluded=excluded,
            inputs=list(self.inputs),
            notes=list(self.notes),
        )


@contextmanager
def reading(path: Path, raw_dir: Path) -> Iterator[str]:
    """Read one raw file: yields its path relative to ``raw_dir``; an unexpected exception
    inside (bad encoding, not a workbook, truncated JSON, renamed columns...) becomes a one-line
    :class:`~analysis.errors.DataError` naming that file. Errors that already explain
    themselves (:class:`~analysis.errors.AnalysisError`) pass through."""
    rel = relative(path, raw_dir)
    try:
        yield rel
    except AnalysisError:
        raise
    except Exception as err:
        detail = str(err).splitlines()[0][:300] if str(err) else ""
        raise DataError(
            f"cannot read a raw input ({type(err).__name__}: {detail})", file=rel
        ) from err


def count_rows(quarantine: pd.DataFrame) -> int:
    """Rows quarantined: distinct (file, row) pairs, since one row may fail several checks."""
    if quarantine.empty:
        return 0
    return int(quarantine[["source_file", "source_row"]].drop_duplicates().shape[0])


@dataclass
class TableResult:
    """What a loader (or a whole table) produced from its raw inputs."""

    table: pd.DataFrame
    quarantine: pd.DataFrame = field(default_factory=empty_quarantine)
    rows_read: int = 0
    #: rows deliberately left out, by reason (e.g. ``{"aggregate": 47, "duplicate": 3}``).
    excluded: dict[str, int] = field(default_factory=dict)
    #: raw files read, relative to the raw folder.
    inputs: list[str] = field(default_factory=list)
    #: free-form notes for the manifest (vintages chosen, swaps detected, ...).
    notes: list[str] = field(default_factory=list)

    @property
    def rows_kept(self) -> int:
        return len(self.table)

    @property
    def rows_quarantined(self) -> int:
        return count_rows(self.quarantine)

    @property
    def rows_excluded(self) -> int:
        return sum(self.excluded.values())

    def balanced(self) -> bool:
        """True when rows read = kept + quarantined + excluded."""
        return self.rows_read == self.rows_kept + self.rows_quarantined + self.rows_excluded

    @staticmethod
    def combine(results: Iterable[TableResult]) -> TableResult:
        """Concatenate several loaders' results for one table."""
        results = list(results)
        tables = [r.table for r in results if not r.table.empty]
        quarantines = [r.quarantine for r in results if not r.quarantine.empty]
        excluded: dict[str, int] = {}
        for r in results:
            for reason, n in r.excluded.items():
                excluded[reason] = excluded.get(reason, 0) + n
        columns: list[str] = list(results[0].table.columns) if results else []
        return TableResult(
            table=concat_frames(tables) if tables else pd.DataFrame(columns=columns),
            quarantine=(
                pd.concat(quarantines, ignore_index=True) if quarantines else empty_quarantine()
            ),
            rows_read=sum(r.rows_read for r in results),
            excluded=excluded,
            inputs=[i for r in results for i in r.inputs],
            notes=[n for r in results for n in r.notes],
        )


@dataclass(frozen=True)
class Table:
    """One processed table as the pipeline runs it: ``build(raw_dir)`` (load its sources, then
    process), the pandera ``schema`` that validates it, and the glob patterns of its ``inputs``
    below the raw folder (their checksums key its cache)."""

    build: Callable[[Path], TableResult]
    schema: Any
    inputs: tuple[str, ...]


def relative(path: Path, raw_dir: Path) -> str:
    """``path`` relative to the raw folder, with forward slashes (for provenance)."""
    return path.relative_to(raw_dir).as_posix()


def to_text(values: pd.Series) -> pd.Series:
    """``values`` as Arrow-backed strings (:data:`~analysis.schemas.TEXT`), each
    distinct value converted once (a categorical's codes are used as they are); missing values
    stay missing.

    A column of a few distinct values repeated millions of times costs one conversion per
    distinct value and one Arrow ``take``.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
    else:
        codes, uniques = pd.factorize(values)
    text = pd.array(np.asarray(uniques, dtype=object), dtype=TEXT)
    return pd.Series(text.take(codes, allow_fill=True), index=values.index, name=values.name)


def release_freed_memory() -> None:
    """Hand memory that Python has freed back to the operating system.

    glibc keeps freed heap memory for reuse; after many mid-sized temporaries (one file's parsed
    JSON after another) that is hundreds of MB which later, larger arrays (allocated apart, with
    ``mmap``) cannot reuse. ``malloc_trim`` returns it, as Dask's workers do. A no-op where the C
    library has no ``malloc_trim`` (macOS, musl, Windows).
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """The C library's ``malloc_trim``, looked up once (None where there is none)."""
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)
    except (OSError, TypeError):  # no process-wide symbol table (Windows)
        return None
