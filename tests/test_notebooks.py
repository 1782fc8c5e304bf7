"""The report notebooks run top to bottom, as papermill runs them, on SYNTHETIC processed tables.

Each notebook is executed once with its defaults and once with other parameter values, in a
throwaway ANALYSIS_HOME holding the small invented tables of ``synthetic_processed``; the test
checks that it runs and shows its key elements (charts, tables, escaped quotes, the appendix).
"""

from __future__ import annotations

import importlib
import json
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
    assert "oil-rents indicator (NY.GDP.PETR.RT.ZS) is <b>not</b>" in html
    assert "not in the snapshot as a measured series" not in html
    assert "The EU bought most from Iran in 2017" in html  # computed from the synthetic tables
    assert "times as many" in html  # open market vs official, computed
    assert "Annual average rial per US$" in html
    assert "The exchange rate decides the size" in html
    # the later release's revision of 2022 is stated, and 2024 is said to be of that release
    assert "A later SIPRI release revised" in html and "2022: US$" in html
    assert "The figures of 2024 come only from the later release" in html
    assert "provenance" in html.lower()


@pytest.mark.parametrize(
    "parameters",
    [
        {},
        {
            "recipient_scope": "hamas_only",
            "claimant_types": ["israeli_government", "hamas"],
            "include_vague": False,
            "start_year": 2000,
        },
    ],
)
def test_hamas_funding_claims(
    synthetic_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    parameters: dict[str, Any],
) -> None:
    nb = _execute(synthetic_home, "hamas_funding_claims", parameters, tmp_path, monkeypatch)
    html, images, _ = _outputs(nb)
    assert images == 2  # timeline, spread by period
    assert "<script>alert" not in html  # the synthetic quote stays text
    assert "Claims needing review" in html and "no rule reads this wording (synthetic)" in html
    assert 'rel="noopener noreferrer"' in html
    shown = syn.claims()
    if parameters:
        assert "&lt;script&gt;alert" in html  # C054: an Israeli government claim about Hamas
        assert "Synthetic Gazette &lt;5&gt;" not in html.split("Claims needing review")[0]
        expected = shown[
            shown["claimant_type"].isin(["israeli_government", "hamas"])
            & shown["recipient_scope"].isin(["hamas", "hamas_military_wing"])
            & (shown["donor_scope"] == "iran")
        ]
        assert f"<b>{len(expected)}</b> of them" in html
    else:
        assert f"<b>{len(shown)}</b> of them" in html
        assert "Synthetic Gazette &lt;5&gt;" in html  # the aggregate claim is listed


@pytest.mark.parametrize(
    "parameters", [{}, {"fx_rate_type": "official", "break_start": 2010, "break_end": 2015}]
)
def test_rapprochement(
    synthetic_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    parameters: dict[str, Any],
) -> None:
    nb = _execute(synthetic_home, "rapprochement", parameters, tmp_path, monkeypatch)
    html, images, _ = _outputs(nb)
    assert images == 3  # capacity, claims by period, share of military spending
    assert "<b>38%</b> of $260m" in html  # $100m of $260m, computed from the two claims
    assert "below the range the article&#x27;s wording implies" in html or (
        "below the range the article's wording implies" in html
    )
    start = parameters.get("break_start", 2012)
    assert f"before {start}" in html
    assert "Median claim as a share of Iran&#x27;s military spending" in html or (
        "Median claim as a share of Iran's military spending" in html
    )


def test_views_import_without_a_kernel() -> None:
    for module in ("html", "periods", "finances", "claims", "rapprochement", "plots"):
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
    assert "NY.GDP.PETR.RT.ZS) is <b>not</b>" in finances_html

    rapprochement_html = _outputs(_execute(home, "rapprochement", {}, tmp_path, monkeypatch))[0]
    # Lieberman, 15 Jan 2018 (Times of Israel): about $100m of a $260m budget, i.e. 38%
    assert "<b>38%</b> of $260m" in rapprochement_html

    claims_html = _outputs(_execute(home, "hamas_funding_claims", {}, tmp_path, monkeypatch))[0]
    ledger_rows = len(pd.read_csv(config.REPO_ROOT / "data" / "raw" / "ledgers" / "claims.csv"))
    assert f"The ledger holds <b>{ledger_rows}</b> claims" in claims_html
