"""The typed-parameter contract inside the project kernel (JupyterLab, ``nbconvert --execute``).

The project kernelspec (:mod:`analysis.render.kernelspec`) starts ipykernel with
``--ext analysis.render.kernel_check``. The extension looks at every cell before it runs:

* a cell shaped like a typed parameters cell (``name: type = value  # help`` lines) is read with
  :func:`analysis.render.params.parse_parameters`: a default of the wrong type, an unsupported
  type or a missing help comment stops the cell (and "Run All") with the builder's message;
* a cell papermill injected (``# Parameters`` then ``name = value`` lines) after it is checked
  with :func:`analysis.render.params.validate`, as ``analysis build`` checks reports.toml.

A kernel does not see cell tags, so the parameters cell is recognised by its shape.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from analysis.errors import UsageError
from analysis.render.params import (
    NotebookParameter,
    checked_overrides,
    injected_values,
    looks_like_parameters,
    parse_parameters,
)

#: Jupyter Server tells a kernel which notebook it serves; nbconvert and papermill do not.
SESSION_ENV = "JPY_SESSION_NAME"
RUN_LABEL = "notebook"


def _where() -> str:
    session = os.environ.get(SESSION_ENV)
    return f"{Path(session).name} parameters cell" if session else "parameters cell"


class _State:
    declared: list[NotebookParameter] | None = None


def check_cell(source: str, state: type[_State] = _State) -> None:
    """Raise UsageError if ``source`` is a badly declared parameters cell or injects bad values."""
    values = injected_values(source)
    if values is not None:
        if state.declared is not None:
            checked_overrides(RUN_LABEL, state.declared, values)
        return
    if looks_like_parameters(source):
        state.declared = parse_parameters(source, where=_where())


def load_ipython_extension(ip: Any) -> None:
    """Register the check as an input transformer (an error stops the cell before it runs)."""
    from IPython.core.error import InputRejected

    class ParameterError(InputRejected):  # type: ignore[misc]
        """Shown as its one-line message, not as a traceback into this module."""

        def _render_traceback_(self) -> list[str]:
            return [f"ParameterError: {self}"]

    def transform(lines: list[str]) -> list[str]:
        try:
            check_cell("".join(lines))
        except UsageError as err:
            raise ParameterError(str(err)) from None
        return lines

    ip.input_transformers_post.append(transform)
