"""The ``indicators`` table: every annual series of every source, long, one schema
(:mod:`analysis.schemas.indicators`).

Each family has its own loader module; :func:`build` runs them, then

1. keeps **one release per country-year** for the publishers whose indicators are measures of
   one release (:data:`RELEASE_SOURCES`: SIPRI's sheets). For each (source, country, year) every
   measure comes from the same release: the most complete release (most indicators) that has
   any figure for that country-year, then the newest. SIPRI: the 2024 workbook (seven measures)
   wherever it has the country-year, the 2025 release (its "Current US$" sheet only) for the
   country-years the workbook lacks (every country's 2024; Libya 2022–2023). The other
   release's rows are left out (``other_release``);
2. keeps only the **newest vintage** of each other series (``source_id``, ``indicator_code``): a
   whole older release is left out (``older_vintage``), never mixed year by year with the newer
   one — e.g. World Bank ``MS.MIL.XPND.GD.ZS`` 2026-02-24 over 2018-02-22.
   ``build(raw_dir, vintages="all")`` keeps every vintage instead (unique with ``vintage`` added
   to the key: validate with ``SCHEMA_ALL_VINTAGES``);
3. records revisions: where a left-out vintage gives a different figure for a kept row's key
   (not the same figure shown to fewer decimals), the kept row says which vintage
   (``other_vintage``) and what figure (``other_vintage_value``), so a report can say "the 2025
   release revised 2023 from X to Y" (:func:`analysis.views.finances.release_revisions`);
4. resolves repeated keys (``source_id``, ``indicator_code``, ``country_code``, ``year``): an
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

from analysis.clean.base import Collector, TableResult, count_rows, to_text
from analysis.clean.longform import SAME_ROW, empty_observations
from analysis.clean.sources import (
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
from analysis.schemas.indicators import COLUMNS, KEY, TEXT, TEXT_COLUMNS

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
#: Publishers whose indicators are measures of one release (SIPRI's sheets: current and constant
#: US$, share of GDP, per capita, local currency): a country-year takes every measure from one
#: release (see :func:`one_release_per_year`), not each series from its own newest release. The
#: World Bank is not one: each indicator is its own download with its own date.
RELEASE_SOURCES = frozenset({"sipri"})
#: Most decimals looked for when telling a revision from the same figure rounded differently.
MAX_DECIMALS = 12


def vintage_rank(vintage: pd.Series) -> np.ndarray:
    """An integer per row that orders vintages: ``~2025`` (approximate) ranks as ``2025``, just
    before any dated vintage of that year (``2025-07-01``)."""
    codes, uniques = pd.factorize(vintage)
    ranks = pd.Series(uniques).astype(str).str.lstrip("~").rank(method="dense")
    return ranks.to_numpy(dtype="int64")[codes]


def one_release_per_year(table: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """(mask of the rows kept, notes): for each (source, country, year) of
    :data:`RELEASE_SOURCES`, the rows of one release — the one with the most indicators in the
    whole source (ties: the newest) among those with a figure for that country-year. Rows of
    other sources are all kept (:func:`newest_vintage` chooses for them)."""
    keep = np.ones(len(table), dtype=bool)
    chosen = table["source_id"].isin(RELEASE_SOURCES).to_numpy()
    if not chosen.any():
        return keep, []
    rows = table.loc[chosen, ["source_id", "indicator_code", "vintage", "country_code", "year"]]
    rows = rows.astype({c: object for c in ("source_id", "indicator_code", "vintage")})
    breadth = rows.groupby(["source_id", "vintage"])["indicator_code"].transform("nunique")
    rank = vintage_rank(rows["vintage"])
    score = pd.Series(breadth.to_numpy() * (int(rank.max()) + 1) + rank, index=rows.index)
    best = score.groupby([rows["source_id"], rows["country_code"], rows["year"]], observed=True)
    keep[chosen] = (score == best.transform("max")).to_numpy()
    notes = []
    for source_id, group in rows.assign(kept=keep[chosen]).groupby("source_id"):
        measures = group.groupby("vintage")["indicator_code"].nunique()
        newest_first = sorted(measures.index, key=lambda v: v.lstrip("~"), reverse=True)
        order = sorted(newest_first, key=lambda v: -measures[v])
        filled = group[group["kept"] & (group["vintage"] != order[0])]
        described = [f"{v} ({n} measure{'s' * (int(n) != 1)})" for v, n in measures[order].items()]
        notes.append(
            f"{source_id}: one release per country-year, in the order "
            + ", ".join(described)
            + f"; left out {int((~group['kept']).sum())} rows of a country-year an earlier "
            f"release in that order covers; {len(filled)} rows taken from a later one "
            f"(years {', '.join(map(str, sorted(filled['year'].unique())))})"
        )
    return keep, notes


def newest_mask(table: pd.DataFrame) -> np.ndarray:
    """True for the rows of the newest vintage of their series, and for every row of
    :data:`RELEASE_SOURCES` (:func:`one_release_per_year` chooses for them)."""
    series = series_ids(table)
    rank = vintage_rank(table["vintage"])
    keep = rank == pd.Series(rank).groupby(series).transform("max").to_numpy()
    return keep | table["source_id"].isin(RELEASE_SOURCES).to_numpy()


def series_ids(table: pd.DataFrame) -> np.ndarray:
    """An integer per row naming its series (``source_id``, ``indicator_code``)."""
    source, _ = pd.factorize(table["source_id"])
    code, codes = pd.factorize(table["indicator_code"])
    return source.astype("int64") * (len(codes) + 1) + code


def newest_vintage(table: pd.DataFrame) -> tuple[pd.DataFrame, int, list[str]]:
    """(rows of the newest vintage of each series, rows left out, notes); see
    :func:`newest_mask`."""
    keep = newest_mask(table)
    return table[keep], int((~keep).sum()), vintage_notes(table, keep)


def vintage_notes(table: pd.DataFrame, keep: np.ndarray) -> list[str]:
    """One note per series with rows left out by ``keep``: the vintage kept and those left out."""
    notes = []
    # the notes are grouped on plain objects (sorted by text, as categories would not be)
    dropped = table.loc[~keep, [*SERIES, "vintage"]].astype(object)
    if not dropped.empty:
        kept = table.loc[keep, [*SERIES, "vintage"]].drop_duplicates().astype(object)
        kept_vintage = kept.groupby(SERIES)["vintage"].first().to_dict()
        for (source_id, indicator), group in dropped.groupby(SERIES):
            notes.append(
                f"{source_id} {indicator}: kept vintage {kept_vintage[(source_id, indicator)]}; "
                f"left out {len(group)} rows of vintage(s) "
                + ", ".join(sorted(group["vintage"].unique()))
            )
    return notes


def shown_decimals(values: np.ndarray) -> np.ndarray:
    """The fewest decimals (up to :data:`MAX_DECIMALS`) that show each value exactly."""
    found = np.full(len(values), MAX_DECIMALS)
    for decimals in range(MAX_DECIMALS - 1, -1, -1):
        exact = np.isclose(np.round(values, decimals), values, rtol=1e-12, atol=0)
        found[exact] = decimals
    return found


def same_figure(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """True where ``a`` and ``b`` are one figure shown to different precision: equal once both
    are rounded to the fewer decimals of the two (SIPRI's 2025 CSV shows 10,588.8 for the
    workbook's 10,588.7715; that is no revision)."""
    scale = 10.0 ** np.minimum(shown_decimals(a), shown_decimals(b))
    return np.isclose(np.round(a * scale), np.round(b * scale), rtol=0, atol=0.5)


def other_vintages(table: pd.DataFrame, kept: np.ndarray) -> pd.DataFrame:
    """The kept rows of ``table`` with :data:`OTHER_VINTAGE_COLUMNS`: the newest left-out vintage
    of the same key and its figure, where that figure is a revision (not
    :func:`same_figure`); missing elsewhere."""
    # keys are numbered only in the series that lost rows (a few percent of the table)
    series = series_ids(table)
    involved = np.isin(series, np.unique(series[~kept]))
    key_id = np.full(len(table), -1, dtype="int64")
    key_id[involved] = table.loc[involved, KEY].groupby(KEY, observed=True, sort=False).ngroup()
    dropped = table.loc[~kept, ["vintage", "value"]].astype({"vintage": object})
    dropped = (
        dropped.assign(key_id=key_id[~kept], rank=vintage_rank(dropped["vintage"]))
        .sort_values("rank")
        .drop_duplicates("key_id", keep="last")
        .set_index("key_id")
    )
    result = table[kept]
    ids = pd.Index(dropped.index).get_indexer(key_id[kept])
    found = ids >= 0
    other = np.full(len(result), np.nan)
    other[found] = dropped["value"].to_numpy(dtype=float)[ids[found]]
    vintage = np.full(len(result), None, dtype=object)
    vintage[found] = dropped["vintage"].to_numpy()[ids[found]]
    revised = found.copy()
    revised[found] = ~same_figure(result["value"].to_numpy(dtype=float)[found], other[found])
    other[~revised] = np.nan
    vintage[~revised] = None
    return result.assign(other_vintage=pd.array(vintage, dtype=TEXT), other_vintage_value=other)


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
        return table, 0, Collector().frame(), 0
    groups = table[repeated]
    spread = groups.groupby(key, observed=True)["value"].transform(lambda v: np.ptp(v.to_numpy()))
    scale = groups["value"].abs().groupby([groups[c] for c in key], observed=True).transform("max")
    conflict = spread > 1e-9 * scale.clip(lower=1.0)
    bad = groups[conflict]
    quarantine = Collector()
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
        keep, release_notes = one_release_per_year(table)
        if not keep.all():
            excluded["other_release"] = int((~keep).sum())
        # other sources' series: the newest vintage (SIPRI's rows are all newest_mask-kept)
        newest = newest_mask(table) & keep
        older = int((keep & ~newest).sum())
        if older:
            excluded["older_vintage"] = older
        notes += release_notes + vintage_notes(table, newest | ~keep)
        keep = newest
        table = other_vintages(table, keep)
    else:
        key.append("vintage")
        table = table.assign(
            other_vintage=pd.array([None] * len(table), dtype=TEXT), other_vintage_value=np.nan
        )
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
