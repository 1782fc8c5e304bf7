"""The typed-parameter contract on the stock ``papermill`` route (registered by entry point).

papermill loads the ``papermill.engine`` entry points when it is imported; loading this module
registers :class:`TypedPythonTranslator` for the project kernel (:data:`config.KERNEL_NAME`,
which the notebooks name in their metadata). For those notebooks papermill then

* reads the parameters with :func:`analysis.render.params.parse_parameters` (``papermill
  --help-notebook`` shows every parameter with its type, default and help; no "Passed unknown
  parameter" warning for a declared name), and
* checks every ``-p``/``-y`` value with :func:`analysis.render.params.validate` before the
  notebook is written or any kernel starts: a typo, a wrong type or a bad choice ends papermill
  with ``Error: <the same line as analysis build>`` and exit code 2.

The ``analysis`` engine (``papermill --engine analysis``) applies the same check to a notebook
whatever its kernel. Nothing here runs in the builder, which checks parameters itself.
"""

from __future__ import annotations

import contextvars
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from papermill.engines import NBClientEngine
from papermill.models import Parameter
from papermill.translators import PythonTranslator, papermill_translators

from analysis import config
from analysis.errors import ExitCode, UsageError
from analysis.render.notebook import PARAMETERS_TAG
from analysis.render.params import NotebookParameter, checked_overrides, parse_parameters

#: The declarations papermill inspected last (it inspects, then codifies, in one call).
_DECLARED: contextvars.ContextVar[list[NotebookParameter] | None] = contextvars.ContextVar(
    "declared", default=None
)


class ParameterError(click.ClickException, ValueError):
    """A bad parameter value or declaration; the papermill CLI prints it as one line, exit 2."""

    exit_code = int(ExitCode.USAGE)


def _run_label() -> str:
    """The run's name in messages: the notebook's stem, as for ``analysis build NOTEBOOK``."""
    ctx = click.get_current_context(silent=True)
    path = ctx.params.get("notebook_path") if ctx is not None else None
    return Path(str(path)).stem if path else "notebook"


def _declarations(source: str) -> list[NotebookParameter]:
    try:
        return parse_parameters(source, where=f"{_run_label()}.ipynb parameters cell")
    except UsageError as err:
        raise ParameterError(str(err)) from None


class TypedPythonTranslator(PythonTranslator):  # type: ignore[misc]
    """papermill's Python translator, reading and checking the typed parameters cell."""

    @classmethod
    def inspect(cls, parameters_cell: Mapping[str, Any]) -> list[Parameter]:
        source = parameters_cell["source"]
        declared = _declarations("".join(source) if isinstance(source, list) else source)
        _DECLARED.set(declared)
        return [Parameter(p.name, p.type, repr(p.default), p.help) for p in declared]

    @classmethod
    def codify(cls, parameters: Mapping[str, Any], comment: str = "Parameters") -> str:
        declared = _DECLARED.get()
        if declared is not None:
            try:
                parameters = checked_overrides(_run_label(), declared, parameters)
            except UsageError as err:
                raise ParameterError(str(err)) from None
        return str(super().codify(parameters, comment))


def check_notebook(nb: Any) -> None:
    """Check a parameterised notebook's injected values against its parameters cell."""
    from analysis.render.params import injected_values

    cells = [c for c in nb.cells if c.cell_type == "code"]
    declared = next((c for c in cells if PARAMETERS_TAG in c.metadata.get("tags", [])), None)
    injected = next((c for c in cells if "injected-parameters" in c.metadata.get("tags", [])), None)
    if declared is None:
        return
    params = _declarations(declared.source)
    values = injected_values(injected.source) if injected is not None else None
    if values:
        try:
            checked_overrides(_run_label(), params, values)
        except UsageError as err:
            raise ParameterError(str(err)) from None


class AnalysisEngine(NBClientEngine):  # type: ignore[misc]
    """``papermill --engine analysis``: nbclient, after the typed-parameter check."""

    @classmethod
    def execute_notebook(cls, nb: Any, kernel_name: str, **kwargs: Any) -> Any:
        check_notebook(nb)
        return super().execute_notebook(nb, kernel_name, **kwargs)


papermill_translators.register(config.KERNEL_NAME, TypedPythonTranslator)
