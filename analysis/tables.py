"""Read processed tables (what notebooks use): ``load("indicators")``.

Notebooks read only ``data/processed/``; this module is their one door to it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pandas as pd

from analysis import config
from analysis.errors import DataError


def load(name: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The processed table ``name`` (from ``data/processed/<name>.parquet``)."""
    path = config.paths().processed / f"{name}.parquet"
    if not path.exists():
        raise DataError(
            f"processed table {name!r} is missing; run `analysis clean`", file=str(path)
        )
    return pd.read_parquet(path, columns=list(columns) if columns else None)


def manifest() -> dict[str, Any]:
    """``data/processed/manifest.json`` (tables, inputs with checksums, counts)."""
    path = config.paths().processed_manifest
    if not path.exists():
        return {"tables": {}}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def indicator(
    code: str,
    country: str = "IRN",
    *,
    source_id: str | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
) -> pd.DataFrame:
    """One indicator for one country from the ``indicators`` table, sorted by year.

    When several sources carry the indicator and ``source_id`` is not given, all are returned
    (the ``source_id`` column tells them apart).
    """
    frame = load("indicators").query("indicator_code == @code and country_code == @country")
    if source_id is not None:
        frame = frame[frame["source_id"] == source_id]
    if start_year is not None:
        frame = frame[frame["year"] >= start_year]
    if end_year is not None:
        frame = frame[frame["year"] <= end_year]
    return frame.sort_values(["source_id", "year"]).reset_index(drop=True)
