"""The house rules, read from the code: which package may import which, and who opens the store.

The import graph is read with :mod:`ast` over ``analysis/**/*.py`` (imports inside functions and
under ``TYPE_CHECKING`` count too). See README.md, "Layout", for what each package owns.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "analysis"

#: package (or top-level module) → what it must never import. ``report`` is what the notebooks'
#: kernel imports: data access through the store, charts, views, the HTML kit and the appendix.
NEVER: dict[str, frozenset[str]] = {
    "config": frozenset({"store", "fetch", "parse", "clean", "schemas", "report", "render"}),
    "store": frozenset({"fetch", "parse", "clean", "schemas", "report", "render", "refresh"}),
    "parse": frozenset({"store", "fetch", "clean", "report", "render", "refresh"}),
    "fetch": frozenset({"clean", "parse", "schemas", "report", "render", "refresh"}),
    "schemas": frozenset({"store", "fetch", "clean", "report", "render", "refresh"}),
    "finance": frozenset({"store", "fetch", "clean", "report", "render", "refresh"}),
    "clean": frozenset({"report", "render", "refresh"}),
    "report": frozenset({"fetch", "clean", "render", "refresh", "locking"}),
    "render": frozenset({"fetch", "clean", "refresh"}),
}
#: Only the entry point imports the command line.
CLI_IMPORTERS = frozenset({"__main__"})
#: The Paths attributes that locate data/processed/ and its manifest, quarantine.
STORE_PATHS = frozenset({"processed", "processed_manifest", "quarantine"})
#: The modules that may use them: store reads and writes the folder, config defines it.
STORE_OWNERS = frozenset({"store.py", "config.py"})


def _modules() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(PACKAGE.rglob("*.py"))}


def _top(path: Path) -> str:
    """``analysis/clean/x.py`` → ``clean``; ``analysis/store.py`` → ``store``."""
    return path.relative_to(PACKAGE).with_suffix("").parts[0]


def _imported(tree: ast.Module) -> set[str]:
    """The first-level names below ``analysis`` that a module imports."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "analysis":  # from analysis import config, store
                names += [f"analysis.{a.name}" for a in node.names]
        else:
            continue
        found |= {n.split(".")[1] for n in names if n.startswith("analysis.")}
    return found


def import_graph() -> dict[str, set[str]]:
    """Package → the other analysis packages it imports."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path, tree in _modules().items():
        top = _top(path)
        graph[top] |= _imported(tree) - {top}
    return graph


def test_the_graph_reader_sees_known_edges() -> None:
    """Guards the rules below against a reader that finds nothing."""
    graph = import_graph()
    assert {"report", "store"} <= graph["render"]
    assert "fetch" in graph["clean"] and "store" in graph["report"]
    assert "cli" in graph["__main__"]


@pytest.mark.parametrize("package", sorted(NEVER))
def test_a_package_never_imports_the_layers_it_must_not_know(package: str) -> None:
    graph = import_graph()
    assert package in graph or (PACKAGE / f"{package}.py").exists()
    assert not graph.get(package, set()) & NEVER[package], (
        f"{package} imports {sorted(graph[package] & NEVER[package])}"
    )


def test_nothing_but_the_entry_point_imports_the_cli() -> None:
    importers = {pkg for pkg, targets in import_graph().items() if "cli" in targets}
    assert importers <= CLI_IMPORTERS


def _paths_names(tree: ast.Module) -> set[str]:
    """Names bound to ``config.paths()`` / ``paths()`` in a module (``out = config.paths()``)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and _is_paths_call(node.value):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _is_paths_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "paths") or (
        isinstance(func, ast.Attribute) and func.attr == "paths"
    )


def test_only_the_store_locates_the_processed_folder() -> None:
    """``paths().processed``, ``.processed_manifest`` and ``.quarantine`` (and a literal
    ``/ "processed"``) appear only in store.py and config.py: every other module goes through
    :mod:`analysis.store`."""
    offenders = []
    for path, tree in _modules().items():
        if path.relative_to(PACKAGE).as_posix() in STORE_OWNERS:
            continue
        bound = _paths_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in STORE_PATHS:
                owner = node.value
                on_paths = _is_paths_call(owner) or (
                    isinstance(owner, ast.Name) and owner.id in bound
                )
                if node.attr != "quarantine" or on_paths:  # results have a .quarantine too
                    offenders.append(f"{path.name}:{node.lineno} .{node.attr}")
            if (
                isinstance(node, ast.BinOp)
                and isinstance(node.op, ast.Div)
                and isinstance(node.right, ast.Constant)
                and node.right.value in ("processed", "manifest.json")
            ):
                offenders.append(f"{path.name}:{node.lineno} / {node.right.value!r}")
    assert not offenders, offenders


#: Inside ``clean/``: a part (``sources``, ``tables``, or a top-level module such as ``base``) →
#: the parts it must never import. Loaders (``sources/``) read raw files and know no table;
#: tables (``tables/``) process their sources' rows and know neither the registry nor the
#: pipeline; the helpers beside them (base, longform, xlsx, countries, jalali, carried, inputs)
#: serve both and know none of them; only the pipeline reads the registry.
CLEAN_PARTS = ("sources", "tables", "registry", "pipeline")
CLEAN_HELPERS = ("base", "longform", "xlsx", "countries", "jalali", "carried", "inputs")
CLEAN_NEVER: dict[str, frozenset[str]] = {
    "sources": frozenset({"tables", "registry", "pipeline"}),
    "tables": frozenset({"registry", "pipeline"}),
    "registry": frozenset({"pipeline"}),
    **{helper: frozenset(CLEAN_PARTS) for helper in CLEAN_HELPERS},
}
CLEAN = PACKAGE / "clean"


def _clean_part(dotted: str) -> str | None:
    """``analysis.clean.sources.sipri`` → ``sources``; ``analysis.clean.base`` → ``base``."""
    parts = dotted.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["analysis", "clean"] else None


def clean_graph() -> dict[str, set[str]]:
    """Part of ``clean/`` → the other parts of ``clean/`` it imports."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in sorted(CLEAN.rglob("*.py")):
        part = path.relative_to(CLEAN).with_suffix("").parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            graph[part] |= {p for n in names if (p := _clean_part(n)) and p != part}
    return graph


def test_the_clean_graph_reader_sees_known_edges() -> None:
    graph = clean_graph()
    assert {"sources", "base"} <= graph["tables"]
    assert {"registry", "base"} <= graph["pipeline"] and "tables" in graph["registry"]


def test_every_part_of_clean_has_a_rule() -> None:
    """A new module in clean/ must be placed: a source, a table, a helper or the pipeline."""
    parts = {p.relative_to(CLEAN).with_suffix("").parts[0] for p in CLEAN.rglob("*.py")}
    assert parts - {"__init__"} <= set(CLEAN_NEVER) | {"pipeline"}


@pytest.mark.parametrize("part", sorted(CLEAN_NEVER))
def test_a_part_of_clean_never_imports_what_runs_it(part: str) -> None:
    imported = clean_graph().get(part, set())
    assert not imported & CLEAN_NEVER[part], (
        f"clean/{part} imports {sorted(imported & CLEAN_NEVER[part])}"
    )
