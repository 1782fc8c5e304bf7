"""Typed notebook parameters: read from the parameters cell with ast, validated strictly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analysis.errors import ExitCode, UsageError
from analysis.render.params import (
    NotebookParameter,
    parse_parameters,
    parse_type,
    read_parameters,
    validate,
)

NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"


@pytest.fixture(scope="module")
def typed() -> list[NotebookParameter]:
    return read_parameters(NOTEBOOKS / "typed_parameters.ipynb")


def test_reads_every_supported_type_with_default_and_help(typed: list[NotebookParameter]) -> None:
    by_name = {p.name: p for p in typed}
    assert [p.name for p in typed] == [
        "start_year",
        "ratio",
        "label",
        "include_vague",
        "claimant_types",
        "breaks",
        "recipient_scope",
        "base_year",
        "offset",
    ]
    assert by_name["start_year"] == NotebookParameter("start_year", "int", 2000, "first year shown")
    assert by_name["claimant_types"].type == "list[str]"
    assert by_name["claimant_types"].default == ["government", "media"]
    assert by_name["recipient_scope"].choices == ("hamas_only", "including_aggregates")
    assert by_name["base_year"].type == "int | None"
    assert by_name["base_year"].default is None
    assert by_name["offset"].default == -3


def test_a_hash_inside_a_string_is_not_the_comment(typed: list[NotebookParameter]) -> None:
    label = next(p for p in typed if p.name == "label")
    assert label.default == "synthetic # not a comment"
    assert label.help == "a string holding a hash sign"


def test_reading_needs_no_kernel() -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from analysis.render.params import read_parameters\n"
        f"assert read_parameters(Path({str(NOTEBOOKS / 'typed_parameters.ipynb')!r}))\n"
        "print([m for m in ('jupyter_client', 'ipykernel', 'papermill') if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_validate_fills_defaults_and_keeps_given_values(typed: list[NotebookParameter]) -> None:
    values = validate("r", typed, {"start_year": 2012, "recipient_scope": "including_aggregates"})
    assert values["start_year"] == 2012
    assert values["recipient_scope"] == "including_aggregates"
    assert values["ratio"] == 0.5
    assert set(values) == {p.name for p in typed}


def test_int_is_widened_to_float_but_nothing_else_is_converted(
    typed: list[NotebookParameter],
) -> None:
    values = validate("r", typed, {"ratio": 1})
    assert values["ratio"] == 1.0
    assert isinstance(values["ratio"], float)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("start_year", "007", "expected int"),
        ("start_year", True, "expected int"),
        ("start_year", 2000.0, "expected int"),
        ("include_vague", 1, "expected bool"),
        ("include_vague", "true", "expected bool"),
        ("ratio", "0.5", "expected float"),
        ("ratio", float("nan"), "not a finite number"),
        ("label", 3, "expected str"),
        ("claimant_types", "government", "expected list[str]"),
        ("claimant_types", ["government", 3], "item 2 (3)"),
        ("breaks", [2012, "2017"], "item 2 ('2017')"),
        ("recipient_scope", "hamas", "not one of 'hamas_only', 'including_aggregates'"),
        ("base_year", "2024", "expected int | None"),
    ],
)
def test_a_wrong_value_names_run_parameter_value_and_type(
    typed: list[NotebookParameter], name: str, value: object, expected: str
) -> None:
    with pytest.raises(UsageError) as err:
        validate("my-run", typed, {name: value})
    message = str(err.value)
    assert "'my-run'" in message
    assert repr(name) in message
    assert repr(value) in message
    assert expected in message
    assert err.value.exit_code == ExitCode.USAGE


def test_unknown_names_are_errors_with_a_suggestion(typed: list[NotebookParameter]) -> None:
    with pytest.raises(
        UsageError, match=r"unknown parameter 'strat_year' \(did you mean 'start_year'"
    ):
        validate("r", typed, {"strat_year": 2001})


def test_all_problems_are_reported_at_once(typed: list[NotebookParameter]) -> None:
    with pytest.raises(UsageError) as err:
        validate("r", typed, {"start_year": "x", "ratio": "y", "nope": 1})
    assert str(err.value).count("\n") == 2


def test_defaults_are_copies_not_shared(typed: list[NotebookParameter]) -> None:
    first = validate("a", typed, {})
    first["claimant_types"].append("mutated")
    assert validate("b", typed, {})["claimant_types"] == ["government", "media"]


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("start_year = 2000  # no annotation", "not a typed parameter"),
        ("start_year: int = 2000", "has no comment"),
        ("start_year: int = '2000'  # wrong default", "default '2000' a str, not an int"),
        ("when: dict = {}  # unsupported", "unsupported type 'dict'"),
        ("x: int = len('a')  # not a literal", "must be a literal value"),
        ("x: list[list[int]] = []  # nested", "not supported"),
        ("x: int = 1  # one\nx: int = 2  # twice", "declared twice"),
        ("import os\nx: int = 1  # ok", "not a typed parameter"),
        ("x: int = (  # broken", "not valid Python"),
    ],
)
def test_a_badly_declared_cell_is_refused(source: str, problem: str) -> None:
    with pytest.raises(UsageError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        parse_parameters(source)


def test_typing_imports_may_sit_in_the_cell() -> None:
    params = parse_parameters(
        "from typing import Literal\n"
        "fx: Literal['official', 'nima'] = 'nima'  # rial rate\n"
        "n: Optional[int] = None  # maybe\n"
    )
    assert [p.type for p in params] == ["Literal['official', 'nima']", "int | None"]


def test_literal_compares_type_as_well_as_value() -> None:
    literal = parse_type("Literal[1, 2]")
    assert literal.conform(1) == 1
    with pytest.raises(Exception, match="not one of"):
        literal.conform(True)


def test_a_notebook_without_parameters_cell_has_none(tmp_path: Path) -> None:
    nb = tmp_path / "plain.ipynb"
    nb.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    assert read_parameters(nb) == []


@pytest.mark.parametrize(
    "value",
    [
        "x'); import os; os.system('touch /tmp/pwned') #",
        '"""\nimport os\n"""',
        "\\'; __import__('os').system('id'); '",
        "line one\nexec('1')",
    ],
)
def test_a_parameter_value_cannot_inject_code(typed: list[NotebookParameter], value: str) -> None:
    """A hostile string stays one string literal in the cell papermill injects."""
    import ast

    from papermill.translators import translate_parameters

    values = validate("run", typed, {"label": value})
    # the code papermill writes into the injected-parameters cell
    source = translate_parameters("python3", "python", values, "Parameters")
    tree = ast.parse(source)
    assert all(isinstance(node, ast.Assign | ast.AnnAssign) for node in tree.body)
    assigned = {
        node.targets[0].id: ast.literal_eval(node.value)  # type: ignore[union-attr]
        for node in tree.body
        if isinstance(node, ast.Assign)
    }
    assert assigned["label"] == value
