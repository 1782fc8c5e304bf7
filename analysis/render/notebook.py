"""Read a notebook file as plain JSON: no nbformat, no kernel (fast enough for a no-op build)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from analysis.errors import UsageError

PARAMETERS_TAG = "parameters"
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<text>.+?)\s*#*\s*$", re.MULTILINE)


def read_notebook(path: Path) -> dict[str, Any]:
    """The notebook at ``path`` as a dict (nbformat 4 JSON)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"notebook not found: {path}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: not a notebook (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise UsageError(f"{path}: not a notebook (no 'cells' list)")
    return data


def cell_source(cell: dict[str, Any]) -> str:
    """A cell's source as one string (nbformat allows a string or a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def cell_tags(cell: dict[str, Any]) -> list[str]:
    tags = cell.get("metadata", {}).get("tags", [])
    return [str(t) for t in tags] if isinstance(tags, list) else []


def parameters_cell(nb: dict[str, Any]) -> dict[str, Any] | None:
    """The first code cell tagged ``parameters`` (papermill's convention), if any."""
    return next(
        (c for c in nb["cells"] if c.get("cell_type") == "code" and PARAMETERS_TAG in cell_tags(c)),
        None,
    )


def notebook_title(nb: dict[str, Any], fallback: str = "Report") -> str:
    """The report title: ``metadata.title``, else the first markdown heading, else ``fallback``."""
    title = nb.get("metadata", {}).get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    for cell in nb["cells"]:
        if cell.get("cell_type") == "markdown":
            match = _HEADING.search(cell_source(cell))
            if match:
                return re.sub(r"[*_`]", "", match["text"]).strip()
    return fallback


def source_digest(path: Path) -> str:
    """sha256 of what a notebook *says*: cell types, sources and tags; outputs and ids ignored.

    Saving a notebook in JupyterLab (new outputs, execution counts, cell ids) leaves it unchanged.
    """
    nb = read_notebook(path)
    payload = [[c.get("cell_type"), cell_source(c), sorted(cell_tags(c))] for c in nb["cells"]]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()
