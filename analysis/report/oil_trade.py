"""EU crude-oil imports from Iran as the reports chart them (processed ``oil_trade`` in, a tidy
frame out): thousand barrels a day, by month and by year.

Barrels a day are the month's (or year's) volume divided by its number of days. A month of the
register in which no EU country reports a barrel from the origin counts as zero: the register
lists every import of the month, so an absent origin means none (2013, 2015, 2019).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes

IRAN = "IRN"
COLUMNS = ["month", "volume_kbbl", "days", "kbd"]


def monthly_imports_kbd(oil_trade: pd.DataFrame, origin_code: str = IRAN) -> pd.DataFrame:
    """EU imports from ``origin_code`` per month of the register: ``month``, ``volume_kbbl``
    (thousand barrels), ``days`` (days in the month) and ``kbd`` (thousand barrels a day)."""
    months = pd.DatetimeIndex(sorted(pd.to_datetime(oil_trade["month"]).unique()))
    volume = (
        oil_trade.loc[oil_trade["origin_code"].eq(origin_code)]
        .assign(month=lambda d: pd.to_datetime(d["month"]))
        .groupby("month")["volume_kbbl"]
        .sum()
        .reindex(months, fill_value=0.0)
        .to_numpy(dtype=float)
    )
    days = months.days_in_month.to_numpy()
    return pd.DataFrame(
        {"month": months, "volume_kbbl": volume, "days": days, "kbd": volume / days}
    )


def yearly_imports_kbd(monthly: pd.DataFrame) -> pd.DataFrame:
    """The monthly series (:func:`monthly_imports_kbd`) by calendar year: ``year``,
    ``volume_kbbl``, ``days`` (of the months present), ``kbd`` and ``months`` (how many)."""
    return (
        monthly.assign(year=monthly["month"].dt.year)
        .groupby("year", as_index=False)
        .agg(volume_kbbl=("volume_kbbl", "sum"), days=("days", "sum"), months=("month", "size"))
        .assign(kbd=lambda d: d["volume_kbbl"] / d["days"])
    )


def draw_crude_exports(ax: Axes, frame: pd.DataFrame, *, colors: tuple[str, str]) -> Axes:
    """Iran's exports (line) and the EU's imports from Iran (bars), thousand barrels a day, by
    year, from :func:`analysis.views.finances.crude_exports`, labelled for a legend (the caller
    places it: see :func:`analysis.report.charts.legend_below`)."""
    eu = frame.dropna(subset=["eu_imports_kbd"])
    eia = frame.dropna(subset=["exports_kbd"])
    ax.bar(eu["year"], eu["eu_imports_kbd"], color=colors[1], width=0.7,
           label="EU imports from Iran (EU register)")  # fmt: skip
    ax.plot(eia["year"], eia["exports_kbd"], color=colors[0], marker=".",
            label="Iran's crude exports, all buyers (EIA)")  # fmt: skip
    ax.set_ylim(bottom=0)
    return ax
