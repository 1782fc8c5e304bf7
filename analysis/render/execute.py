"""One report run inside a worker process: papermill executes, then HTML and PDF are exported.

Everything is written into the run's staging folder; the parent process promotes it into
``reports/<run>/`` on success or moves it to ``reports/_failed/<run>/`` on failure. A failed
run's executed notebook always carries papermill's red banner linking to the failing cell (also
after a cell timeout or a dead kernel, which papermill itself leaves unmarked), with an HTML view
that shows the code and an ``error.txt``.

The kernel is the current interpreter's (``sys.executable``, so the project's environment),
whatever kernelspecs the user has installed elsewhere, forked for each run from a warm template
(:mod:`analysis.render.kernels`) or, with ``ANALYSIS_KERNEL=plain``, started plain.
"""

from __future__ import annotations

import ast
import functools
import json
import logging
import os
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis import atomic, config
from analysis.provenance import code_version
from analysis.render import determinism
from analysis.render.cache import RECORD

KERNEL_NAME = "python3"
#: The kernel's environment: the worker's, plus the inline matplotlib backend (a user's
#: MPLBACKEND=Agg would otherwise leave reports without figures) and no debugger warning.
KERNEL_ENV = {
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    **determinism.KERNEL_ENV,  # hash seed, matplotlibrc: reproducible outputs
}
ERROR_FILE = config.ERROR_FILE
KERNEL_LOG = "kernel.log"  #: kept with a failed run; removed from a good one
#: The papermill engine the builder runs (:func:`build_engine`).
BUILD_ENGINE = "analysis-build"
#: How nbclient ends a run's kernel once the notebook has run: at once (SIGKILL to its process
#: group). The kernel serves this one run and has sent every output by then; a graceful
#: shutdown interrupts it, asks it to stop and polls every 0.1 s until it has (0.3-0.4 s a run).
KERNEL_SHUTDOWN = "immediate"
#: Seconds to wait on IOPub for the status of a kernel_info request before asking again (a
#: subscription made as the kernel starts can miss the first messages).
IOPUB_CHECK_SECONDS = 0.2


@dataclass(frozen=True)
class Task:
    """What a worker needs for one run (picklable)."""

    name: str
    notebook: Path
    parameters: dict[str, Any]
    staging: Path
    cell_timeout: float | None
    record: dict[str, Any] = field(default_factory=dict)  #: written as build.json on success


@dataclass
class TaskResult:
    """How one run went; ``staging`` holds its files either way."""

    name: str
    ok: bool
    staging: Path
    title: str = ""
    seconds: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    cell: str | None = None  #: the failing cell, as papermill's banner names it ("In [4]")


#: The warm-up page: a heading, bold, italic, code and Arabic, so the fonts reports print with
#: are open before any export child is forked.
WARM_UP_MARKDOWN = "# warm-up\n\n**bold** *italic* `code` \u0633\u0644\u0627\u0645"


def warm_up() -> None:
    """Import papermill, compile the report templates and set up WeasyPrint's fonts (once per
    process; a forked worker, and each export child it forks, inherits all of it)."""
    import papermill  # noqa: F401
    from nbformat.v4 import new_markdown_cell, new_notebook

    from analysis.render.export import exporter

    if not getattr(warm_up, "done", False):
        html = exporter().html(new_notebook(cells=[new_markdown_cell(WARM_UP_MARKDOWN)]))
        exporter().pdf(html)
        warm_up.done = True  # type: ignore[attr-defined]


def init_worker(root: str) -> None:
    """Pool initializer: pin the project root (the kernel runs in notebooks/, so a relative
    ANALYSIS_HOME would move), quieten papermill and warm up (free if inherited)."""
    os.environ[config.HOME_ENV] = root
    # papermill's own parameter sniffing (a regex) misreads typed lines such as
    # `x: Literal["a", "b"] = "a"` and warns "Passed unknown parameter"; the parameters were
    # validated against the notebook's declarations before any kernel started.
    logging.getLogger("papermill").setLevel(logging.ERROR)
    from analysis.render import kernels

    spec = kernel_spec_dict()
    kernels.prestart(spec["argv"], spec["env"])  # its imports overlap the warm-up below
    warm_up()


def kernel_spec_dict() -> dict[str, Any]:
    """The builder's kernel spec: ipykernel's own (``sys.executable -m ipykernel_launcher``)
    with :data:`KERNEL_ENV`, started by the forked-kernel provisioner when it is installed."""
    from ipykernel.kernelspec import get_kernel_dict

    from analysis.render import kernels

    spec = get_kernel_dict()
    spec["argv"][0] = sys.executable
    spec["env"] = dict(KERNEL_ENV)
    if kernels.provisioner_registered():  # fork each run's kernel from a warm template
        spec["metadata"] = {"kernel_provisioner": {"provisioner_name": kernels.PROVISIONER}}
    return spec


@functools.cache
def project_kernel_manager() -> Any:
    """A kernel manager that always starts this interpreter's ipykernel (ipykernel's own
    native spec: ``sys.executable -m ipykernel_launcher``, CurveZMQ where supported)."""
    import zmq
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    spec = kernel_spec_dict()
    client = ready_client_class()

    class ProjectKernelManager(AsyncKernelManager):  # type: ignore[misc]
        #: Where the kernel process's own stdout/stderr go (its log lines, e.g. the
        #: "KeyboardInterrupt caught in kernel" of every shutdown); cell outputs are unaffected.
        log_path: Path | None = None

        async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]
            if self.log_path is None or "stdout" in kw:
                await super().start_kernel(**kw)
                return
            with open(self.log_path, "ab") as log:
                await super().start_kernel(**kw, stdout=log, stderr=subprocess.STDOUT)

        @default("client_factory")
        def _client_factory_default(self) -> type:
            return client

        @default("transport_encryption")
        def _transport_encryption_default(self) -> str:
            # CurveZMQ keys for the local TCP sockets when pyzmq supports it (the kernel
            # otherwise warns that it runs unencrypted).
            return "auto" if zmq.has("curve") else "disabled"

        @property
        def kernel_spec(self) -> KernelSpec:
            if self._kernel_spec is None:
                self._kernel_spec = KernelSpec(**spec)
            return self._kernel_spec

    return ProjectKernelManager


@functools.cache
def build_engine() -> str:
    """Register the builder's papermill engine (once per process) and return its name.

    It is papermill's nbclient engine, but the output notebook is written when the run ends, not
    at every cell's start and end (two writes per cell, each serialising and validating every
    output so far: 0.3-0.5 s a claims run). After a good run, or a cell's error, papermill
    writes it itself; when the run stops with an exception (a cell timeout, a dead kernel) the
    engine writes what ran, which the failed run's view shows."""
    from papermill.engines import NBClientEngine, papermill_engines

    class BuildEngine(NBClientEngine):  # type: ignore[misc]
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
            save = nb_man.save
            nb_man.save = _no_save  # cell_start and cell_complete call it
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            except BaseException:
                nb_man.save = save  # papermill's notebook_complete (its `finally`) writes
                raise

    papermill_engines.register(BUILD_ENGINE, BuildEngine)
    return BUILD_ENGINE


def _no_save(**_: Any) -> None:
    """Stands in for papermill's per-cell save (see :func:`build_engine`)."""


@functools.cache
def ready_client_class() -> type:
    """jupyter_client's async kernel client, ready as soon as the kernel has answered a
    kernel_info request on both the shell and the IOPub channel. jupyter_client's own
    ``wait_for_ready`` then also waits for IOPub to stay quiet for 0.2 s, a fixed cost per run:
    nbclient reads only the messages of its own requests, so nothing needs flushing."""
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient

    class ReadyClient(AsyncKernelClient):  # type: ignore[misc]
        async def _answered(self, msg_id: str, deadline: float) -> bool:
            """Whether ``msg_id`` got its shell reply and then its IOPub idle status in time."""
            while time.monotonic() < deadline:
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    return False
                if reply["parent_header"].get("msg_id") == msg_id:
                    self._handle_kernel_info_reply(reply)
                    break
            else:
                return False
            until = time.monotonic() + IOPUB_CHECK_SECONDS
            while (left := until - time.monotonic()) > 0:
                try:
                    msg = await self.iopub_channel.get_msg(timeout=left)
                except Empty:
                    return False
                if msg["parent_header"].get("msg_id") == msg_id and (
                    msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle"
                ):
                    return True
            return False

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while not await self._answered(self.kernel_info(), deadline):
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    return ReadyClient


def check_literals(parameters: dict[str, Any]) -> None:
    """Prove that papermill writes each value as a literal that reads back as the same value."""
    from papermill.translators import PythonTranslator

    for name, value in parameters.items():
        text = PythonTranslator.translate(value)
        if ast.literal_eval(text) != value:
            raise ValueError(f"parameter {name!r}: {value!r} would be injected as {text}")


def _execute(task: Task, out_nb: Path) -> None:
    import papermill

    check_literals(task.parameters)
    # The kernel inherits it: analysis.report.tables records each table the run opens there.
    os.environ[config.TABLES_LOG_ENV] = str(task.staging / config.TABLES_READ_FILE)
    manager = project_kernel_manager()
    manager.log_path = task.staging / KERNEL_LOG
    papermill.execute_notebook(
        str(task.notebook),
        str(out_nb),
        parameters=task.parameters,
        kernel_name=KERNEL_NAME,
        engine_name=build_engine(),
        cwd=str(task.notebook.parent),
        progress_bar=False,
        log_output=False,
        execution_timeout=task.cell_timeout,
        kernel_manager_class=manager,
        shutdown_kernel=KERNEL_SHUTDOWN,
    )


def _mark_failure(out_nb: Path, source: Path, ename: str, evalue: str) -> str | None:
    """Give a notebook that failed without a cell error (timeout, dead kernel) papermill's
    banner: an error output on the cell that was running. Return the banner's cell label."""
    import nbformat
    from papermill.exceptions import PapermillExecutionError
    from papermill.execute import raise_for_execution_errors

    nb = nbformat.read(out_nb if out_nb.exists() else source, as_version=4)
    started = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and c.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    index = (
        started[-1]
        if started
        else next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), None)
    )
    if index is None:
        nbformat.write(nb, out_nb)
        return None
    cell = nb.cells[index]
    cell.outputs.append(
        nbformat.v4.new_output(
            "error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]
        )
    )
    cell.metadata.setdefault("papermill", {}).update(status="failed", exception=True)
    try:
        raise_for_execution_errors(nb, str(out_nb))
    except PapermillExecutionError as err:
        return f"In [{err.exec_count}]"
    return None


def _failure(task: Task, out_nb: Path, err: BaseException) -> tuple[str, str | None]:
    """The one-line error and the failing cell; makes sure the notebook shows the banner."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(err, PapermillExecutionError):
        return f"{err.ename}: {err.evalue}".strip(), f"In [{err.exec_count}]"
    if isinstance(err, TimeoutError):
        ename = "CellTimeoutError"
        evalue = f"a cell ran longer than {task.cell_timeout or 0:g} s (--cell-timeout)"
    else:
        ename = type(err).__name__
        evalue = str(err).strip().splitlines()[0] if str(err).strip() else ""
    try:
        cell = _mark_failure(out_nb, task.notebook, ename, evalue)
    except Exception:  # noqa: BLE001 - keep the original error, not the marking error
        cell = None
    return f"{ename}: {evalue}".strip(": "), cell


def _write_failed(task: Task, out_nb: Path, error: str, cell: str | None, detail: str) -> None:
    from analysis.render.export import exporter

    text = [
        f"Report run {task.name!r} failed" + (f" at cell {cell}" if cell else "") + ".",
        f"notebook:   {task.notebook}",
        f"parameters: {json.dumps(task.parameters, ensure_ascii=False)}",
        f"error:      {error}",
        "",
        f"Open {task.name}.html (code shown) or {task.name}.ipynb: the red banner at the top links",
        "to the failing cell. The last good report, if any, is still in reports/.",
        "",
        detail,
    ]
    atomic.write_text(task.staging / ERROR_FILE, "\n".join(text))
    log = task.staging / KERNEL_LOG
    if log.exists() and not log.stat().st_size:
        log.unlink()
    if out_nb.exists():
        try:
            exporter().export(out_nb, task.staging, task.name, pdf=False, show_code=True)
        except Exception as exc:  # noqa: BLE001 - the notebook and error.txt are enough
            atomic.write_text(task.staging / f"{task.name}.html.error", repr(exc))


def execute_task(task: Task) -> TaskResult:
    """Execute one run into ``task.staging``; never raises for a notebook's own failure."""
    from analysis.render import kernels
    from analysis.render.export import exporter

    started = time.perf_counter()
    task.staging.mkdir(parents=True, exist_ok=True)
    out_nb = task.staging / f"{task.name}.ipynb"
    seconds: dict[str, float] = {}
    determinism.pin_run(task.record)  # data date, code digest: the kernel inherits them
    kernels.last_started_as = ""
    try:
        _execute(task, out_nb)
        determinism.normalise_notebook(out_nb)
    except Exception as err:  # noqa: BLE001 - every failure becomes a failed run
        seconds["execute"] = round(time.perf_counter() - started, 3)
        error, cell = _failure(task, out_nb, err)
        _write_failed(task, out_nb, error, cell, traceback.format_exc(limit=3))
        seconds["total"] = round(time.perf_counter() - started, 3)
        return TaskResult(task.name, False, task.staging, "", seconds, error, cell)
    seconds["execute"] = round(time.perf_counter() - started, 3)
    try:
        result = exporter().export(out_nb, task.staging, task.name)
    except Exception as err:  # noqa: BLE001 - a failed export fails the run, not the build
        error = f"export failed: {type(err).__name__}: {err}"
        _write_failed(task, out_nb, error, None, traceback.format_exc(limit=5))
        seconds["total"] = round(time.perf_counter() - started, 3)
        return TaskResult(task.name, False, task.staging, "", seconds, error, None)
    (task.staging / KERNEL_LOG).unlink(missing_ok=True)
    seconds.update(html=result.html_seconds, pdf=result.pdf_seconds)
    seconds["total"] = round(time.perf_counter() - started, 3)
    record = {
        **task.record,
        "title": result.title,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": seconds,
        "code_version": code_version(),
        "kernel": kernels.last_started_as or kernels.PLAIN,  # forked from a template, or plain
        "machine": determinism.machine(result.pdf),
        "files": {
            "html": result.html.name,
            "pdf": result.pdf.name if result.pdf else None,
            "ipynb": out_nb.name,
        },
    }
    record["files"] = {k: v for k, v in record["files"].items() if v}
    atomic.write_text(task.staging / RECORD, json.dumps(record, indent=2, ensure_ascii=False))
    return TaskResult(task.name, True, task.staging, result.title, seconds)
