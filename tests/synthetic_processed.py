# ruff: noqa: E501  (the claims fixture is a table: one claim a line)
"""SYNTHETIC processed tables for the report tests (invented values, never used in a report).

:func:`write_tables` writes small ``indicators``, ``fx_rates``, ``oil_prices``, ``oil_trade``,
``us_cpi``, ``claims`` and ``events`` tables, shaped like the real ones (same columns as the schemas), into
``<home>/data/processed`` with a manifest, so the report notebooks can run on them. Every
``source_file`` starts with ``synthetic/`` and every text says "synthetic" where it can.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd

YEARS = list(range(1995, 2025))
SYN = "synthetic"


#: The vintage of an invented later SIPRI release in the synthetic indicators.
LATER_SIPRI_RELEASE = "2001-01-01 synthetic"


def _indicator(
    code: str, name: str, unit: str, source: str, values: dict[int, float], country: str = "IRN"
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "country_code": country,
            "country_name": {"IRN": "Iran", "PSE": "West Bank and Gaza"}.get(
                country, "United States"
            ),
            "indicator_code": code,
            "indicator_name": f"{name} (synthetic)",
            "unit": unit,
            "year": list(values),
            "year_basis": "calendar",
            "value": list(values.values()),
            "source_id": source,
            "is_aggregate": False,
            "is_estimate": False,
            "vintage": "2000-01-01 synthetic",
            "source_file": f"{SYN}/{source}/{code}.csv",
            "source_row": range(1, len(values) + 1),
        }
    )


def indicators() -> pd.DataFrame:
    """Invented Iran series over 1995–2024 (and one US row to be filtered out)."""
    years = np.array(YEARS)
    t = years - years[0]
    official = np.where(years < 2018, 2000 + 1200 * t, 42000.0)
    rial_milex = 1e12 * (5 + 3 * t) ** 1.6
    parts = [
        _indicator(
            "FP.CPI.TOTL.ZG",
            "Inflation",
            "% a year",
            "worldbank",
            dict(zip(YEARS, 10 + (t % 7) * 4.0, strict=True)),
        ),
        _indicator(
            "FP.CPI.TOTL.ZG",
            "Inflation",
            "% a year",
            "datahub-inflation",
            dict(zip(YEARS[:5], [99.0] * 5, strict=True)),
        ),
        _indicator(
            "FP.CPI.TOTL.ZG",
            "Inflation",
            "% a year",
            "worldbank",
            dict(zip(YEARS, [2.0] * len(YEARS), strict=True)),
            country="USA",
        ),
        _indicator(
            "PA.NUS.FCRF",
            "Official exchange rate",
            "LCU per US$",
            "worldbank",
            dict(zip(YEARS, official, strict=True)),
        ),
        _indicator(
            "MS.MIL.XPND.GD.ZS",
            "Military expenditure",
            "% of GDP",
            "worldbank",
            dict(zip(YEARS, 2 + (t % 4) * 0.3, strict=True)),
        ),
        _indicator(
            "SIPRI.MILEX.USD_CURRENT_M",
            "Military expenditure",
            "US$ m, current",
            "sipri",
            dict(zip(YEARS, 5000 + 300.0 * t, strict=True)),
        ),
        _indicator(
            "SIPRI.MILEX.LCU_CY",
            "Military expenditure",
            "Rial, current prices",
            "sipri",
            dict(zip(YEARS, rial_milex, strict=True)),
        ),
        _indicator(
            "BX.KLT.DINV.CD.WD",
            "FDI net inflows",
            "current US$",
            "worldbank",
            dict(zip(YEARS[:22], 1e9 + 1e8 * t[:22], strict=True)),
        ),
        _indicator(
            "BX.KLT.DINV.WD.GD.ZS",
            "FDI net inflows",
            "% of GDP",
            "worldbank",
            dict(zip(YEARS, 0.5 + (t % 5) * 0.1, strict=True)),
        ),
        _indicator(
            "EIA.INTL.57_4_TBPD.A",
            "Crude oil including lease condensate exports",
            "thousand barrels per day",
            "eia-intl",
            {y: 2000.0 + 10.0 * (y - 1995) for y in YEARS if y <= 2018},
        ),
        _indicator(
            "EI.OIL_PROD.KBD",
            "Oil production",
            "thousand barrels a day",
            "energy-institute",
            dict(zip(YEARS[:-1], 3500 + 20.0 * t[:-1], strict=True)),
        ),
        _indicator(
            "TX.VAL.FUEL.ZS.UN",
            "Fuel exports",
            "% of merchandise exports",
            "worldbank",
            dict(zip(YEARS[:-2], 80 - t[:-2] * 0.5, strict=True)),
        ),
        _indicator(
            "SL.UEM.TOTL.ZS",
            "Unemployment, total",
            "% of total labor force",
            "worldbank",
            {y: 20.0 + 0.5 * (y - 2000) for y in YEARS if 2000 <= y <= 2022},
            country="PSE",
        ),
        _indicator(
            "WEO.GGXCNL_NGDP",
            "General government net lending/borrowing",
            "% of GDP",
            "imf-weo",
            {y: -2.0 - (y % 3) for y in YEARS if y >= 2009},
            country="PSE",
        ),
    ]
    table = pd.concat(parts, ignore_index=True)
    # a later (invented) SIPRI release: it revised 2022 and alone has 2024 (see the cleaner's
    # other_vintage columns)
    usd = table["indicator_code"] == "SIPRI.MILEX.USD_CURRENT_M"
    revised = usd & (table["year"] == 2022)
    table.loc[usd & (table["year"] == 2024), "vintage"] = LATER_SIPRI_RELEASE
    return table.assign(
        other_vintage=pd.Series(LATER_SIPRI_RELEASE, index=table.index).where(revised),
        other_vintage_value=(table["value"] * 0.8).where(revised),
    )


def fx_rates() -> pd.DataFrame:
    """Invented daily quotes (every 7th day a carried-forward copy): open market from bonbast
    (October 2012 on) and from tgju (November 2011 on, 60% dearer, so a test can tell which
    source was used), NIMA from mid-November 2018 — the real series' starting months."""

    def rows(rate_type: str, source: str, start: str, base: float, growth: float) -> pd.DataFrame:
        dates = pd.date_range(start, "2024-12-31", freq="D")
        days = np.arange(len(dates))
        return pd.DataFrame(
            {
                "date": dates,
                "date_jalali": "1400/01/01",
                "rate_type": rate_type,
                "currency": "USD",
                "irr_per_unit": base * (1 + growth) ** days,
                "source_id": source,
                "is_carried_forward": days % 7 == 6,
                "source_file": f"{SYN}/{source}-{rate_type}.json",
                "source_row": days + 1,
            }
        )

    bonbast = rows("open_market", "bonbast", "2012-10-01", 15000, 0.0008)
    tgju = rows("open_market", "tgju", "2011-11-01", 12000 * 1.6, 0.0008)
    nima = rows("nima", "tgju", "2018-11-15", 40000, 0.0005)
    return pd.concat([bonbast, tgju, nima], ignore_index=True)


def oil_prices() -> pd.DataFrame:
    """Invented Brent annual averages 1995–2024."""
    return pd.DataFrame(
        {
            "date": pd.to_datetime([f"{y}-06-30" for y in YEARS]),
            "frequency": "year",
            "benchmark": "brent",
            "usd_per_barrel": [20.0 + 3 * (i % 9) for i in range(len(YEARS))],
            "source_id": "eia-oil-prices",
            "source_file": f"{SYN}/brent-year.csv",
            "source_row": range(2, len(YEARS) + 2),
        }
    )


def oil_trade() -> pd.DataFrame:
    """Invented EU crude imports 2013–2019: Italy from Iraq every month, from Iran from March
    2016 to November 2018 (the real pattern's shape, not its figures)."""
    months = pd.date_range("2013-01-01", "2019-12-01", freq="MS")
    iran = months[(months >= "2016-03-01") & (months <= "2018-11-01")]

    def rows(
        when: pd.DatetimeIndex, code: str, name: str, grade: str, volume: float
    ) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "month": when,
                "reporter_code": "ITA",
                "reporter_name": "Italy",
                "origin_code": code,
                "origin_name": name,
                "crude_grade": grade,
                "volume_kbbl": volume,
                "value_kusd": volume * 50.0,
                "cif_usd_per_bbl": 50.0,
                "is_confidential": False,
                "source_id": "eu-coir",
                "source_file": f"{SYN}/eu-coir.xlsx",
                "source_row": [f"EU COI - {m:%b}!{3 if code == 'IRQ' else 4}" for m in when],
            }
        )

    return pd.concat(
        [
            rows(months, "IRQ", "Iraq", "Basrah Light", 3000.0),
            rows(iran, "IRN", "Iran", "Iranian Heavy", 9300.0),
        ],
        ignore_index=True,
    )


def us_cpi() -> pd.DataFrame:
    """Invented CPI-U annual averages (2% a year) 1995–2024."""
    return pd.DataFrame(
        {
            "year": YEARS,
            "cpi_u_annual_average": [150 * 1.02**i for i in range(len(YEARS))],
            "source_id": "datahub-cpi-us",
            "source_file": f"{SYN}/cpiai.csv",
            "source_row": [2 + 12 * i for i in range(len(YEARS))],
        }
    )


#: Invented claims covering every drawing case; the two Lieberman ids keep their real structure
#: (about $100m, and most of $260m, for 2017). Amounts in US$; ";" separates columns. S011 pools
#: Iran with other donors, so (as the cleaner does) it has a parsed amount but no annual US$.
CLAIMS_TEXT = """\
claim_id;claim_date;claimant_type;amount_as_stated;period_as_stated;recipient_scope;donor_scope;status;amount_kind;bound;period;amount_low;amount_high;share_low;share_high;annual_low_usd;annual_high_usd;parse_status;parse_reason;period_start;period_end;source_grade
C054;2018-01-15;israeli_government;about $100 million | $260 million;in 2017;hamas_military_wing;iran;paid;absolute;approximate;year;1e8;1e8;;;1e8;1e8;parsed;;2017;2017;official_on_record
C057;2018-03;israeli_government;most of the $260m;in 2017;hamas;iran;paid;share;range;year;1.3e8;2.6e8;0.5;1.0;1.3e8;2.6e8;parsed;;2017;2017;official_on_record
S001;2008-05-01;think_tank_academic;several hundred million dollars a year;;hamas;iran;paid;absolute;vague;year;3e8;9e8;;;3e8;9e8;parsed;;;;think_tank_academic
S002;2009-01-10;other;25 to $50 million;in certain years;hamas;iran;paid;absolute;range;year;2.5e7;5e7;;;2.5e7;5e7;parsed;;;;media_unsourced
S003;2014-03-01;media_unnamed_sources;around $23m a month;a month;hamas;iran;paid;absolute;approximate;month;2.3e7;2.3e7;;;2.76e8;2.76e8;parsed;;;;media_unsourced
S004;2019-08-06;media_unnamed_sources;upwards of $30 million;monthly;palestinian_groups_incl_hamas;iran;paid;absolute;at_least;month;3e7;;;;3.6e8;;parsed;;;;unnamed_officials
S005;2023-11-02;us_government;as much as $120 million;annually;hamas;iran;unknown;absolute;at_most;year;;1.2e8;;;;1.2e8;parsed;;;;official_on_record
S006;2022-01-02;hamas;a total of $70 million;cumulative;hamas;iran;paid;absolute;exact;total;7e7;7e7;;;;;parsed;;;;named_official_or_party
S007;2015-07;hamas;All assistance has stopped;;hamas;iran;stopped;none;none;unspecified;;;;;;;parsed;;;;named_official_or_party
S008;;other;approximately US$30 million annually;annually, 1993 to 2006;hamas;iran;paid;absolute;approximate;year;3e7;3e7;;;3e7;3e7;parsed;;1993;2006;blog_listicle_aggregator
S009;2012;hamas;Some 75% of the Hamas budget;2012 budget;hamas;iran_and_others;unknown;share;approximate;year;;;0.75;0.75;;;partial;share of an amount not stated (synthetic);2012;2012;named_official_or_party
S010;2016-02-24;iran_government;a quarter of a fortnight's worth;;other;iran;offered;none;none;unspecified;;;;;;;unparsed;no rule reads this wording (synthetic);;;official_on_record
C059;2018-07-26;other;the steady flow of funding;;hamas;iran;stopped;none;none;unspecified;;;;;;;parsed;;;2012;media_unsourced
S012;2013-06-02;hamas;All assistance has been cut;;hamas;iran;reduced;none;none;unspecified;;;;;;;parsed;;;2013;named_official_or_party
S013;2015-02;iran_government;continues to fund Hamas;;hamas;iran;paid;none;none;unspecified;;;;;;;parsed;;2015;2015;official_on_record
S011;2010-04-14;other;$540 million | the bulk of that amount annually;annually;hamas;iran_and_others;paid;share;range;year;2.7e8;5.4e8;0.5;1.0;;;parsed;;2010;2010;blog_listicle_aggregator
"""


#: The article's own row (its date is the article's publication date) and its address.
ARTICLE_ID = "C059"
ARTICLE_URL = "https://example.org/synthetic/article"


def claims() -> pd.DataFrame:
    """The invented claims with every column of the claims schema, in its order."""
    from analysis.schemas.claims import COLUMNS

    frame = pd.read_csv(
        io.StringIO(CLAIMS_TEXT), sep=";", dtype=str, keep_default_na=False
    ).replace({"": None})
    n = len(frame)
    money = ["amount_low", "amount_high", "share_low", "share_high", "annual_low_usd"]
    money += ["annual_high_usd"]
    years = {c: pd.to_numeric(frame[c]).astype("Int64") for c in ("period_start", "period_end")}
    claim_year = pd.to_numeric(frame["claim_date"].str[:4]).astype("Int64")
    frame = frame.assign(
        **{c: pd.to_numeric(frame[c]).astype(float) for c in money},
        **years,
        claimant=[f"Synthetic claimant {i}" for i in range(n)],
        currency_as_stated="USD",
        recipient_as_stated="Hamas (synthetic)",
        purpose_as_stated="general",
        source_publisher=[f"Synthetic Gazette <{i}>" for i in range(n)],
        source_title="Synthetic article",
        source_url=[f"https://example.org/synthetic/{i}?a=1&b=2" for i in range(n)],
        source_date=None,
        quote=[
            "<script>alert('synthetic')</script> quoted" if i == 0 else f"synthetic quote {i}"
            for i in range(n)
        ],
        notes="synthetic",
        curation_note="synthetic",
        claim_year=claim_year,
        value_year=years["period_start"].fillna(years["period_end"]).fillna(claim_year),
        dated_by=np.select(
            [years["period_start"].notna(), years["period_end"].notna(), claim_year.notna()],
            ["period_start", "period_end", "claim_date"],
            "undated",
        ),
        currency=np.where(frame["amount_kind"] == "none", None, "USD"),
        usd_per_unit=np.where(frame["amount_kind"] == "none", np.nan, 1.0),
        annual_note=None,
        base_year=2024,
        source_file="ledgers/claims.csv",
        source_row=range(2, n + 2),
    )
    article = frame["claim_id"].isin(["C057", ARTICLE_ID])  # the article's own statements
    frame["source_url"] = frame["source_url"].mask(article, ARTICLE_URL)
    cpi = us_cpi().set_index("year")["cpi_u_annual_average"]
    factor = cpi[2024] / frame["value_year"].astype(float).map(cpi)
    frame["annual_low_usd_const"] = frame["annual_low_usd"] * factor
    frame["annual_high_usd_const"] = frame["annual_high_usd"] * factor
    return frame[COLUMNS]


def events() -> pd.DataFrame:
    """Invented events: the break and the return the reports date their periods by, the
    sanctions and Gaza events they draw, some marked on charts (``chart_label``), some not."""
    from analysis.schemas.events import COLUMNS

    rows = [
        ("SYN1", "2008-03-04", "Synthetic marker A", "SYN-A", "sanctions", None, None),
        (
            "E009",
            "2012-02-24",
            "Synthetic break: Hamas backs the uprising",
            "break",
            "hamas_iran_relations",
            None,
            None,
        ),
        ("E014", "2014-09-09", "Synthetic tunnels testimony", None, "gaza", None, None),
        ("SYN2", "2016-05", "Synthetic marker B", "SYN-B", "sanctions", None, None),
        (
            "E020",
            "2017-04-04",
            "Synthetic pay cut in Gaza",
            None,
            "gaza",
            "Palestinian Authority",
            None,
        ),
        (
            "E021",
            "2017-08-28",
            "Synthetic return: ties called excellent",
            None,
            "hamas_iran_relations",
            None,
            None,
        ),
        (
            "E023",
            "2018-05-08",
            "Synthetic US exit (deal): sanctions back",
            "US exit",
            "sanctions",
            "US",
            None,
        ),
        (
            "E024",
            "2018-07-16",
            "Synthetic Gaza conference",
            None,
            "hamas_iran_relations",
            None,
            None,
        ),
        (
            "E026",
            "2018-08-07",
            "Synthetic first wind-down ends: metals",
            None,
            "sanctions",
            "US",
            None,
        ),
        ("E027", "2018-11-05", "Synthetic oil sanctions", "oil sanctions", "sanctions", "US", None),
        ("P04", "2018-11-08", "Synthetic Qatari cash for salaries", None, "gaza", "Qatar", 15e6),
        ("S25", "2019-05-02", "Synthetic waivers expire", None, "sanctions", "US", None),
        ("SYN3", "2020", "Synthetic unmarked event", None, "sanctions", None, None),
    ]
    columns = ["event_id", "date", "event", "chart_label", "category", "actor"]
    frame = pd.DataFrame(rows, columns=[*columns, "amount_usd_as_reported"])
    lengths = frame["date"].str.len()
    return frame.assign(
        source_url=[f"https://example.org/synthetic-event/{i}" for i in range(len(rows))],
        amount_usd_as_reported=frame["amount_usd_as_reported"].astype(float),
        rial_per_usd_level=pd.array([None] * len(rows), dtype="Int64"),
        event_date=pd.to_datetime(frame["date"] + lengths.map({4: "-01-01", 7: "-01", 10: ""})),
        date_precision=lengths.map({4: "year", 7: "month", 10: "day"}),
        year=frame["date"].str[:4].astype("int64"),
        source_id="ledger",
        source_file="synthetic/events.csv",
        source_row=range(2, len(rows) + 2),
    ).reindex(columns=COLUMNS)


TABLES = {
    "indicators": indicators,
    "fx_rates": fx_rates,
    "oil_prices": oil_prices,
    "oil_trade": oil_trade,
    "us_cpi": us_cpi,
    "claims": claims,
    "events": events,
}


def write_tables(home: Path) -> Path:
    """Write every synthetic table and a manifest under ``home/data/processed``; return it."""
    processed = home / "data" / "processed"
    processed.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, dict[str, object]] = {}
    for name, make in TABLES.items():
        frame = make()
        frame.to_parquet(processed / f"{name}.parquet", index=False)
        manifest[name] = {
            "inputs": [],
            "rows_read": len(frame),
            "rows_kept": len(frame),
            "rows_quarantined": 0,
            "rows_excluded": 0,
            "excluded": {},
            "notes": ["synthetic table for tests"],
            "built_at": "2000-01-01T00:00:00+00:00",
            "code_version": "synthetic",
        }
    (processed / "manifest.json").write_text(json.dumps({"tables": manifest}), encoding="utf-8")
    return processed
