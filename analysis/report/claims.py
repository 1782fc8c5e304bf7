"""The funding claims as the reports show them: filters, annual ranges for the timeline, the
spread by period, and the escaped tables of claims and of claims needing review.

A claim's *reference year* is the year the money is said to be for: the claims table's
``value_year`` (the period's first or last year when the ledger gives one, else the year of
``claim_date``, else of ``source_date``; see ``dated_by``). A claim the table marks ``undated``
(e.g. about earlier years its source does not name) has none, whatever its claim date. Periods
and the year filters use it; the timeline is drawn at it.

A claim is an *aggregate* when its amount is not Iran's money for Hamas alone: the recipients
include others (``recipient_scope`` other than Hamas or its military wing) or the donors do
(``donor_scope`` other than ``iran``). Aggregates must not be read as Iran's money for Hamas.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.report import finances, periods
from analysis.report.html import html_table
from analysis.report.translations import with_translations
from analysis.report.wording import GRADE_NAMES, plain_words
from analysis.schemas.claims import CLAIMANT_TYPES, IRAN_ONLY_DONOR

#: Recipient scopes that are Hamas alone (the rest are aggregates or other recipients).
HAMAS_ONLY_SCOPES = ("hamas", "hamas_military_wing")
#: The Hamas-led government of the Palestinian Authority (2006–07): not the movement's money, so
#: not in Hamas alone; the reports on Hamas alone say how many such statements they leave out.
GOVERNMENT_SCOPE = "hamas_led_government"
#: How each recipient scope is written for readers.
RECIPIENT_NAMES: dict[str, str] = {
    "hamas": "Hamas",
    "hamas_military_wing": "Hamas's armed wing",
    GOVERNMENT_SCOPE: "the Hamas-led Palestinian Authority government (2006–07)",
    "palestinian_groups_incl_hamas": "Palestinian groups including Hamas",
    "iran_proxies_incl_hamas": "Iran's allies including Hamas",
    "other": "others",
}
#: How each status is written for readers (``reduced``: "cut").
STATUS_NAMES: dict[str, str] = {
    "paid": "paid",
    "reduced": "cut",
    "pledged": "pledged",
    "requested": "requested",
    "offered": "offered",
    "denied": "denied",
    "stopped": "stopped",
    "unknown": "not stated",
}
RECIPIENT_CHOICES = ("hamas_only", "including_aggregates")

#: What the timeline's lower strip calls the claims that have no annual US$ range.
NOT_ANNUAL = {
    "unparsed": "could not be parsed",
    "none": "no amount stated",
    "share": "share only, no amount",
    "absolute": "amount not per year",
    "pooled": "Iran with other donors, not Iran's figure",
}
#: How the review table names a reading that was not complete.
PARSE_NAMES = {"unparsed": "not read", "partial": "read in part"}
#: ``dated_by`` of a claim that has no year (:data:`analysis.schemas.claims.DATED_BY`).
UNDATED = "undated"


def _year(values: pd.Series) -> pd.Series:
    """The leading four-digit year of dates written as text or stored as dates (else NA)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.year.astype("Int64")
    text = values.astype("string").str.strip()
    return pd.to_numeric(text.str.extract(r"^(\d{4})", expand=False), errors="coerce").astype(
        "Int64"
    )


def reference_year(claims: pd.DataFrame) -> pd.Series:
    """The year each claim's money is for (see the module docstring)."""
    start = pd.to_numeric(claims["period_start"], errors="coerce").astype("Int64")
    if "value_year" in claims:
        start = pd.to_numeric(claims["value_year"], errors="coerce").astype("Int64").fillna(start)
    year = start.fillna(_year(claims["claim_date"])).fillna(_year(claims["source_date"]))
    if "dated_by" in claims:
        year = year.mask(claims["dated_by"].eq(UNDATED).fillna(False).astype(bool))
    return year.rename("reference_year")


def is_aggregate(claims: pd.DataFrame) -> pd.Series:
    """True where a claim's amount is not Iran's money for Hamas alone (module docstring)."""
    other_recipients = ~claims["recipient_scope"].isin(HAMAS_ONLY_SCOPES)
    return (other_recipients | pooled_donors(claims)).rename("is_aggregate")


def pooled_donors(claims: pd.DataFrame) -> pd.Series:
    """True where the amount is Iran's money pooled with other donors' (``donor_scope``)."""
    if "donor_scope" not in claims:
        return pd.Series(False, index=claims.index)
    return claims["donor_scope"].fillna(IRAN_ONLY_DONOR) != IRAN_ONLY_DONOR


def recipient_text(claims: pd.DataFrame) -> pd.Series:
    """``recipient_scope`` in reader words (:data:`RECIPIENT_NAMES`), marked when other donors
    are pooled with Iran."""
    scope = claims["recipient_scope"].map(RECIPIENT_NAMES).fillna(claims["recipient_scope"])
    scope = scope.astype("string")
    return scope.where(~pooled_donors(claims), scope + " (Iran with other donors)")


def status_text(statuses: pd.Series) -> pd.Series:
    """Each status in reader words (:data:`STATUS_NAMES`: "cut", "stopped", "pledged")."""
    unknown = sorted(set(statuses.dropna()) - set(STATUS_NAMES))
    if unknown:
        raise ValueError(f"unknown status(es) {unknown}; expected some of {sorted(STATUS_NAMES)}")
    return statuses.map(STATUS_NAMES).astype("string")


def government_left_out(claims: pd.DataFrame) -> int:
    """How many statements are about the Hamas-led Palestinian Authority government
    (:data:`GOVERNMENT_SCOPE`): left out of Iran's money for Hamas alone."""
    return int(claims["recipient_scope"].eq(GOVERNMENT_SCOPE).sum())


def select(
    claims: pd.DataFrame,
    *,
    claimant_types: Sequence[str] = (),
    recipient_scope: str = "hamas_only",
    start_year: int | None = None,
    end_year: int | None = None,
    include_vague: bool = True,
) -> pd.DataFrame:
    """The claims a report shows, with ``reference_year`` and ``is_aggregate`` added.

    ``claimant_types`` empty means all; ``recipient_scope`` "hamas_only" keeps Iran's money for
    Hamas or its military wing alone, "including_aggregates" also keeps aggregates (groups that
    include Hamas, or Iran with other donors); ``include_vague`` False drops "tens/hundreds of
    millions" wordings. Undated claims are kept (they cannot be placed on a time axis but belong
    in the tables).
    """
    unknown = sorted(set(claimant_types) - set(CLAIMANT_TYPES))
    if unknown:
        raise ValueError(f"unknown claimant types {unknown}; expected some of {CLAIMANT_TYPES}")
    if recipient_scope not in RECIPIENT_CHOICES:
        raise ValueError(
            f"unknown recipient_scope {recipient_scope!r}; expected one of {RECIPIENT_CHOICES}"
        )
    frame = claims.assign(
        reference_year=reference_year(claims),
        is_aggregate=is_aggregate(claims),
    )
    keep = pd.Series(True, index=frame.index)
    if claimant_types:
        keep &= frame["claimant_type"].isin(list(claimant_types))
    if recipient_scope == "hamas_only":
        keep &= ~frame["is_aggregate"]
    if not include_vague:
        keep &= frame["bound"] != "vague"
    year = frame["reference_year"]
    if start_year is not None:
        keep &= year.isna() | (year >= start_year)
    if end_year is not None:
        keep &= year.isna() | (year <= end_year)
    return frame[keep.fillna(False).astype(bool)].reset_index(drop=True)


def ranges(
    selected: pd.DataFrame,
    *,
    us_cpi: pd.DataFrame | None = None,
    base_year: int | None = None,
    breaks: tuple[int, int] = periods.PERIOD_BREAKS,
) -> pd.DataFrame:
    """One row per claim with an annual US$ figure and a year: what the timeline draws.

    The year is ``placed_year`` when the claims were placed by
    :func:`analysis.report.evidence.place`, else ``reference_year``. Columns: ``claim_id``,
    ``claimant``, ``claimant_type``, ``claim_date`` (when it was said), ``source_grade``,
    ``status``, ``is_aggregate``, ``bound``,
    ``reference_year``, ``span_end`` (period_end when the claim covers several years),
    ``period``, ``low`` and ``high`` (US$ a year; constant US$ of ``base_year`` when ``us_cpi``
    and ``base_year`` are given, else nominal), ``low_open`` (no lower bound stated: "up to"),
    ``high_open`` (no upper bound: "at least"), ``nominal_low``, ``nominal_high``. Claims
    in a year the US CPI does not cover are left out when converting to constant dollars.
    """
    year_column = "placed_year" if "placed_year" in selected else "reference_year"
    frame = selected[
        (selected["annual_low_usd"].notna() | selected["annual_high_usd"].notna())
        & selected[year_column].notna()
    ]
    years = frame[year_column].astype(int)
    nominal_low = frame["annual_low_usd"].astype(float)
    nominal_high = frame["annual_high_usd"].astype(float)
    if us_cpi is not None and base_year is not None:
        low = finances.to_constant(nominal_low, years, base_year, us_cpi)
        high = finances.to_constant(nominal_high, years, base_year, us_cpi)
    else:
        low, high = nominal_low, nominal_high
    span_end = pd.to_numeric(frame["period_end"], errors="coerce").astype(float)
    drawn = pd.DataFrame(
        {
            "claim_id": frame["claim_id"],
            "claimant": frame["claimant"],
            "claimant_type": frame["claimant_type"],
            "claim_date": frame["claim_date"],
            "source_grade": frame["source_grade"],
            "status": frame["status"],
            "is_aggregate": frame["is_aggregate"].astype(bool),
            "bound": frame["bound"],
            "reference_year": years,
            "span_end": span_end.where(span_end > years),
            "period": periods.period_of(years, breaks),
            "low": low,
            "high": high,
            "low_open": nominal_low.isna(),
            "high_open": nominal_high.isna(),
            "nominal_low": nominal_low,
            "nominal_high": nominal_high,
        }
    )
    # a claim whose year the US CPI does not cover has no constant-dollar value: not drawn
    return drawn[drawn["low"].notna() | drawn["high"].notna()].reset_index(drop=True)


def not_annual(selected: pd.DataFrame) -> pd.DataFrame:
    """The claims with no annual US$ range, each with the reason it is not on the chart:
    ``claim_id``, ``reference_year``, ``claimant_type``, ``is_aggregate``, ``category``."""
    annual = selected["annual_low_usd"].notna() | selected["annual_high_usd"].notna()
    frame = selected[~annual]
    has_amount = frame["amount_low"].notna() | frame["amount_high"].notna()
    key = (
        frame["amount_kind"]
        .where(frame["parse_status"] != "unparsed", "unparsed")
        .mask(pooled_donors(frame) & has_amount, "pooled")
    )
    return pd.DataFrame(
        {
            "claim_id": frame["claim_id"],
            "reference_year": frame["reference_year"],
            "claimant_type": frame["claimant_type"],
            "is_aggregate": frame["is_aggregate"],
            "category": key.map(NOT_ANNUAL).fillna(NOT_ANNUAL["unparsed"]),
        }
    ).reset_index(drop=True)


def spread_phrase(spread: float) -> str:
    """How many times the highest yearly figure is the lowest, in words (HTML); no ratio when
    the lowest is $0 (``spread`` empty) or there is nothing to compare."""
    if pd.isna(spread) or not np.isfinite(spread):
        return "no ratio describes how far apart they are (the lowest is $0)"
    return f"the highest is <b>{ratio_text(spread)}</b> times the lowest"


#: Significant figures a ratio of ten or more is shown with ("about 450", not "445.5").
RATIO_FIGURES = 2


def ratio_text(ratio: float) -> str:
    """A ratio ("how many times") at a sensible precision: one decimal below ten ("4.0"),
    else :data:`RATIO_FIGURES` significant figures, with "about" when that rounds
    ("about 450" for 445.5, "20" for 20.0). ValueError for a ratio that is not a positive
    finite number."""
    if not (np.isfinite(ratio) and ratio > 0):
        raise ValueError(f"a ratio must be a positive finite number, not {ratio!r}")
    if ratio < 10:
        return f"{ratio:.1f}"
    digits = RATIO_FIGURES - 1 - int(np.floor(np.log10(ratio)))
    rounded = float(round(ratio, digits))
    shown = f"{rounded:,.0f}"
    return shown if np.isclose(rounded, ratio) else f"about {shown}"


def spread_by_period(
    claim_ranges: pd.DataFrame, breaks: tuple[int, int] = periods.PERIOD_BREAKS
) -> pd.DataFrame:
    """The spread of annual claims in each period (every period listed, even with no claim).

    Columns: ``period``, ``claims``, ``lowest`` (the smallest stated bound), ``highest`` (the
    largest stated bound), ``median_mid`` (median of each claim's midpoint, or its one stated
    bound when open-ended), ``spread`` (highest / lowest: how many times apart; empty when the
    lowest is $0, which no ratio describes).
    """
    bounds = claim_ranges.assign(
        low_b=claim_ranges["low"].fillna(claim_ranges["high"]),
        high_b=claim_ranges["high"].fillna(claim_ranges["low"]),
    ).assign(mid=lambda d: (d["low_b"] + d["high_b"]) / 2)
    grouped = (
        bounds.groupby("period", observed=False)
        .agg(
            claims=("claim_id", "size"),
            lowest=("low_b", "min"),
            highest=("high_b", "max"),
            median_mid=("mid", "median"),
        )
        .reindex(periods.labels(breaks))
    )
    grouped["claims"] = grouped["claims"].fillna(0).astype(int)
    return (
        grouped.assign(spread=grouped["highest"] / grouped["lowest"].where(grouped["lowest"] > 0))
        .rename_axis("period")
        .reset_index()
    )


def money(value: float) -> str:
    """US$ amount as text: $1.2bn, $350m, $30,000."""
    if pd.isna(value):
        return ""
    if abs(value) >= 1e9:
        return f"${value / 1e9:,.2f}bn"
    if abs(value) >= 1e6:
        return f"${value / 1e6:,.0f}m"
    return f"${value:,.0f}"


def _number(value: object) -> float:
    """A float, NaN for a missing value."""
    return float(pd.to_numeric(pd.Series([value], dtype="object"), errors="coerce").iloc[0])


def range_text(low: object, high: object) -> str:
    """An annual range as text: "$100m", "$25m–$50m", "≥ $120m", "≤ $120m", or ""."""
    lo, hi = _number(low), _number(high)
    if np.isnan(lo) and np.isnan(hi):
        return ""
    if np.isnan(hi):
        return f"≥ {money(lo)}"
    if np.isnan(lo):
        return f"≤ {money(hi)}"
    if lo == hi:
        return money(lo)
    return f"{money(lo)}–{money(hi)}"


#: Words that say an amount is per year or per month (English and the ledger's other languages).
RATE_WORDS = re.compile(
    r"\b(?:annually|annual|yearly|a year|per year|a month|per month|monthly|pro jahr|jährlich)\b",
    re.IGNORECASE,
)
#: What the statements tables show where no amount was read from the words.
NO_AMOUNT = "no amount given"


def stated_amount(amount: object, period: object, read: bool = True) -> str:
    """The amount and its period as stated, on one line, for readers: "$50 million annually,
    after 1992". The curator's remarks in brackets are left out, a rate word the amount already
    says is not repeated, an unspecified period is dropped; :data:`NO_AMOUNT` when no amount was
    read (``read`` False): words such as "we lost very much" are not an amount."""
    if not read:
        return NO_AMOUNT
    said = "; ".join(p.strip() for p in str(amount).split(" | ") if p.strip())
    when = re.sub(r"\([^)]*\)|\.\.\.|…", " ", period if isinstance(period, str) else "")
    if RATE_WORDS.search(said):
        when = RATE_WORDS.sub(" ", when)
    when = re.sub(r"\s+", " ", when).strip(" ,;:")
    if when.lower() in ("", "unspecified"):
        return said
    return f"{said}, {when}"


def stated_amounts(frame: pd.DataFrame) -> pd.Series:
    """:func:`stated_amount` of each claim: :data:`NO_AMOUNT` where no amount was read from its
    words (``amount_low`` and ``amount_high`` both empty, e.g. "we lost very much")."""
    read = frame["amount_low"].notna() | frame["amount_high"].notna()
    return pd.Series(
        [
            stated_amount(a, p, bool(r))
            for a, p, r in zip(
                frame["amount_as_stated"], frame["period_as_stated"], read, strict=True
            )
        ],
        index=frame.index,
        dtype="string",
    )


def _lines(*parts: pd.Series) -> pd.Series:
    """Cells of several short lines (missing parts left out); html_table turns them into
    ``<br>``-separated escaped text."""
    frame = pd.concat([p.astype("string") for p in parts], axis=1)
    return frame.apply(lambda row: "\n".join(str(v) for v in row if pd.notna(v) and v), axis=1)


#: The statements table's class: report.css gives its columns fixed widths in print.
CLAIMS_TABLE_CLASS = "claims-table"


def claims_table(selected: pd.DataFrame, caption: str | None = None) -> str:
    """Every selected claim as an escaped HTML table, with its source link and quote."""
    said = selected["claim_date"].astype("string").fillna("undated")
    year = selected["reference_year"].astype("string")
    table = pd.DataFrame(
        {
            "said / for year": _lines(said, ("for " + year).where(year.notna())),
            "claimant / source grade": _lines(
                selected["claimant"],
                "(" + selected["claimant_type"].map(plain_words).astype("string") + ")",
                "grade: " + selected["source_grade"].map(GRADE_NAMES).astype("string"),
            ),
            "as stated": stated_amounts(selected),
            "US$ a year (nominal)": [
                range_text(lo, hi)
                for lo, hi in zip(
                    selected["annual_low_usd"], selected["annual_high_usd"], strict=True
                )
            ],
            "recipient / status": _lines(recipient_text(selected), status_text(selected["status"])),
            "source": selected["source_publisher"].fillna(selected["source_url"]),
            "url": selected["source_url"],
            "quote": with_translations(selected)["quote_shown"],
        },
        index=selected.index,
    )
    return html_table(
        table,
        links={"source": "url"},
        hide=["url"],
        caption=caption,
        numeric=["US$ a year (nominal)"],
        detail="quote",
        css_class=f"report-table {CLAIMS_TABLE_CLASS}",
    )


def needs_review(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims the amount parser could not read in full (unparsed first, then partial)."""
    order = {"unparsed": 0, "partial": 1}
    frame = claims[claims["parse_status"].isin(list(order))]
    return (
        frame.assign(_order=frame["parse_status"].map(order))
        .sort_values(["_order", "claim_id"])
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def review_table(claims: pd.DataFrame, caption: str | None = None) -> str:
    """:func:`needs_review` as an escaped HTML table with the parser's reason and the source."""
    frame = needs_review(claims)
    table = pd.DataFrame(
        {
            "read": frame["parse_status"].map(PARSE_NAMES).fillna(frame["parse_status"]),
            "as stated": frame["amount_as_stated"],
            "period as stated": frame["period_as_stated"],
            "reason": frame["parse_reason"],
            "source": frame["source_publisher"].fillna(frame["source_url"]),
            "url": frame["source_url"],
        }
    )
    return html_table(table, links={"source": "url"}, hide=["url"], caption=caption)
