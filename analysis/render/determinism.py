"""What makes a rebuild byte-identical: pinned kernel settings, a date from the data, and an
executed notebook without clocks, random ids or absolute paths.

- :data:`KERNEL_ENV`: the hash seed and a matplotlibrc with a fixed SVG id salt, for the kernel;
- :func:`pin_run`: ``SOURCE_DATE_EPOCH`` from the report's data date (the newest access date of
  its raw files), read by matplotlib (SVG/PDF dates) and PDF engines that honour it, and the
  report-code digest the appendix states instead of the git commit;
- :func:`normalise_notebook`: papermill's injected cell gets an id derived from its content, and
  the start/end times, durations and absolute paths papermill and nbclient record are removed;
- :func:`machine`: what may differ between machines (versions, Pango, the PDF's fonts), for
  ``build.json``.

The build time stays in ``build.json`` and the index; no published file carries it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
import re
import zlib
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from analysis import config

#: matplotlib settings for reproducible chart files (``svg.hashsalt``).
MATPLOTLIBRC = Path(__file__).resolve().parent / "matplotlibrc"
#: Added to the kernel's environment.
KERNEL_ENV = {"PYTHONHASHSEED": "0", "MATPLOTLIBRC": str(MATPLOTLIBRC)}
SOURCE_DATE_ENV = "SOURCE_DATE_EPOCH"
#: Used when no raw file of a report has an access date: the epoch, stated as such.
UNKNOWN_DATE_EPOCH = 0
#: Per-cell and notebook metadata keys that record when or where a run happened.
VOLATILE_PAPERMILL = frozenset({"start_time", "end_time", "duration"})
PARAMETERS_TAG = "injected-parameters"


def source_date_epoch(data_date: str | None) -> int:
    """Seconds since the epoch at midnight UTC of ``data_date`` (``YYYY-MM-DD``)."""
    if not data_date:
        return UNKNOWN_DATE_EPOCH
    day = date.fromisoformat(data_date)
    return int(datetime.combine(day, time(0), tzinfo=UTC).timestamp())


def pin_run(record: dict[str, Any]) -> None:
    """Set ``SOURCE_DATE_EPOCH`` (the run's data date) and the report-code digest (its cache
    key's ``code``) in this process's environment: the kernel started next inherits them."""
    os.environ[SOURCE_DATE_ENV] = str(source_date_epoch(record.get("data_date")))
    code = (record.get("key") or {}).get("code")
    if code:
        os.environ[config.CODE_DIGEST_ENV] = str(code)
    else:
        os.environ.pop(config.CODE_DIGEST_ENV, None)


def content_id(source: str, prefix: str = "cell") -> str:
    """A cell id derived from the cell's source (nbformat: 1-64 of ``[a-zA-Z0-9-_]``)."""
    return f"{prefix}-{hashlib.sha256(source.encode()).hexdigest()[:16]}"


def _strip_cell(cell: Any) -> None:
    meta = cell.get("metadata", {})
    meta.pop("execution", None)  # nbclient's per-message timestamps
    for key in VOLATILE_PAPERMILL:
        meta.get("papermill", {}).pop(key, None)
    if PARAMETERS_TAG in meta.get("tags", []):
        cell["id"] = content_id(str(cell.get("source", "")), PARAMETERS_TAG)


def normalise_notebook(path: Path) -> None:
    """Rewrite an executed notebook without clocks, random ids or absolute paths (in place,
    atomically)."""
    import nbformat

    from analysis import atomic

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        _strip_cell(cell)
    papermill = nb.metadata.get("papermill", {})
    for key in VOLATILE_PAPERMILL:
        papermill.pop(key, None)
    for key in ("input_path", "output_path"):
        if papermill.get(key):
            papermill[key] = Path(str(papermill[key])).name
    text = nbformat.writes(nb)
    atomic.write_text(path, text if text.endswith("\n") else text + "\n")


#: Libraries whose version can change a report's bytes from one machine to another.
MACHINE_PACKAGES = (
    "pandas",
    "numpy",
    "pyarrow",
    "matplotlib",
    "seaborn",
    "nbconvert",
    "papermill",
    "weasyprint",
    "pydyf",
    "fonttools",
)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_BASE_FONT = re.compile(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([^\s/\[\]<>()]+)")


def pdf_fonts(pdf: Path | None) -> list[str]:
    """The font names a PDF embeds (subset prefixes removed), also from compressed object
    streams; empty when there is no PDF."""
    if pdf is None or not pdf.is_file():
        return []
    data = pdf.read_bytes()
    chunks = [data]
    for match in _STREAM.finditer(data):
        with contextlib.suppress(zlib.error):
            chunks.append(zlib.decompress(match.group(1)))
    names = {m.decode("latin-1") for chunk in chunks for m in _BASE_FONT.findall(chunk)}
    return sorted(names)


def _pango_version() -> str | None:
    """The Pango library WeasyPrint lays text out with (None if it cannot be loaded)."""
    try:
        from weasyprint.text.ffi import pango

        number = int(pango.pango_version())
    except Exception:  # noqa: BLE001 - a record, not a requirement
        return None
    return f"{number // 10000}.{number // 100 % 100}.{number % 100}"


def machine(pdf: Path | None = None) -> dict[str, Any]:
    """What may differ between machines and change a report's bytes: Python, platform, library
    versions, Pango and the fonts the PDF embeds (recorded in ``build.json``)."""
    from analysis.provenance import package_versions

    return {
        "platform": platform.platform(),
        "versions": package_versions(MACHINE_PACKAGES),
        "pango": _pango_version(),
        "pdf_fonts": pdf_fonts(pdf),
    }
