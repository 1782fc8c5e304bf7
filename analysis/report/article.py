"""The article's factual claims, one by one, each set against the data with a verdict.

Every check takes processed tables (or frames computed from them) and returns a
:class:`Verdict`: the claim as the article states it, what the data shows (numbers, years and
source, all computed), the verdict (:data:`VERDICTS`) and why. Where a claim cannot be tested
with the project's data, the check says so and why, instead of guessing.

The thresholds that turn numbers into verdicts are named once here, with their reasons.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from analysis.report import evidence, periods

SUPPORTED = "supported"
PARTLY = "partly supported"
CONTRADICTED = "contradicted"
UNTESTABLE = "cannot be tested here"
VERDICTS = (SUPPORTED, PARTLY, CONTRADICTED, UNTESTABLE)

#: The article's own rows in the claims ledger: C059 is its "steady flow of funding" sentence;
#: its claim_date is the article's publication date.
ARTICLE_CLAIM_ID = "C059"
#: "High inflation": at least this many per cent a year. Iran's central bank targeted single
#: digits at the time; 15% is well above that and above Iran's lowest rates of the decade.
HIGH_INFLATION = 15.0
#: "Suffering" currency: the rial lost at least this share of its dollar value in the months
#: before the article (open-market monthly averages, January to the article's month).
RIAL_FALL = 0.25
#: "Collapsing" oil sales: EU imports from Iran reach zero within this many months of the article.
COLLAPSE_MONTHS = 12
#: Fewer money-paid claims with a yearly amount than this in a period leaves its median untested.
MIN_CLAIMS_FOR_MEDIAN = 2
#: Two medians within this factor of each other are "about the same" (the claims in one period
#: differ by far more than that).
SIMILAR_FACTOR = 1.5


@dataclass(frozen=True)
class Verdict:
    """One row of the article-claims table."""

    topic: str
    claim: str
    shows: str
    verdict: str
    why: str

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}; expected one of {VERDICTS}")


def table(verdicts: list[Verdict]) -> pd.DataFrame:
    """The verdicts as a frame (one row each, in the order given)."""
    return pd.DataFrame([asdict(v) for v in verdicts])


def article_date(claims: pd.DataFrame, claim_id: str = ARTICLE_CLAIM_ID) -> pd.Timestamp:
    """The article's publication date: the claim date of its own row in the claims ledger."""
    rows = claims.loc[claims["claim_id"].eq(claim_id), "claim_date"]
    if rows.empty or pd.isna(rows.iloc[0]):
        raise KeyError(f"claim {claim_id} (the article's own row) has no date in the claims table")
    return pd.Timestamp(str(rows.iloc[0]))


def compare(after: float, before: float, factor: float = SIMILAR_FACTOR) -> str:
    """ "lower", "about the same" or "higher": ``after`` against ``before`` (within ``factor`` of
    each other counts as about the same)."""
    if not (before > 0 and after > 0):
        raise ValueError(f"cannot compare {after!r} with {before!r}: both must be positive")
    ratio = after / before
    if ratio < 1 / factor:
        return "lower"
    if ratio > factor:
        return "higher"
    return "about the same"


# --- Iran's squeeze ---------------------------------------------------------------------------


def check_inflation(inflation: pd.DataFrame, year: int, high: float = HIGH_INFLATION) -> Verdict:
    """ "High inflation rates" in the article's year: ``inflation`` has ``year``, ``value`` (%)."""
    claim = "Iran's currency is suffering under high inflation rates."
    by_year = inflation.set_index("year")["value"].astype(float)
    if year not in by_year.index:
        return Verdict("Inflation", claim, f"No inflation figure for {year}.", UNTESTABLE,
                       "the World Bank series has no value for the article's year")  # fmt: skip
    now, before = by_year[year], by_year.get(year - 1)
    shows = f"Consumer prices rose {now:.1f}% in {year}"
    if before is not None and pd.notna(before):
        shows += f", after {before:.1f}% in {year - 1}"
    if year + 1 in by_year.index:
        shows += f", and {by_year[year + 1]:.1f}% in {year + 1}"
    shows += " (World Bank, FP.CPI.TOTL.ZG)."
    if now >= high:
        return Verdict("Inflation", claim, shows, SUPPORTED,
                       f"{year}'s rate is at or above {high:.0f}% a year")  # fmt: skip
    if year + 1 in by_year.index and by_year[year + 1] >= high:
        return Verdict("Inflation", claim, shows, PARTLY,
                       f"inflation passed {high:.0f}% only the year after")  # fmt: skip
    return Verdict("Inflation", claim, shows, CONTRADICTED,
                   f"inflation stayed below {high:.0f}% a year")  # fmt: skip


def rial_fall(monthly: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> dict[str, float]:
    """Open-market rial per US$ in the month of ``start`` and of ``end`` (monthly averages from
    :func:`analysis.report.finances.monthly_rates`) and the share of the rial's dollar value lost
    in between (1 − first / last)."""
    rates = monthly[monthly["rate_type"].eq("open_market")].set_index("month")["irr_per_usd"]
    first = rates.get(start.to_period("M").to_timestamp())
    last = rates.get(end.to_period("M").to_timestamp())
    if first is None or last is None:
        return {"first": float("nan"), "last": float("nan"), "lost": float("nan")}
    return {"first": float(first), "last": float(last), "lost": 1 - float(first) / float(last)}


def check_currency(
    monthly: pd.DataFrame, published: pd.Timestamp, fall: float = RIAL_FALL
) -> Verdict:
    """The rial's fall from January of the article's year to the article's month."""
    claim = "Iran's currency is suffering."
    start = pd.Timestamp(year=published.year, month=1, day=1)
    got = rial_fall(monthly, start, published)
    if pd.isna(got["lost"]):
        return Verdict("The rial", claim, "No open-market rate for those months.", UNTESTABLE,
                       "the exchange-rate table has a gap")  # fmt: skip
    shows = (
        f"On the open market a dollar cost {got['first']:,.0f} rial on average in "
        f"{start:%B %Y} and {got['last']:,.0f} in {published:%B %Y}: the rial lost "
        f"{got['lost']:.0%} of its dollar value (bonbast / TGJU monthly averages)."
    )
    verdict = SUPPORTED if got["lost"] >= fall else PARTLY
    why = f"a loss of {fall:.0%} or more in seven months is a currency crisis by any measure"
    return Verdict("The rial", claim, shows, verdict, why if verdict == SUPPORTED else
                   f"the rial fell by less than {fall:.0%}")  # fmt: skip


def first_zero_month(eu_monthly: pd.DataFrame, after: pd.Timestamp) -> pd.Timestamp | None:
    """The first month after ``after`` from which EU imports from Iran stay at zero to the end
    of the register (``eu_monthly``: :func:`analysis.report.oil_trade.monthly_imports_kbd`)."""
    later = eu_monthly[eu_monthly["month"] > after].sort_values("month")
    if later.empty or later["kbd"].iloc[-1] > 0:
        return None
    nonzero = later.loc[later["kbd"] > 0, "month"]
    rest = later if nonzero.empty else later[later["month"] > nonzero.max()]
    return None if rest.empty else pd.Timestamp(rest["month"].iloc[0])


def check_oil_sales(
    eu_monthly: pd.DataFrame,
    exports: pd.DataFrame,
    published: pd.Timestamp,
    months: int = COLLAPSE_MONTHS,
) -> Verdict:
    """ "Oil sales potentially collapsing in the coming months": EU imports from Iran by month
    after the article, and EIA's yearly exports (``exports``: ``year``, ``exports_kbd``)."""
    claim = "Its oil sales are potentially collapsing in the coming months."
    half = eu_monthly[
        (eu_monthly["month"].dt.year == published.year) & (eu_monthly["month"].dt.month <= 6)
    ]
    zero = first_zero_month(eu_monthly, published)
    parts = []
    if not half.empty:
        parts.append(
            f"The EU imported {half['kbd'].mean():,.0f} thousand barrels a day from Iran in "
            f"January–June {published.year}"
        )
    if zero is not None:
        parts.append(f"none from {zero:%B %Y} to the end of the EU register")
    eia = exports.dropna(subset=["exports_kbd"]).set_index("year")["exports_kbd"]
    if published.year in eia.index and published.year - 1 in eia.index:
        parts.append(
            f"EIA puts Iran's crude exports at {eia[published.year - 1]:,.0f} thousand barrels a "
            f"day in {published.year - 1} and {eia[published.year]:,.0f} in {published.year} "
            "(its series ends there)"
        )
    shows = ("; ".join(parts) + ".") if parts else "No monthly data around the article."
    if half.empty or zero is None:
        return Verdict("Oil sales", claim, shows, UNTESTABLE,
                       "the EU register does not cover the months after the article")  # fmt: skip
    within = (zero.to_period("M") - published.to_period("M")).n <= months
    if within:
        return Verdict("Oil sales", claim, shows, SUPPORTED,
                       f"the EU's purchases fell to zero within {months} months; the EU is one "
                       "buyer, not Iran's total")  # fmt: skip
    return Verdict("Oil sales", claim, shows, PARTLY,
                   f"the EU's purchases stopped, but more than {months} months later")  # fmt: skip


def check_investment(fdi: pd.DataFrame, year: int) -> Verdict:
    """ "International investors withdrawing as a result of US sanctions": FDI net inflows as a
    share of GDP (``fdi``: ``year``, ``pct_gdp``) in the article's year against the year
    before."""
    claim = "International investors are withdrawing as a result of US sanctions."
    pct = fdi.dropna(subset=["pct_gdp"]).set_index("year")["pct_gdp"].astype(float)
    if not {year - 1, year} <= set(pct.index):
        return Verdict("Investment", claim, "No FDI figure for those years.", UNTESTABLE,
                       "the World Bank series has a gap")  # fmt: skip
    shows = (
        f"Foreign direct investment into Iran came to {pct[year - 1]:.2f}% of GDP in {year - 1} "
        f"and {pct[year]:.2f}% in {year}"
    )
    if year + 1 in pct.index:
        shows += f", {pct[year + 1]:.2f}% in {year + 1}"
    shows += " (World Bank, BX.KLT.DINV.WD.GD.ZS)."
    fell = pct[year] < pct[year - 1]
    return Verdict(
        "Investment",
        claim,
        shows,
        PARTLY if fell else CONTRADICTED,
        "investment fell, but the data cannot say it fell because of the sanctions"
        if fell
        else "investment did not fall that year",
    )


# --- Hamas and Iran's money ---------------------------------------------------------------------


def check_rift(tally: pd.DataFrame, breaks: tuple[int, int], grades: str) -> Verdict:
    """ "Supporting the Syrian opposition cost Hamas the steady flow of funding": in the rift
    years, claims that the money stopped, fell or never came against claims of money paid
    (``tally``: :func:`analysis.report.evidence.tally` of the claims shown)."""
    claim = (
        "Its decision to support the Syrian opposition cost Hamas the steady flow of funding "
        "coming from Tehran."
    )
    rift = periods.labels(breaks)[1]
    stops = int(evidence.number(tally.loc[rift, evidence.FLOW]))
    paid = int(evidence.number(tally.loc[rift, evidence.MONEY_PAID]))
    shows = (
        f"For {rift}, {stops} statement{'s' if stops != 1 else ''} say Iran's money stopped, "
        f"fell or never came, and {paid} say money was paid ({grades})."
    )
    if stops and not paid:
        return Verdict("The rift", claim, shows, SUPPORTED,
                       "every statement about those years says the money stopped or "
                       "fell")  # fmt: skip
    if stops and paid:
        return Verdict("The rift", claim, shows, PARTLY,
                       "statements that the money stopped or fell stand beside others that "
                       "money still came (often to the armed wing)")  # fmt: skip
    if paid:
        return Verdict("The rift", claim, shows, CONTRADICTED,
                       "the statements about those years say money was paid")  # fmt: skip
    return Verdict("The rift", claim, shows, UNTESTABLE, "no statement about those years")


def check_lower_rate(spread: pd.DataFrame, breaks: tuple[int, int], grades: str) -> Verdict:
    """ "Resuming its financial support … at a much lower rate than pre-2012": the median yearly
    amount of money-paid claims after the return against before the break (``spread``:
    :func:`analysis.report.claims.spread_by_period`)."""
    claim = (
        "Since mid-2017 there is increasing talk of Iran resuming its financial support, at a "
        "much lower rate than pre-2012."
    )
    by = spread.set_index(spread["period"].astype(str))
    before, _, after = periods.labels(breaks)
    nb, na = (int(evidence.number(by.loc[p, "claims"])) for p in (before, after))
    shows = (
        f"Money said to have been paid, with a yearly amount: {nb} statement"
        f"{'s' if nb != 1 else ''} for the years {before}, {na} for {after} ({grades})"
    )
    if min(nb, na) < MIN_CLAIMS_FOR_MEDIAN:
        return Verdict("A lower rate", claim, shows + ".", UNTESTABLE,
                       f"a median needs at least {MIN_CLAIMS_FOR_MEDIAN} statements in each "
                       "period")  # fmt: skip
    mb, ma = (evidence.number(by.loc[p, "median_mid"]) for p in (before, after))
    word = compare(ma, mb)
    shows += f"; medians {_money(mb)} and {_money(ma)} a year (constant dollars)."
    overlap = evidence.number(by.loc[after, "highest"]) >= evidence.number(by.loc[before, "lowest"])
    if word == "lower" and not overlap:
        return Verdict("A lower rate", claim, shows, SUPPORTED,
                       "every later amount is below every earlier one")  # fmt: skip
    if word == "lower":
        return Verdict("A lower rate", claim, shows, PARTLY,
                       "the later median is lower, but the amounts of the two periods "
                       "overlap")  # fmt: skip
    return Verdict("A lower rate", claim, shows, CONTRADICTED,
                   f"the later median is {word} (within ×{SIMILAR_FACTOR} counts as the "
                   "same)")  # fmt: skip


#: The article's sentence on the $260m, as the claims table quotes it.
CLAIM_260M = (
    "Lieberman said in March that most of the $260m Hamas invested in 2017 in tunnels and "
    "weapons came from Tehran."
)


def check_260m(check: dict[str, object] | None) -> Verdict:
    """ "Most of the $260m" against Lieberman's own January 2018 figure (``check``:
    :func:`analysis.report.rapprochement.founding_claim_check`; None when one of the two
    statements is missing from the claims table: the claim cannot be tested then)."""
    claim = CLAIM_260M
    if check is None:
        why = "a statement this comparison needs did not pass the data checks"
        return Verdict("The $260m", claim, "One of the two statements is missing.", UNTESTABLE, why)
    total, share = float(check["total_usd"]), float(check["lieberman_share"])  # type: ignore[arg-type]
    amount = float(check["lieberman_usd"])  # type: ignore[arg-type]
    lieberman = check["lieberman"]
    source = lieberman.get("source_publisher", "") if isinstance(lieberman, dict) else ""
    said = lieberman.get("claim_date", "") if isinstance(lieberman, dict) else ""
    shows = (
        f"Lieberman's statement of {_date(said)} ({source}) puts Iran's part at "
        f"{_money(amount)} of "
        f"{_money(total)}: {share:.0%}."
    )
    low = float(check["article_share_low"])  # type: ignore[arg-type]
    if share < low:
        return Verdict("The $260m", claim, shows, CONTRADICTED,
                       f"not borne out by the one statement of his found: “most” means over "
                       f"{low:.0%}, and no statement of his from March is in the sources "
                       "collected")  # fmt: skip
    return Verdict("The $260m", claim, shows, SUPPORTED, f"{share:.0%} is more than half")


def check_no_official_figures(claims: pd.DataFrame) -> Verdict:
    """ "There are no official figures": money-paid statements with an amount by an official on
    the record, and by whom (``claims``: the claims table)."""
    claim = "There are no official figures of how much this financial support amounts to."
    official = claims[
        claims["source_grade"].eq("official_on_record")
        & claims["status"].eq("paid")
        & (claims["amount_low"].notna() | claims["amount_high"].notna())
    ]
    iran = int(official["claimant_type"].eq("iran_government").sum())
    who = sorted(official["claimant_type"].str.replace("_government", "").str.replace("_", " "))
    names = {"israeli": "Israeli", "us": "US"}
    shows = (
        f"{len(official)} statements by officials on the record give an amount of money paid "
        f"to Hamas, by {' and '.join(dict.fromkeys(names.get(w, w) for w in who))} officials"
        + ("; none by Iran's government." if iran == 0 else ".")
    )
    return Verdict("Official figures", claim, shows, PARTLY if iran == 0 else CONTRADICTED,
                   "no payer or payee has published a figure; the official amounts come from "
                   "Israeli and US officials, who have reasons to shade them" if iran == 0 else
                   "Iran's government has given an amount")  # fmt: skip


# --- Context the project can only date --------------------------------------------------------


def check_event(events: pd.DataFrame, event_id: str, topic: str, claim: str) -> Verdict:
    """A dated event the article names: the events ledger has it, with the date it gives."""
    rows = events[events["event_id"].eq(event_id)]
    if rows.empty:
        return Verdict(topic, claim, "Not in the events record.", UNTESTABLE,
                       "no dated source for it here")  # fmt: skip
    row = rows.iloc[0]
    shows = f"{_date(row['date'])}: {row['event']} (events record, {event_id})."
    return Verdict(topic, claim, shows, SUPPORTED, "the event and its date are on record")


def untestable(topic: str, claim: str, why: str) -> Verdict:
    """A claim no table of the project can test, and why."""
    return Verdict(topic, claim, "No series in this project measures it.", UNTESTABLE, why)


def _date(text: object) -> str:
    """A date written YYYY, YYYY-MM or YYYY-MM-DD in words: "15 January 2018", "March 2018"."""
    value = str(text)
    stamp = pd.Timestamp(value)
    return {4: f"{stamp:%Y}", 7: f"{stamp:%B %Y}"}.get(len(value), f"{stamp.day} {stamp:%B %Y}")


def _money(value: float) -> str:
    from analysis.report.claims import money

    return money(value)
