"""``python -m analysis.render.notebook_check [NOTEBOOK ...]``: is each notebook committed clean?

A notebook is clean when no code cell has outputs or an execution count, when writing it through
``nbformat`` changes no byte (what a save in JupyterLab writes) and when it names the project
kernel. ``--fix`` rewrites it so (outputs stripped, canonical layout, project kernel). The test
suite and the pre-commit hook run the same check; exit code 1 if any notebook is not clean.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from analysis import config


def _clean(nb: Any) -> Any:
    from analysis.render.kernelspec import notebook_kernelspec

    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.kernelspec = notebook_kernelspec()
    return nb


def problems(path: Path) -> list[str]:
    """What keeps the notebook at ``path`` from being committed as it is (empty: clean)."""
    import nbformat

    raw = path.read_text(encoding="utf-8")
    nb = nbformat.reads(raw, as_version=4)
    found = []
    executed = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.outputs or c.execution_count is not None)
    ]
    if executed:
        found.append(f"{path.name}: outputs or execution counts in cell(s) {executed}")
    if nbformat.writes(nb) + "\n" != raw:
        found.append(f"{path.name}: not in nbformat's canonical layout (a save would rewrite it)")
    if nb.metadata.get("kernelspec", {}).get("name") != config.KERNEL_NAME:
        found.append(f"{path.name}: kernel is not {config.KERNEL_NAME!r}")
    return found


def main(argv: list[str] | None = None) -> int:
    import nbformat

    args = sys.argv[1:] if argv is None else argv
    fix = "--fix" in args
    paths = [Path(a) for a in args if a != "--fix"] or sorted(
        config.paths().notebooks.glob("*.ipynb")
    )
    bad = 0
    for path in paths:
        found = problems(path)
        if found and fix:
            nbformat.write(_clean(nbformat.read(path, as_version=4)), path)
            print(f"fixed {path}")
        elif found:
            bad += 1
            print("\n".join(found))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
