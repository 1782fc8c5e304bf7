"""The processed store: the only reader and writer of ``data/processed/`` and its manifest.

- :func:`load` reads one processed table (what notebooks use, through :mod:`analysis.report`),
  after checking its sha256 against the manifest: a table's files are published as one unit,
  the manifest last, so a table whose parquet disagrees with its manifest entry (a clean killed
  between the renames) is refused until the next ``analysis clean`` rebuilds it;
- :func:`manifest` reads ``manifest.json`` (tables, inputs with checksums, counts, sources;
  an entry that is not an object is dropped, so that table counts as never cleaned);
  :func:`write_manifest` is the one writer (``analysis clean``);
- :func:`write_table` writes a table's parquet, CSV and quarantine copies to temporary files,
  and renames the three into place only once all three are written (a full disk replaces
  none of them);
- :func:`digest` is the project's one sha256-of-a-file helper (raw files, processed tables,
  the lock and the registry all go through it).

Nothing here imports pandas or pyarrow at module level: the report cache and ``fetch`` import
this module and must stay light.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis import atomic, config
from analysis.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

_CHUNK = 1 << 20


def digest(path: Path) -> str | None:
    """The sha256 hex digest of the file at ``path`` (read in 1 MiB chunks); None if absent."""
    sha = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                sha.update(chunk)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
    return sha.hexdigest()


def table_path(name: str) -> Path:
    """``data/processed/<name>.parquet``."""
    return config.paths().processed / f"{name}.parquet"


def table_digest(name: str) -> str | None:
    """sha256 of the processed table ``name`` (its parquet file); None if it is missing."""
    return digest(table_path(name))


def load(name: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The processed table ``name`` (from ``data/processed/<name>.parquet``), checked against
    the manifest (:func:`verify`)."""
    import pandas as pd

    path = table_path(name)
    if not path.exists():
        raise DataError(
            f"processed table {name!r} is missing; run `analysis clean`", file=str(path)
        )
    verify(name)
    return pd.read_parquet(path, columns=list(columns) if columns else None)


def verify(name: str) -> None:
    """Raise :class:`DataError` unless table ``name``'s parquet has the sha256 its manifest
    entry records. Without a manifest there is nothing to check against (the report appendix
    then says the manifest is missing); a manifest that does not list the table, or lists
    another checksum, means its files were not published together."""
    path = table_path(name)
    if manifest_problem() is not None:
        return
    entry = manifest()["tables"].get(name)
    if entry is None:
        raise DataError(
            f"processed table {name!r} is not in the manifest (a clean was interrupted); "
            "run `analysis clean`",
            file=str(path),
        )
    expected = (entry.get("outputs") or {}).get("parquet")
    if expected is not None and digest(path) != expected:
        raise DataError(
            f"processed table {name!r} does not match its manifest entry (a clean was "
            "interrupted between its files); run `analysis clean`",
            file=str(path),
        )


def outputs_match(name: str, entry: dict[str, Any]) -> bool:
    """True when table ``name``'s parquet, CSV and quarantine files all have the checksums
    ``entry["outputs"]`` records (every file of the unit is there and current)."""
    recorded = entry.get("outputs")
    if not isinstance(recorded, dict):
        return False
    return all(
        recorded.get(kind) is not None and digest(path) == recorded.get(kind)
        for kind, path in output_paths(name).items()
    )


def output_paths(name: str) -> dict[str, Path]:
    """The files of table ``name``: ``parquet``, ``csv`` and ``quarantine``."""
    out = config.paths()
    return {
        "parquet": table_path(name),
        "csv": out.processed / f"{name}.csv",
        "quarantine": out.quarantine / f"{name}.csv",
    }


def manifest() -> dict[str, Any]:
    """``data/processed/manifest.json``; ``{"tables": {}}`` if missing or unreadable (so a
    clean treats every table as dirty and a report says the manifest is missing)."""
    try:
        data = json.loads(config.paths().processed_manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"tables": {}}
    if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
        return {"tables": {}}
    data["tables"] = {k: v for k, v in data["tables"].items() if isinstance(v, dict)}
    return data


def manifest_problem() -> str | None:
    """Why :func:`manifest` came back empty (missing or unreadable file), or None."""
    path = config.paths().processed_manifest
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"No processed-data manifest ({path.name}): run `analysis clean`."
    except (OSError, ValueError) as err:
        return f"The processed-data manifest could not be read ({err})."
    return None


def write_manifest(data: dict[str, Any]) -> None:
    """Write ``manifest.json`` atomically (sorted keys, so a change shows as a small diff)."""
    atomic.write_text(config.paths().processed_manifest, json.dumps(data, indent=2, sort_keys=True))


def check_writable() -> None:
    """Raise ``PermissionError`` naming ``data/processed`` (or its quarantine folder) when this
    process cannot write there: ``clean`` calls it before its first write."""
    out = config.paths()
    atomic.check_writable(out.processed, out.quarantine)


def clean_stale_temp() -> None:
    """Remove temporary files a killed ``clean`` left in the store."""
    out = config.paths()
    atomic.clean_stale_temp(out.processed)
    atomic.clean_stale_temp(out.quarantine)


def write_table(name: str, table: pd.DataFrame, quarantine: pd.DataFrame) -> dict[str, str | None]:
    """Write ``<name>.parquet``, ``<name>.csv`` and ``quarantine/<name>.csv`` as one unit; return
    the three files' checksums (for the manifest, written after them).

    All three are written to temporary files first and renamed into place only when all three
    are complete: a write error (a full disk) replaces none. A kill between the renames leaves
    files that disagree with the manifest, which :func:`verify` refuses and ``clean`` rebuilds.
    The table is converted to Arrow once; both copies are written from it (Arrow's CSV writer
    is several times faster than pandas' on the large tables).
    """
    import pyarrow as pa
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    paths = output_paths(name)
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    with contextlib.ExitStack() as stack:
        tmp = {kind: stack.enter_context(atomic.atomic_path(p)) for kind, p in paths.items()}
        pq.write_table(arrow, tmp["parquet"])
        pa_csv.write_csv(neutralise_formulas(_dates_as_days(arrow)), tmp["csv"])
        _neutralise_text(quarantine).to_csv(tmp["quarantine"], index=False)
    return {kind: digest(path) for kind, path in paths.items()}


#: How a text cell a spreadsheet would run as a formula starts (OWASP's CSV injection list:
#: ``=``, ``+``, ``-``, ``@``, tab, carriage return); read by Python's and Arrow's regex alike.
_FORMULA = re.compile(r"^[=+\-@\t\r]")


def neutralise_formulas(table: Any) -> Any:
    """The Arrow ``table`` with every text cell that starts like a formula prefixed with ``'``
    (``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``), for the CSV copies only: the parquet keeps the
    value as read. Numbers are not text and stay as they are."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for i, field in enumerate(table.schema):
        kind = field.type
        if pa.types.is_dictionary(kind):
            kind = kind.value_type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            continue
        column = table.column(i).cast(kind)
        risky = pc.fill_null(pc.match_substring_regex(column, _FORMULA.pattern), False)
        if pc.any(risky).as_py():
            # the quote and separator typed as the column (pandas 3's text is large_string)
            quote, none = pa.scalar("'", kind), pa.scalar("", kind)
            safe = pc.if_else(risky, pc.binary_join_element_wise(quote, column, none), column)
            table = table.set_column(i, field.name, safe)
    return table


def _neutralise_text(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`neutralise_formulas` for a pandas frame (the quarantine's text columns)."""
    import pandas as pd

    out = frame.copy()
    for name in out.columns:
        if out[name].dtype == object or pd.api.types.is_string_dtype(out[name].dtype):
            text = out[name]
            risky = text.map(lambda v: isinstance(v, str) and bool(_FORMULA.match(v)))
            out[name] = text.mask(risky, "'" + text.astype(str))
    return out


def _dates_as_days(table: Any) -> Any:
    """Timestamp columns whose values are all midnight as dates, so the CSV copy reads
    ``2018-01-01`` rather than ``2018-01-01 00:00:00.000000000``."""
    import pyarrow as pa

    for i, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type):
            days = table.column(i).cast(pa.date32())
            if days.cast(field.type).equals(table.column(i)):
                table = table.set_column(i, field.name, days)
    return table


def published_files(root: Path | None = None) -> dict[str, Path]:
    """Every file the store publishes below project ``root`` (default: this project), keyed by
    its path relative to the root: the tables' parquet and CSV copies, the quarantine CSVs and
    the manifest. ``analysis verify`` compares two projects' stores with it."""
    base = config.Paths(root) if root is not None else config.paths()
    found = [
        *base.processed.glob("*.parquet"),
        *base.processed.glob("*.csv"),
        *base.quarantine.glob("*.csv"),
        base.processed_manifest,
    ]
    return {
        p.relative_to(base.root).as_posix(): p
        for p in sorted(found)
        if p.is_file() and not p.name.startswith(".")
    }
