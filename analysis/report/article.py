"""The article's factual claims, one by one, each set against the data with a verdict.

Every check takes processed tables (or frames computed from them) and returns a
:class:`Verdict`: the claim as the article states it, what the data shows (numbers, years and
source, all computed), the verdict (:data:`VERDICTS`) and why. Where a claim cannot be tested
with the project's data, the check says so and why, instead of guessing.

The thresholds that turn numbers into verdicts are named once here, with their reasons.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import partial

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
#: Why the report draws the line there, in words (stated in the inflation verdict's reason).
HIGH_INFLATION_WHY = (
    "a line this report draws, well above the single-digit inflation Iran's central bank aimed at"
)
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
    """One row of the article-claims table.

    A verdict is judged on what could be known on the article's date: ``data_to`` (the last day
    of the data it rests on) must not be after ``as_of`` (the article's date); data from after
    it go in ``later`` ("what happened next"), shown apart and never part of the verdict. A
    verdict whose data cover only part of what the claim is about (``limit``, e.g. one buyer of
    Iran's oil) cannot be ``supported``: at most ``partly supported``, with the limit stated.
    """

    topic: str
    claim: str
    shows: str
    verdict: str
    why: str
    later: str = ""
    as_of: pd.Timestamp | None = None
    data_to: pd.Timestamp | None = None
    limit: str = ""

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}; expected one of {VERDICTS}")
        if self.as_of is not None and self.data_to is not None and self.data_to > self.as_of:
            raise ValueError(
                f"{self.topic}: the verdict rests on data to {self.data_to:%Y-%m-%d}, after the "
                f"article's date {self.as_of:%Y-%m-%d}; later data belong in 'later'"
            )
        if self.limit and self.verdict == SUPPORTED:
            raise ValueError(
                f"{self.topic}: a verdict limited to {self.limit} cannot be {SUPPORTED!r}"
            )
        if self.limit and self.limit not in self.why:
            raise ValueError(f"{self.topic}: the reason must state the limit ({self.limit})")


def year_end(year: int) -> pd.Timestamp:
    """The last day of ``year``: when a yearly figure for it could first be known."""
    return pd.Timestamp(year=int(year), month=12, day=31)


def month_end(month: pd.Timestamp) -> pd.Timestamp:
    """The last day of ``month``: when a monthly average for it could first be known."""
    return (pd.Timestamp(month).to_period("M").to_timestamp(how="end")).normalize()


def split_years(by_year: pd.Series, as_of: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    """A yearly series split into the years that had ended by ``as_of`` and the later ones."""
    ended = pd.Series([year_end(int(y)) <= as_of for y in by_year.index], index=by_year.index)
    return by_year[ended.to_numpy()], by_year[~ended.to_numpy()]


def split_months(
    frame: pd.DataFrame, as_of: pd.Timestamp, column: str = "month"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A monthly frame split into the months that had ended by ``as_of`` and the later ones."""
    ended = frame[column].map(month_end) <= as_of
    return frame[ended.to_numpy()], frame[~ended.to_numpy()]


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


def check_inflation(
    inflation: pd.DataFrame, published: pd.Timestamp, high: float = HIGH_INFLATION
) -> Verdict:
    """ "High inflation rates", judged on the last full year before the article (``inflation``:
    ``year``, ``value`` in %; the processed tables hold no monthly Iranian consumer prices up to
    the article's month, so a yearly rate is the latest known). At or above ``high``: supported;
    below it: contradicted by the figures known then, whether or not it was rising (a rise and
    later years are told as what happened next, never the verdict). The reason states the
    threshold and why, and that the rial's fall is judged in its own row."""
    claim = "Iran's currency is suffering under high inflation rates."
    by_year = inflation.set_index("year")["value"].astype(float).dropna().sort_index()
    known, later = split_years(by_year, published)
    after = "; ".join(f"{v:.1f}% in {y}" for y, v in later.head(2).items())
    if known.empty:
        return Verdict("Inflation", claim, "No inflation figure before the article.", UNTESTABLE,
                       "the World Bank series has no year that ended before the article",
                       later=after, as_of=published)  # fmt: skip
    year, now = int(known.index[-1]), float(known.iloc[-1])
    before = known.get(year - 1)
    shows = f"Consumer prices rose {now:.1f}% in {year}, the last full year before the article"
    if before is not None:
        shows += f", after {before:.1f}% in {year - 1}"
    shows += " (World Bank; no monthly figure up to the article's month is held here)."
    threshold = f"inflation counts as high here from {high:.0f}% a year, {HIGH_INFLATION_WHY}"
    judged = partial(Verdict, "Inflation", claim, shows, later=after, as_of=published,
                     data_to=year_end(year))  # fmt: skip
    rial = "the rial's fall is judged apart, in its own row"
    if now >= high:
        return judged(SUPPORTED, f"{threshold}; {year}'s rate was at or above it; {rial}")
    rising = before is not None and now > before
    rose_after = any(v >= high for v in later.head(2))
    return judged(CONTRADICTED, f"{threshold}; {year}'s rate was below it"
                  + (f", though up from {year - 1}'s" if rising else "")
                  + ("; inflation rose above it only after the article (what happened next)"
                     if rose_after else "") + f"; {rial}")  # fmt: skip


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
    """The rial's fall from January of the article's year to the last full month before it;
    the months after are what happened next."""
    claim = "Iran's currency is suffering."
    rates = monthly[monthly["rate_type"].eq("open_market")].sort_values("month")
    known, later = split_months(rates, published)
    start = pd.Timestamp(year=published.year, month=1, day=1)
    known = known[known["month"] >= start]
    later = later[later["month"].dt.year.eq(published.year)]  # the rest of the article's year
    after = ""
    if not later.empty:
        low = later.loc[later["irr_per_usd"].idxmax()]
        after = f"a dollar cost {low['irr_per_usd']:,.0f} rial in {low['month']:%B %Y}"
    if len(known) < 2 or known["month"].iloc[0] != start:
        return Verdict("The rial", claim, "No open-market rate for those months.", UNTESTABLE,
                       "the exchange-rate table has a gap", later=after,
                       as_of=published)  # fmt: skip
    first, last = (float(known["irr_per_usd"].iloc[i]) for i in (0, -1))
    month = pd.Timestamp(known["month"].iloc[-1])
    got = rial_fall(monthly, start, month)
    shows = (
        f"On the open market a dollar cost {first:,.0f} rial on average in {start:%B %Y} and "
        f"{last:,.0f} in {month:%B %Y}, the last full month before the article: the rial lost "
        f"{got['lost']:.0%} of its dollar value (daily exchange-house rates, monthly averages)."
    )
    judged = partial(Verdict, later=after, as_of=published, data_to=month_end(month))
    if got["lost"] >= fall:
        return judged("The rial", claim, shows, SUPPORTED,
                      f"a loss of {fall:.0%} or more in half a year is a currency crisis by any "
                      "measure")  # fmt: skip
    return judged("The rial", claim, shows, PARTLY, f"the rial fell by less than {fall:.0%}")


def first_zero_month(eu_monthly: pd.DataFrame, after: pd.Timestamp) -> pd.Timestamp | None:
    """The first month after ``after`` from which EU imports from Iran stay at zero to the end
    of the register (``eu_monthly``: :func:`analysis.report.oil_trade.monthly_imports_kbd`)."""
    later = eu_monthly[eu_monthly["month"] > after].sort_values("month")
    if later.empty or later["kbd"].iloc[-1] > 0:
        return None
    nonzero = later.loc[later["kbd"] > 0, "month"]
    rest = later if nonzero.empty else later[later["month"] > nonzero.max()]
    return None if rest.empty else pd.Timestamp(rest["month"].iloc[0])


#: What the EU's import register covers: one buyer of Iran's oil, not Iran's total sales.
ONE_BUYER = "one buyer (the EU), not Iran's total sales"
#: EU purchases in the months before the article at or below this share of the same months a
#: year earlier count as a fall already under way.
FALL_UNDER_WAY = 0.75


def check_oil_sales(
    eu_monthly: pd.DataFrame,
    exports: pd.DataFrame,
    published: pd.Timestamp,
    months: int = COLLAPSE_MONTHS,
) -> Verdict:
    """ "Oil sales potentially collapsing in the coming months": a forecast, judged on what was
    known at the article's date (EU imports from Iran in the full months before it, against the
    same months a year earlier; EIA's yearly exports to the year before); the EU's purchases
    after the article are what happened next. The EU is one buyer: never ``supported``."""
    claim = "Its oil sales are potentially collapsing in the coming months."
    known, later = split_months(eu_monthly.sort_values("month"), published)
    this = known[known["month"].dt.year.eq(published.year)]
    last = known[
        known["month"].dt.year.eq(published.year - 1)
        & known["month"].dt.month.isin(this["month"].dt.month)
    ]
    eia = exports.dropna(subset=["exports_kbd"]).set_index("year")["exports_kbd"]
    eia_known, eia_later = split_years(eia, published)
    zero = first_zero_month(eu_monthly, published)
    after = []
    if zero is not None:
        months_after = (zero.to_period("M") - published.to_period("M")).n
        after.append(
            f"the EU bought none from {zero:%B %Y} to the end of its register"
            + (f" ({months_after} months after the article)" if months_after > months else "")
        )
    after += [f"EIA: {v:,.0f} thousand barrels a day in {y}" for y, v in eia_later.items()]
    later_text = "; ".join(after)
    if this.empty or last.empty:
        return Verdict("Oil sales", claim, "No EU import figures for the months before the "
                       "article.", UNTESTABLE, "the EU register has a gap", later=later_text,
                       as_of=published)  # fmt: skip
    span = f"{this['month'].iloc[0]:%B}–{this['month'].iloc[-1]:%B}"
    now, before = float(this["kbd"].mean()), float(last["kbd"].mean())
    shows = (
        f"The EU imported {now:,.0f} thousand barrels a day from Iran in {span} "
        f"{published.year}, against {before:,.0f} in the same months of {published.year - 1}"
    )
    data_to = month_end(pd.Timestamp(this["month"].iloc[-1]))
    if not eia_known.empty:
        year = int(eia_known.index[-1])
        shows += (
            f"; EIA puts Iran's crude exports at {eia_known.iloc[-1]:,.0f} thousand barrels a day "
            f"in {year}"
        )
    shows += "."
    judged = partial(Verdict, later=later_text, as_of=published, data_to=data_to,
                     limit=ONE_BUYER)  # fmt: skip
    if before > 0 and now / before <= FALL_UNDER_WAY:
        return judged("Oil sales", claim, shows, PARTLY,
                      "the EU's purchases were already falling before the article; the data "
                      f"cover {ONE_BUYER}")  # fmt: skip
    return judged("Oil sales", claim, shows, UNTESTABLE,
                  "a forecast: the months before the article show no fall yet, and the data "
                  f"cover {ONE_BUYER}; what followed is shown apart")  # fmt: skip


def check_investment(fdi: pd.DataFrame, published: pd.Timestamp) -> Verdict:
    """ "International investors withdrawing as a result of US sanctions": FDI net inflows as a
    share of GDP (``fdi``: ``year``, ``pct_gdp``) in the years that had ended before the
    article; the years after are what happened next."""
    claim = "International investors are withdrawing as a result of US sanctions."
    pct = fdi.dropna(subset=["pct_gdp"]).set_index("year")["pct_gdp"].astype(float).sort_index()
    known, later = split_years(pct, published)
    after = "; ".join(f"{v:.2f}% of GDP in {y}" for y, v in later.head(2).items())
    if len(known) < 2:
        return Verdict("Investment", claim, "No FDI figures for the years before the article.",
                       UNTESTABLE, "the World Bank series has a gap", later=after,
                       as_of=published)  # fmt: skip
    y0, y1 = (int(str(y)) for y in known.index[-2:])
    v0, v1 = float(known.iloc[-2]), float(known.iloc[-1])
    shows = (
        f"Foreign direct investment into Iran came to {v0:.2f}% of GDP in {y0} and {v1:.2f}% "
        f"in {y1} (World Bank)."
    )
    return Verdict(
        "Investment",
        claim,
        shows,
        UNTESTABLE,
        f"the yearly figures known at the article's date end in {y1}, before the withdrawals "
        "it describes; "
        + ("investment was already falling" if v1 < v0 else "investment was still rising")
        + ", and no yearly figure can say why",
        later=after,
        as_of=published,
        data_to=year_end(int(y1)),
    )


# --- Hamas and Iran's money ---------------------------------------------------------------------


def check_rift(
    tally: pd.DataFrame, breaks: tuple[int, int], grades: str, to_armed_wing: int | None = None
) -> Verdict:
    """ "Supporting the Syrian opposition cost Hamas the steady flow of funding": in the rift
    years, claims that the money stopped, fell or never came against claims of money paid
    (``tally``: :func:`analysis.report.evidence.tally` of the claims shown; ``to_armed_wing``:
    how many of those payments were to the armed wing, when known)."""
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
                       "money still came" + (f" ({to_armed_wing} of them to the armed wing)"
                       if to_armed_wing else ""))  # fmt: skip
    if paid:
        return Verdict("The rift", claim, shows, CONTRADICTED,
                       "the statements about those years say money was paid")  # fmt: skip
    return Verdict("The rift", claim, shows, UNTESTABLE, "no statement about those years")


def later_text(later: pd.DataFrame, after: int) -> str:
    """The yearly amounts paid stated after the article (``later``: rows of
    :func:`analysis.report.claims.ranges`) for the years from ``after``, in words: "5 statements
    made 2019–2023 give $X to $Y a year" ("" when none)."""
    rows = later[later["reference_year"] >= after]
    if rows.empty:
        return ""
    years = evidence.said_end(rows["claim_date"]).dt.year.dropna().astype(int)
    when = (
        f"made {years.min()}–{years.max()}" if years.nunique() > 1
        else f"made in {years.min()}" if len(years) else "with no date"
    )  # fmt: skip
    low = rows["low"].fillna(rows["high"]).min()
    high = rows["high"].fillna(rows["low"]).max()
    n = len(rows)
    return (
        f"{n} later statement{'s' if n != 1 else ''} ({when}) give{'' if n != 1 else 's'} "
        f"{_money(low)} to {_money(high)} a year for {after} onwards; they are not part of the "
        "verdict"
    )


def check_lower_rate(
    spread: pd.DataFrame,
    breaks: tuple[int, int],
    grades: str,
    *,
    later: pd.DataFrame | None = None,
    as_of: pd.Timestamp | None = None,
) -> Verdict:
    """ "Resuming its financial support … at a much lower rate than pre-2012": the median yearly
    amount of money-paid claims after the return against before the break (``spread``:
    :func:`analysis.report.claims.spread_by_period` of the statements made by the article's
    date, ``as_of``; ``later``: the rows of :func:`analysis.report.claims.ranges` stated after
    it, told as what happened next and never part of the verdict)."""
    claim = (
        "Since mid-2017 there is increasing talk of Iran resuming its financial support, at a "
        "much lower rate than pre-2012."
    )
    by = spread.set_index(spread["period"].astype(str))
    before, _, after = periods.labels(breaks)
    verdict = partial(
        Verdict,
        later="" if later is None else later_text(later, breaks[1]),
        as_of=as_of,
    )
    nb, na = (int(evidence.number(by.loc[p, "claims"])) for p in (before, after))
    shows = (
        f"Money said to have been paid, with a yearly amount: {nb} statement"
        f"{'s' if nb != 1 else ''} for the years {before}, {na} for {after} ({grades}; "
        "statements made by the article's date)"
    )
    if min(nb, na) < MIN_CLAIMS_FOR_MEDIAN:
        return verdict("A lower rate", claim, shows + ".", UNTESTABLE,
                       f"a median needs at least {MIN_CLAIMS_FOR_MEDIAN} statements in each "
                       "period")  # fmt: skip
    mb, ma = (evidence.number(by.loc[p, "median_mid"]) for p in (before, after))
    word = compare(ma, mb)
    shows += f"; medians {_money(mb)} and {_money(ma)} a year (constant dollars)."
    overlap = evidence.number(by.loc[after, "highest"]) >= evidence.number(by.loc[before, "lowest"])
    if word == "lower" and not overlap:
        return verdict("A lower rate", claim, shows, SUPPORTED,
                       "every later amount is below every earlier one")  # fmt: skip
    if word == "lower":
        return verdict("A lower rate", claim, shows, PARTLY,
                       "the later median is lower, but the amounts of the two periods "
                       "overlap")  # fmt: skip
    return verdict("A lower rate", claim, shows, CONTRADICTED,
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
        return Verdict("The $260m", claim, shows, UNTESTABLE,
                       f"no statement of his from March is among the sources collected, and "
                       f"the one found gives Iran {share:.0%}, not the more than {low:.0%} that "
                       "“most” means; no data measure where Hamas's money for tunnels and "
                       "weapons came from")  # fmt: skip
    return Verdict("The $260m", claim, shows, PARTLY,
                   f"his statement gives Iran {share:.0%}, more than half: what he said, which "
                   "no data can check against what was paid")  # fmt: skip


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
        return Verdict(topic, claim, "No dated source for it was found.", UNTESTABLE,
                       "no dated source for it here")  # fmt: skip
    row = rows.iloc[0]
    shows = f"{_date(row['date'])}: {row['event']} (dated on its source page)."
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
