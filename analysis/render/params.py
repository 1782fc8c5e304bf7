"""Typed notebook parameters, read from the ``parameters`` cell with ``ast`` (no kernel).

Each line of a report notebook's ``parameters`` cell declares one parameter with a type and a
comment, which is its help text::

    start_year: int = 2000  # first year shown
    fx_rate_type: Literal["open_market", "official", "nima"] = "open_market"  # rial per US$
    claimant_types: list[str] = ["government", "media"]  # which claimants to show

Supported types: ``int``, ``float``, ``str``, ``bool``, ``list[T]`` of those, ``Literal[...]``
(choices) and ``T | None``; ``from typing import Literal`` may sit in the cell (a notebook
evaluates annotations). Values from ``reports.toml`` are checked against them *before any
kernel starts*, strictly: ``"007"`` is not an int, ``True`` is not an int, ``1`` is not a bool;
the only conversion is int → float. papermill then writes the checked values into the notebook
as Python literals, so a value can never become code.
"""

from __future__ import annotations

import ast
import copy
import difflib
import functools
import io
import math
import tokenize
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.errors import UsageError
from analysis.render.notebook import cell_source, parameters_cell, read_notebook

SCALARS: dict[str, type] = {"int": int, "float": float, "str": str, "bool": bool}
SUPPORTED = "int, float, str, bool, list[T], Literal[...], T | None"
#: ``from typing import Literal`` may sit in the parameters cell (annotations run in a notebook).
ALLOWED_IMPORTS = frozenset({"typing", "__future__"})


class _Mismatch(Exception):
    """A value does not conform to a parameter type (message: why)."""


@dataclass(frozen=True)
class _Type:
    """A parsed annotation: ``kind`` is a scalar name, "list", "literal" or "optional"."""

    kind: str
    item: _Type | None = None
    choices: tuple[Any, ...] = ()

    def __str__(self) -> str:
        if self.kind == "list":
            return f"list[{self.item}]"
        if self.kind == "optional":
            return f"{self.item} | None"
        if self.kind == "literal":
            return "Literal[" + ", ".join(map(repr, self.choices)) + "]"
        return self.kind

    def conform(self, value: Any) -> Any:
        """``value`` checked against this type (int widened to float); raise _Mismatch."""
        if self.kind == "optional":
            assert self.item is not None
            return None if value is None else self.item.conform(value)
        if self.kind == "literal":
            if any(type(value) is type(c) and value == c for c in self.choices):
                return value
            raise _Mismatch("not one of " + ", ".join(map(repr, self.choices)))
        if self.kind == "list":
            assert self.item is not None
            if not isinstance(value, list | tuple):
                raise _Mismatch(f"{_a(type(value).__name__)}, not a list")
            out = []
            for i, item in enumerate(value, start=1):
                try:
                    out.append(self.item.conform(item))
                except _Mismatch as err:
                    raise _Mismatch(f"a list whose item {i} ({item!r}) is {err}") from None
            return out
        return _conform_scalar(self.kind, value)


def _conform_scalar(kind: str, value: Any) -> Any:
    if kind == "bool":
        if isinstance(value, bool):
            return value
    elif kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif kind == "float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            if not math.isfinite(value):
                raise _Mismatch("not a finite number")
            return float(value)
    elif kind == "str" and isinstance(value, str):
        return value
    raise _Mismatch(f"{_a(type(value).__name__)}, not {_a(kind)}")


def _a(noun: str) -> str:
    """``noun`` with its indefinite article ("an int", "a str")."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


@functools.lru_cache(maxsize=256)
def parse_type(annotation: str) -> _Type:
    """Parse an annotation's source text (``"list[str]"``); raise ValueError if unsupported."""
    try:
        node = ast.parse(annotation, mode="eval").body
    except SyntaxError:
        raise ValueError(f"not a type: {annotation!r}") from None
    return _type_of(node)


def _type_of(node: ast.expr) -> _Type:
    if isinstance(node, ast.Name) and node.id in SCALARS:
        return _Type(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        sides = [node.left, node.right]
        nones = [s for s in sides if isinstance(s, ast.Constant) and s.value is None]
        if len(nones) == 1:
            other = next(s for s in sides if s is not nones[0])
            return _Type("optional", _type_of(other))
    if isinstance(node, ast.Subscript):
        head = node.value.attr if isinstance(node.value, ast.Attribute) else None
        head = node.value.id if isinstance(node.value, ast.Name) else head
        if head == "list":
            item = _type_of(node.slice)
            if item.kind in ("list", "optional"):
                raise ValueError("lists of lists or of optionals are not supported")
            return _Type("list", item)
        if head == "Optional":
            return _Type("optional", _type_of(node.slice))
        if head == "Literal":
            elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            try:
                choices = tuple(ast.literal_eval(e) for e in elts)
            except ValueError:
                raise ValueError("Literal[...] takes constants only") from None
            if not choices or not all(isinstance(c, str | int | float | bool) for c in choices):
                raise ValueError("Literal[...] takes str, int, float or bool constants")
            return _Type("literal", choices=choices)
    raise ValueError(f"unsupported type {ast.unparse(node)!r} (supported: {SUPPORTED})")


@dataclass(frozen=True)
class NotebookParameter:
    """One declared parameter: ``name: type = default  # help``."""

    name: str
    type: str  #: the annotation as written, normalised (e.g. "list[str]")
    default: Any
    help: str

    @property
    def choices(self) -> tuple[Any, ...]:
        """The allowed values of a ``Literal[...]`` parameter (else empty)."""
        parsed = parse_type(self.type)
        parsed = parsed.item if parsed.kind in ("optional", "list") and parsed.item else parsed
        return parsed.choices


def _comments(source: str) -> dict[int, str]:
    """Line number → comment text (without ``#``), found with tokenize (a ``#`` in a string is
    not a comment)."""
    found: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                found[tok.start[0]] = tok.string.lstrip("#").strip()
    except (tokenize.TokenError, IndentationError):
        pass
    return found


def parse_parameters(source: str, where: str = "parameters cell") -> list[NotebookParameter]:
    """The parameters declared in a ``parameters`` cell's source; every problem in one error."""
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise UsageError(f"{where}: not valid Python (line {err.lineno}: {err.msg})") from None
    comments = _comments(source)
    params: list[NotebookParameter] = []
    problems: list[str] = []
    for stmt in tree.body:
        line = f"{where}, line {stmt.lineno}"
        if isinstance(stmt, ast.ImportFrom) and stmt.module in ALLOWED_IMPORTS:
            continue
        if not (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and stmt.value is not None
        ):
            problems.append(
                f"{line}: `{ast.unparse(stmt)[:60]}` is not a typed parameter; "
                "write `name: type = value  # help`"
            )
            continue
        name = stmt.target.id
        text = ast.unparse(stmt.annotation)
        try:
            kind = parse_type(text)
        except ValueError as err:
            problems.append(f"{line}: parameter {name!r}: {err}")
            continue
        try:
            default = kind.conform(ast.literal_eval(stmt.value))
        except ValueError:
            problems.append(
                f"{line}: parameter {name!r}: the default must be a literal value, "
                f"not `{ast.unparse(stmt.value)}`"
            )
            continue
        except _Mismatch as err:
            problems.append(f"{line}: parameter {name!r}: default {ast.unparse(stmt.value)} {err}")
            continue
        help_text = comments.get(stmt.end_lineno or stmt.lineno) or comments.get(stmt.lineno)
        if not help_text:
            problems.append(f"{line}: parameter {name!r} has no comment; add `# what it does`")
            continue
        if any(p.name == name for p in params):
            problems.append(f"{line}: parameter {name!r} is declared twice")
            continue
        params.append(NotebookParameter(name, str(kind), default, help_text))
    if problems:
        raise UsageError("\n".join(problems))
    return params


def read_parameters(nb_path: Path) -> list[NotebookParameter]:
    """The typed parameters of the notebook at ``nb_path`` (empty if it has no parameters cell)."""
    cell = parameters_cell(read_notebook(nb_path))
    if cell is None:
        return []
    return parse_parameters(cell_source(cell), where=f"{nb_path.name} parameters cell")


def validate(
    run_name: str, nb_params: Sequence[NotebookParameter], values: Mapping[str, Any]
) -> dict[str, Any]:
    """Every parameter's value for one run: ``values`` checked against the declared types,
    defaults for the rest. Raise UsageError naming the run, parameter, value and expected type
    (all problems at once); unknown names are errors."""
    declared = {p.name: p for p in nb_params}
    problems: list[str] = []
    for name in values:
        if name not in declared:
            close = difflib.get_close_matches(name, declared, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            known = ", ".join(declared) or "none"
            problems.append(f"run {run_name!r}: unknown parameter {name!r} ({hint}known: {known})")
    resolved: dict[str, Any] = {}
    for name, param in declared.items():
        if name not in values:
            resolved[name] = copy.deepcopy(param.default)
            continue
        value = values[name]
        try:
            resolved[name] = parse_type(param.type).conform(value)
        except _Mismatch as err:
            problems.append(
                f"run {run_name!r}: parameter {name!r} = {value!r} is {err}; expected {param.type}"
            )
    if problems:
        raise UsageError("\n".join(problems))
    return resolved


def parse_value(text: str) -> Any:
    """A ``-p name=value`` value from a command line, read as a TOML value (as in reports.toml):
    ``2001`` an int, ``true`` a bool, ``["a", "b"]`` a list, ``"2001"`` a str; anything that is
    not a TOML value (``nima``) is the string itself."""
    import tomllib

    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def checked_overrides(
    run_name: str, nb_params: Sequence[NotebookParameter], values: Mapping[str, Any]
) -> dict[str, Any]:
    """``values`` checked as :func:`validate` checks them (same messages), only those given."""
    resolved = validate(run_name, nb_params, values)
    return {name: resolved[name] for name in values}


def looks_like_parameters(source: str) -> bool:
    """Whether a cell's source has the shape of a typed parameters cell: only ``name: type =
    literal`` lines (at least one), plain assignments of literals and ``from typing import ...``.
    The kernel check uses it, since a kernel does not see cell tags."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    allowed = (ast.AnnAssign, ast.Assign, ast.ImportFrom)
    return (
        any(isinstance(s, ast.AnnAssign) for s in body)
        and all(isinstance(s, allowed) for s in body)
        and all(s.module in ALLOWED_IMPORTS for s in body if isinstance(s, ast.ImportFrom))
        and all(_is_literal(s.value) for s in body if isinstance(s, ast.AnnAssign | ast.Assign))
    )


def _is_literal(node: ast.expr | None) -> bool:
    """Whether ``node`` is a literal value (so ``total: float = frame.sum()`` is ordinary code)."""
    try:
        ast.literal_eval(node) if node is not None else None
    except (ValueError, TypeError, SyntaxError, RecursionError):
        return False
    return node is not None


def injected_values(source: str) -> dict[str, Any] | None:
    """The values of a cell papermill injected (``# Parameters`` then ``name = literal`` lines),
    or None if the cell is not one."""
    if not source.lstrip().startswith("# Parameters"):
        return None
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return None
    values: dict[str, Any] = {}
    for stmt in body:
        if not (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
        ):
            return None
        try:
            values[stmt.targets[0].id] = ast.literal_eval(stmt.value)
        except ValueError:
            return None
    return values
