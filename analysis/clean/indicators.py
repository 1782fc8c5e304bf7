"""The ``indicators`` table: every annual series of every source, long, one schema
(:mod:`analysis.schemas.indicators`).

Each family has its own loader module; :func:`build` runs them, then

1. keeps only the **newest vintage** of each series (``source_id``, ``indicator_code``): a whole
   older release is left out (``older_vintage``), never mixed year by year with the newer one —
   e.g. World Bank ``MS.MIL.XPND.GD.ZS`` 2026-02-24 over 2018-02-22, SIPRI Current US$ 2025
   release over 2024. ``build(raw_dir, vintages="all")`` keeps every vintage instead (unique
   with ``vintage`` added to the key: validate with ``SCHEMA_ALL_VINTAGES``);
2. resolves repeated keys (``source_id``, ``indicator_code``, ``country_code``, ``year``): an
   identical repeat is excluded (``duplicate``); repeats that disagree are all quarantined,
   since the source gives two answers and neither can be preferred.

Aggregates: kept and flagged (``is_aggregate``) for World Bank codes (WB, datahub); excluded and
counted for SIPRI ("European Union"), Energy Institute (region totals, "Other ..." groups) and
OWID (regions without a code, "World") and EIA international series (region codes such as
``WORL``). The IMF WEO by-country file has none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from analysis.clean import (
    cbi_liquidity,
    datahub,
    eia_intl,
    energy_institute,
    imf_weo,
    owid,
    sci_cpi,
    sipri,
    worldbank,
)
from analysis.clean.base import Quarantine, TableResult, count_rows, to_text
from analysis.clean.longform import SAME_ROW, empty_observations
from analysis.schemas.indicators import COLUMNS, KEY, TEXT_COLUMNS

#: Glob patterns (relative to the raw folder) this table reads.
INPUTS: tuple[str, ...] = (
    *worldbank.INPUTS,
    *datahub.INPUTS,
    *sipri.INPUTS,
    *imf_weo.INPUTS,
    *energy_institute.INPUTS,
    *owid.INPUTS,
    *sci_cpi.INPUTS,
    *cbi_liquidity.INPUTS,
    *eia_intl.INPUTS,
)
#: One loader per family, each ``raw_dir -> TableResult`` in the processed columns.
LOADERS: tuple[Callable[[Path], TableResult], ...] = (
    worldbank.load,
    datahub.load,
    sipri.load,
    imf_weo.load,
    energy_institute.load,
    owid.load,
    sci_cpi.load,
    cbi_liquidity.load,
    eia_intl.load,
)
SERIES = ["source_id", "indicator_code"]


def vintage_rank(vintage: pd.Series) -> np.ndarray:
    """An integer per row that orders vintages: ``~2025`` (approximate) ranks as ``2025``, just
    before any dated vintage of that year (``2025-07-01``)."""
    codes, uniques = pd.factorize(vintage)
    ranks = pd.Series(uniques).astype(str).str.lstrip("~").rank(method="dense")
    return ranks.to_numpy(dtype="int64")[codes]


def newest_vintage(table: pd.DataFrame) -> tuple[pd.DataFrame, int, list[str]]:
    """(rows of the newest vintage of each series, rows left out, notes)."""
    source, _ = pd.factorize(table["source_id"])
    code, codes = pd.factorize(table["indicator_code"])
    series = source.astype("int64") * (len(codes) + 1) + code
    rank = vintage_rank(table["vintage"])
    keep = rank == pd.Series(rank).groupby(series).transform("max").to_numpy()
    notes = []
    # the notes are grouped on plain objects (sorted by text, as categories would not be)
    dropped = table.loc[~keep, [*SERIES, "vintage"]].astype(object)
    if not dropped.empty:
        kept = table.loc[keep, [*SERIES, "vintage"]].drop_duplicates().astype(object)
        kept_vintage = kept.groupby(SERIES)["vintage"].first()
        for (source_id, indicator), group in dropped.groupby(SERIES):
            notes.append(
                f"{source_id} {indicator}: kept vintage {kept_vintage[(source_id, indicator)]}; "
                f"left out {len(group)} rows of vintage(s) "
                + ", ".join(sorted(group["vintage"].unique()))
            )
    return table[keep], int((~keep).sum()), notes


def processed_dtypes(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with text as Arrow strings (:data:`TEXT`), ``year`` and ``source_row`` as int64
    and ``value`` as float64, put together column by column (no copy of the whole table)."""
    numbers = table[["year", "source_row", "value"]].astype(
        {"year": "int64", "source_row": "int64", "value": "float64"}
    )
    text = {c: to_text(table[c]) for c in TEXT_COLUMNS}
    return pd.DataFrame(
        {c: text[c] if c in text else numbers[c] if c in numbers else table[c] for c in table},
        copy=False,
    )


def resolve_repeats(
    table: pd.DataFrame, key: list[str]
) -> tuple[pd.DataFrame, int, pd.DataFrame, int]:
    """(table with one row per key, identical repeats dropped, quarantine entries, cells).

    Rows sharing a key with the same value: the first is kept. Rows sharing a key with
    different values: all go to the quarantine.
    """
    repeated = table.duplicated(key, keep=False)
    if not repeated.any():
        return table, 0, Quarantine().frame(), 0
    groups = table[repeated]
    spread = groups.groupby(key, observed=True)["value"].transform(lambda v: np.ptp(v.to_numpy()))
    scale = groups["value"].abs().groupby([groups[c] for c in key], observed=True).transform("max")
    conflict = spread > 1e-9 * scale.clip(lower=1.0)
    bad = groups[conflict]
    quarantine = Quarantine()
    columns = ["source_file", "source_row", "value", "source_id", "indicator_code"]
    columns += ["country_code", "year", "vintage"]
    for file, row, number, source, code, country, year, vintage in zip(
        *(bad[c].tolist() for c in columns), strict=True
    ):
        quarantine.add(
            file,
            row,
            "value",
            number,
            "unique_key",
            f"{source} {code} {country} {year} (vintage {vintage}) has several different "
            "values in the source",
        )
    # one copy of the table at the end: the masks are worked out on the key columns only
    keep = ~table.index.isin(bad.index)
    duplicate = table.loc[keep, key].duplicated(keep="first").to_numpy()
    keep[keep] = ~duplicate
    return table[keep], int(duplicate.sum()), quarantine.frame(), len(bad)


def load_all(raw_dir: Path) -> tuple[pd.DataFrame, TableResult, int]:
    """(every loader's rows in :data:`COLUMNS`, the loaders' combined result without its rows,
    cells the loaders quarantined). Each loader's own rows are freed once combined."""
    parts = [load(raw_dir) for load in LOADERS]
    cells = sum(len(p.quarantine) for p in parts)
    result = TableResult.combine(parts)
    table = result.table if list(result.table.columns) == COLUMNS else result.table[COLUMNS]
    return table, replace(result, table=empty_observations()), cells


def build(raw_dir: Path, *, vintages: Literal["newest", "all"] = "newest") -> TableResult:
    """The ``indicators`` table from the raw files under ``raw_dir`` (pure: writes nothing)."""
    table, result, quarantined_cells = load_all(raw_dir)
    excluded = dict(result.excluded)
    notes = list(result.notes)
    key = list(KEY)
    if vintages == "newest":
        table, older, vintage_notes = newest_vintage(table)
        if older:
            excluded["older_vintage"] = older
        notes += vintage_notes
    else:
        key.append("vintage")
    table, duplicates, conflicts, conflict_cells = resolve_repeats(table, key)
    if duplicates:
        excluded["duplicate"] = duplicates
    frames = [q for q in (result.quarantine, conflicts) if not q.empty]
    quarantine = pd.concat(frames, ignore_index=True) if frames else result.quarantine
    # every quarantine entry is one read cell; the quarantine counts distinct (file, row)
    cells = conflict_cells + quarantined_cells
    extra = cells - count_rows(quarantine)
    excluded.pop(SAME_ROW, None)
    if extra:
        excluded[SAME_ROW] = extra
    return TableResult(
        table=processed_dtypes(table),
        quarantine=quarantine,
        rows_read=result.rows_read,
        excluded=excluded,
        inputs=result.inputs,
        notes=notes,
    )
