"""The report notebooks run top to bottom, as papermill runs them, on SYNTHETIC processed tables.

Each notebook is executed once with its defaults and once with other parameter values, in a
throwaway ANALYSIS_HOME holding the small invented tables of ``synthetic_processed``; the test
checks that it runs and shows its key elements (charts, tables, escaped quotes, the appendix).
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import synthetic_processed as syn

from analysis import config
from analysis.render.params import read_parameters

NOTEBOOKS = config.REPO_ROOT / "notebooks"
MINE = ("iran_finances", "hamas_funding_claims", "rapprochement")


@pytest.fixture(scope="module")
def synthetic_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("home")
    syn.write_tables(home)
    return home


def _execute(
    home: Path,
    name: str,
    parameters: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, Any]:
    import papermill as pm

    monkeypatch.setenv("ANALYSIS_HOME", str(home))  # the kernel inherits it
    out = tmp_path / f"{name}.ipynb"
    pm.execute_notebook(
        str(NOTEBOOKS / f"{name}.ipynb"),
        str(out),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(NOTEBOOKS),
    )
    nb: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return nb


def _outputs(nb: dict[str, Any]) -> tuple[str, int, str]:
    """All HTML text, the number of charts (SVG), and stream/error text of an executed notebook."""
    html, images, streams = [], 0, []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/html" in data:
                html.append("".join(data["text/html"]))
            images += "image/svg+xml" in data and "image/png" not in data
            if out.get("output_type") in ("stream", "error"):
                streams.append(str(out.get("text", "")) + str(out.get("evalue", "")))
    return "\n".join(html), images, "\n".join(streams)


@pytest.mark.parametrize("name", list(syn.TABLES))
def test_synthetic_tables_match_the_schemas(name: str) -> None:
    """The invented tables have the real tables' shape, so the notebooks meet real columns."""
    try:
        schema = importlib.import_module(f"analysis.schemas.{name}").SCHEMA
    except ModuleNotFoundError:
        pytest.skip(f"no schema for {name} yet")
    schema.validate(syn.TABLES[name](), lazy=True)


@pytest.mark.parametrize("name", MINE)
def test_committed_without_outputs_and_with_typed_parameters(name: str) -> None:
    path = NOTEBOOKS / f"{name}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    params = read_parameters(path)
    assert params and all(p.help for p in params)
    assert "appendix(" in "".join(code[-1]["source"])


def test_reports_toml_runs_validate() -> None:
    from analysis.render.report_config import load_runs

    runs = {run.name: run for run in load_runs(config.REPO_ROOT / "reports.toml")}
    assert {"iran_inflation", "iran_finances", "rapprochement"} <= set(runs)
    claims_runs = [n for n in runs if n.startswith("hamas_funding_claims")]
    assert {runs[n].parameters["recipient_scope"] for n in claims_runs} == {
        "hamas_only",
        "including_aggregates",
    }
    for name in MINE:
        reads = {t for run in runs.values() if run.notebook.stem == name for t in run.tables}
        source = (NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8")
        loaded = {t for t in syn.TABLES if f'load(\\"{t}\\")' in source}
        assert loaded <= reads, f"{name} reads {loaded - reads} without declaring them"


@pytest.mark.parametrize(
    ("parameters", "rate"),
    [({}, "open market"), ({"fx_rate_type": "nima", "start_year": 2010}, "NIMA")],
)
def test_iran_finances(
    synthetic_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    parameters: dict[str, Any],
    rate: str,
) -> None:
    nb = _execute(synthetic_home, "iran_finances", parameters, tmp_path, monkeypatch)
    html, images, streams = _outputs(nb)
    assert images == 6  # inflation, rial, oil, oil sales, military, FDI
    assert "Traceback" not in streams
    assert "it is <b>not</b> in the data this report uses" in html
    assert "not in the snapshot as a measured series" not in html
    assert "The EU bought most from Iran in 2017" in html  # computed from the synthetic tables
    assert "times as many" in html  # open market vs official, computed
    assert "Annual average rial per US$" in html
    assert "The exchange rate decides the size" in html
    # the later release's revision of 2022 is stated, and 2024 is said to be of that release
    assert "A later SIPRI release revised" in html and "2022: US$" in html
    assert "the charts draw every year's dollars from the" in html
    assert "provenance" in html.lower()


#: Words of the pipeline that must not reach a reader (the provenance appendix is exempt).
PIPELINE_WORDS = (
    "founding article",
    "snapshot",
    "parser",
    "quarantin",
    "parameter",
    "claim(s)",
    "ledger",
    "curation",
    "fx_rate_type",
)


#: What reader text must not show either: internal ids of statements and events ("E024"),
#: indicator codes ("FP.CPI.TOTL.ZG"), the words of the records kept behind the reports, and
#: statuses as codes in brackets ("[stopped]").
READER_FORBIDDEN = re.compile(
    r"\b[CES]\d{3}\b|\b[A-Z]{2,}\.[A-Z]{2,}(?:\.[A-Z0-9]+)+\b|events record"
    r"|\[(?:paid|reduced|stopped|pledged|offered|requested|denied|unknown)\]"
)


def _forbidden(text: str) -> list[str]:
    """The pipeline words and forbidden patterns in a reader's text."""
    lowered = text.lower()
    return [w for w in PIPELINE_WORDS if w in lowered] + READER_FORBIDDEN.findall(text)


def _reader_text(html: str) -> str:
    """What a reader reads before the provenance appendix, tags and link targets removed."""
    import re
    from html import unescape

    body = html.split('id="provenance"')[0]
    text = unescape(re.sub(r"<(?!br)[^>]+>", "", re.sub(r"<br\s*/?>|</(td|th|li|p)>", " ", body)))
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("name", ["hamas_funding_claims", "rapprochement"])
def test_no_pipeline_words_in_the_prose(name: str) -> None:
    """The markdown a reader sees says nothing of the pipeline (outputs: the tests below)."""
    nb = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
    prose = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert _forbidden(prose) == []


def _syn_load(name: str) -> pd.DataFrame:
    return syn.TABLES[name]()


CLAIMS_RUNS = [
    {"recipient_scope": "including_aggregates"},
    {
        "recipient_scope": "hamas_only",
        "claimant_types": ["israeli_government", "hamas", "other"],
        "include_vague": False,
        "start_year": 2000,
        "min_grade": "media_unsourced",
        "statuses": ["paid", "stopped"],
    },
]


@pytest.mark.parametrize("parameters", CLAIMS_RUNS)
def test_hamas_funding_claims(
    synthetic_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    parameters: dict[str, Any],
) -> None:
    from analysis.report import funding, plots

    nb = _execute(synthetic_home, "hamas_funding_claims", parameters, tmp_path, monkeypatch)
    html, images, _ = _outputs(nb)
    assert images == 2  # timeline, money paid by period
    assert "<script>alert" not in html  # the synthetic quote stays text
    assert "could not be read in full" in html and "no rule reads this wording (synthetic)" in html
    assert 'rel="noopener noreferrer"' in html
    assert funding.TITLES[parameters["recipient_scope"]].replace("'", "&#x27;") in html
    # counts reconcile: the text quotes the frames the charts draw
    defaults = {"start_year": 1990, "end_year": 2025}
    r = funding.make(_syn_load, **{**defaults, **parameters})
    text = _reader_text(html)
    assert f"This report shows {len(r.selected)} of them" in text
    assert f"{len(r.ranges)} give an amount per year" in text
    assert f"{int(r.others['reference_year'].notna().sum())} others" in text
    for row in r.spread.itertuples():
        drawn = int((r.paid_ranges["period"].astype(str) == str(row.period)).sum())
        assert drawn == row.claims  # the chart's dots per period = the spread's count
        if row.claims:
            assert f"{row.period}: {plots.statements(row.claims)}, from" in text
    assert plots.period_ticks(r.spread) == [
        f"{p}\n({plots.yearly_amounts(int(n))})"
        for p, n in zip(r.spread["period"], r.spread["claims"], strict=True)
    ]
    if parameters.get("statuses"):
        assert set(r.selected["status"]) <= set(parameters["statuses"])
        assert "paid, stopped" in text  # the report says which filter it shows
    if parameters["recipient_scope"] == "hamas_only":
        assert not r.selected["is_aggregate"].any()
        assert "Synthetic Gazette <5>" not in text.split("could not be read in full")[0]
    assert not r.paid_ranges["is_aggregate"].any()  # no aggregate in a median of Iran's money
    assert _forbidden(text) == []


RAPPROCHEMENT_RUNS = [
    {},
    {
        "min_grade": "blog_listicle_aggregator",
        "milex_basis": "official",
        "statuses": ["paid", "stopped"],
    },
]


@pytest.mark.parametrize("parameters", RAPPROCHEMENT_RUNS)
def test_rapprochement(
    synthetic_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    parameters: dict[str, Any],
) -> None:
    from analysis.report import article, evidence, plots
    from analysis.report import rapprochement as view

    nb = _execute(synthetic_home, "rapprochement", parameters, tmp_path, monkeypatch)
    html, images, streams = _outputs(nb)
    assert "Traceback" not in streams
    assert images == 5  # money by period, timeline, squeeze by month and by year, Palestine
    text = _reader_text(html)
    # opens with the key findings and the article-claims table
    assert (
        html.index("class='findings'")
        < html.index("factual claims, one by one")
        < (html.index("by period"))
    )
    assert "The article says" in text and "Verdict" in text
    assert "What the data showed at the article's date" in text
    assert "$100m of $260m: 38%" in text and "Cannot be tested here" in text
    # counts reconcile with the frames the charts draw
    defaults = {"start_year": 2000, "end_year": 2024, "min_grade": "think_tank_academic"}
    r = view.make(_syn_load, **{**defaults, **parameters})
    before, middle, after = (str(p) for p in r.ev.spread["period"])
    assert (before, middle, after) == ("before 2012", "2012–2016", "2017 onwards")
    flow, paid = (int(r.ev.tally.loc[middle, k]) for k in (evidence.FLOW, evidence.MONEY_PAID))
    assert f"{plots.statements(flow)} say Iran's money stopped, fell or never came and" in text
    assert f"{plots.statements(paid)} say money was paid" in text
    for row in r.ev.spread.itertuples():
        drawn = int((r.ev.ranges["period"].astype(str) == str(row.period)).sum())
        assert drawn == row.claims
    spread = r.ev.spread.set_index(r.ev.spread["period"].astype(str))
    for period in (before, after):
        n = int(spread.loc[period, "claims"])
        if n and int(spread.loc[before, "claims"]) and int(spread.loc[after, "claims"]):
            assert f"({plots.statements(n)})" in text
    # the tally table shows the same numbers as the sentences
    assert r.ev.tally.loc[middle, "total"] == len(
        r.ev.shown[r.ev.shown["period"].astype(str) == middle]
    )
    # every verdict is one of the four, and the filter is stated
    assert {c.verdict for c in r.checks} <= set(article.VERDICTS)
    assert "Statements counted:" in text
    if parameters.get("statuses"):
        assert "paid, stopped" in text
    # the filter in words, and how many statements it leaves out, from the same counts
    c = r.ev.counts
    assert view.grade_words(r.ev.min_grade) in text
    assert f"This report counts {plots.statements(c['counted'])} of the {c['record']}" in text
    assert c["counted"] == len(r.ev.shown)
    source = (NOTEBOOKS / "rapprochement.ipynb").read_text(encoding="utf-8")
    assert "## How this was made" in source and "(#provenance)" in source
    assert 'id="provenance"' in html
    assert _forbidden(text) == []


def test_views_import_without_a_kernel() -> None:
    for module in (
        "html",
        "periods",
        "finances",
        "claims",
        "rapprochement",
        "plots",
        "evidence",
        "article",
        "context",
        "funding",
    ):
        importlib.import_module(f"analysis.report.{module}")


@pytest.mark.snapshot
@pytest.mark.slow
def test_notebooks_on_the_real_snapshot(
    real_snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clean the real snapshot (plus the committed ledgers) into a throwaway home, run the three
    reports with their defaults, and check facts read by hand from the raw files."""
    from analysis.clean import pipeline

    home = tmp_path / "home"
    raw = home / "data" / "raw"
    raw.mkdir(parents=True)
    for source in real_snapshot.iterdir():
        if source.is_dir():
            (raw / source.name).symlink_to(source, target_is_directory=True)
    (raw / "ledgers").symlink_to(config.REPO_ROOT / "data" / "raw" / "ledgers")
    monkeypatch.setenv("ANALYSIS_HOME", str(home))
    pipeline.clean(raw_dir=raw, echo=lambda _: None)

    finances_html = _outputs(_execute(home, "iran_finances", {}, tmp_path, monkeypatch))[0]
    # World Bank PA.NUS.FCRF: Iran's official rate is 42,000 rial per US$ from 2018 on
    assert "<b>42,000</b> at the official rate" in finances_html
    # datahub-inflation/FP.CPI.TOTL.ZG.csv, Iran: 2023 = 44.579..., the highest since 2000
    assert "the fastest rise was <b>44.6%</b> in 2023" in finances_html
    # the snapshot has no World Bank oil-rents file: the report says so instead of inventing one
    assert (
        "as a share of GDP) would show what oil earns the country, but it is <b>not</b> in the data"
        in finances_html
    )
    # SIPRI's rial ÷ dollars: the official 40,864 rial per US$ in 2018, 114,693 in 2019 (its dollars
    # fall from 11.2 to 4.8 bn while its rials rise): a conversion effect, said so
    assert "SIPRI converted at 40,875 rial per dollar in 2018 and <b>114,693</b> in 2019" in (
        finances_html
    )

    rapprochement_html = _outputs(_execute(home, "rapprochement", {}, tmp_path, monkeypatch))[0]
    # Lieberman, 15 Jan 2018 (Times of Israel): about $100m of a $260m budget, i.e. 38%
    assert "$100m of $260m: 38%" in rapprochement_html
    # bonbast open market, monthly means of quoted days: 44,601 (Jan 2018), 73,862 (June, the last
    # full month before the article) and, after it, 145,450 (Sep 2018: 24 quoted days)
    assert (
        "44,601 rial on the open market in January 2018 and 73,862 in June. After it, the dollar "
        "reached 145,450 rial in September" in rapprochement_html
    )

    claims_html = _outputs(_execute(home, "hamas_funding_claims", {}, tmp_path, monkeypatch))[0]
    ledger_rows = len(pd.read_csv(config.REPO_ROOT / "data" / "raw" / "ledgers" / "claims.csv"))
    assert f"The record holds <b>{ledger_rows}</b> statements" in claims_html
