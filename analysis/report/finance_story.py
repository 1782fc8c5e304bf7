"""The ``iran_finances`` report's sections: each function draws one finished chart or writes one
paragraph (HTML) from the processed tables, every number computed, so the notebook holds only
its parameters, calls and prose."""

from __future__ import annotations

import html
import textwrap
from typing import TYPE_CHECKING

import pandas as pd

from analysis.report import charts, finances
from analysis.report.finance_charts import PANEL_TITLE_PT
from analysis.report.html import html_table
from analysis.report.oil_trade import draw_crude_exports

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The oil chart's four panels and the military chart's two, stacked in one column at about the
#: theme's width (:data:`charts.FIGSIZE`), in inches: their text reads on a phone.
OIL_FIGSIZE = (6.0, 10.0)
MILITARY_FIGSIZE = (6.0, 6.6)
#: A panel title longer than this many characters is wrapped (it would run past the plot).
PANEL_TITLE_CHARS = 44

#: Where the exports chart's two series come from.
EXPORTS_SOURCES = [
    "US EIA international energy statistics, series INTL.57-4-IRN-TBPD.A (last updated 2021-07-09)",
    "European Commission DG ENER, EU crude oil imports register 2013-2019",
]


def _thousands(value: float, _: object = None) -> str:
    return f"{value:,.0f}"


def inflation_paragraph(inflation: pd.DataFrame) -> str:
    """Average, fastest and latest yearly inflation of ``finances.series`` output."""
    peak = inflation.sort_values("value", ascending=False, kind="stable").iloc[0]
    last = inflation.iloc[-1]
    latest = (
        "which is also the latest year"
        if peak["year"] == last["year"]
        else f"and the latest, {int(last['year'])}, was <b>{last['value']:.1f}%</b>"
    )
    return (
        f"<p>Over {len(inflation)} years consumer prices rose on average "
        f"<b>{inflation['value'].mean():.1f}%</b> a year (the mean of the yearly rates); the "
        f"fastest rise was <b>{peak['value']:.1f}%</b> in {int(peak['year'])}, {latest}.</p>"
    )


def rate_chart(
    fx_rates: pd.DataFrame,
    indicators: pd.DataFrame,
    events: pd.DataFrame,
    *,
    fx_rate_type: str,
    start_year: int,
    end_year: int,
) -> Figure:
    """The rial per US dollar at its three rates on a log axis, the chosen one drawn bold."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    lines = finances.rate_lines(fx_rates, indicators, start_year=start_year, end_year=end_year)
    fig, ax = plt.subplots()
    for rate_type, rows in lines.groupby("rate_type"):
        width = 2.8 if rate_type == fx_rate_type else 1.2
        label = finances.RATE_LABELS[str(rate_type)] + (
            " — used here" if rate_type == fx_rate_type else ""
        )
        fixed = finances.fixed_since(rows.set_index(rows["date"].dt.year)["irr_per_usd"])
        if rate_type == "official" and fixed is not None:
            label += f", fixed at {fixed[1]:,.0f} from {fixed[0]}: no market price"
        color = charts.PALETTE[str(rate_type)]
        if (rows["frequency"] == "year").all():
            ends = rows["date"] + pd.DateOffset(years=1)
            ax.hlines(rows["irr_per_usd"], rows["date"], ends, color=color, lw=width, label=label)
        else:
            ax.plot(rows["date"], rows["irr_per_usd"], color=color, lw=width, label=label)
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
    ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
    charts.mark_events(ax, events)
    charts.legend_below(ax)
    years = lines["date"].dt.year
    quoted = fx_rates[fx_rates["date"].dt.year.between(start_year, end_year)]
    return charts.finish(
        ax,
        title=f"Rial per US dollar at three rates, {years.min()}–{years.max()}",
        ylabel="rial per US$ (log scale)",
        sources=[
            charts.source_line(quoted, "US$ rates in Tehran", time_column="date"),
            "World Bank WDI PA.NUS.FCRF official rate",
        ],
        data=lines[["rate_type", "frequency", "date", "irr_per_usd"]].reset_index(drop=True),
    )


def annual_rates_in_span(annual: pd.DataFrame, start_year: int, end_year: int) -> pd.DataFrame:
    """``finances.annual_rate_table`` of ``annual`` for the years shown."""
    return finances.in_years(finances.annual_rate_table(annual), start_year, end_year)


def rates_paragraph(rates: pd.DataFrame) -> str:
    """Open market against official rate, first and latest year both are quoted ('' if none)."""
    if "open_market" not in rates or "official" not in rates:
        return ""
    both = rates.dropna(subset=["open_market", "official"])
    if both.empty:
        return ""
    first, latest = both.iloc[0], both.iloc[-1]
    return (
        f"<p>In {int(latest['year'])} a dollar cost on average "
        f"<b>{latest['open_market']:,.0f}</b> rial on the open market and "
        f"<b>{latest['official']:,.0f}</b> at the official rate: "
        f"<b>{latest['open_market_to_official']:.1f}</b> times as many. In {int(first['year'])} "
        f"the ratio was {first['open_market_to_official']:.1f}. Over those years the open-market "
        f"dollar became {latest['open_market'] / first['open_market']:.1f} times dearer.</p>"
    )


def rates_table(rates: pd.DataFrame) -> str:
    """The annual averages as an HTML table, one column per rate and their ratio."""
    shown = pd.DataFrame({"year": rates["year"].astype(str)})
    for column in ("official", "nima", "open_market"):
        if column in rates:
            shown[finances.RATE_NAMES[column]] = rates[column].map(
                lambda v: f"{v:,.0f}" if pd.notna(v) else ""
            )
    if "open_market_to_official" in rates:
        shown["ratio"] = rates["open_market_to_official"].map(
            lambda v: f"{v:.1f}" if pd.notna(v) else ""
        )
    return html_table(
        shown,
        caption=(
            "Annual average rial per US$ (Gregorian years; a year with fewer than "
            f"{finances.MIN_QUOTED_DAYS} quoted days is left blank). Ratio: open market ÷ "
            "official"
        ),
        numeric=[c for c in shown.columns if c != "year"],
    )


def _production_source(oil: pd.DataFrame) -> tuple[str, str]:
    """(unit, publisher) of the production series ``finances.oil`` chose."""
    unit = oil["production_unit"].dropna()
    source = oil["production_source"].dropna()
    name = str(source.iloc[0]) if not source.empty else "n/a"
    return (str(unit.iloc[0]) if not unit.empty else "n/a"), finances.SOURCE_NAMES.get(name, name)


def oil_paragraph(oil: pd.DataFrame, indicators: pd.DataFrame) -> str:
    """What the oil chart shows and what stands in for oil rents where they are missing."""
    rents = finances.has_indicator(indicators, finances.OIL_RENTS)
    rents_name = "oil rents (what oil earns above its cost of production, as a share of GDP)"
    text = (
        f"<p>The World Bank's {rents_name} is in the data and is drawn below."
        if rents
        else f"<p>The World Bank's figure for {rents_name} would show what oil earns the "
        "country, but it is <b>not</b> in the data this report uses. Instead the chart "
        "multiplies Iran's output by the Brent price: the gross market value of the oil "
        "produced. That is an upper bound: part of the output is used at home at subsidised "
        "prices, and sanctioned exports sell at a discount."
    )
    if oil["fuel_exports_pct"].notna().any():
        text += (
            " Fuel's share of Iran's merchandise exports (World Bank) shows how much the "
            "country depends on it."
        )
    return text + " What Iran sold abroad, rather than produced, is the next chart.</p>"


def oil_chart(
    oil: pd.DataFrame,
    oil_prices: pd.DataFrame,
    indicators: pd.DataFrame,
    events: pd.DataFrame,
    *,
    start_year: int,
    end_year: int,
) -> Figure:
    """Four panels: Brent, Iran's output, output × Brent, and dependence on oil."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    unit, source = _production_source(oil)
    fig, axes = plt.subplots(4, 1, figsize=OIL_FIGSIZE, sharex=True)
    ax_price, ax_prod, ax_value, ax_fuel = axes
    ax_price.plot(
        oil["year"], oil["brent_usd_per_barrel"], color=charts.PALETTE["brent"], marker="."
    )

    ax_price.set_ylabel("US$ per barrel")
    ax_prod.plot(oil["year"], oil["production"], color=charts.PALETTE["iran"], marker=".")
    ax_prod.set_title(textwrap.fill(f"Iran's oil production ({source})", PANEL_TITLE_CHARS),
                      loc="left", fontsize=PANEL_TITLE_PT)  # fmt: skip
    ax_prod.set_ylabel(unit)
    ax_prod.yaxis.set_major_formatter(FuncFormatter(_thousands))
    for ax in (ax_price, ax_prod):
        ax.set_ylim(bottom=0)  # a cut axis would magnify the swings
    ax_value.bar(oil["year"], oil["output_value_usd_bn"], color=charts.PALETTE["iran"], width=0.8)
    ax_value.set_title(
        "Output × Brent price (proxy for oil revenue)", loc="left", fontsize=PANEL_TITLE_PT
    )
    ax_value.set_ylabel("US$ bn, current")
    drawn = ["year", "brent_usd_per_barrel", "production", "output_value_usd_bn"]
    drawn.append("fuel_exports_pct")
    oil_data = oil[drawn].rename(columns={"production": f"production ({unit})"})
    if finances.has_indicator(indicators, finances.OIL_RENTS):
        rents = finances.series(
            indicators, finances.OIL_RENTS, start_year=start_year, end_year=end_year
        )
        ax_fuel.plot(rents["year"], rents["value"], color=charts.PALETTE["iran"], marker=".",
                     label="oil rents, % of GDP")  # fmt: skip
        oil_data = oil_data.merge(
            rents[["year", "value"]].rename(columns={"value": "oil_rents_pct_gdp"}),
            on="year",
            how="outer",
        )
    ax_fuel.plot(oil["year"], oil["fuel_exports_pct"], color=charts.PALETTE["aggregate"],
                 marker=".", label="fuel, % of merchandise exports")  # fmt: skip
    ax_fuel.set_ylim(0, 100)
    charts.legend_below(ax_fuel)
    for ax in axes.flat:
        charts.years_axis(ax, oil["year"])
        charts.mark_events(ax, events, yearly=True, label=ax is ax_price)
    rows_above = int(getattr(ax_price, "_report_marker_rows", 0))  # event numbers over the title
    ax_price.set_title("Brent crude, annual average", loc="left", fontsize=PANEL_TITLE_PT,
                       pad=6 + charts.MARKER_ROW_PT * rows_above)  # fmt: skip
    fig.suptitle(
        f"Oil: price, Iran's output and its value, {oil['year'].min()}–{oil['year'].max()}",
        x=0.01, ha="left", fontweight="bold",
    )  # fmt: skip
    brent = oil_prices[oil_prices["benchmark"] == "brent"]
    figure = charts.finish(
        ax_fuel,
        title="Dependence on oil",
        ylabel="%",
        sources=[
            charts.source_line(brent, "Brent spot price", time_column="date"),
            f"{source} oil production",
            f"World Bank WDI {finances.FUEL_EXPORTS}",
        ],
        note="output value = production × 365.25 days × annual Brent price; an upper bound on "
        "oil revenue.",
        data=oil_data,
    )
    for ax in axes.flat:
        ax.title.set_fontsize(PANEL_TITLE_PT)
    return figure


def oil_value_paragraph(oil: pd.DataFrame) -> str:
    """The year the oil produced was worth most, and the latest year ('' without values)."""
    value = oil.dropna(subset=["output_value_usd_bn"])
    if value.empty:
        return ""
    top = value.sort_values("output_value_usd_bn", ascending=False, kind="stable").iloc[0]
    last = value.iloc[-1]
    return (
        f"<p>The oil Iran produced was worth most in {int(top['year'])}: about "
        f"<b>US${top['output_value_usd_bn']:,.0f} bn</b> at Brent prices (current dollars). In "
        f"{int(last['year'])} it was about <b>US${last['output_value_usd_bn']:,.0f} bn</b>.</p>"
    )


def exports_chart(exports: pd.DataFrame, events: pd.DataFrame) -> Figure:
    """Iran's crude exports (EIA) beside the EU's imports from Iran (``finances.crude_exports``)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    draw_crude_exports(ax, exports, colors=(charts.PALETTE["iran"], charts.PALETTE["aggregate"]))
    charts.legend_below(ax)
    charts.years_axis(ax, exports["year"])
    charts.mark_events(ax, events, yearly=True)
    return charts.finish(
        ax,
        title="Iran's crude exports and EU imports from Iran",
        ylabel="thousand barrels a day",
        sources=EXPORTS_SOURCES,
        note="EU imports are the year's volume divided by its days; a year with no import from "
        "Iran is 0. " + charts.events_note(events),
        data=exports[["year", "exports_kbd", "eu_imports_kbd"]],
    )


def exports_paragraph(exports: pd.DataFrame) -> str:
    """:func:`finances.crude_exports_summary` as an HTML paragraph."""
    return f"<p>{html.escape(finances.crude_exports_summary(exports))}</p>"


def military_in_constant_dollars(
    indicators: pd.DataFrame,
    annual: pd.DataFrame,
    us_cpi: pd.DataFrame,
    *,
    rate_type: str,
    base_year: int,
    start_year: int,
    end_year: int,
) -> pd.DataFrame:
    """``finances.military`` plus SIPRI's and the chosen rate's dollars in constant US$ bn."""
    milex = finances.military(
        indicators, annual, rate_type=rate_type, start_year=start_year, end_year=end_year
    )
    const = {
        column: finances.to_constant(milex[source] * 1e6, milex["year"], base_year, us_cpi) / 1e9
        for column, source in (
            ("sipri_const_bn", "usd_m_sipri"),
            ("at_rate_const_bn", "usd_m_at_rate"),
        )
    }
    return milex.assign(**const)


def _sipri_dollars_label(milex: pd.DataFrame) -> str:
    """Legend label of SIPRI's own dollars, naming their release when the frame does."""
    releases = sorted({str(r) for r in milex.get(finances.USD_RELEASE, pd.Series()).dropna()})
    if len(releases) == 1:
        return f"SIPRI's dollars ({releases[0]} release, at SIPRI's rate)"
    return "SIPRI's dollars (converted at SIPRI's rate)"


def military_chart(
    milex: pd.DataFrame,
    events: pd.DataFrame,
    *,
    fx_rate_type: str,
    base_year: int,
    annual: pd.DataFrame | None = None,
) -> Figure:
    """Share of GDP beside spending in current dollars deflated to ``base_year`` prices (SIPRI's
    dollars and SIPRI's rials at the chosen rate). With ``annual`` (``finance.annual_rates``),
    the note names the years SIPRI's dollars fell while its rials rose
    (:func:`finances.conversion_drops`)."""
    import matplotlib.pyplot as plt

    fig, (ax_pct, ax_usd) = plt.subplots(2, 1, figsize=MILITARY_FIGSIZE, sharex=True)
    ax_pct.plot(milex["year"], milex["pct_gdp"], color=charts.PALETTE["iran"], marker=".")
    ax_pct.set_ylim(bottom=0)
    ax_usd.plot(milex["year"], milex["sipri_const_bn"], color=charts.PALETTE["official"],
                marker=".", label=_sipri_dollars_label(milex))  # fmt: skip
    at_rate = f"SIPRI's rials at the {finances.RATE_NAMES[fx_rate_type]} average rate"
    ax_usd.plot(milex["year"], milex["at_rate_const_bn"], color=charts.PALETTE[fx_rate_type],
                marker=".", lw=2.4, label=at_rate)  # fmt: skip
    ax_usd.set_title(
        f"Current US$ deflated to {base_year} prices", loc="left", fontsize=PANEL_TITLE_PT
    )
    ax_usd.set_ylabel(f"US$ bn at {base_year} prices (US CPI)")
    ax_usd.set_ylim(bottom=0)
    charts.legend_below(ax_usd)
    for ax in (ax_pct, ax_usd):
        charts.years_axis(ax, milex["year"])
        charts.mark_events(ax, events, yearly=True, label=ax is ax_pct)
    return charts.finish(
        ax_pct,
        title="Iran's military expenditure, share of GDP",
        ylabel="% of GDP",
        sources=[
            f"SIPRI Military Expenditure Database: dollars from {finances.release_label(milex)}, "
            "rials from the latest release that has rial figures",
            "share of GDP: World Bank MS.MIL.XPND.GD.ZS (SIPRI's latest release)",
            "rial rates: bonbast.com, TGJU.org and World Bank PA.NUS.FCRF",
            "US BLS CPI-U",
        ],
        note=conversion_note(milex, annual) if annual is not None else None,
        data=milex[["year", "pct_gdp", "sipri_const_bn", "at_rate_const_bn"]].rename(
            columns={
                "pct_gdp": "military_pct_gdp",
                "sipri_const_bn": f"sipri_usd_bn_{base_year}_prices",
                "at_rate_const_bn": f"at_{fx_rate_type}_rate_usd_bn_{base_year}_prices",
            }
        ),
    )


def conversion_note(
    milex: pd.DataFrame,
    annual: pd.DataFrame,
    *,
    start_year: int | None = None,
    end_year: int | None = None,
) -> str | None:
    """A chart note for any chart that draws SIPRI's current dollars: which release they all
    come from (:func:`finances.release_label`) and the years SIPRI's dollars fell while its
    rials rose (:func:`finances.conversion_drops` of ``milex``, a :func:`finances.military`
    frame) within ``start_year``–``end_year`` (the years the chart draws); None when it has
    neither."""
    drops = finances.in_years(
        finances.conversion_drops(finances.sipri_conversion(milex, annual)), start_year, end_year
    )
    release = finances.release_label(milex)
    parts = [] if release == "SIPRI" else [f"SIPRI's dollars for every year are from {release}."]
    if not drops.empty:
        parts.append(
            "SIPRI's dollars fall in "
            + ", ".join(str(int(y)) for y in drops["year"])
            + " while its rial figures rise: the fall comes from the exchange rate SIPRI "
            "converts at, not from fewer rials (see text)."
        )
    return " ".join(parts) or None


def _rate(value: float) -> str:
    return "n/a" if pd.isna(value) else f"{value:,.0f}"


def military_conversion_paragraph(
    milex: pd.DataFrame, annual: pd.DataFrame, start_year: int, end_year: int
) -> str:
    """Which dollars SIPRI's figures are, and each year in the span in which they fell only
    because SIPRI converted at another rate ('' when SIPRI has no rial and dollar figures)."""
    conversion = finances.sipri_conversion(milex, annual)
    shown = finances.in_years(conversion, start_year, end_year)
    if shown.empty:
        return ""
    official = shown.loc[shown["at_official"], "year"]
    other = shown.loc[~shown["at_official"] & shown["official"].notna(), "year"]
    used = (
        f"Its rates equal the official rate in {_years(official)}"
        + (f" and differ from it in {_years(other)}" if not other.empty else "")
        + ". "
        if not official.empty
        else ""
    )
    drops = finances.in_years(finances.conversion_drops(conversion), start_year, end_year)
    at_official = conversion.set_index("year")["at_official"]
    items = "".join(
        f"<li>{int(d['year'])}: SIPRI's dollars fell {-d['usd_change']:.0%}, from "
        f"US${d['previous_usd_m'] / 1e3:,.1f} bn to <b>US${d['usd_m_sipri'] / 1e3:,.1f} bn</b>, "
        f"while its rial figure rose {d['rial_change']:.0%}. SIPRI converted at "
        f"{_rate(d['previous_rate'])} rial per dollar in {int(d['previous_year'])} and "
        f"<b>{_rate(d['sipri_irr_per_usd'])}</b> in {int(d['year'])} (official rate "
        f"{_rate(d['official'])}, open market {_rate(d['open_market'])})"
        + _switch(bool(at_official.get(d["previous_year"], False)), bool(d["at_official"]))
        + ".</li>"
        for _, d in drops.iterrows()
    )
    falls = (
        "<p>In these years SIPRI's dollar figure fell while its rial figure rose"
        + _conversion_release(finances.in_years(milex, start_year, end_year))
        + ": the fall comes "
        "from the exchange rate, not from fewer rials spent (prices in Iran rose too, so this "
        f"says nothing of real spending):</p><ul>{items}</ul>"
        if items
        else ""
    )
    return (
        "<p>SIPRI's dollar figures are <b>current US dollars</b>: Iran's spending in rial "
        "divided by the exchange rate SIPRI chose for the year, which the two figures reveal "
        f"(rial ÷ dollars). {used}The chart's right panel deflates those current dollars to "
        "one year's prices with US consumer prices; that removes US inflation, not a change "
        f"of exchange rate.</p>{falls}"
    )


def _conversion_release(frame: pd.DataFrame) -> str:
    """ " (figures of SIPRI's 2024 release, …)": which release the rial and dollar figures of
    the conversion come from, when it is not the release the chart's dollars come from; ''
    otherwise."""
    rial = sorted({str(r) for r in frame.get("rial_release", pd.Series()).dropna()})
    drawn = sorted({str(r) for r in frame.get(finances.USD_RELEASE, pd.Series()).dropna()})
    if len(rial) != 1 or rial == drawn:
        return ""
    return (
        f" (figures of SIPRI's {rial[0]} release, the latest with rial figures, so rial and "
        f"dollars are of one release; the chart draws the {', '.join(drawn)} release's dollars)"
    )


def _switch(before: bool, after: bool) -> str:
    """What moved the rate SIPRI converts at between two years (whether each was official)."""
    if before and after:
        return ": the official rate itself moved"
    if before:
        return ": SIPRI stopped converting at the official rate"
    return ""


def _years(years: pd.Series) -> str:
    """Years as runs: "1960–2018, 2021"."""
    values = sorted(int(y) for y in years)
    runs: list[list[int]] = []
    for year in values:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def military_bases_paragraph(
    indicators: pd.DataFrame, annual: pd.DataFrame, start_year: int, end_year: int
) -> str:
    """The latest year's military spending in US$ at every conversion basis ('' if none)."""
    bases = finances.military_bases(indicators, annual)
    wide = bases.pivot_table(index="year", columns="basis", values="milex_usd_m")
    wide = wide[(wide.index >= start_year) & (wide.index <= end_year)].dropna()
    if wide.empty:
        return ""
    year = int(wide.index.max())
    row = wide.loc[year]
    parts = ", ".join(
        f"<b>US${row[b] / 1e3:,.1f} bn</b> in SIPRI's own conversion"
        if b == finances.SIPRI_BASIS
        else f"<b>US${row[b] / 1e3:,.1f} bn</b> at the {finances.RATE_NAMES[b]} rate"
        for b in wide.columns
    )
    fixed = finances.fixed_since(finances.rate_for(annual, "official"))
    official = (
        f" The official rate has stayed at {fixed[1]:,.0f} rial per dollar every year since "
        f"{fixed[0]}: it is no market price, so its figure is shown for comparison only."
        if fixed is not None
        else ""
    )
    return (
        f"<p>The exchange rate decides the size: Iran's {year} military spending in rial comes "
        f"to {parts} (all current dollars) — the largest is {row.max() / row.min():.1f} times "
        f"the smallest.{official}</p>"
    )


def revisions_paragraph(indicators: pd.DataFrame, start_year: int, end_year: int) -> str:
    """Where a later SIPRI release revised Iran's current-dollar spending ('' if nowhere)."""
    revised = finances.in_years(
        finances.release_revisions(indicators, finances.SIPRI_USD_CURRENT, source_id="sipri"),
        start_year,
        end_year,
    )
    if revised.empty:
        return ""
    changes = "; ".join(
        f"{year}: US${float(old) / 1e3:,.2f} bn in the {html.escape(str(old_release))} "
        f"release, <b>US${float(new) / 1e3:,.2f} bn</b> in the "
        f"{html.escape(str(new_release))} release"
        for year, old, old_release, new, new_release in revised[
            ["year", "old_value", "old_release", "new_value", "new_release"]
        ].itertuples(index=False)
    )
    newest = sorted({str(r) for r in revised["new_release"]})
    return (
        "<p>A later SIPRI release revised Iran's military spending in current dollars for these "
        f"years; the charts draw every year's dollars from the {' and '.join(newest)} release, "
        f"so no line mixes the two: {changes}.</p>"
    )


def fdi_paragraph(investment: pd.DataFrame) -> str:
    """Where the two FDI series end, their last values and the share's peak ('' if either is
    empty)."""
    usd = investment.dropna(subset=["usd_bn"])
    pct = investment.dropna(subset=["pct_gdp"])
    if usd.empty or pct.empty:
        return ""
    peak = pct.sort_values("pct_gdp", ascending=False, kind="stable").iloc[0]
    return (
        f"<p>The dollar series ends in {int(usd['year'].max())} "
        f"(last value US${usd['usd_bn'].iloc[-1]:,.2f} bn); the share of GDP runs to "
        f"{int(pct['year'].max())} (last value {pct['pct_gdp'].iloc[-1]:.2f}% of GDP, peak "
        f"{peak['pct_gdp']:.2f}% in {int(peak['year'])}).</p>"
    )


#: The GDP deflator's yearly change (World Bank code), the measure the datahub copy swaps in.
DEFLATOR = "NY.GDP.DEFL.KD.ZG"


def series_table(frame: pd.DataFrame, value_label: str) -> str:
    """A :func:`finances.series` frame as readers see it: year, value and unit, with the source
    (publisher and series name) as the caption when the series has one source, else as a
    column; the raw file and line stay in the chart's data download and the appendix."""
    from analysis.report.charts import PUBLISHERS, VIA

    def source(source_id: object, name: object) -> str:
        via = VIA.get(str(source_id))
        publisher = PUBLISHERS.get(str(source_id), str(source_id))
        return f"{publisher}{f' (via {via})' if via else ''}: {name}"

    sources = [
        source(s, n) for s, n in zip(frame["source_id"], frame["indicator_name"], strict=True)
    ]
    shown = pd.DataFrame(
        {
            "year": frame["year"].astype(int).astype(str),
            value_label: frame["value"].astype(float).map(lambda v: f"{v:,.1f}"),
            "unit": frame["unit"].astype(str),
        }
    )
    one = len(set(sources)) == 1
    if not one:
        shown["source"] = sources
    caption = f"Source: {sources[0]}" if one else None
    return html_table(shown, numeric=[value_label], caption=caption)


def deflator_paragraph(indicators: pd.DataFrame, inflation: pd.DataFrame) -> str:
    """Why the series is the consumer-price one and not the GDP deflator, with the year in
    ``inflation``'s span where the two differ most ('' when the deflator is not in the table)."""
    sources = inflation["source_id"].dropna().unique().tolist()
    deflator = finances.series(
        indicators,
        DEFLATOR,
        start_year=int(inflation["year"].min()),
        end_year=int(inflation["year"].max()),
        prefer=sources,
    )
    both = inflation[["year", "value"]].merge(
        deflator[["year", "value"]], on="year", suffixes=("_cpi", "_deflator")
    )
    if both.empty:
        return ""
    gap = (both["value_cpi"].astype(float) - both["value_deflator"].astype(float)).abs()
    row = both.iloc[int(gap.to_numpy().argmax())]
    return (
        "<p>Consumer prices are not the only measure of inflation: the GDP deflator covers "
        "everything the economy produces, and the two can differ widely. "
        f"In {int(row['year'])} consumer "
        f"prices rose <b>{float(row['value_cpi']):.1f}%</b> and the deflator "
        f"<b>{float(row['value_deflator']):.1f}%</b>.</p>"
    )
