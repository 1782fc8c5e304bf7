"""The date of a report's data: the newest access date of the raw files its tables were cleaned
from (from the processed manifest's stamps).

A report states this date instead of the clock, so rebuilding it from the same files gives the
same bytes; the build stamps PDFs and charts with it too (``SOURCE_DATE_EPOCH``, see
:mod:`analysis.render.determinism`). The build time stays in ``build.json`` and the index.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any


def _accessed(entry: object) -> list[str]:
    """The valid ISO access dates stamped on one manifest entry's inputs."""
    inputs = entry.get("inputs", []) if isinstance(entry, dict) else []
    dates = []
    for item in inputs if isinstance(inputs, list) else []:
        value = item.get("accessed") if isinstance(item, dict) else None
        try:
            dates.append(date.fromisoformat(str(value)).isoformat())
        except ValueError:
            continue
    return dates


def table_date(entry: object) -> str | None:
    """The newest access date (``YYYY-MM-DD``) of one table's raw inputs, None if unknown."""
    return max(_accessed(entry), default=None)


def data_date(tables: Sequence[str], manifest_tables: Mapping[str, Any]) -> str | None:
    """The newest access date over every raw input of ``tables``; None if none is stamped."""
    dates = [d for t in tables if (d := table_date(manifest_tables.get(t))) is not None]
    return max(dates, default=None)
