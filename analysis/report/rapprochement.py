"""The founding article's argument against the data.

The article (Al Jazeera opinion, 26 July 2018) argues that Hamas lost Iran's "steady flow of
funding" when it backed the Syrian uprising in 2012, that support resumed from mid-2017 "at a
much lower rate", and that Iran's own squeeze (inflation, a falling rial, oil sales at risk)
limits what it can give. These helpers put Iran's capacity and the claimed support side by side
by period, express each claim as a share of Iran's military spending under each exchange-rate
choice, and set the article's "most of the $260m" beside Lieberman's own January 2018 figure.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from analysis.config import FX_RATE_TYPES
from analysis.report import finances, periods

#: Ledger rows the article's Lieberman claim is checked with (data/raw/ledgers/claims.csv).
#: C057: the founding article's report that Lieberman said "most of the $260m" came from Tehran.
FOUNDING_CLAIM_ID = "C057"
#: C054: Lieberman, 15 January 2018 (Times of Israel): about $100m of a $260m 2017 budget.
LIEBERMAN_JANUARY_2018_ID = "C054"

SIPRI_BASIS = finances.SIPRI_BASIS
#: Two medians within this factor of each other are called "about the same": the claims in a
#: period differ by far more than that, so a smaller gap says nothing.
SIMILAR_FACTOR = 1.5


def yearly_capacity(
    indicators: pd.DataFrame,
    oil: pd.DataFrame,
    annual_rates: pd.DataFrame,
    *,
    rate_type: str,
    start_year: int | None = None,
    end_year: int | None = None,
    breaks: tuple[int, int] = periods.PERIOD_BREAKS,
) -> pd.DataFrame:
    """Iran's capacity by year: ``inflation`` (%), ``irr_per_usd`` (at ``rate_type``),
    ``brent_usd_per_barrel``, ``output_value_usd_bn`` (oil output at Brent, see
    :func:`analysis.report.finances.oil`), ``milex_usd_m`` (military spending in US$ m at
    ``rate_type``), ``period``."""
    inflation = finances.series(
        indicators, finances.INFLATION, start_year=start_year, end_year=end_year
    )[["year", "value"]]
    rate = finances.rate_for(annual_rates, rate_type).rename("irr_per_usd").rename_axis("year")
    milex = finances.military(
        indicators, annual_rates, rate_type=rate_type, start_year=start_year, end_year=end_year
    )
    frame = (
        inflation.rename(columns={"value": "inflation"})
        .merge(rate.reset_index(), on="year", how="outer")
        .merge(oil[["year", "brent_usd_per_barrel", "output_value_usd_bn"]], on="year", how="outer")
        .merge(
            milex[["year", "usd_m_at_rate"]].rename(columns={"usd_m_at_rate": "milex_usd_m"}),
            on="year",
            how="outer",
        )
        .astype({"year": int})
    )
    if start_year is not None:
        frame = frame[frame["year"] >= start_year]
    if end_year is not None:
        frame = frame[frame["year"] <= end_year]
    return (
        frame.assign(period=lambda d: periods.period_of(d["year"], breaks))
        .sort_values("year")
        .reset_index(drop=True)
    )


def capacity_by_period(
    yearly: pd.DataFrame, breaks: tuple[int, int] = periods.PERIOD_BREAKS
) -> pd.DataFrame:
    """Mean of each capacity measure by period, with the years each mean covers.

    Columns: ``period``, ``years`` (first–last year with any value), and the means of
    ``inflation``, ``irr_per_usd``, ``brent_usd_per_barrel``, ``output_value_usd_bn``,
    ``milex_usd_m`` (each over the years that measure has data).
    """
    measures = [
        "inflation",
        "irr_per_usd",
        "brent_usd_per_barrel",
        "output_value_usd_bn",
        "milex_usd_m",
    ]
    means = yearly.groupby("period", observed=False)[measures].mean()
    spans = yearly.dropna(subset=measures, how="all").groupby("period", observed=False)["year"]
    years = (
        spans.min().astype("Int64").astype("string")
        + "–"
        + spans.max().astype("Int64").astype("string")
    )
    return (
        means.assign(years=years)
        .reindex(periods.labels(breaks))[["years", *measures]]
        .rename_axis("period")
        .reset_index()
    )


def share_of_military(claim_ranges: pd.DataFrame, bases: pd.DataFrame) -> pd.DataFrame:
    """Each annual claim as a share of Iran's military spending in its reference year, under
    every conversion basis (nominal US$ against nominal US$ of the same year).

    Columns: ``claim_id``, ``reference_year``, ``period``, ``basis``, ``milex_usd_m``,
    ``share_low``, ``share_high`` (fractions; empty on an open side or without spending data).
    """
    merged = claim_ranges[
        ["claim_id", "reference_year", "period", "nominal_low", "nominal_high"]
    ].merge(bases, left_on="reference_year", right_on="year", how="left")
    milex_usd = merged["milex_usd_m"] * 1e6
    return (
        merged.assign(
            share_low=merged["nominal_low"] / milex_usd,
            share_high=merged["nominal_high"] / milex_usd,
        )[
            [
                "claim_id",
                "reference_year",
                "period",
                "basis",
                "milex_usd_m",
                "share_low",
                "share_high",
            ]
        ]
        .dropna(subset=["basis"])
        .reset_index(drop=True)
    )


def share_summary(
    shares: pd.DataFrame, breaks: tuple[int, int] = periods.PERIOD_BREAKS
) -> pd.DataFrame:
    """Period × basis: the median and the largest share of military spending a claim implies
    (each claim's midpoint, or its one stated bound when open-ended), and how many claims."""
    mid = shares.assign(
        mid=lambda d: d[["share_low", "share_high"]].mean(axis=1, skipna=True)
    ).dropna(subset=["mid"])
    table = (
        mid.groupby(["period", "basis"], observed=True)
        .agg(
            claims=("claim_id", "nunique"), median_share=("mid", "median"), max_share=("mid", "max")
        )
        .reset_index()
    )
    order = {label: i for i, label in enumerate(periods.labels(breaks))}
    basis_order = {b: i for i, b in enumerate([*FX_RATE_TYPES, SIPRI_BASIS])}
    return (
        table.assign(_p=table["period"].astype(str).map(order), _b=table["basis"].map(basis_order))
        .sort_values(["_p", "_b"])
        .drop(columns=["_p", "_b"])
        .reset_index(drop=True)
    )


def missing_claims(
    claims: pd.DataFrame, ids: tuple[str, ...] = (FOUNDING_CLAIM_ID, LIEBERMAN_JANUARY_2018_ID)
) -> list[str]:
    """The claim ids among ``ids`` that the claims table lacks (quarantined by the cleaner, or
    removed from the ledger): a report says so instead of failing."""
    present = set(claims["claim_id"])
    return [i for i in ids if i not in present]


def missing_claims_note(missing: list[str]) -> str:
    """One HTML paragraph saying which claims are missing and where to look."""
    ids = ", ".join(html.escape(i) for i in missing)
    return (
        f"<p><b>Left out:</b> claim {ids} is not in the claims table (the cleaner quarantines a "
        "claim that fails its checks: see <code>data/processed/quarantine/claims.csv</code>), so "
        "this comparison cannot be made.</p>"
    )


def founding_claim_check(
    claims: pd.DataFrame,
    founding_id: str = FOUNDING_CLAIM_ID,
    lieberman_id: str = LIEBERMAN_JANUARY_2018_ID,
) -> dict[str, object]:
    """The article's "most of the $260m" beside Lieberman's own January 2018 figure.

    Returns ``founding`` and ``lieberman`` (the two ledger rows as dicts), ``total_usd`` (the X
    of "most of X": the founding claim's high amount divided by its high share),
    ``article_share_low``/``article_share_high`` (what "most" means: 0.5–1.0),
    ``lieberman_usd`` (his stated amount) and ``lieberman_share`` (that amount / X).
    Raises KeyError naming a missing claim id.
    """
    by_id = claims.set_index("claim_id")
    for claim_id in (founding_id, lieberman_id):
        if claim_id not in by_id.index:
            raise KeyError(f"claim {claim_id} is not in the claims table")
    founding = by_id.loc[founding_id].to_dict()
    lieberman = by_id.loc[lieberman_id].to_dict()
    share_high = float(founding["share_high"])
    total = float(founding["amount_high"]) / share_high if share_high else np.nan
    amount = float(lieberman["amount_low"])
    if np.isnan(amount):
        amount = float(lieberman["amount_high"])
    return {
        "founding": {"claim_id": founding_id, **founding},
        "lieberman": {"claim_id": lieberman_id, **lieberman},
        "total_usd": total,
        "article_share_low": float(founding["share_low"]),
        "article_share_high": share_high,
        "lieberman_usd": amount,
        "lieberman_share": amount / total if total else np.nan,
    }


def compare(after: float, before: float, factor: float = SIMILAR_FACTOR) -> str:
    """ "lower", "about the same" or "higher": ``after`` against ``before``, where values within
    ``factor`` of each other count as about the same (:data:`SIMILAR_FACTOR`)."""
    if not (before > 0 and after > 0):
        raise ValueError(f"cannot compare {after!r} with {before!r}: both must be positive")
    ratio = after / before
    if ratio < 1 / factor:
        return "lower"
    if ratio > factor:
        return "higher"
    return "about the same"
