"""Every chart the finances, claims and rapprochement reports draw, on small SYNTHETIC tables,
reads on a 390 px phone: no text under ``charts.MIN_PHONE_PX`` when its SVG is scaled to the phone
column, whatever size the chart sets for itself (the built reports are held to the same floor in
test_report_quality.py)."""

from __future__ import annotations

from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
import synthetic_processed as syn
from matplotlib.figure import Figure
from test_report_quality import svg_text_px

from analysis.finance import annual_rates
from analysis.report import charts, finances, funding, rapprochement
from analysis.report import finance_story as story
from analysis.report.finance_charts import fdi_chart, inflation_chart

SPAN = {"start_year": 2000, "end_year": 2024}


def _finance_charts() -> dict[str, Callable[[], Figure]]:
    ind = syn.indicators()
    events = charts.key_events(syn.events(), 2000, 2024)
    annual = annual_rates(syn.fx_rates(), ind)
    oil = finances.oil(syn.oil_prices(), ind, **SPAN)
    milex = story.military_in_constant_dollars(
        ind, annual, syn.us_cpi(), rate_type="open_market", base_year=2024, **SPAN
    )
    return {
        "inflation": lambda: inflation_chart(
            finances.series(ind, finances.INFLATION, **SPAN), events
        ),  # fmt: skip
        "fdi": lambda: fdi_chart(finances.fdi(ind, **SPAN), ind, events),
        "rates": lambda: story.rate_chart(
            syn.fx_rates(), ind, events, fx_rate_type="open_market", **SPAN
        ),  # fmt: skip
        "oil": lambda: story.oil_chart(oil, syn.oil_prices(), ind, events, **SPAN),
        "exports": lambda: story.exports_chart(
            finances.crude_exports(ind, syn.oil_trade(), **SPAN), events
        ),
        "military": lambda: story.military_chart(
            milex, events, fx_rate_type="open_market", base_year=2024, annual=annual
        ),  # fmt: skip
    }


def _claims_charts() -> dict[str, Callable[[], Figure]]:
    reports = {
        scope: funding.make(
            lambda name: syn.TABLES[name](), recipient_scope=scope, start_year=1990, end_year=2025
        )  # fmt: skip
        for scope in ("hamas_only", "including_aggregates")
    }
    return {
        f"{kind}-{scope}": (lambda f=draw, r=r: f(r))
        for scope, r in reports.items()
        for kind, draw in (
            ("timeline", funding.timeline_figure),
            ("by_period", funding.by_period_figure),
        )
    }


def _rapprochement_charts() -> dict[str, Callable[[], Figure]]:
    """The five charts analysis/report/plots.py draws for the rapprochement report."""
    r = rapprochement.make(
        lambda name: syn.TABLES[name](),
        start_year=2000,
        end_year=2024,
        min_grade="blog_listicle_aggregator",
    )
    return {
        f"rapprochement-{name}": (lambda f=draw: f(r))
        for name, draw in (
            ("money", rapprochement.money_figure),
            ("timeline", rapprochement.timeline_figure),
            ("squeeze", rapprochement.squeeze_figure),
            ("capacity", rapprochement.capacity_figure),
            ("palestine", rapprochement.palestine_figure),
        )
    }


CHARTS = {**_finance_charts(), **_claims_charts(), **_rapprochement_charts()}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_the_chart_reads_on_a_390_px_phone(name: str) -> None:
    charts.set_theme()
    fig = CHARTS[name]()
    svg = charts.figure_svg(fig)
    plt.close("all")
    smallest = min(svg_text_px(svg, charts.PHONE_COLUMN_PX))
    assert smallest >= charts.MIN_PHONE_PX, f"{name}: {smallest:.1f} px at 390 px"


def test_legend_labels_sit_under_the_plot_not_over_the_data() -> None:
    """The finances charts' legends are placed below their axes (``legend_below``)."""
    charts.set_theme()
    fig = CHARTS["military"]()
    fig.canvas.draw()
    ax = fig.axes[1]
    legend = ax.get_legend().get_window_extent()
    assert legend.y1 < ax.get_window_extent().y0
    plt.close("all")


def test_multi_panel_charts_are_one_column_at_the_theme_width() -> None:
    charts.set_theme()
    for name in ("oil", "military", "fdi", "timeline-hamas_only", "rapprochement-squeeze",
                 "rapprochement-capacity", "rapprochement-palestine"):  # fmt: skip
        fig = CHARTS[name]()
        columns = {round(ax.get_position().x0, 2) for ax in fig.axes if ax.axison}
        assert len(columns) == 1, name
        assert fig.get_figwidth() <= charts.FIGSIZE[0] + 0.5, name
    plt.close("all")
