"""The evidence model of the claims: what a claim is evidence of, how good its source is, and
where in time it belongs.

*What it is evidence of* (the curated ``status``, :data:`EVIDENCE`):

- **money paid**: only ``paid``: money said to have been given or transferred;
- **promised or asked**: ``pledged``, ``offered``, ``requested``: money that may never have
  moved, shown apart and never added to money paid;
- **stopped, cut or denied**: ``stopped``, ``reduced``, ``denied``: evidence about the flow
  itself (that it ended, fell, or never came), tallied by period. A denial counts here only when
  the recipient makes it ("we have not received anything": :data:`RECEIVERS`); a denial by the
  payer or anyone else denies *reports* (of a payment, or of a request for one) and says nothing
  about whether money moved: it is **a denial of reports** (:func:`kinds`), shown on its own line;
- **not stated**: ``unknown``.

*How good its source is* (the curated ``source_grade``, best first: :data:`GRADES`; the rule is in
``docs/adding-a-claim.md``). :func:`restrict` keeps the claims at or above a minimum grade and
with chosen statuses; every chart and median of the reports is drawn from its result.

*Where it belongs in time* (:func:`place`): the years the money is for, never the year of the
article that reported it. A claim covering several years goes to the period holding most of them
(ties: the earlier); a claim that gives only the year its period ended ("until 2012") is about the
years before that year and is placed in the year before; a stop, cut or denial is placed when it
is said to have happened (the end of its period, else the claim's year). A claim with no year is
``undated``: it is counted and listed, never placed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from analysis.config import PERIOD_BREAKS
from analysis.report import periods
from analysis.report.claims import GRADE_NAMES
from analysis.schemas.claims import SOURCE_GRADES, STATUSES

#: Source grades, best first.
GRADES: tuple[str, ...] = SOURCE_GRADES
MONEY_PAID = "money paid"
PROMISED = "promised or asked"
FLOW = "stopped, cut or denied"
NOT_STATED = "not stated"
#: What each status is evidence of.
EVIDENCE: dict[str, str] = {
    "paid": MONEY_PAID,
    "pledged": PROMISED,
    "offered": PROMISED,
    "requested": PROMISED,
    "stopped": FLOW,
    "reduced": FLOW,
    "denied": FLOW,
    "unknown": NOT_STATED,
}
DENIED_REPORTS = "denial of reports"
EVIDENCE_ORDER = (MONEY_PAID, PROMISED, FLOW, DENIED_REPORTS, NOT_STATED)
#: Claimant types whose denial ("we received nothing") is evidence about the flow itself.
RECEIVERS = ("hamas",)
#: Statuses whose claim is dated by when the flow changed, not by the years money was for.
FLOW_STATUSES = tuple(s for s, e in EVIDENCE.items() if e == FLOW)
UNDATED = "undated"


def number(value: Any) -> float:
    """A table cell as a float (pandas types a cell as any scalar)."""
    return float(value)


def grade_rank(grades: pd.Series) -> pd.Series:
    """0 for the best grade, 1 for the next, …; ValueError naming an unknown grade."""
    unknown = sorted(set(grades.dropna()) - set(GRADES))
    if unknown:
        raise ValueError(f"unknown source grade(s) {unknown}; expected some of {GRADES}")
    return grades.map({g: i for i, g in enumerate(GRADES)}).astype("Int64")


def check_grade(grade: str) -> str:
    """``grade`` if it is on the scale, else ValueError listing the scale."""
    if grade not in GRADES:
        raise ValueError(f"unknown source grade {grade!r}; expected one of {GRADES}")
    return grade


def check_statuses(statuses: Sequence[str]) -> tuple[str, ...]:
    """``statuses`` as a tuple, ValueError naming any outside the ledger's vocabulary."""
    unknown = sorted(set(statuses) - set(STATUSES))
    if unknown:
        raise ValueError(f"unknown status(es) {unknown}; expected some of {STATUSES}")
    return tuple(statuses)


def restrict(
    claims: pd.DataFrame,
    *,
    min_grade: str = GRADES[-1],
    statuses: Sequence[str] = (),
) -> pd.DataFrame:
    """The claims whose ``source_grade`` is ``min_grade`` or better and whose ``status`` is in
    ``statuses`` (empty: any), with ``evidence`` (what the status is evidence of) added."""
    limit = GRADES.index(check_grade(min_grade))
    keep = grade_rank(claims["source_grade"]) <= limit
    if statuses:
        keep &= claims["status"].isin(check_statuses(statuses))
    return claims[keep.fillna(False).astype(bool)].assign(evidence=kinds)


def kinds(claims: pd.DataFrame) -> pd.Series:
    """What each claim is evidence of: :data:`EVIDENCE` of its status, except that a denial not
    made by the recipient (:data:`RECEIVERS`) is :data:`DENIED_REPORTS`, not evidence that the
    money stopped or never came."""
    kind = claims["status"].map(EVIDENCE)
    other_denial = claims["status"].eq("denied") & ~claims["claimant_type"].isin(RECEIVERS)
    return kind.mask(other_denial, DENIED_REPORTS)


def flow(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims that are evidence the money stopped, fell or never came (:func:`kinds`)."""
    return claims[kinds(claims).eq(FLOW).to_numpy()]


def money_paid(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims that count as money paid (status ``paid`` only)."""
    return claims[claims["status"].eq("paid")]


def _years(claims: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The value year, start and end year of each claim (Int64; NA where not given)."""
    value = pd.to_numeric(claims["value_year"], errors="coerce").astype("Int64")
    start = pd.to_numeric(claims["period_start"], errors="coerce").astype("Int64")
    end = pd.to_numeric(claims["period_end"], errors="coerce").astype("Int64")
    return value, start, end


def _majority_period(
    start: int, end: int, breaks: tuple[int, int]
) -> tuple[str, int]:  # pragma: no cover - exercised through place()
    """The period holding most years of ``start``–``end`` (ties: the earlier) and a year in it."""
    years = pd.Series(range(start, end + 1))
    named = periods.period_of(years, breaks)
    counts = named.value_counts(sort=False)
    best = str(counts.idxmax())
    return best, int(years[named.astype(str) == best].iloc[0])


def place(claims: pd.DataFrame, breaks: tuple[int, int] = PERIOD_BREAKS) -> pd.DataFrame:
    """``placed_year``, ``period`` and ``placed_by`` for each claim (module docstring).

    ``placed_by`` is ``years covered``, ``year before its end`` (only an end year given),
    ``when the flow changed`` (stops, cuts, denials), ``claim year`` (the value year came from
    when the claim was made) or ``undated``.
    """
    value, start, end = _years(claims)
    undated = claims["dated_by"].eq(UNDATED).fillna(False).astype(bool) | value.isna()
    flow = claims["status"].isin(FLOW_STATUSES)
    year = pd.Series(pd.NA, index=claims.index, dtype="Int64")
    how = pd.Series(UNDATED, index=claims.index, dtype=object)
    by_claim_date = claims["dated_by"].isin(["claim_date", "source_date"])
    for i in claims.index[~undated]:
        s, e = start.loc[i], end.loc[i]
        if flow.loc[i]:
            year.loc[i] = e if pd.notna(e) else value.loc[i]
            how.loc[i] = "when the flow changed"
        elif pd.isna(s) and pd.notna(e):
            year.loc[i] = e - 1
            how.loc[i] = "year before its end"
        elif pd.notna(s) and pd.notna(e) and e > s:
            year.loc[i] = _majority_period(int(s), int(e), breaks)[1]
            how.loc[i] = "years covered"
        else:
            year.loc[i] = value.loc[i]
            how.loc[i] = "claim year" if by_claim_date.loc[i] else "years covered"
    return claims.assign(
        placed_year=year,
        period=periods.period_of(year, breaks),
        placed_by=how,
    )


def undated(placed: pd.DataFrame) -> pd.DataFrame:
    """The claims :func:`place` could not place (counted and listed, never on a time axis)."""
    return placed[placed["placed_year"].isna()]


def tally(placed: pd.DataFrame, breaks: tuple[int, int] = PERIOD_BREAKS) -> pd.DataFrame:
    """Claims by period and by what they are evidence of (every period and kind listed):
    index ``period`` (plus ``undated``), one column per :data:`EVIDENCE_ORDER` kind, ``total``."""
    period = placed["period"].astype("object").where(placed["period"].notna(), UNDATED)
    table = (
        pd.crosstab(period, kinds(placed))
        .reindex(index=[*periods.labels(breaks), UNDATED], columns=list(EVIDENCE_ORDER))
        .fillna(0)
        .astype(int)
    )
    table["total"] = table.sum(axis=1)
    return table.rename_axis(index="period", columns=None)


#: Why the grades rank as they do (the rule of ``docs/adding-a-claim.md``: grade who stands
#: behind the figure, never whether it seems plausible).
LADDER_WHY = (
    "they rank who stands behind a figure by how close they are to the money: officials and "
    "party figures, even unnamed ones, speak from inside the governments, intelligence services "
    "and movements that pay, receive or track it; analysts and academics give their own "
    "estimates from outside; media without a named source and blogs name no one who could be "
    "checked"
)


def ladder_text() -> str:
    """The grade ladder in words, best first, and why: "Source grades, best first: official,
    on the record > … > blog, listicle or aggregator; they rank …"."""
    order = " > ".join(GRADE_NAMES[g] for g in GRADES)
    return f"Source grades, best first: {order}; {LADDER_WHY}."


def grade_counts(frame: pd.DataFrame) -> pd.Series:
    """How many claims of each grade (every grade listed, best first)."""
    return frame["source_grade"].value_counts().reindex(list(GRADES), fill_value=0)


def grade_text(frame: pd.DataFrame) -> str:
    """The grades of a set of claims in words: "2 official, on the record, 1 blog, …"."""
    counts = grade_counts(frame)
    return ", ".join(f"{n} {GRADE_NAMES[str(g)]}" for g, n in counts.items() if n) or "none"


def said_by(frame: pd.DataFrame, as_of: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``frame`` split by when each statement was made (``claim_date``): those made on or before
    ``as_of`` (what could be known then) and the rest (made later, or with no date: what
    happened next, never part of a verdict as of ``as_of``)."""
    known = (said_end(frame["claim_date"]) <= as_of).fillna(False).astype(bool).to_numpy()
    return frame[known], frame[~known]


def said_end(dates: pd.Series) -> pd.Series:
    """The last day a partial date (YYYY, YYYY-MM or YYYY-MM-DD) can mean: a statement dated
    only "2018" may have been made on 31 December 2018 (NaT where no date)."""

    def last_day(value: object) -> pd.Timestamp | None:
        if not isinstance(value, str) or not value:
            return None
        freq = {4: "Y", 7: "M"}.get(len(value), "D")
        return pd.Period(value, freq=freq).end_time.normalize()

    return pd.Series([last_day(t) for t in dates], index=dates.index, dtype="datetime64[ns]")
