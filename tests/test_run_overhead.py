"""What a report run costs beyond its notebook's code (issue 20): the executed notebook is
written once, the kernel client is ready as soon as the kernel answers, and a forked kernel's
start imports nothing its template has not. Synthetic notebooks and fake channels only."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from queue import Empty
from typing import Any

import nbformat
import pytest

from analysis import config
from analysis.render import kernels
from analysis.render.execute import Task, execute_task, ready_client_class


def write_notebook(home: Path, name: str, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}")]
    nb.cells += [nbformat.v4.new_code_cell(source) for source in sources]
    path = home / "notebooks" / f"{name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_the_executed_notebook_is_not_rewritten_at_every_cell(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """papermill's engine writes the whole notebook at every cell's start and end; the
    builder's writes it when the run is over (papermill's one write), with the same outputs."""
    import papermill.engines

    written: list[str] = []
    write = papermill.engines.write_ipynb

    def counting(nb: Any, path: str) -> None:
        written.append(path)
        write(nb, path)

    monkeypatch.setattr(papermill.engines, "write_ipynb", counting)
    path = write_notebook(home, "four", *(f"print({i})" for i in range(4)))
    result = execute_task(Task("four", path, {}, home / "staging" / "four", 60.0))
    assert result.ok, result.error
    assert len(written) == 1  # the parameterised notebook, before the first cell (was 10)
    cells = nbformat.read(result.staging / "four.ipynb", as_version=4).cells[1:]
    assert [c.outputs[0]["text"] for c in cells] == [f"{i}\n" for i in range(4)]


@pytest.mark.slow
def test_a_run_stopped_by_a_timeout_keeps_the_outputs_of_the_cells_that_ran(home: Path) -> None:
    """The notebook is written when the run stops with an exception, so the failed run's view
    shows what ran and the banner points at the cell that timed out."""
    path = write_notebook(home, "slow", 'print("ran first")', "import time\ntime.sleep(30)")
    result = execute_task(Task("slow", path, {}, home / "staging" / "slow", 1.0))
    assert not result.ok and (result.error or "").startswith("CellTimeoutError")
    cells = nbformat.read(result.staging / "slow.ipynb", as_version=4).cells
    first, slow = [c for c in cells if c.cell_type == "code"]
    assert first.outputs[0]["text"] == "ran first\n"
    assert slow.outputs[-1]["ename"] == "CellTimeoutError"
    assert "papermill-error-cell-tag" in cells[0].metadata.get("tags", [])


# --- the kernel client's wait for a ready kernel (fake channels: no kernel) ---------------


class Shell:
    """A shell channel whose kernel answers every kernel_info request at once."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, msg: dict[str, Any]) -> None:
        self.sent.append(msg["header"]["msg_id"])

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:
        if not self.sent:
            raise Empty
        return {
            "msg_type": "kernel_info_reply",
            "parent_header": {"msg_id": self.sent[-1]},
            "content": {"protocol_version": "5.3"},
        }


class Iopub:
    """An IOPub channel that is never quiet: a kernel (or a thread in it) keeps publishing.
    ``missed``: how many kernel_info requests' status it loses (a late subscription)."""

    def __init__(self, shell: Shell, missed: int = 0) -> None:
        self.shell, self.missed, self.count = shell, missed, 0

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:
        await asyncio.sleep(0)  # a real channel's wait: a client that never stops can be cancelled
        self.count += 1
        if self.count % 5 or not self.shell.sent:
            return {"msg_type": "stream", "parent_header": {"msg_id": "other"}, "content": {}}
        if len(self.shell.sent) <= self.missed:
            raise Empty
        return {
            "msg_type": "status",
            "parent_header": {"msg_id": self.shell.sent[-1]},
            "content": {"execution_state": "idle"},
        }


def client_with(missed: int = 0) -> tuple[Any, Shell]:
    client = ready_client_class()()
    shell = Shell()
    client._shell_channel = shell
    client._iopub_channel = Iopub(shell, missed)
    return client, shell


def test_the_client_is_ready_once_the_kernel_answers_on_shell_and_iopub() -> None:
    """jupyter_client's wait_for_ready then waits for IOPub to go quiet for 0.2 s (forever,
    here); the builder's client is ready at the kernel_info request's idle status."""
    client, shell = client_with()
    asyncio.run(asyncio.wait_for(client.wait_for_ready(timeout=30), timeout=10))
    assert len(shell.sent) == 1


def test_the_client_asks_again_when_iopub_missed_the_kernels_answer() -> None:
    """A subscription made as the kernel starts can miss the first status messages: the client
    asks again rather than taking a kernel whose IOPub it has not heard."""
    client, shell = client_with(missed=2)
    asyncio.run(asyncio.wait_for(client.wait_for_ready(timeout=30), timeout=10))
    assert len(shell.sent) == 3


# --- what a forked kernel imports when it starts ------------------------------------------

#: Printed by the first cell: the modules the kernel imported after its template forked it.
STARTUP = """
import json, sys
from analysis.render import kernels
print(json.dumps(sorted(set(sys.modules) - kernels.preloaded)))
"""


@pytest.mark.slow
def test_a_forked_kernel_imports_no_debugger_or_history_module_at_start(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ipykernel's start-up imports its debugger (debugpy, pydevd: about 150 modules), psutil
    and sqlite3; the template has imported them, so each run's kernel does not."""
    monkeypatch.setenv(config.KERNEL_MODE_ENV, kernels.FORKED)
    path = write_notebook(home, "startup", STARTUP)
    result = execute_task(Task("startup", path, {}, home / "staging" / "startup", 60.0))
    assert result.ok, result.error
    assert json.loads((result.staging / "build.json").read_text())["kernel"] == kernels.FORKED
    cell = nbformat.read(result.staging / "startup.ipynb", as_version=4).cells[1]
    imported = json.loads(cell.outputs[0]["text"])
    heavy = ("debugpy", "pydevd", "_pydevd", "_pydev", "psutil", "sqlite3", "IPython.core.debugger")
    assert not [m for m in imported if m.startswith(heavy)], imported
