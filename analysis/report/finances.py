"""Iran's finances as the report charts draw them: one series per indicator, rial rates by month,
oil, military expenditure and investment.

Every function is pure (processed tables in, a tidy frame out) and keeps the provenance columns
(``source_id``, ``source_file``, ``source_row``) where a row comes from one source row, so the
notebooks can show where each number was read.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.config import FX_RATE_TYPES
from analysis.finance import IRAN, OFFICIAL_RATE_CODE

# --- indicator codes (World Bank codes as published; others as defined by the cleaners) ------
INFLATION = "FP.CPI.TOTL.ZG"  #: consumer prices, annual %
OFFICIAL_RATE = OFFICIAL_RATE_CODE  #: official exchange rate, LCU per US$, period average
MILEX_PCT_GDP = "MS.MIL.XPND.GD.ZS"  #: military expenditure, % of GDP (SIPRI via World Bank)
FDI_USD = "BX.KLT.DINV.CD.WD"  #: FDI net inflows, BoP, current US$
FDI_PCT_GDP = "BX.KLT.DINV.WD.GD.ZS"  #: FDI net inflows, % of GDP
OIL_RENTS = "NY.GDP.PETR.RT.ZS"  #: oil rents, % of GDP (not in the 2025 snapshot: checked)
FUEL_EXPORTS = "TX.VAL.FUEL.ZS.UN"  #: fuel exports, % of merchandise exports
#: SIPRI military expenditure (codes defined in analysis/clean/sources/sipri.py).
SIPRI_USD_CURRENT = "SIPRI.MILEX.USD_CURRENT_M"  #: US$ m at current prices and exchange rates
SIPRI_SHARE_GDP = "SIPRI.MILEX.GDP_SHARE"  #: share of GDP, as a fraction (0.021 = 2.1%)
SIPRI_LOCAL_CALENDAR = "SIPRI.MILEX.LCU_CY"  #: local currency (rial), calendar years
#: Oil production, in the order preferred (barrels a day first; TWh only as a fallback).
OIL_PRODUCTION = ("EI.OIL_PROD.KBD", "OWID.OIL_PROD.TWH")
#: Iran's crude oil including lease condensate exports, thousand barrels a day (EIA, to 2018)
CRUDE_EXPORTS = "EIA.INTL.57_4_TBPD.A"
#: Readable names of the indicator sources, for chart titles.
SOURCE_NAMES: dict[str, str] = {
    "energy-institute": "Energy Institute Statistical Review",
    "owid-oil-production": "Our World in Data",
    "worldbank": "World Bank WDI",
    "datahub-inflation": "World Bank WDI via datahub",
    "sipri": "SIPRI",
}

#: Basis label for SIPRI's own US$ conversion of Iran's military spending.
SIPRI_BASIS = "sipri_usd"
#: How each rate and conversion basis is called in charts and tables.
RATE_LABELS: dict[str, str] = {
    "open_market": "open market (exchange houses)",
    "official": "official (World Bank annual average)",
    "nima": "NIMA (managed market for exporters' dollars)",
    SIPRI_BASIS: "SIPRI's current US$, at the rate SIPRI chose",
}
#: Short names of the same, for running text.
RATE_NAMES: dict[str, str] = {
    "open_market": "open-market",
    "official": "official",
    "nima": "NIMA",
    SIPRI_BASIS: "SIPRI",
}

#: A year's average rate needs at least this many quoted days (about a third of a year's
#: trading days): the first and last years of a series hold a few weeks only (bonbast starts in
#: October 2012, the NIMA series in November 2018) and would misstate the year.
MIN_QUOTED_DAYS = 120

#: Days in a year for turning barrels a day into barrels a year (calendar average).
DAYS_PER_YEAR = 365.25

SERIES_COLUMNS = [
    "year",
    "value",
    "unit",
    "indicator_code",
    "indicator_name",
    "source_id",
    "source_file",
    "source_row",
]


def in_years(
    frame: pd.DataFrame, start_year: int | None = None, end_year: int | None = None
) -> pd.DataFrame:
    """The rows of ``frame`` whose ``year`` lies in ``start_year``–``end_year`` (either bound
    may be None: open on that side)."""
    keep = pd.Series(True, index=frame.index)
    if start_year is not None:
        keep &= frame["year"] >= start_year
    if end_year is not None:
        keep &= frame["year"] <= end_year
    return frame[keep]


def series(
    indicators: pd.DataFrame,
    code: str,
    *,
    country: str = IRAN,
    start_year: int | None = None,
    end_year: int | None = None,
    prefer: Sequence[str] = (),
) -> pd.DataFrame:
    """One indicator for one country from ONE source, sorted by year.

    When several sources carry the indicator, the first of ``prefer`` that has data in the span
    wins, else the source with the most years (ties: alphabetical source_id). Empty frame (with
    the columns) when nothing matches.
    """
    rows = indicators[
        (indicators["indicator_code"] == code) & (indicators["country_code"] == country)
    ]
    rows = in_years(rows, start_year, end_year)
    rows = rows.dropna(subset=["value"])
    if rows.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    counts = rows["source_id"].value_counts()
    ranked = [s for s in prefer if s in counts.index] or sorted(
        counts.index, key=lambda s: (-int(counts[s]), str(s))
    )
    return (
        rows[rows["source_id"] == ranked[0]][SERIES_COLUMNS]
        .sort_values("year")
        .reset_index(drop=True)
    )


def first_series(
    indicators: pd.DataFrame,
    codes: Sequence[str],
    **kwargs: object,
) -> pd.DataFrame:
    """:func:`series` of the first code in ``codes`` that has data (empty frame if none)."""
    for code in codes:
        found = series(indicators, code, **kwargs)  # type: ignore[arg-type]
        if not found.empty:
            return found
    return pd.DataFrame(columns=SERIES_COLUMNS)


def has_indicator(indicators: pd.DataFrame, code: str, country: str = IRAN) -> bool:
    """True when ``indicators`` holds at least one value of ``code`` for ``country``."""
    mask = (indicators["indicator_code"] == code) & (indicators["country_code"] == country)
    return bool(indicators.loc[mask, "value"].notna().any())


def preferred_source(
    frame: pd.DataFrame, keys: Sequence[str], min_days: int | None = None
) -> pd.DataFrame:
    """One source per ``keys`` group: the rate type's default source
    (``analysis.finance.DEFAULT_SOURCE``: bonbast for the open market) where it has a row, else
    the alphabetically first. With ``min_days``, a row with fewer quoted days (``n_days``) ranks
    after every row with enough, and a group with none left is dropped. Needs columns
    ``rate_type`` and ``source_id`` (and ``n_days`` for ``min_days``)."""
    from analysis.finance import DEFAULT_SOURCE

    default = frame["rate_type"].astype(object).map(DEFAULT_SOURCE)
    preferred = (frame["source_id"].astype(object) == default).astype(bool)
    enough = pd.Series(True, index=frame.index)
    if min_days is not None:
        days = pd.to_numeric(frame["n_days"], errors="coerce")
        enough = days.isna() | (days >= min_days)  # no count (the official rate): kept
    return (
        frame[enough]
        .assign(_rank=(~preferred[enough]).astype(int))
        .sort_values([*keys, "_rank", "source_id"])
        .drop_duplicates(list(keys), keep="first")
        .drop(columns="_rank")
    )


def monthly_rates(
    fx_rates: pd.DataFrame, *, start_year: int | None = None, end_year: int | None = None
) -> pd.DataFrame:
    """Monthly average rial per US$ by rate type from the daily ``fx_rates`` table.

    Only US$ quotes that are not carried forward from a previous day count, and one source per
    rate type and month (:func:`preferred_source`). Columns: ``month`` (first day, Timestamp),
    ``rate_type``, ``irr_per_usd``, ``n_days``, ``source_id``.
    """
    daily = fx_rates[(fx_rates["currency"] == "USD") & ~fx_rates["is_carried_forward"]].assign(
        date=lambda d: pd.to_datetime(d["date"])
    )
    if start_year is not None:
        daily = daily[daily["date"].dt.year >= start_year]
    if end_year is not None:
        daily = daily[daily["date"].dt.year <= end_year]
    monthly = (
        daily.assign(month=lambda d: d["date"].dt.to_period("M").dt.to_timestamp())
        .groupby(["rate_type", "source_id", "month"], as_index=False)
        .agg(irr_per_usd=("irr_per_unit", "mean"), n_days=("irr_per_unit", "size"))
    )
    return (
        preferred_source(monthly, ["rate_type", "month"])
        .sort_values(["rate_type", "month"])
        .reset_index(drop=True)[["month", "rate_type", "irr_per_usd", "n_days", "source_id"]]
    )


def rate_lines(
    fx_rates: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    start_year: int | None = None,
    end_year: int | None = None,
) -> pd.DataFrame:
    """What the rial chart draws: monthly open-market and NIMA averages, and the official annual
    average (World Bank PA.NUS.FCRF) placed on 1 January of its year.

    Columns: ``date``, ``rate_type``, ``irr_per_usd``, ``frequency`` ("month" or "year").
    """
    monthly = monthly_rates(fx_rates, start_year=start_year, end_year=end_year)
    monthly = monthly[monthly["rate_type"] != "official"].rename(columns={"month": "date"})
    official = series(indicators, OFFICIAL_RATE, start_year=start_year, end_year=end_year)
    official = pd.DataFrame(
        {
            "date": pd.to_datetime(official["year"].astype(int).astype(str) + "-01-01"),
            "rate_type": "official",
            "irr_per_usd": official["value"].astype(float),
            "frequency": "year",
        }
    )
    return (
        pd.concat(
            [monthly.assign(frequency="month")[official.columns], official], ignore_index=True
        )
        .sort_values(["rate_type", "date"])
        .reset_index(drop=True)
    )


def annual_rate_table(annual: pd.DataFrame, min_days: int = MIN_QUOTED_DAYS) -> pd.DataFrame:
    """Year × rate type table (rial per US$) from ``finance.annual_rates`` (one source per rate
    type and year, years with fewer than ``min_days`` quoted days left out:
    :func:`preferred_source`), with the ratio of the
    open-market rate to the official one (how many times more rials a dollar costs on the street).
    """
    wide = preferred_source(annual, ["rate_type", "year"], min_days).pivot(
        index="year", columns="rate_type", values="irr_per_usd"
    )
    wide = wide.reindex(columns=[t for t in FX_RATE_TYPES if t in wide.columns])
    if {"open_market", "official"} <= set(wide.columns):
        wide["open_market_to_official"] = wide["open_market"] / wide["official"]
    wide.columns.name = None
    return wide.reset_index()


def annual_brent(oil_prices: pd.DataFrame) -> pd.DataFrame:
    """Brent US$/barrel by calendar year: the EIA annual average where published, else the
    mean of the monthly values (only for years with all 12 months). Columns: ``year``,
    ``usd_per_barrel``, ``basis``.
    """
    brent = oil_prices[oil_prices["benchmark"] == "brent"].assign(
        year=lambda d: pd.to_datetime(d["date"]).dt.year
    )
    yearly = brent[brent["frequency"] == "year"].groupby("year")["usd_per_barrel"].mean()
    monthly = brent[brent["frequency"] == "month"].groupby("year")["usd_per_barrel"]
    from_months = monthly.mean()[monthly.size() == 12]
    combined = pd.concat(
        [
            yearly.to_frame().assign(basis="EIA annual average"),
            from_months[~from_months.index.isin(yearly.index)]
            .to_frame()
            .assign(basis="mean of 12 monthly averages"),
        ]
    )
    return combined.sort_index().rename_axis("year").reset_index()


def oil(
    oil_prices: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    start_year: int | None = None,
    end_year: int | None = None,
) -> pd.DataFrame:
    """Brent beside Iran's oil production, by year.

    Columns: ``year``, ``brent_usd_per_barrel``, ``production``, ``production_unit``,
    ``production_source``, ``output_value_usd_bn`` (production × 365.25 days × Brent: the
    gross market value of the oil Iran produced, a proxy for oil revenue — an upper bound, since
    part of the output is consumed at home at subsidised prices and exports sell at a discount;
    only when production is in barrels a day), ``fuel_exports_pct`` (fuel as % of merchandise
    exports, where published).
    """
    brent = annual_brent(oil_prices).rename(columns={"usd_per_barrel": "brent_usd_per_barrel"})
    production = first_series(indicators, OIL_PRODUCTION, start_year=start_year, end_year=end_year)
    fuel = series(indicators, FUEL_EXPORTS, start_year=start_year, end_year=end_year)
    frame = (
        production.rename(
            columns={
                "value": "production",
                "unit": "production_unit",
                "source_id": "production_source",
            }
        )[["year", "production", "production_unit", "production_source"]]
        .merge(brent[["year", "brent_usd_per_barrel"]], on="year", how="outer")
        .merge(
            fuel[["year", "value"]].rename(columns={"value": "fuel_exports_pct"}),
            on="year",
            how="left",
        )
    )
    frame = in_years(frame, start_year, end_year)
    per_day = production["indicator_code"].eq(OIL_PRODUCTION[0]).any()
    value = (
        frame["production"].astype(float)
        * 1000
        * DAYS_PER_YEAR
        * frame["brent_usd_per_barrel"]
        / 1e9
    )
    return (
        frame.assign(output_value_usd_bn=value if per_day else float("nan"))
        .astype({"year": int})
        .sort_values("year")
        .reset_index(drop=True)
    )


def crude_exports(
    indicators: pd.DataFrame,
    oil_trade: pd.DataFrame,
    *,
    start_year: int | None = None,
    end_year: int | None = None,
) -> pd.DataFrame:
    """Iran's crude-oil exports (EIA) beside the EU's imports from Iran (EU register), by year.

    Columns: ``year``, ``exports_kbd`` (EIA, thousand barrels a day; its series ends in 2018),
    ``eu_imports_kbd`` (EU imports from Iran, thousand barrels a day, from the register's months;
    missing where the register has no month of that year) and ``eu_months`` (months of the
    register in that year). The EU figure is one buyer's side of the trade, not Iran's total.
    """
    from analysis.report.oil_trade import monthly_imports_kbd, yearly_imports_kbd

    exports = series(indicators, CRUDE_EXPORTS)[["year", "value"]].rename(
        columns={"value": "exports_kbd"}
    )
    eu = (
        yearly_imports_kbd(monthly_imports_kbd(oil_trade))
        if not oil_trade.empty
        else pd.DataFrame(columns=["year", "kbd", "months"])
    )
    frame = exports.merge(
        eu[["year", "kbd", "months"]].rename(
            columns={"kbd": "eu_imports_kbd", "months": "eu_months"}
        ),
        on="year",
        how="outer",
    )
    frame = in_years(frame, start_year, end_year)
    return (
        frame.astype({"year": int, "eu_months": "Int64"}).sort_values("year").reset_index(drop=True)
    )


def crude_exports_summary(frame: pd.DataFrame) -> str:
    """One plain-text paragraph on :func:`crude_exports`, every figure computed from ``frame``."""
    parts: list[str] = []
    eia = frame.dropna(subset=["exports_kbd"])
    if not eia.empty:
        low = eia.sort_values("exports_kbd", kind="stable").iloc[0]
        last = eia.iloc[-1]
        parts.append(
            f"EIA's series of Iran's crude-oil exports ends in {int(last['year'])}, at "
            f"{last['exports_kbd']:,.0f} thousand barrels a day; its low in this span was "
            f"{low['exports_kbd']:,.0f} in {int(low['year'])}."
        )
    eu = frame.dropna(subset=["eu_imports_kbd"])
    if not eu.empty:
        top = eu.sort_values("eu_imports_kbd", ascending=False, kind="stable").iloc[0]
        zero = eu.loc[eu["eu_imports_kbd"].eq(0), "year"].astype(int).tolist()
        parts.append(
            f"The EU bought most from Iran in {int(top['year'])}: {top['eu_imports_kbd']:,.0f} "
            "thousand barrels a day"
            + (f"; it bought none in {', '.join(map(str, zero))}." if zero else ".")
        )
    return " ".join(parts) or "Neither series has data in this span."


def rate_for(annual: pd.DataFrame, rate_type: str, min_days: int = MIN_QUOTED_DAYS) -> pd.Series:
    """Rial per US$ by year (index) for one rate type, from ``finance.annual_rates`` (one source
    per year, none for years with fewer than ``min_days`` quoted days: :func:`preferred_source`).
    """
    if rate_type not in FX_RATE_TYPES:
        raise ValueError(f"unknown rate type {rate_type!r}; expected one of {FX_RATE_TYPES}")
    rows = preferred_source(
        annual[annual["rate_type"] == rate_type], ["rate_type", "year"], min_days
    )
    return rows.set_index("year")["irr_per_usd"].sort_index()


#: Column of :func:`military` naming the SIPRI release of each series (e.g. ``2025``).
USD_RELEASE = "usd_release"
#: Column of :func:`military` naming the source of the share-of-GDP series.
PCT_SOURCE = "pct_source"


def latest_release(
    indicators: pd.DataFrame,
    code: str,
    *,
    country: str = IRAN,
    start_year: int | None = None,
    end_year: int | None = None,
) -> pd.DataFrame:
    """One indicator from ONE release, the latest the table knows of: ``year``, ``value``,
    ``release``.

    The ``indicators`` table keeps a country-year's SIPRI measures from one release (the older
    workbook wherever it has the year) and records a later release's different figure in
    ``other_vintage`` / ``other_vintage_value``. Here each year takes the latest release's
    figure: the kept value where the kept row is that release, the recorded revision where the
    revision is, and otherwise the kept value (the cleaner records only figures that differ, so
    an unrevised year has the same figure in both). Years drawn from nothing but an older
    release would be marked by ``release``; none are for Iran in the table's two releases.
    """
    rows = indicators[
        (indicators["indicator_code"] == code) & (indicators["country_code"] == country)
    ]
    rows = in_years(rows, start_year, end_year).dropna(subset=["value"])
    if rows.empty:
        return pd.DataFrame(columns=["year", "value", "release"])
    kept = rows["vintage"].astype(object).map(_release_order)
    other = (
        rows["other_vintage"]
        .astype(object)
        .map(lambda v: None if pd.isna(v) else _release_order(v))
        if "other_vintage" in rows.columns
        else pd.Series(None, index=rows.index, dtype=object)
    )
    latest = max([*kept, *other.dropna()])
    revised_value = rows["other_vintage_value"] if "other_vintage_value" in rows.columns else None
    revised = other.eq(latest)
    if revised_value is not None:
        revised &= revised_value.notna()
    value = rows["value"].astype(float).where(~revised, revised_value)
    release = kept.where(~(kept.eq(latest) | revised | other.isna()), latest)
    return (
        pd.DataFrame(
            {"year": rows["year"].astype(int), "value": value.astype(float), "release": release}
        )
        .sort_values("year")
        .reset_index(drop=True)
    )


def military(
    indicators: pd.DataFrame,
    annual: pd.DataFrame,
    *,
    rate_type: str,
    start_year: int | None = None,
    end_year: int | None = None,
) -> pd.DataFrame:
    """Iran's military expenditure by year, each series from ONE release.

    Columns: ``year``, ``pct_gdp`` (% of GDP), ``pct_source`` (its source), ``usd_m_sipri``
    (SIPRI, US$ m at current prices and SIPRI's own exchange rate, all years from SIPRI's latest
    release: :func:`latest_release`), ``usd_release`` (that release), ``usd_m_sipri_workbook``
    (SIPRI's dollars from the release the rial figures come from, for the rate SIPRI's dollars
    imply: :func:`sipri_conversion`), ``rial_bn`` (SIPRI local currency, calendar year, billion
    rial), ``rial_release`` (its release) and ``usd_m_at_rate`` (that rial amount at the
    chosen ``rate_type``'s annual average, US$ m; empty for years without a rate).

    The share of GDP is the World Bank's MS.MIL.XPND.GD.ZS (SIPRI's latest release,
    republished) when it reaches as far as SIPRI's own share table, else SIPRI's table alone:
    never one release's years beside another's (SIPRI's 2025 release revised Iran's 2023 share
    from 2.06 % to 2.35 %; the 2024 release has no 2024).
    """
    sipri_pct = series(indicators, SIPRI_SHARE_GDP, start_year=start_year, end_year=end_year)[
        ["year", "value"]
    ].assign(value=lambda d: d["value"].astype(float) * 100, source="sipri")
    world_bank = series(indicators, MILEX_PCT_GDP, start_year=start_year, end_year=end_year)[
        ["year", "value"]
    ].assign(value=lambda d: d["value"].astype(float), source="worldbank")
    reaches = not world_bank.empty and (
        sipri_pct.empty or int(world_bank["year"].max()) >= int(sipri_pct["year"].max())
    )
    pct = world_bank if reaches else sipri_pct
    usd = latest_release(indicators, SIPRI_USD_CURRENT, start_year=start_year, end_year=end_year)
    workbook = series(indicators, SIPRI_USD_CURRENT, start_year=start_year, end_year=end_year)[
        ["year", "value"]
    ]
    rial = series(indicators, SIPRI_LOCAL_CALENDAR, start_year=start_year, end_year=end_year)[
        ["year", "value"]
    ]
    rate = rate_for(annual, rate_type)
    frame = (
        pct.rename(columns={"value": "pct_gdp", "source": PCT_SOURCE})
        .merge(
            usd.rename(columns={"value": "usd_m_sipri", "release": USD_RELEASE}),
            on="year",
            how="outer",
        )
        .merge(workbook.rename(columns={"value": "usd_m_sipri_workbook"}), on="year", how="outer")
        .merge(rial.rename(columns={"value": "rial"}), on="year", how="outer")
        .astype({"year": int})
        .sort_values("year")
        .reset_index(drop=True)
    )
    rial_rows = in_years(
        indicators[
            (indicators["indicator_code"] == SIPRI_LOCAL_CALENDAR)
            & (indicators["country_code"] == IRAN)
            & indicators["value"].notna()
        ],
        start_year,
        end_year,
    )
    rial_release = rial_rows.set_index("year")["vintage"].astype(object).map(_release_order)
    return frame.assign(
        rial_bn=lambda d: d["rial"].astype(float) / 1e9,
        usd_m_at_rate=lambda d: d["rial"].astype(float) / d["year"].map(rate) / 1e6,
        rate_type=rate_type,
        rial_release=lambda d: d["year"].map(rial_release),
    ).drop(columns="rial")


def release_label(milex: pd.DataFrame) -> str:
    """The SIPRI release of :func:`military`'s dollars in words ("SIPRI's 2025 release"), or
    "SIPRI" when the frame names none."""
    if USD_RELEASE not in milex.columns:
        return "SIPRI"
    releases = sorted({str(r) for r in milex[USD_RELEASE].dropna()})
    if not releases:
        return "SIPRI"
    return "SIPRI's " + " and ".join(releases) + (" release" if len(releases) == 1 else " releases")


def fdi(
    indicators: pd.DataFrame, *, start_year: int | None = None, end_year: int | None = None
) -> pd.DataFrame:
    """FDI net inflows by year: ``usd_bn`` (current US$ bn) and ``pct_gdp`` (% of GDP), each with
    its source id (the two World Bank files are different vintages)."""
    usd = series(indicators, FDI_USD, start_year=start_year, end_year=end_year)
    pct = series(indicators, FDI_PCT_GDP, start_year=start_year, end_year=end_year)
    return (
        usd[["year", "value"]]
        .assign(value=lambda d: d["value"].astype(float) / 1e9)
        .rename(columns={"value": "usd_bn"})
        .merge(pct[["year", "value"]].rename(columns={"value": "pct_gdp"}), on="year", how="outer")
        .astype({"year": int})
        .sort_values("year")
        .reset_index(drop=True)
    )


def to_constant(
    values: pd.Series, years: pd.Series, base_year: int, us_cpi: pd.DataFrame
) -> pd.Series:
    """Nominal US$ → constant US$ of ``base_year`` with ``analysis.finance.to_constant_usd``,
    for the years the US CPI covers (NaN for other years and for missing values)."""
    from analysis.finance import to_constant_usd

    covered = set(us_cpi["year"].astype(int))
    numeric_years = pd.to_numeric(years, errors="coerce")
    mask = values.notna() & numeric_years.notna() & numeric_years.isin(covered)
    out = pd.Series(np.nan, index=values.index, dtype=float)
    if mask.any():
        converted = to_constant_usd(
            values[mask].astype(float), numeric_years[mask].astype(int), base_year, us_cpi
        )
        out[mask] = np.asarray(converted, dtype=float)
    return out


def military_bases(indicators: pd.DataFrame, annual: pd.DataFrame) -> pd.DataFrame:
    """Iran's military spending in US$ m by year under every conversion: the SIPRI rial amount
    at each rate type, and SIPRI's own US$ series (basis ``sipri_usd``).
    Columns: ``year``, ``basis``, ``milex_usd_m``."""
    parts = [
        military(indicators, annual, rate_type=rate_type)[["year", "usd_m_at_rate"]]
        .rename(columns={"usd_m_at_rate": "milex_usd_m"})
        .assign(basis=rate_type)
        for rate_type in FX_RATE_TYPES
    ]
    sipri = latest_release(indicators, SIPRI_USD_CURRENT)[["year", "value"]]
    parts.append(sipri.rename(columns={"value": "milex_usd_m"}).assign(basis=SIPRI_BASIS))
    return (
        pd.concat(parts, ignore_index=True)
        .dropna(subset=["milex_usd_m"])
        .astype({"year": int, "milex_usd_m": float})[["year", "basis", "milex_usd_m"]]
        .reset_index(drop=True)
    )


#: Columns of :func:`release_revisions`.
REVISION_COLUMNS = [
    "year",
    "source_id",
    "old_release",
    "old_value",
    "new_release",
    "new_value",
]


def _release_order(vintage: object) -> str:
    """A vintage as text that sorts in release order (``~2025``, an approximate date, as 2025)."""
    return str(vintage).lstrip("~")


def release_revisions(
    indicators: pd.DataFrame,
    code: str,
    *,
    country: str = IRAN,
    source_id: str | None = None,
) -> pd.DataFrame:
    """Where another release of a series gives a different figure: one row per year with the
    older release and its figure and the newer release and its figure (:data:`REVISION_COLUMNS`).

    Read from the kept rows' ``other_vintage`` / ``other_vintage_value`` (the cleaner fills them
    only for a real revision, not for the same figure rounded differently); the kept figure is
    the old one where the table keeps the older release (SIPRI's 2024 workbook) and the new one
    where it keeps the newer (World Bank files). Empty when nothing was revised or the table
    has no such columns.
    """
    if "other_vintage_value" not in indicators.columns:
        return pd.DataFrame(columns=REVISION_COLUMNS)
    rows = indicators[
        (indicators["indicator_code"] == code)
        & (indicators["country_code"] == country)
        & indicators["other_vintage_value"].notna()
    ]
    if source_id is not None:
        rows = rows[rows["source_id"] == source_id]
    kept_is_newer = rows["vintage"].map(_release_order) > rows["other_vintage"].map(_release_order)
    kept_value = rows["value"].astype(float)
    other_value = rows["other_vintage_value"].astype(float)
    return (
        pd.DataFrame(
            {
                "year": rows["year"].astype(int),
                "source_id": rows["source_id"].astype(str),
                "old_release": rows["other_vintage"].where(kept_is_newer, rows["vintage"]),
                "old_value": other_value.where(kept_is_newer, kept_value),
                "new_release": rows["vintage"].where(kept_is_newer, rows["other_vintage"]),
                "new_value": kept_value.where(kept_is_newer, other_value),
            },
            columns=REVISION_COLUMNS,
        )
        .astype({"old_release": str, "new_release": str})
        .sort_values(["source_id", "year"])
        .reset_index(drop=True)
    )


#: SIPRI's implied rate is "the official rate" when within this share of it (rounding in SIPRI's
#: published rial and dollar figures, and SIPRI's own copy of the rate: 0.7 % apart in 2017).
SAME_RATE_TOLERANCE = 0.01


def sipri_conversion(milex: pd.DataFrame, annual: pd.DataFrame) -> pd.DataFrame:
    """The exchange rate SIPRI's own dollars imply, year by year, beside the official and
    open-market averages: ``year``, ``rial_bn``, ``usd_m_sipri`` (from :func:`military`),
    ``sipri_irr_per_usd`` (SIPRI's rial figure ÷ its current-dollar figure), ``official``,
    ``open_market`` (annual averages, rial per US$; missing where not quoted) and
    ``at_official`` (True where SIPRI's rate is the official one, within
    :data:`SAME_RATE_TOLERANCE`)."""
    dollars = "usd_m_sipri_workbook" if "usd_m_sipri_workbook" in milex.columns else "usd_m_sipri"
    rows = milex.dropna(subset=["rial_bn", dollars]).assign(usd_m_sipri=lambda d: d[dollars])
    official = rate_for(annual, "official")
    frame = pd.DataFrame(
        {
            "year": rows["year"].astype(int),
            "rial_bn": rows["rial_bn"].astype(float),
            "usd_m_sipri": rows["usd_m_sipri"].astype(float),
            "sipri_irr_per_usd": rows["rial_bn"].astype(float)
            * 1e9
            / (rows["usd_m_sipri"].astype(float) * 1e6),
            "official": rows["year"].map(official).astype(float),
            "open_market": rows["year"].map(rate_for(annual, "open_market")).astype(float),
        }
    )
    gap = (frame["sipri_irr_per_usd"] / frame["official"] - 1).abs()
    return frame.assign(at_official=gap.le(SAME_RATE_TOLERANCE)).reset_index(drop=True)


def conversion_drops(conversion: pd.DataFrame) -> pd.DataFrame:
    """The years in which SIPRI's current-dollar figure fell from the year before while its
    rial figure rose: a fall made by the exchange rate SIPRI converts at, not by spending.

    ``conversion``: :func:`sipri_conversion`. Columns: its own for the year, plus
    ``previous_year``, ``previous_usd_m``, ``previous_rate`` (SIPRI's implied rate that year),
    ``usd_change`` and ``rial_change`` (fractions, e.g. -0.57 and 0.21)."""
    ordered = conversion.sort_values("year").reset_index(drop=True)
    previous = ordered.shift(1)
    frame = ordered.assign(
        previous_year=previous["year"],
        previous_usd_m=previous["usd_m_sipri"],
        previous_rate=previous["sipri_irr_per_usd"],
        usd_change=ordered["usd_m_sipri"] / previous["usd_m_sipri"] - 1,
        rial_change=ordered["rial_bn"] / previous["rial_bn"] - 1,
    )
    consecutive = frame["year"].sub(frame["previous_year"]).eq(1)
    drops = frame[consecutive & frame["usd_change"].lt(0) & frame["rial_change"].gt(0)]
    return drops.astype({"previous_year": int}).reset_index(drop=True)


def fixed_since(rate: pd.Series) -> tuple[int, float] | None:
    """(first year, value) of the run of identical yearly values that ends ``rate``'s series
    (index: year), when it spans at least two years; None otherwise. The official rate has
    stayed at one figure since the government fixed it: it is then no market price."""
    values = rate.dropna().sort_index()
    if len(values) < 2 or values.iloc[-1] != values.iloc[-2]:
        return None
    same = values.eq(values.iloc[-1])
    changed = same[~same]
    first = int(values.index[0] if changed.empty else same[same.index > changed.index[-1]].index[0])
    return first, float(values.iloc[-1])
