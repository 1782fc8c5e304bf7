"""The floor for a report run: the notebook's code executed as plain Python, in one process.

Run by benchmarks/run.py as a child process: reads ``[{"name", "notebook", "parameters"}...]``
as JSON on stdin, injects each run's parameters the way papermill does (a cell after the
``parameters`` cell), executes every code cell with ``exec`` under the non-interactive Agg
backend, and prints ``{name: seconds}`` as JSON. Imports are paid by the first run (as in a
fresh kernel); ``display`` is IPython's, which prints a repr outside a kernel.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import time
from pathlib import Path
from typing import Any


def notebook_source(notebook: Path, parameters: dict[str, Any]) -> str:
    """The notebook's code cells as one script, with the parameters injected."""
    import nbformat
    from IPython.core.inputtransformer2 import TransformerManager
    from papermill.parameterize import parameterize_notebook

    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:  # papermill's CLI adds the tags list before parameterising
        cell.metadata.setdefault("tags", [])
    nb.metadata.setdefault("papermill", {})
    nb = parameterize_notebook(nb, parameters)
    transform = TransformerManager().transform_cell
    return "\n".join(transform(c.source) for c in nb.cells if c.cell_type == "code")


def run_one(notebook: Path, parameters: dict[str, Any]) -> float:
    """Seconds to execute one parameterised notebook's code in this process."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    code = compile(notebook_source(notebook, parameters), str(notebook), "exec")
    namespace: dict[str, Any] = {"__name__": "__main__", "display": display}
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        exec(code, namespace)  # noqa: S102 - the benchmark's whole point
    plt.close("all")
    return time.perf_counter() - start


def main() -> None:
    """Read the runs from stdin, print each run's seconds as JSON."""
    os.environ["MPLBACKEND"] = "Agg"
    runs = json.load(sys.stdin)
    timings: dict[str, float] = {}
    for run in runs:
        notebook = Path(run["notebook"])
        os.chdir(notebook.parent)  # the build's kernel also runs in notebooks/
        timings[run["name"]] = run_one(notebook, run["parameters"])
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
