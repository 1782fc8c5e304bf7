"""Charts of Iran's finances shared by the inflation and finances reports: each function draws one
finished chart (theme, event markers, title, source line, the data behind it for download) and
returns the figure, so the notebooks hold only parameters, calls and prose."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from analysis.report import charts, finances

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: A panel's own title in a multi-panel chart, in points: the theme's text size, under the
#: figure's title (:data:`charts.TEXT_PT`).
PANEL_TITLE_PT = charts.TEXT_PT["font.size"]
#: The FDI chart's two stacked panels, in inches (the theme's width).
FDI_FIGSIZE = (6.0, 5.6)


def inflation_chart(inflation: pd.DataFrame, events: pd.DataFrame) -> Figure:
    """Bars of Iran's annual consumer-price inflation (``finances.series`` of FP.CPI.TOTL.ZG)
    with the key events numbered above the plot."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.bar(inflation["year"], inflation["value"], color=charts.PALETTE["iran"], width=0.8)
    charts.years_axis(ax, inflation["year"])
    charts.mark_events(ax, events, yearly=True)
    span = f"{inflation['year'].min()}–{inflation['year'].max()}"
    return charts.finish(
        ax,
        title=f"Iran: consumer-price inflation, {span}",
        ylabel="% change on previous year",
        sources=charts.source_line(inflation, finances.INFLATION),
        note=charts.events_note(events),
        data=inflation[
            [
                c
                for c in ("year", "value", "unit", "source_id", "source_file", "source_row")
                if c in inflation
            ]
        ],
    )


def fdi_chart(investment: pd.DataFrame, indicators: pd.DataFrame, events: pd.DataFrame) -> Figure:
    """Foreign direct investment into Iran (``finances.fdi``) as two stacked panels sharing the
    year axis, US$ bn above and % of GDP below (no dual y-axis)."""
    import matplotlib.pyplot as plt

    fig, (ax_usd, ax_pct) = plt.subplots(2, 1, sharex=True, figsize=FDI_FIGSIZE)
    ax_usd.bar(investment["year"], investment["usd_bn"], color=charts.PALETTE["iran"], width=0.8)
    ax_usd.set_ylabel("US$ bn, current")
    ax_pct.plot(
        investment["year"], investment["pct_gdp"], color=charts.PALETTE["aggregate"], marker="."
    )
    ax_pct.set_ylim(bottom=0)
    for ax in (ax_usd, ax_pct):
        charts.years_axis(ax, investment["year"])
        charts.mark_events(ax, events, yearly=True, label=ax is ax_usd)
    rows_above = int(getattr(ax_usd, "_report_marker_rows", 0))
    ax_usd.set_title(
        "Net inflows, US$ bn", loc="left", fontsize=PANEL_TITLE_PT, pad=6 + 14 * rows_above
    )
    fig.suptitle(
        "Foreign direct investment into Iran, net inflows", x=0.01, ha="left", fontweight="bold"
    )
    rows = indicators[
        indicators["indicator_code"].isin([finances.FDI_USD, finances.FDI_PCT_GDP])
        & (indicators["country_code"] == finances.IRAN)
    ]
    years = rows[rows["year"].isin(investment["year"])]
    return charts.finish(
        ax_pct,
        title="Net inflows, % of GDP",
        ylabel="% of GDP",
        sources=charts.source_line(years, f"{finances.FDI_USD} and {finances.FDI_PCT_GDP}"),
        note=charts.events_note(events),
        data=investment,
    )
