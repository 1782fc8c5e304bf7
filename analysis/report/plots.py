"""Drawing helpers shared by the claims and rapprochement reports (matplotlib, on a given axis).

The frames they draw come from :mod:`analysis.report.claims`; the theme, event markers and
captions from :mod:`analysis.report.charts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.report.claims import CLAIMANT_TYPES, NOT_ANNUAL

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: One colour per claimant type (seaborn "colorblind", in ledger vocabulary order).
CLAIMANT_COLORS: dict[str, str] = dict(
    zip(
        CLAIMANT_TYPES,
        (
            "#0173b2",
            "#de8f05",
            "#029e73",
            "#d55e00",
            "#cc78bc",
            "#ca9161",
            "#fbafe4",
            "#949494",
            "#ece133",
            "#56b4e9",
        ),
        strict=True,
    )
)
#: How far an open-ended range's arrow reaches, as a factor of its stated bound (log axis).
OPEN_END_FACTOR = 2.0
#: Horizontal offset between claims placed on the same year, in years.
JITTER = 0.18


def _offsets(years: pd.Series, jitter: float = JITTER) -> np.ndarray:
    """Small horizontal offsets so claims about the same year do not overlap."""
    rank = years.groupby(years).cumcount().to_numpy()
    size = years.map(years.value_counts()).to_numpy()
    return (rank - (size - 1) / 2) * jitter


def _arrow(ax: Axes, x: float, start: float, end: float, color: str) -> None:
    """An open-ended bound: a tick at the stated figure and an arrow towards the open side."""
    ax.annotate(
        "",
        xy=(x, end),
        xytext=(x, start),
        arrowprops={"arrowstyle": "-|>", "color": color, "lw": 1.6},
    )
    ax.plot([x], [start], marker="_", color=color, markersize=10, mew=2)


def draw_ranges(
    ax: Axes,
    ranges: pd.DataFrame,
    *,
    x: str = "reference_year",
    spans: bool = True,
    width: float | None = None,
) -> Axes:
    """Each claim as its annual range on a log axis: a vertical bar from low to high, a dot for a
    single figure, an arrow for an open end ("at least" up, "up to" down), a faint horizontal
    line over the years a multi-year claim covers. Colour = claimant type; filled marker = Iran's
    money for Hamas alone, hollow = an aggregate (other recipients or other donors included).
    ``spans=False`` leaves out the multi-year lines (when ``x`` is not a year); ``width`` fits
    the claims sharing one ``x`` into that width. The y axis is logarithmic and covers every
    arrow.
    """
    if ranges.empty:
        ax.text(
            0.5,
            0.5,
            "no claim with an annual amount",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="#555555",
        )
        ax.set_yticks([])
        return ax
    jitter = JITTER
    if width is not None:
        jitter = width / max(int(ranges[x].value_counts().max()), 1)
    xs = ranges[x].astype(float).to_numpy() + _offsets(ranges[x], jitter)
    for xi, row in zip(xs, ranges.to_dict(orient="records"), strict=True):
        color = CLAIMANT_COLORS.get(str(row["claimant_type"]), "#000000")
        face = "white" if row["is_aggregate"] else color
        low, high = float(row["low"]), float(row["high"])
        if row["high_open"] and not np.isnan(low):
            _arrow(ax, xi, low, low * OPEN_END_FACTOR, color)
        elif row["low_open"] and not np.isnan(high):
            _arrow(ax, xi, high, high / OPEN_END_FACTOR, color)
        elif low == high:
            ax.plot([xi], [low], marker="o", color=color, mfc=face, markersize=6, mew=1.4)
        else:
            ax.plot([xi, xi], [low, high], color=color, lw=2.2, solid_capstyle="round")
            ax.plot(
                [xi, xi],
                [low, high],
                ls="none",
                marker="o",
                color=color,
                mfc=face,
                markersize=4,
                mew=1.2,
            )
        span_end = float(row["span_end"])
        if spans and not np.isnan(span_end):
            level = low if not np.isnan(low) else high
            ax.plot(
                [float(row["reference_year"]), span_end],
                [level, level],
                color=color,
                lw=0.8,
                ls=":",
                alpha=0.8,
            )
    ax.set_yscale("log")
    stated = pd.concat([ranges["low"], ranges["high"]]).dropna()
    ax.set_ylim(stated.min() / OPEN_END_FACTOR / 1.3, stated.max() * OPEN_END_FACTOR * 1.3)
    return ax


def range_legend(ax: Axes, types: list[str], *, show_open: bool = True) -> Axes:
    """Legend: claimant-type colours, filled vs hollow (Iran → Hamas alone vs aggregate), open
    ends."""
    from matplotlib.lines import Line2D

    handles = [
        Line2D(
            [],
            [],
            color=CLAIMANT_COLORS.get(t, "#000000"),
            marker="o",
            lw=2,
            label=t.replace("_", " "),
        )
        for t in types
    ]
    handles += [
        Line2D([], [], color="#555555", marker="o", ls="none", label="Iran → Hamas alone"),
        Line2D(
            [],
            [],
            color="#555555",
            marker="o",
            mfc="white",
            ls="none",
            label="aggregate (other recipients\nor donors included)",
        ),
    ]
    if show_open:
        handles.append(
            Line2D(
                [], [], color="#555555", marker="^", ls="none", label="open end (at least / up to)"
            )
        )
    ax.legend(
        handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False
    )
    return ax


def draw_strip(ax: Axes, others: pd.DataFrame) -> Axes:
    """The claims with no annual range, as dots on one row per reason (same colours/fills)."""
    rows = list(NOT_ANNUAL.values())
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    placed = others.dropna(subset=["reference_year"])
    if placed.empty:
        return ax
    level = placed["category"].map({name: i for i, name in enumerate(rows)}).astype(float)
    xs = placed["reference_year"].astype(float).to_numpy() + _offsets(
        placed["reference_year"].astype(str) + placed["category"]
    )
    for xi, yi, row in zip(xs, level, placed.itertuples(index=False), strict=True):
        color = CLAIMANT_COLORS.get(str(row.claimant_type), "#000000")
        ax.plot(
            [xi],
            [yi],
            marker="o",
            color=color,
            mfc="white" if row.is_aggregate else color,
            markersize=5,
            mew=1.2,
        )
    return ax
