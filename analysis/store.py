"""The processed store: the only reader and writer of ``data/processed/`` and its manifest.

- :func:`load` reads one processed table (what notebooks use, through :mod:`analysis.report`);
- :func:`manifest` reads ``manifest.json`` (tables, inputs with checksums, counts, sources);
  :func:`write_manifest` is the one writer (``analysis clean``);
- :func:`write_table` writes a table's parquet, CSV and quarantine copies atomically;
- :func:`digest` is the project's one sha256-of-a-file helper (raw files, processed tables,
  the lock and the registry all go through it).

Nothing here imports pandas or pyarrow at module level: the report cache and ``fetch`` import
this module and must stay light.
"""

from __future__ import annotations

import hashlib
import json
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
    """The processed table ``name`` (from ``data/processed/<name>.parquet``)."""
    import pandas as pd

    path = table_path(name)
    if not path.exists():
        raise DataError(
            f"processed table {name!r} is missing; run `analysis clean`", file=str(path)
        )
    return pd.read_parquet(path, columns=list(columns) if columns else None)


def manifest() -> dict[str, Any]:
    """``data/processed/manifest.json``; ``{"tables": {}}`` if missing or unreadable (so a
    clean treats every table as dirty and a report says the manifest is missing)."""
    try:
        data = json.loads(config.paths().processed_manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"tables": {}}
    if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
        return {"tables": {}}
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


def clean_stale_temp() -> None:
    """Remove temporary files a killed ``clean`` left in the store."""
    out = config.paths()
    atomic.clean_stale_temp(out.processed)
    atomic.clean_stale_temp(out.quarantine)


def write_table(name: str, table: pd.DataFrame, quarantine: pd.DataFrame) -> dict[str, str | None]:
    """Write ``<name>.parquet``, ``<name>.csv`` and ``quarantine/<name>.csv`` atomically; return
    the three files' checksums.

    The table is converted to Arrow once; both copies are written from it (Arrow's CSV writer
    is several times faster than pandas' on the large tables).
    """
    import pyarrow as pa
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    out = config.paths()
    parquet = table_path(name)
    csv = out.processed / f"{name}.csv"
    rejected = out.quarantine / f"{name}.csv"
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    atomic.write_with(parquet, lambda p: pq.write_table(arrow, p))
    atomic.write_with(csv, lambda p: pa_csv.write_csv(_dates_as_days(arrow), p))
    atomic.write_with(rejected, lambda p: quarantine.to_csv(p, index=False))
    return {"parquet": digest(parquet), "csv": digest(csv), "quarantine": digest(rejected)}


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
