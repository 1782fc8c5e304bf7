"""Dependencies: every runtime one is used at runtime, named in README's table, and the lock
(``requirements/constraints.txt``) pins every package the dev environment installs.

Imports are read with :mod:`ast` over ``analysis/**/*.py`` (imports inside functions count), and
a distribution's import names come from its installed metadata (``packages_distributions``).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "analysis"
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
README = ROOT / "README.md"
#: Runtime dependencies used without an ``import`` in analysis/, each with where it is used.
USED_WITHOUT_IMPORT = {
    "ipykernel": "the Python kernel papermill starts for every report run",
}
#: Workbook and legacy-spreadsheet readers the runtime must not need (python-calamine reads both).
NOT_AT_RUNTIME = ("openpyxl", "xlrd")


def _project() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _runtime() -> list[str]:
    deps = _project()["dependencies"]
    assert isinstance(deps, list)
    return [canonicalize_name(Requirement(d).name) for d in deps]


def _imported_top_names() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


def _imported_distributions() -> set[str]:
    by_module = packages_distributions()
    return {
        canonicalize_name(dist)
        for name in _imported_top_names()
        for dist in by_module.get(name, [])
    }


def test_every_runtime_dependency_is_used_at_runtime() -> None:
    imported = _imported_distributions()
    unused = [d for d in _runtime() if d not in imported and d not in USED_WITHOUT_IMPORT]
    assert not unused, f"runtime dependencies no module in analysis/ imports: {unused}"


def test_runtime_needs_no_openpyxl_or_xlrd() -> None:
    """Every table builds from the synthetic snapshot with openpyxl and xlrd unimportable."""
    script = f"""
import sys
for name in {NOT_AT_RUNTIME!r}:
    sys.modules[name] = None  # import raises ImportError
import shutil, tempfile
from pathlib import Path
from analysis.clean.registry import TABLES
raw = Path(tempfile.mkdtemp()) / "raw"
shutil.copytree({str(ROOT / "tests/fixtures/snapshot")!r}, raw)
shutil.copytree({str(ROOT / "tests/fixtures/ledgers")!r}, raw / "ledgers")
for table in ("indicators", "oil_prices", "oil_trade"):
    result = TABLES[table].build(raw)
    print(table, result.rows_kept)
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    kept = dict(line.split() for line in run.stdout.splitlines())
    assert all(int(n) > 0 for n in kept.values()), kept


def test_readme_table_names_every_runtime_dependency() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Dependencies and why each is there", 1)[1].split("\n## ", 1)[0]
    first_cells = {
        canonicalize_name(name)
        for line in section.splitlines()
        if line.startswith("| ") and not line.startswith("| dev extra")
        for name in re.findall(r"[\w.-]+", line.split("|")[1])
    }
    missing = [d for d in _runtime() if d not in first_cells]
    assert not missing, f"README's dependency table does not name: {missing}"
    assert not [d for d in NOT_AT_RUNTIME if d in first_cells], "README lists a dropped reader"


def _pins(path: Path) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version
    return pins


def test_constraints_pin_every_declared_dependency() -> None:
    """The lock pins (``==``) every runtime and dev dependency, and pandas at a tested version."""
    pins = _pins(CONSTRAINTS)
    extras = _project()["optional-dependencies"]
    assert isinstance(extras, dict)
    declared = {*_runtime(), *(canonicalize_name(Requirement(d).name) for d in extras["dev"])}
    missing = sorted(declared - set(pins))
    assert not missing, f"{CONSTRAINTS.name} does not pin: {missing}"
    assert all(re.fullmatch(r"\d[\w.+!-]*", v) for v in pins.values()), "name==version"
    assert "analysis" not in pins, "the project itself is not pinned (pip freeze's editable line)"
    tested = re.search(
        r"pandas versions tested: \*\*([\w.]+)\*\* \(the lock", README.read_text(encoding="utf-8")
    )
    assert tested and tested.group(1) == pins["pandas"], "README names the lock's pandas as tested"


def test_every_install_that_runs_the_reports_uses_the_lock() -> None:
    """make (and so CI and cron) and the scheduled GitHub workflow install with the lock."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "CONSTRAINTS := requirements/constraints.txt" in makefile
    installs = [line for line in makefile.splitlines() if "$(PIP_INSTALL) -e" in line]
    assert (
        len(installs) == 2
        and "PIP_INSTALL := $(BIN)/python -m pip install --quiet -c $(CONSTRAINTS)" in makefile
    )
    workflow = (ROOT / "docs/examples/refresh.yml").read_text(encoding="utf-8")
    pip_lines = [line for line in workflow.splitlines() if "pip install" in line]
    assert pip_lines and all("-c requirements/constraints.txt" in line for line in pip_lines)
