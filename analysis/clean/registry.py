"""The processed tables, in build order: each one's build (load its sources, then process), its
one pandera schema and the raw files it reads. The pipeline runs exactly these, nothing found by
name."""

from __future__ import annotations

from analysis.clean.base import Table
from analysis.clean.tables import (
    claims,
    events,
    fx_rates,
    indicators,
    oil_prices,
    oil_trade,
    us_cpi,
)
from analysis.schemas import claims as claims_schema
from analysis.schemas import events as events_schema
from analysis.schemas import fx_rates as fx_rates_schema
from analysis.schemas import indicators as indicators_schema
from analysis.schemas import oil_prices as oil_prices_schema
from analysis.schemas import oil_trade as oil_trade_schema
from analysis.schemas import us_cpi as us_cpi_schema

TABLES: dict[str, Table] = {
    "indicators": Table(indicators.build, indicators_schema.SCHEMA, indicators.INPUTS),
    "fx_rates": Table(fx_rates.build, fx_rates_schema.SCHEMA, fx_rates.INPUTS),
    "oil_prices": Table(oil_prices.build, oil_prices_schema.SCHEMA, oil_prices.INPUTS),
    "oil_trade": Table(oil_trade.build, oil_trade_schema.SCHEMA, oil_trade.INPUTS),
    "us_cpi": Table(us_cpi.build, us_cpi_schema.SCHEMA, us_cpi.INPUTS),
    "claims": Table(claims.build, claims_schema.SCHEMA, claims.INPUTS),
    "events": Table(events.build, events_schema.SCHEMA, events.INPUTS),
}
