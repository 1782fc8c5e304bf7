"""reports.toml: runs, grids, safe names, validation of every run before any kernel starts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.errors import UsageError
from analysis.render.report_config import describe_reports, load_runs, slug

NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"


@pytest.fixture
def project(home: Path) -> Path:
    """A project home with the fixture notebooks in notebooks/."""
    shutil.copytree(NOTEBOOKS, home / "notebooks")
    return home


def write_config(home: Path, text: str) -> None:
    (home / "reports.toml").write_text(text, encoding="utf-8")


def test_a_grid_expands_to_one_run_per_combination(project: Path) -> None:
    write_config(
        project,
        """
[[report]]
notebook = "typed_parameters.ipynb"
tables = ["claims"]
name = "claims-{recipient_scope}-{include_vague}"
parameters = { start_year = 2005 }
grid = { recipient_scope = ["hamas_only", "including_aggregates"], include_vague = [true, false] }
""",
    )
    runs = load_runs()
    assert [r.name for r in runs] == [
        "claims-hamas_only-true",
        "claims-hamas_only-false",
        "claims-including_aggregates-true",
        "claims-including_aggregates-false",
    ]
    assert all(r.parameters["start_year"] == 2005 for r in runs)
    assert runs[1].parameters["include_vague"] is False
    assert runs[1].overrides == {
        "start_year": 2005,
        "recipient_scope": "hamas_only",
        "include_vague": False,
    }
    assert runs[0].tables == ("claims",)
    assert runs[0].notebook == project / "notebooks" / "typed_parameters.ipynb"
    assert runs[0].parameters["ratio"] == 0.5  # default filled in


def test_a_list_parameter_in_a_grid_is_a_list_of_lists(project: Path) -> None:
    write_config(
        project,
        """
[[report]]
notebook = "typed_parameters.ipynb"
tables = []
grid = { claimant_types = [["government"], ["media", "ngo"]] }
""",
    )
    runs = load_runs()
    assert [r.name for r in runs] == [
        "typed_parameters-government",
        "typed_parameters-media-ngo",
    ]
    assert runs[1].parameters["claimant_types"] == ["media", "ngo"]


def test_the_default_name_is_the_notebook_stem(project: Path) -> None:
    write_config(project, '[[report]]\nnotebook = "ok.ipynb"\ntables = ["alpha"]\n')
    (run,) = load_runs()
    assert run.name == "ok"
    assert run.parameters == {"label": "a", "table": "alpha"}
    assert run.overrides == {}


def test_every_bad_value_in_every_run_is_reported_before_anything_runs(project: Path) -> None:
    write_config(
        project,
        """
[[report]]
notebook = "typed_parameters.ipynb"
tables = []
name = "first"
parameters = { start_year = "007" }

[[report]]
notebook = "ok.ipynb"
tables = ["alpha"]
name = "second"
parameters = { lable = "x" }
""",
    )
    with pytest.raises(UsageError) as err:
        load_runs()
    message = str(err.value)
    assert "2 problem(s)" in message
    assert "run 'first': parameter 'start_year' = '007'" in message
    assert "expected int" in message
    assert "run 'second': unknown parameter 'lable'" in message


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ('notebook = "../escape.ipynb"\ntables = []', "outside notebooks/"),
        ('notebook = "missing.ipynb"\ntables = []', "not found"),
        ('notebook = "ok.ipynb"\ntables = ["../x"]', "'tables' must list"),
        ('notebook = "ok.ipynb"\ntables = []\nname = "../../etc"', "not a safe name"),
        ('notebook = "ok.ipynb"\ntables = []\nname = "Upper"', "not a safe name"),
        ('notebook = "ok.ipynb"\ntables = []\nname = "_failed"', "not a safe name"),
        ('notebook = "ok.ipynb"\ntables = []\nname = "x-{nope}"', "not a parameter"),
        ('notebook = "ok.ipynb"\ntables = []\ncolour = "red"', "unknown key"),
        ('notebook = "ok.ipynb"\ntables = []\ngrid = { label = "a" }', "non-empty list"),
    ],
)
def test_bad_entries_are_refused(project: Path, entry: str, problem: str) -> None:
    write_config(project, f"[[report]]\n{entry}\n")
    with pytest.raises(UsageError, match=problem):
        load_runs()


def test_a_grid_without_its_key_in_the_name_collides(project: Path) -> None:
    write_config(
        project,
        '[[report]]\nnotebook = "ok.ipynb"\ntables = []\nname = "ok"\n'
        'grid = { label = ["a", "b"] }\n',
    )
    with pytest.raises(UsageError, match="used twice"):
        load_runs()


def test_grid_values_become_slugs_that_cannot_escape(project: Path) -> None:
    write_config(
        project,
        '[[report]]\nnotebook = "ok.ipynb"\ntables = []\nname = "ok-{label}"\n'
        'grid = { label = ["../../etc/passwd", "Hamas only"] }\n',
    )
    assert [r.name for r in load_runs()] == ["ok-etc-passwd", "ok-hamas-only"]
    assert slug([2012, 2017]) == "2012-2017"


def test_a_missing_config_is_a_usage_error(project: Path) -> None:
    with pytest.raises(UsageError, match="no report config"):
        load_runs()


def test_describe_lists_runs_and_each_parameter_with_type_default_help(project: Path) -> None:
    write_config(
        project,
        '[[report]]\nnotebook = "typed_parameters.ipynb"\ntables = ["claims"]\n'
        'name = "tp-{recipient_scope}"\n'
        'grid = { recipient_scope = ["hamas_only", "including_aggregates"] }\n',
    )
    text = describe_reports()
    assert "typed_parameters.ipynb — Synthetic typed parameters (metadata title)" in text
    assert "run tp-hamas_only  (recipient_scope='hamas_only')" in text
    assert "tables: claims" in text
    line = next(x for x in text.splitlines() if x.strip().startswith("start_year"))
    assert "int" in line and "= 2000" in line and "first year shown" in line
    assert "ok.ipynb — Synthetic OK report" in text  # in notebooks/, not configured
    assert "no run in reports.toml" in text


def test_describe_still_describes_notebooks_when_the_config_is_bad(project: Path) -> None:
    write_config(project, '[[report]]\nnotebook = "ok.ipynb"\ntables = []\nparameters = {x = 1}\n')
    text = describe_reports()
    assert "problems in reports.toml" in text
    assert "unknown parameter 'x'" in text
    assert "label" in text
