"""``reports/MANIFEST.sha256``: the sha256 of every published report file.

Published files are everything in a good run's folder ``reports/<run>/`` (HTML, PDF, executed
notebook, chart and data files) except ``build.json``, the build's own record (build time,
timings, machine). They are byte-identical when rebuilt from the same raw files, code and
package versions, so two builds give the same manifest. The format is ``sha256sum``'s, with
paths relative to reports/, so a reader can check a copy without Python::

    cd reports && sha256sum -c MANIFEST.sha256

``index.html``, ``build-summary.json`` and ``_previous/`` / ``_failed/`` say when and how a build
ran; they are not listed.
"""

from __future__ import annotations

from pathlib import Path

from analysis import atomic, config, store
from analysis.render.cache import RECORD

#: Per-run files that record the build, not the report (never listed, never compared).
BUILD_RECORDS = frozenset({RECORD, config.ERROR_FILE, "kernel.log"})


def _report_dirs(reports: Path, runs: set[str] | None) -> list[Path]:
    """The folders of good runs (those with a build record) below ``reports``."""
    if not reports.is_dir():
        return []
    return sorted(
        d
        for d in reports.iterdir()
        if d.is_dir()
        and not d.name.startswith(("_", "."))
        and (d / RECORD).is_file()
        and (runs is None or d.name in runs)
    )


def published_files(reports: Path, runs: set[str] | None = None) -> dict[str, Path]:
    """Every published file below ``reports`` (of ``runs`` only, if given), keyed by its path
    relative to ``reports`` ("/"-separated), sorted."""
    files: dict[str, Path] = {}
    for folder in _report_dirs(reports, runs):
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(reports)
            if (
                path.is_file()
                and path.name not in BUILD_RECORDS
                and not any(part.startswith(".") for part in rel.parts)
            ):
                files[rel.as_posix()] = path
    return dict(sorted(files.items()))


def manifest_text(reports: Path) -> str:
    """``sha256sum`` lines (``<hex>  <path>``) for every published file, sorted by path."""
    return "".join(
        f"{store.digest(path)}  {rel}\n" for rel, path in published_files(reports).items()
    )


def write_manifest(reports: Path) -> Path:
    """Write ``reports/MANIFEST.sha256`` atomically; return its path."""
    target = reports / config.DIGEST_MANIFEST_FILE
    atomic.write_text(target, manifest_text(reports))
    return target
