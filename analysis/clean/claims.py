"""``claims``: the curated claims ledger, checked, with its amounts parsed and annualised.

Reads ``ledgers/claims.csv`` (analysts' ledger, see ``docs/adding-a-claim.md``) and the US CPI
(``datahub-cpi-us/cpiai.csv``, through :func:`analysis.clean.us_cpi.build`) for the
constant-dollar columns. A ledger row with an empty required field, a bad date or year, a value
outside a vocabulary, a repeated ``claim_id`` or a missing or non-http(s) source URL is
quarantined with the reason. Every other row is kept, including claims whose wording the rules
cannot read (``parse_status`` ``unparsed``, with the reason): those are for review, not defects.

Derived columns (see :mod:`analysis.schemas.claims`): ``claim_year``; ``value_year``, the year
whose exchange rate and prices apply (``period_start`` if present, else the claim's year); the
parsed amount (:mod:`analysis.parse.amounts`); the nominal US$ per year
(:mod:`analysis.parse.annualise`); and the same in constant US$ of
:data:`analysis.config.DEFAULT_BASE_YEAR` (:func:`analysis.finance.to_constant_usd`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import config
from analysis.clean import ledgers, us_cpi
from analysis.clean.base import Quarantine, TableResult
from analysis.finance import to_constant_usd
from analysis.parse.amounts import PARSED_COLUMNS, parse_amount
from analysis.parse.annualise import annualise
from analysis.schemas.claims import (
    CLAIMANT_TYPES,
    COLUMNS,
    DONOR_SCOPES,
    LEDGER_COLUMNS,
    RECIPIENT_SCOPES,
    REQUIRED_COLUMNS,
    STATUSES,
)

INPUTS: tuple[str, ...] = ("ledgers/claims.csv", "datahub-cpi-us/cpiai.csv")
LEDGER = INPUTS[0]
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "claimant_type": CLAIMANT_TYPES,
    "recipient_scope": RECIPIENT_SCOPES,
    "donor_scope": DONOR_SCOPES,
    "status": STATUSES,
}
CURRENCY_LIST = r"^[A-Z]{3}(/[A-Z]{3})*$"
ID_PATTERN = r"^[A-Za-z][\w-]*$"


def check_rows(frame: pd.DataFrame) -> tuple[pd.Series, Quarantine]:
    """Mask of ledger rows failing any check, and every failure (not only the first)."""
    q = Quarantine()
    bad = ledgers.check_required(frame, REQUIRED_COLUMNS, q)
    for column, allowed in VOCABULARIES.items():
        bad |= ledgers.check_vocabulary(frame, column, allowed, q)
    for column in ("claim_date", "source_date"):
        bad |= ledgers.check_dates(frame, column, q)
    for column in ("period_start", "period_end"):
        bad |= ledgers.check_years(frame, column, q)
    bad |= ledgers.check_urls(frame, "source_url", q)
    bad |= ledgers.check_duplicates(frame, "claim_id", q)
    bad_id = frame["claim_id"].notna() & ~frame["claim_id"].fillna("").str.match(ID_PATTERN)
    bad |= ledgers.flag(
        frame, bad_id, "claim_id", "pattern", "claim_id must start with a letter", q
    )
    currency = frame["currency_as_stated"]
    bad_currency = currency.notna() & ~currency.fillna("").str.match(CURRENCY_LIST)
    bad |= ledgers.flag(
        frame,
        bad_currency,
        "currency_as_stated",
        "iso_4217",
        "currency_as_stated is not ISO 4217 codes (e.g. USD, or USD/GBP)",
        q,
    )
    start = pd.to_numeric(frame["period_start"], errors="coerce")
    end = pd.to_numeric(frame["period_end"], errors="coerce")
    bad |= ledgers.flag(
        frame, start > end, "period_end", "order", "period_end is before period_start", q
    )
    return bad, q


def parse_amounts(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the parsed-amount columns (:data:`PARSED_COLUMNS`) to ledger rows."""
    parsed = [
        parse_amount(a, c or "", p or "").as_dict()
        for a, c, p in zip(
            frame["amount_as_stated"],
            frame["currency_as_stated"],
            frame["period_as_stated"],
            strict=True,
        )
    ]
    added = pd.DataFrame(parsed, columns=PARSED_COLUMNS, index=frame.index)
    added["parse_reason"] = added["parse_reason"].replace("", None)
    return frame.assign(**{c: added[c] for c in PARSED_COLUMNS})


def add_years(frame: pd.DataFrame) -> pd.DataFrame:
    """``claim_year`` and ``value_year`` (period_start if present, else the claim's year)."""
    period_start = pd.to_numeric(frame["period_start"]).astype("Int64")
    claim_year = ledgers.year_of(frame["claim_date"])
    return frame.assign(
        period_start=period_start,
        period_end=pd.to_numeric(frame["period_end"]).astype("Int64"),
        claim_year=claim_year,
        value_year=period_start.fillna(claim_year),
    )


def constant_dollars(frame: pd.DataFrame, cpi: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """``annual_*_usd_const``: constant US$ of ``base_year`` where the value year has a CPI."""
    years = frame["value_year"]
    has_cpi = years.isin(cpi["year"].astype("int64").tolist()).fillna(False).astype(bool)
    out = frame.assign(base_year=base_year)
    for side in ("low", "high"):
        nominal = frame[f"annual_{side}_usd"]
        usable = nominal.notna() & has_cpi
        const = pd.Series(float("nan"), index=frame.index)
        if usable.any():
            const[usable] = to_constant_usd(
                nominal[usable], years[usable].astype("int64"), base_year, cpi
            )
        out[f"annual_{side}_usd_const"] = const
    annual = frame["annual_low_usd"].notna() | frame["annual_high_usd"].notna()
    gap = (annual & ~has_cpi).to_numpy()
    why = [_no_cpi_note(y) if g else "" for y, g in zip(years, gap, strict=True)]
    out["annual_note"] = _join_notes(out["annual_note"], pd.Series(why, index=frame.index))
    return out


def _no_cpi_note(year: object) -> str:
    if pd.isna(year):  # type: ignore[call-overload]
        return "no year for constant dollars"
    return f"no full-year US CPI for {year}: no constant dollars"


def _join_notes(first: pd.Series, second: pd.Series) -> pd.Series:
    joined = [
        "; ".join(n for n in (a, b) if isinstance(n, str) and n)
        for a, b in zip(first, second, strict=True)
    ]
    return pd.Series(joined, index=first.index).replace("", None)


def build(raw_dir: Path) -> TableResult:
    """The ``claims`` table from the ledger (pure: reads only)."""
    path = raw_dir / LEDGER
    frame = ledgers.read_ledger(path, raw_dir, LEDGER_COLUMNS)
    bad, quarantine = check_rows(frame)
    cpi = us_cpi.build(raw_dir).table
    base_year = config.DEFAULT_BASE_YEAR
    kept = frame[~bad].pipe(add_years).pipe(parse_amounts)
    table = (
        kept.pipe(lambda d: annualise(d, d["value_year"]))
        .pipe(constant_dollars, cpi, base_year)
        .reindex(columns=COLUMNS)
        .reset_index(drop=True)
    )
    counts = table["parse_status"].value_counts().to_dict()
    return TableResult(
        table=table,
        quarantine=quarantine.frame(),
        rows_read=len(frame),
        excluded={},
        inputs=[LEDGER, INPUTS[1]],
        notes=[
            f"claims: parse_status {counts}; constant US$ of {base_year} (US CPI-U annual mean)",
        ],
    )
