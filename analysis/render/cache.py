"""The build cache: a run is skipped when its key is unchanged and its outputs are in place.

A run's key has six parts, each compared on its own so that ``--dry-run`` can say *why* a run
would rebuild:

* ``notebook``: the notebook's source (cell types, sources, tags; outputs and ids ignored);
* ``parameters``: the validated parameter values (defaults filled in);
* ``tables``: the sha256 of each processed table the run reads: the tables its last build
  actually opened (recorded by :mod:`analysis.report.tables`, kept in ``build.json`` as
  ``tables_read``) with any declared in reports.toml. Same notebook, parameters, code and
  table contents read the same tables, so a table the notebook starts reading changes the
  notebook (or code) part of the key first;
* ``provenance``: a digest of what the appendix shows of each table's manifest entry (inputs
  with their sources and access dates, counts, notes), without when or by which code the
  table was cleaned (:data:`MANIFEST_VOLATILE`): ``clean --force`` rebuilds no report;
* ``packages``: the versions of Python and the packages that shape the output;
* ``code``: a digest of the ``analysis`` package code that notebooks and the export use (see
  :data:`CODE_EXCLUDED`), with the stylesheet and templates.

The key is stored with the outputs, in ``reports/<run>/build.json``, and promoted with them
atomically: the key on disk always describes the report beside it. Nothing here imports pandas,
papermill or nbconvert (a no-op build stays fast).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis import config, store
from analysis.provenance import package_versions
from analysis.render.notebook import source_digest
from analysis.render.report_config import Run

#: Packages whose version changes what a report looks like or computes.
KEY_PACKAGES = (
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "weasyprint",
)
#: Manifest fields that say when, how fast and by which code a table was cleaned, not what it
#: holds or where it came from: left out of a report's key.
MANIFEST_VOLATILE = frozenset({"built_at", "code_version", "seconds", "key"})
RECORD = config.BUILD_RECORD_FILE
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
CODE_SUFFIXES = (".py", ".css", ".j2", ".json")
#: Package code that cannot change a report: fetching and cleaning reach reports only through
#: the processed tables (whose checksums are in the key), the rest is the command line and the
#: build machinery around the notebooks. Editing these must not rebuild every report.
CODE_EXCLUDED = (
    "fetch/",
    "clean/",
    "schemas/",
    "cli.py",
    "__main__.py",
    "locking.py",
    "render/runner.py",
    "render/cache.py",
    "render/index.py",
    "render/report_config.py",
    "render/papermill_engine.py",
    "render/kernel_check.py",
    "render/kernelspec.py",
    "render/notebook_check.py",
    "verify.py",
)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def code_digest(root: Path = PACKAGE_ROOT) -> str:
    """sha256 over the package code a report depends on, its stylesheet and templates."""
    digest = hashlib.sha256()
    files = sorted(
        p
        for p in root.rglob("*")
        if p.suffix in CODE_SUFFIXES
        and "__pycache__" not in p.parts
        and not p.relative_to(root).as_posix().startswith(CODE_EXCLUDED)
        and p.is_file()
    )
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class KeyContext:
    """What all runs of one build share: computed once, table digests memoised."""

    packages: dict[str, str]
    code: str
    manifest_tables: dict[str, Any]
    _tables: dict[str, str | None]

    @classmethod
    def current(cls) -> KeyContext:
        return cls(
            packages=package_versions(KEY_PACKAGES),
            code=code_digest(),
            manifest_tables=store.manifest()["tables"],
            _tables={},
        )

    def table_digest(self, table: str) -> str | None:
        """sha256 of ``data/processed/<table>.parquet`` (None if missing), once per build."""
        if table not in self._tables:
            self._tables[table] = store.table_digest(table)
        return self._tables[table]

    def manifest_entry(self, table: str) -> dict[str, Any]:
        entry = self.manifest_tables.get(table)
        return entry if isinstance(entry, dict) else {}


def canonical(value: Any) -> str:
    """Stable JSON text of a value (sorted keys, no whitespace)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def key_tables(run: Run, tables_read: Any = ()) -> list[str]:
    """The tables in a run's key: those declared and those its last build read."""
    read = [t for t in tables_read if isinstance(t, str)] if isinstance(tables_read, list) else []
    return sorted(set(run.tables) | set(read))


def run_key(run: Run, ctx: KeyContext, tables_read: Any = ()) -> dict[str, Any]:
    """The six key parts of one run (see the module docstring), as JSON-ready data;
    ``tables_read``: what the run read last time (``build.json``'s ``tables_read``)."""
    names = key_tables(run, tables_read)
    tables = {t: ctx.table_digest(t) for t in names}
    provenance = {
        t: _sha256(
            canonical(
                {k: v for k, v in ctx.manifest_entry(t).items() if k not in MANIFEST_VOLATILE}
            ).encode()
        )
        for t in names
    }
    return {
        "notebook": source_digest(run.notebook),
        "parameters": dict(run.parameters),
        "tables": tables,
        "provenance": provenance,
        "packages": ctx.packages,
        "code": ctx.code,
    }


def key_digest(key: Mapping[str, Any]) -> str:
    return _sha256(canonical(key).encode())


def read_record(report_dir: Path) -> dict[str, Any] | None:
    """``reports/<run>/build.json``, or None if missing or unreadable."""
    try:
        data = json.loads((report_dir / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _changed_tables(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    return sorted(t for t in set(old) | set(new) if old.get(t) != new.get(t))


def why_stale(
    key: Mapping[str, Any], record: Mapping[str, Any] | None, report_dir: Path
) -> list[str]:
    """Why a run must be (re)built: empty when the last good report is up to date."""
    if record is None:
        return ["no previous report"]
    missing = [
        name
        for name in (record.get("files") or {}).values()
        if not (report_dir / str(name)).is_file()
    ]
    if missing or not record.get("files"):
        return [f"output missing ({', '.join(missing) or 'no file list'})"]
    old = record.get("key") or {}
    if key_digest(old) == key_digest(key):
        return []
    reasons = []
    if old.get("notebook") != key["notebook"]:
        reasons.append("notebook changed")
    if old.get("parameters") != key["parameters"]:
        changed = sorted(
            p
            for p in set(old.get("parameters") or {}) | set(key["parameters"])
            if (old.get("parameters") or {}).get(p, object()) != key["parameters"].get(p)
        )
        reasons.append(f"parameters changed ({', '.join(changed)})")
    if tables := _changed_tables(old.get("tables") or {}, key["tables"]):
        reasons.append(f"table(s) changed: {', '.join(tables)}")
    changed = _changed_tables(old.get("provenance") or {}, key["provenance"])
    if provenance := [t for t in changed if t not in tables]:
        reasons.append(
            "provenance of table(s) changed (sources, access dates or counts): "
            + ", ".join(provenance)
        )
    if old.get("packages") != key["packages"]:
        old_pk = old.get("packages") or {}
        changed = [
            f"{n} {old_pk.get(n)}→{v}" for n, v in key["packages"].items() if old_pk.get(n) != v
        ]
        reasons.append(f"packages changed ({', '.join(changed)})")
    if old.get("code") != key["code"]:
        reasons.append("analysis package code changed")
    return reasons or ["cache key changed"]
