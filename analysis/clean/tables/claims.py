"""``claims``: the curated claims ledger, checked, with its amounts parsed and annualised.

Reads ``ledgers/claims.csv`` (analysts' ledger, see ``docs/adding-a-claim.md``) and the US CPI
(``datahub-cpi-us/cpiai.csv``, through :func:`analysis.clean.tables.us_cpi.build`) for the
constant-dollar columns. A ledger row with an empty required field, a bad date or year, a value
outside a vocabulary, a repeated ``claim_id`` or a missing or non-http(s) source URL is
quarantined with the reason. Every other row is kept, including claims whose wording the rules
cannot read (``parse_status`` ``unparsed``, with the reason): those are for review, not defects.

Derived columns (see :mod:`analysis.schemas.claims`): ``claim_year``; ``value_year``, the year
the claim is placed at and whose exchange rate and prices apply, and ``dated_by``, what gave it:
the years the amount is said to cover (``period_start``, else ``period_end``), else the year the
claim was made (``claim_date``, else the page's ``source_date``), else ``undated``; a ledger row
whose ``dated_by`` says ``undated`` (a claim about earlier years the source does not name) gets
no year rather than the year it was reported in. Then the parsed amount
(:mod:`analysis.parse.amounts`); the nominal US$ per year (:mod:`analysis.parse.annualise`); and
the same in constant US$ of :data:`analysis.config.DEFAULT_BASE_YEAR`
(:func:`analysis.finance.to_constant_usd`). A claim whose ``donor_scope`` pools Iran with other
donors keeps its parsed amount, but its annual US$ columns stay empty with a note: the total of
several donors is not Iran's figure.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import config
from analysis.clean.base import Collector, TableResult, reading
from analysis.clean.sources import ledgers
from analysis.clean.tables import us_cpi
from analysis.finance import to_constant_usd
from analysis.parse.amounts import PARSED_COLUMNS, parse_amount
from analysis.parse.annualise import annualise
from analysis.schemas.claims import (
    CLAIMANT_TYPES,
    COLUMNS,
    DONOR_SCOPES,
    IRAN_ONLY_DONOR,
    LEDGER_COLUMNS,
    LEDGER_DATED_BY,
    RECIPIENT_SCOPES,
    REQUIRED_COLUMNS,
    SOURCE_GRADES,
    STATUSES,
)

INPUTS: tuple[str, ...] = ("ledgers/claims.csv", "datahub-cpi-us/cpiai.csv")
LEDGER = INPUTS[0]
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "claimant_type": CLAIMANT_TYPES,
    "recipient_scope": RECIPIENT_SCOPES,
    "donor_scope": DONOR_SCOPES,
    "status": STATUSES,
    "dated_by": LEDGER_DATED_BY,
    "source_grade": SOURCE_GRADES,
}
CURRENCY_LIST = r"^[A-Z]{3}(/[A-Z]{3})*$"
ID_PATTERN = r"^[A-Za-z][\w-]*$"
#: Annual US$ columns that :func:`keep_irans_figures_only` empties for pooled donors.
ANNUAL_USD = ("annual_low_usd", "annual_high_usd")
POOLED_NOTE = "Iran pooled with other donors (donor_scope): not Iran's figure, not annualised"


def check_rows(frame: pd.DataFrame) -> tuple[pd.Series, Collector]:
    """Mask of ledger rows failing any check, and every failure (not only the first)."""
    q = Collector()
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
    """``claim_year``, and ``value_year`` with its ``dated_by`` (module docstring): the first of
    period_start, period_end, the claim's year and the page's year; none when ``undated``."""
    period_start = pd.to_numeric(frame["period_start"]).astype("Int64")
    period_end = pd.to_numeric(frame["period_end"]).astype("Int64")
    claim_year = ledgers.year_of(frame["claim_date"])
    bases = {
        "period_start": period_start,
        "period_end": period_end,
        "claim_date": claim_year,
        "source_date": ledgers.year_of(frame["source_date"]),
    }
    undated = frame["dated_by"].eq("undated").fillna(False).astype(bool)
    value_year = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    dated_by = pd.Series("undated", index=frame.index, dtype=object)
    for basis, years in bases.items():
        use = value_year.isna() & years.notna() & ~undated
        value_year = value_year.mask(use, years)
        dated_by = dated_by.mask(use, basis)
    return frame.assign(
        period_start=period_start,
        period_end=period_end,
        claim_year=claim_year,
        value_year=value_year,
        dated_by=dated_by,
    )


def keep_irans_figures_only(frame: pd.DataFrame) -> pd.DataFrame:
    """Empty the annual US$ of claims pooling Iran with other donors (``donor_scope``), with
    :data:`POOLED_NOTE`; their parsed amount (the donors' total) stays."""
    pooled = frame["donor_scope"] != IRAN_ONLY_DONOR
    has_amount = frame["amount_low"].notna() | frame["amount_high"].notna()
    note = pd.Series(POOLED_NOTE, index=frame.index).where(pooled & has_amount)
    return frame.assign(
        **{c: frame[c].mask(pooled) for c in ANNUAL_USD},
        annual_note=_join_notes(note, frame["annual_note"]),
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
    cpi = us_cpi.build(raw_dir).table
    base_year = config.DEFAULT_BASE_YEAR
    with reading(path, raw_dir):  # the ledger's rows in hand: a failure names the ledger
        bad, quarantine = check_rows(frame)
        kept = frame[~bad].pipe(add_years).pipe(parse_amounts)
        table = (
            kept.pipe(lambda d: annualise(d, d["value_year"]))
            .pipe(keep_irans_figures_only)
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
