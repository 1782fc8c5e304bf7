"""What a reader of the claims and rapprochement reports reads: translations beside every
non-English quote, statuses and recipients in words, ratios at a sensible precision, and the
counts of the rapprochement report reconciled with the report listing every statement. Frames
are SYNTHETIC, except the checks of the committed ledgers themselves."""

from __future__ import annotations

import re
from html import unescape

import pandas as pd
import pytest
import synthetic_processed as syn

from analysis import config
from analysis.report import claims as cv
from analysis.report import context, funding, translations
from analysis.report import rapprochement as rp

LEDGERS = config.REPO_ROOT / "data" / "raw" / "ledgers"


def _ledger(name: str) -> pd.DataFrame:
    return pd.read_csv(LEDGERS / name, dtype="string", keep_default_na=False)


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("Iran ceased funding several synthetic groups about three months ago.", True),
        ("afterwhich, Iran began providing Hamas $50 million annually.", True),
        ("", True),
        ("Das synthetische Mitglied teilte mit, die Hilfe sei zurückgegangen.", False),
        ("démenti les fausses informations sur la demande synthétique", False),
        ("Acho que 90% do orçamento sintético procedem do Irã", False),
        ("دعم مالي اصطناعي", False),
    ],
)
def test_is_english(text: str, english: bool) -> None:
    assert translations.is_english(text) is english


def test_every_non_english_quote_of_the_ledger_has_a_translation() -> None:
    claims, table = _ledger("claims.csv"), _ledger(translations.FILE)
    missing = translations.untranslated(claims, table)
    assert missing.empty, missing[["claim_id", "quote"]].to_string()
    # and the ledger's translations are all of quotes that need one
    foreign = claims[~claims["quote"].map(translations.is_english).astype(bool)]
    assert set(table["claim_id"]) == set(foreign["claim_id"])


def _quote_cells(html: str) -> list[str]:
    """The text of each quote row of an html_table (``detail="quote"``)."""
    cells = re.findall(r'<tr class="detail">.*?<em>(.*?)</em>', html, flags=re.DOTALL)
    return [unescape(re.sub(r"<br\s*/?>", "\n", c)) for c in cells]


def _displayed_quotes_are_translated(html: str) -> list[str]:
    """The quote cells whose original is not English and carry no translation beside it."""
    bad = []
    for cell in _quote_cells(html):
        original = cell.split("\n" + translations.LABEL)[0]
        if not translations.is_english(original) and translations.LABEL not in cell:
            bad.append(cell)
    return bad


def _with_real_foreign_quotes(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its first rows given the ids and quotes of the ledger's translated
    claims, so the committed translations are what the tables must show."""
    real = _ledger("claims.csv").set_index("claim_id")
    ids = _ledger(translations.FILE)["claim_id"].tolist()[: len(frame)]
    out = frame.copy()
    out.loc[out.index[: len(ids)], "claim_id"] = ids
    out.loc[out.index[: len(ids)], "quote"] = [real.loc[i, "quote"] for i in ids]
    return out


def test_every_non_english_quote_displayed_has_its_translation_beside_it() -> None:
    from analysis.report import evidence

    claims = _with_real_foreign_quotes(syn.claims())
    placed = evidence.place(cv.select(claims, recipient_scope="including_aggregates"))
    pages = [
        rp.statements_html(placed, "synthetic statements"),
        cv.claims_table(placed.assign(reference_year=placed["placed_year"])),
    ]
    for page in pages:
        assert translations.LABEL.strip() in unescape(page)
        assert _displayed_quotes_are_translated(page) == []
    # the check itself fails on a foreign quote that has no translation
    lone = placed.head(1).assign(claim_id="S999", quote="Die synthetische Hilfe sei gekürzt.")
    assert _displayed_quotes_are_translated(rp.statements_html(lone, "x")) != []


def test_statuses_and_recipients_are_reader_words() -> None:
    statuses = pd.Series(["reduced", "stopped", "pledged", "unknown"])
    assert cv.status_text(statuses).tolist() == ["cut", "stopped", "pledged", "not stated"]
    with pytest.raises(ValueError, match="cancelled"):
        cv.status_text(pd.Series(["cancelled"]))
    frame = pd.DataFrame(
        {
            "recipient_scope": ["hamas_led_government", "hamas_military_wing"],
            "donor_scope": ["iran", "iran_and_others"],
        }
    )
    assert cv.recipient_text(frame).tolist() == [
        "the Hamas-led Palestinian Authority government (2006–07)",
        "Hamas's armed wing (Iran with other donors)",
    ]
    placed = rp.statements_html(
        syn.claims().assign(placed_year=2013, status="reduced").head(1), "synthetic"
    )
    assert "(cut)" in placed and "[reduced]" not in placed


def test_the_hamas_led_government_is_not_hamas_alone() -> None:
    claims = syn.claims()
    claims.loc[claims.index[0], "recipient_scope"] = cv.GOVERNMENT_SCOPE
    chosen = claims.loc[claims.index[0], "claim_id"]
    alone = cv.select(claims, recipient_scope="hamas_only")
    wider = cv.select(claims, recipient_scope="including_aggregates")
    assert chosen not in set(alone["claim_id"]) and chosen in set(wider["claim_id"])
    assert cv.government_left_out(claims) == 1


@pytest.mark.parametrize(
    ("ratio", "text"),
    [
        (4.0, "4.0"),
        (9.96, "10.0"),
        (20.0, "20"),
        (445.5, "about 450"),
        (1234.0, "about 1,200"),
        (12.3, "about 12"),
    ],
)
def test_ratios_are_shown_at_a_sensible_precision(ratio: float, text: str) -> None:
    assert cv.ratio_text(ratio) == text


def test_a_ratio_must_be_positive_and_finite() -> None:
    for bad in (0.0, -2.0, float("inf"), float("nan")):
        with pytest.raises(ValueError, match="positive finite"):
            cv.ratio_text(bad)
    assert cv.spread_phrase(445.5) == "the highest is <b>about 450</b> times the lowest"


def _syn_load(name: str) -> pd.DataFrame:
    return syn.TABLES[name]()


@pytest.mark.parametrize(
    "parameters",
    [
        {"min_grade": "think_tank_academic"},
        {"min_grade": "official_on_record", "statuses": ["paid", "stopped"], "end_year": 2016},
    ],
)
def test_the_rapprochement_counts_reconcile_with_the_report_listing_every_statement(
    parameters: dict[str, object],
) -> None:
    defaults: dict[str, object] = {"start_year": 2000, "end_year": 2024}
    r = rp.make(_syn_load, **{**defaults, **parameters})  # type: ignore[arg-type]
    c = r.ev.counts
    left_out = c["article"] + c["later_years"] + c["below_grade"] + c["other_status"]
    assert c["record"] - left_out == c["counted"] == len(r.ev.shown)
    # the claims report on Hamas alone, over every year, lists the same record
    listing = funding.make(_syn_load, recipient_scope="hamas_only", start_year=1000,
                           end_year=3000)  # fmt: skip
    assert len(listing.selected) == c["record"]
    text = unescape(rp.findings_html(r))
    assert f"counts {c['counted']} statement" in text and f"of the {c['record']} on record" in text
    assert "graded " + cv.GRADE_NAMES[str(parameters["min_grade"])] + " or better" in text or (
        parameters["min_grade"] == "blog_listicle_aggregator"
    )
    if c["below_grade"]:
        assert f"{c['below_grade']} graded lower" in text


def test_the_rift_names_only_a_counted_number_of_payments_to_the_armed_wing() -> None:
    r = rp.make(_syn_load, start_year=2000, end_year=2024, min_grade="blog_listicle_aggregator")
    rift = r.ev.shown[r.ev.shown["period"].astype(str).eq("2012–2016")]
    wing = rift[rift["status"].eq("paid") & rift["recipient_scope"].eq("hamas_military_wing")]
    assert rp.armed_wing_in_rift(r.ev) == len(wing)
    row = next(c for c in r.checks if c.topic == "The rift")
    assert "often" not in row.why


def _syn_report(**parameters: object) -> rp.Report:
    defaults: dict[str, object] = {"start_year": 2000, "end_year": 2024,
                                   "min_grade": "blog_listicle_aggregator"}  # fmt: skip
    return rp.make(_syn_load, **{**defaults, **parameters})  # type: ignore[arg-type]


def test_events_tables_link_the_publisher_not_the_word_source() -> None:
    r = _syn_report()
    for html, frame in ((rp.timeline_html(r), r.timeline), (rp.palestine_html(r), r.gaza)):
        assert not frame.empty
        links = [label.replace("<wbr>", "") for label in re.findall(r"<a [^>]*>(.*?)</a>", html)]
        named = frame["source_name"].ne("source")
        assert named.any()
        assert set(frame.loc[named, "source_name"]) <= set(links)
        assert "source" not in links or not named.all()  # the bare word only without a URL


def test_unemployment_is_quoted_over_its_whole_span_and_for_both_territories() -> None:
    r = _syn_report()
    row = next(c for c in r.checks if c.topic == "Hamas short of money")
    known = r.pse[r.pse["year"] < r.ev.published.year].dropna(subset=[context.UNEMPLOYMENT])
    assert f"in {int(known['year'].min())}," in row.shows  # from the first year held
    assert f"in {r.ev.breaks[0]} to" not in row.shows  # not from a chosen (low) year
    assert "West Bank and Gaza together" in row.shows
    # to the last year known then, over every year held until then
    assert context.span_text(known, context.UNEMPLOYMENT, "%") in row.shows
    assert f" in {int(known['year'].max())}" in row.shows


def test_level_panels_start_at_zero_and_the_military_note_explains_sipris_drop() -> None:
    import matplotlib.pyplot as plt

    r = _syn_report()
    fig = rp.palestine_figure(r)
    assert fig.axes[0].get_ylim()[0] == 0
    plt.close(fig)
    r.milex_note = "SIPRI's dollars fall in 2019 while its rial figures rise."
    fig = rp.capacity_figure(r)
    army = fig.axes[3]
    assert army.get_ylim()[0] == 0
    texts = " ".join(t.get_text() for t in fig.texts)
    assert "SIPRI's dollars fall in 2019" in texts
    # the shading is named by the rift's own dates, as the text dates it
    assert f"{r.ev.break_date:%B %Y} to {r.ev.return_date:%B %Y}" in texts
    plt.close(fig)


def test_the_military_note_is_only_for_sipris_own_dollars() -> None:
    ind, annual = syn.indicators(), _syn_annual()
    assert rp.milex_conversion_note(ind, annual, "open_market") is None
    note = rp.milex_conversion_note(ind, annual, rp.SIPRI_BASIS)
    assert note is None or ("SIPRI" in note and "see text" not in note)
    # only the years the chart draws: none after the last one
    later = rp.milex_conversion_note(ind, annual, rp.SIPRI_BASIS, start_year=2100)
    assert later is None or "fall in" not in later


def _syn_annual() -> pd.DataFrame:
    from analysis.finance import annual_rates

    return annual_rates(syn.fx_rates(), syn.indicators())


def test_the_official_rate_sentence_is_computed_from_the_fixed_run() -> None:
    r = _syn_report()
    r.official_fixed = (2018, 42_000.0)
    shares = pd.DataFrame({"official": [0.01], "open_market": [0.03], "nima": [0.02]})
    text = unescape(rp.official_text(r, shares))
    assert "42,000 rial per dollar every year since 2018" in text and "look larger" in text
    assert "look larger" not in rp.official_text(r, shares.assign(official=0.05))
    r.official_fixed = None
    assert rp.official_text(r, shares) == ""
