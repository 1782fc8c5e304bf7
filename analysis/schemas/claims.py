"""Schema of ``claims``: the curated ledger of claims of Iranian money for Hamas, parsed.

One row per claim of ``data/raw/ledgers/claims.csv`` (see ``docs/adding-a-claim.md``): the
ledger's columns as analysts wrote them, then what :mod:`analysis.parse.amounts` and
:mod:`analysis.parse.annualise` derive, then provenance. The vocabularies are named here once;
the cleaner (:mod:`analysis.clean.tables.claims`) quarantines ledger rows outside them.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pandera.pandas as pa

from analysis.parse.amounts import (
    AMOUNT_KINDS,
    BOUNDS,
    PARSE_STATUSES,
    PARSED_COLUMNS,
    PERIODS,
)

#: The research export's columns (``../shared/research/claims.csv``), in its order.
RESEARCH_COLUMNS = [
    "claim_id",
    "claim_date",
    "claimant",
    "claimant_type",
    "amount_as_stated",
    "currency_as_stated",
    "period_as_stated",
    "recipient_as_stated",
    "purpose_as_stated",
    "period_start",
    "period_end",
    "source_publisher",
    "source_title",
    "source_url",
    "source_date",
    "quote",
    "notes",
]
#: Columns an analyst fills in from the sources (judgement, not quotes). ``dated_by`` is left
#: empty (the cleaner fills it) or set to ``undated`` (see :data:`DATED_BY`).
CURATED_COLUMNS = [
    "recipient_scope",
    "donor_scope",
    "status",
    "curation_note",
    "dated_by",
    "source_grade",
]
LEDGER_COLUMNS = RESEARCH_COLUMNS + CURATED_COLUMNS
#: Ledger columns that may not be empty.
REQUIRED_COLUMNS = [
    "claim_id",
    "claimant",
    "claimant_type",
    "amount_as_stated",
    "source_url",
    "recipient_scope",
    "donor_scope",
    "status",
    "source_grade",
]

#: research/README.md: who made the claim.
CLAIMANT_TYPES = (
    "israeli_government",
    "us_government",
    "other_government",
    "hamas",
    "iran_government",
    "palestinian_authority",
    "think_tank_academic",
    "media_unnamed_sources",
    "un_international",
    "other",
)
#: Who the money went to: Hamas alone, its military wing, the Hamas-led government of the
#: Palestinian Authority (2006–07: not the movement's own money), or an aggregate that must not
#: be read as Hamas's own share.
RECIPIENT_SCOPES = (
    "hamas",
    "hamas_military_wing",
    "hamas_led_government",
    "palestinian_groups_incl_hamas",
    "iran_proxies_incl_hamas",
    "other",
)
#: Whose money the amount is: Iran's alone, or Iran's pooled with other donors (a total of
#: several donors is not Iran's figure).
DONOR_SCOPES = ("iran", "iran_and_others")
#: What the claim says happened to the money.
STATUSES = (
    "paid",
    "reduced",
    "pledged",
    "requested",
    "offered",
    "denied",
    "stopped",
    "unknown",
)
#: Who stands behind the figure, best first (rule: ``docs/adding-a-claim.md``): a government body
#: or named government official on the record; a named figure of a party (Hamas, Fatah) or a
#: party's own captured documents; officials or party members speaking anonymously; a named
#: think tank or academic; a media outlet's own statement or unnamed, unplaced sources; a blog,
#: listicle, wiki mirror or aggregator page with no attribution that can be checked.
SOURCE_GRADES = (
    "official_on_record",
    "named_official_or_party",
    "unnamed_officials",
    "think_tank_academic",
    "media_unsourced",
    "blog_listicle_aggregator",
)
#: The donor scope of Iran's own money; any other scope pools Iran with other donors.
IRAN_ONLY_DONOR = "iran"
#: What places a claim in time (``value_year``), in order of preference: the years the amount is
#: said to cover (``period_start``, else ``period_end``), else when the claim was made
#: (``claim_date``, else the page's ``source_date``); ``undated`` when none is given, or when the
#: analyst writes ``undated`` in the ledger because the claim is about earlier years the source
#: does not name (then the claim's own date would misplace it).
DATED_BY = ("period_start", "period_end", "claim_date", "source_date", "undated")
#: The only value an analyst writes in the ledger's ``dated_by`` (empty: the cleaner decides).
LEDGER_DATED_BY = ("undated",)

#: Derived columns, in order (after the ledger's).
DERIVED_COLUMNS = [
    "claim_year",
    "value_year",
    *PARSED_COLUMNS,
    "usd_per_unit",
    "annual_low_usd",
    "annual_high_usd",
    "annual_note",
    "base_year",
    "annual_low_usd_const",
    "annual_high_usd_const",
]
COLUMNS = LEDGER_COLUMNS + DERIVED_COLUMNS + ["source_file", "source_row"]

#: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (the cleaner also checks the calendar).
PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
ISO_4217 = r"^[A-Z]{3}$"


def not_future(today: str | None = None) -> pa.Check:
    """A ``YYYY[-MM[-DD]]`` text that is not after ``today`` (ISO; default: the day it runs).
    Text comparison is enough: ``2099`` > ``2026-11-30`` and the current month or year passes."""
    limit = today or date.today().isoformat()
    return pa.Check(
        lambda s: s.isna() | (s.astype("string") <= limit),
        name="not_future",
        error=f"a date after today ({limit})",
    )


def _this_year_at_most() -> pa.Check:
    return pa.Check.in_range(1900, date.today().year)


def _text(*checks: pa.Check, required: bool = False) -> pa.Column:
    return pa.Column(str, list(checks), nullable=not required)


def _money(nonnegative: bool = True) -> pa.Column:
    return pa.Column(float, pa.Check.ge(0) if nonnegative else [], nullable=True)


def _ordered(low: str, high: str) -> pa.Check:
    """Row-wise: ``low <= high`` where both are present."""
    return pa.Check(
        lambda d: d[low].isna() | d[high].isna() | (d[low] <= d[high]),
        name=f"{low}<={high}",
        error=f"{low} must not exceed {high}",
    )


def _reason_given(d: pd.DataFrame) -> pd.Series:
    return (d["parse_status"] == "parsed") | d["parse_reason"].fillna("").str.len().gt(0)


def _dated_iff_value_year(d: pd.DataFrame) -> pd.Series:
    """A claim has a ``value_year`` exactly when it is not ``undated``."""
    return d["value_year"].isna() == (d["dated_by"] == "undated")


def _iran_figure_only(d: pd.DataFrame) -> pd.Series:
    """Annual US$ columns are Iran's money: empty when other donors are pooled with Iran."""
    annual = d[[f"annual_{s}_usd{c}" for s in ("low", "high") for c in ("", "_const")]]
    return (d["donor_scope"] == IRAN_ONLY_DONOR) | annual.isna().all(axis=1)


SCHEMA = pa.DataFrameSchema(
    {
        "claim_id": _text(pa.Check.str_matches(r"^[A-Za-z][A-Za-z0-9_-]*$"), required=True),
        "claim_date": _text(pa.Check.str_matches(PARTIAL_DATE), not_future()),
        "claimant": _text(required=True),
        "claimant_type": _text(pa.Check.isin(CLAIMANT_TYPES), required=True),
        "amount_as_stated": _text(required=True),
        "currency_as_stated": _text(pa.Check.str_matches(r"^[A-Z]{3}(/[A-Z]{3})*$")),
        "period_as_stated": _text(),
        "recipient_as_stated": _text(),
        "purpose_as_stated": _text(),
        "period_start": pa.Column("Int64", _this_year_at_most(), nullable=True),
        "period_end": pa.Column("Int64", pa.Check.in_range(1900, 2100), nullable=True),
        "source_publisher": _text(),
        "source_title": _text(),
        "source_url": _text(pa.Check.str_matches(r"^https?://[^\s/]+"), required=True),
        "source_date": _text(pa.Check.str_matches(PARTIAL_DATE), not_future()),
        "quote": _text(),
        "notes": _text(),
        "recipient_scope": _text(pa.Check.isin(RECIPIENT_SCOPES), required=True),
        "donor_scope": _text(pa.Check.isin(DONOR_SCOPES), required=True),
        "status": _text(pa.Check.isin(STATUSES), required=True),
        "curation_note": _text(),
        "dated_by": _text(pa.Check.isin(DATED_BY), required=True),
        "source_grade": _text(pa.Check.isin(SOURCE_GRADES), required=True),
        "claim_year": pa.Column("Int64", _this_year_at_most(), nullable=True),
        "value_year": pa.Column("Int64", pa.Check.in_range(1900, 2100), nullable=True),
        "amount_kind": _text(pa.Check.isin(AMOUNT_KINDS), required=True),
        "bound": _text(pa.Check.isin(BOUNDS), required=True),
        "currency": _text(pa.Check.str_matches(ISO_4217)),
        "amount_low": _money(),
        "amount_high": _money(),
        "share_low": pa.Column(float, pa.Check.in_range(0.0, 1.0), nullable=True),
        "share_high": pa.Column(float, pa.Check.in_range(0.0, 1.0), nullable=True),
        "period": _text(pa.Check.isin(PERIODS), required=True),
        "parse_status": _text(pa.Check.isin(PARSE_STATUSES), required=True),
        "parse_reason": _text(),
        "usd_per_unit": pa.Column(float, pa.Check.gt(0), nullable=True),
        "annual_low_usd": _money(),
        "annual_high_usd": _money(),
        "annual_note": _text(),
        "base_year": pa.Column(int, pa.Check.in_range(1913, 2100)),
        "annual_low_usd_const": _money(),
        "annual_high_usd_const": _money(),
        "source_file": _text(required=True),
        "source_row": pa.Column(int, pa.Check.ge(2)),
    },
    checks=[
        _ordered("amount_low", "amount_high"),
        _ordered("share_low", "share_high"),
        _ordered("annual_low_usd", "annual_high_usd"),
        _ordered("period_start", "period_end"),
        pa.Check(_reason_given, name="reason_given", error="partial/unparsed without a reason"),
        pa.Check(_dated_iff_value_year, name="dated_by", error="value_year vs dated_by"),
        pa.Check(_iran_figure_only, name="donor_scope", error="pooled donors with an annual US$"),
    ],
    strict=True,
    ordered=True,
    coerce=True,
    unique=["claim_id"],
    name="claims",
)
