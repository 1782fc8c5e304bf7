"""Fresh, pre-imported kernels: each report run's kernel is forked from a template process.

A *template* is a plain Python process, started once per worker (local pool or Dask), that
imports what the reports import (:data:`PRELOAD`: pandas, pyarrow, matplotlib and its Agg
backend, seaborn, IPython, ipykernel with what its start-up imports, and ``analysis.report``)
and then waits for requests on its stdin. What those imports decide from "am I in a kernel?" is
decided again in the child, so a forked kernel's pandas options and matplotlib settings are a
plain kernel's (the inline backend is left to the run's first figure; see
:func:`_pandas_as_in_a_kernel`).

For each run, :class:`ForkedProvisioner` (jupyter_client's kernel-provisioner hook,
registered under the entry point group ``jupyter_client.kernel_provisioners``) asks it for a
kernel: the template forks, and the child becomes an ipykernel for that run's connection file.
The child is a new process with the template's freshly imported modules (copy-on-write) and
nothing else; it serves one run and exits at shutdown, so no state passes between runs.

A template is keyed only on what its imports depend on (:func:`template_key`: the interpreter,
the digest of the package code, the kernel spec's command and environment), never on a run's own
variables (``SOURCE_DATE_EPOCH``, ``ANALYSIS_CODE_DIGEST``, ``ANALYSIS_TABLES_LOG``, ...): each
fork request carries the run's whole environment, and the child sets ``os.environ`` to it before
the kernel starts. One template therefore serves every run of a worker, whatever the run.

Where ``os.fork`` is missing, where ``ANALYSIS_KERNEL=plain`` (:data:`config.KERNEL_MODE_ENV`),
or when the template cannot start, the provisioner falls back to jupyter_client's plain launch
(a new interpreter per run). The template exits when its worker goes away (end of stdin); a
forked kernel exits when the template does (ipykernel's parent poller).

Run as ``python -m analysis.render.kernels`` this module *is* the template.
"""

from __future__ import annotations

import atexit
import importlib
import json
import logging
import os
import pkgutil
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Mapping, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import IO, Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner

from analysis import config

log = logging.getLogger(__name__)

#: The entry point name of :class:`ForkedProvisioner` (pyproject.toml).
PROVISIONER = "analysis-forked-kernel"
PROVISIONER_GROUP = "jupyter_client.kernel_provisioners"
#: Kernel modes (``ANALYSIS_KERNEL``): forked from a warm template, or a plain new interpreter.
FORKED, PLAIN = "forked", "plain"
MODES = (FORKED, PLAIN)
#: What the template imports before any run (every report imports these); the submodules of
#: ``analysis.report`` are added by :func:`preload_modules`.
PRELOAD = (
    "numpy",
    "pandas",
    "pyarrow",
    "pyarrow.parquet",
    "pyarrow.dataset",
    "pyarrow.pandas_compat",
    "pandas.io.parquet",
    "matplotlib",
    "matplotlib.pyplot",
    "matplotlib.backends.backend_agg",
    "IPython.core.pylabtools",
    "seaborn",
    "IPython",
    "IPython.display",
    "ipykernel.kernelapp",
    # what IPKernelApp.initialize would import in each kernel: the debugger (debugpy with
    # pydevd, ~150 modules, 0.1 s), psutil, the history's sqlite3, the shell's extensions
    "ipykernel.debugger",
    "psutil",
    "sqlite3",
    "IPython.core.debugger",
    "IPython.core.completerlib",
    "IPython.extensions.storemagic",
    # what the first chart and table of a run import
    "matplotlib.backends.backend_svg",
    "pandas.io.formats.html",
    "analysis.report",
    "analysis.provenance",
)
#: The launch command the template knows how to replace: ``python -m ipykernel_launcher ...``.
LAUNCHER = ("-m", "ipykernel_launcher")
#: The worker's environment variables that change what an import does (Python's path and hash
#: seed, matplotlib's backend and settings, math-library threads): part of the template's key.
IMPORT_ENV = (
    "PYTHONPATH",
    "PYTHONHASHSEED",
    "MPLBACKEND",
    "MATPLOTLIBRC",
    "MPLCONFIGDIR",
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
)
#: Seconds to wait for a template to import everything and answer.
TEMPLATE_TIMEOUT = 120.0


class TemplateError(RuntimeError):
    """The template process could not start or could not fork a kernel."""


def kernel_mode() -> str:
    """``forked`` or ``plain``: ``ANALYSIS_KERNEL``, else ``forked`` where ``os.fork`` exists."""
    mode = os.environ.get(config.KERNEL_MODE_ENV, FORKED).strip().lower() or FORKED
    if mode not in MODES:
        raise ValueError(f"{config.KERNEL_MODE_ENV}={mode!r}: expected one of {', '.join(MODES)}")
    return mode if hasattr(os, "fork") else PLAIN


def provisioner_registered() -> bool:
    """Whether the installed package registers :class:`ForkedProvisioner` (pip install -e .)."""
    return bool(entry_points(group=PROVISIONER_GROUP, name=PROVISIONER))


def preload_modules() -> list[str]:
    """:data:`PRELOAD` plus every submodule of ``analysis.report`` (what notebooks import)."""
    import analysis.report

    found = pkgutil.iter_modules(analysis.report.__path__, "analysis.report.")
    return [*PRELOAD, *sorted(m.name for m in found)]


def template_key(spec_argv: Sequence[str], env: Mapping[str, str]) -> tuple[str, ...]:
    """What a template's imports depend on, and nothing a run sets: the interpreter, the digest
    of the package code, the kernel spec's command (``spec_argv``) and the variables of
    :data:`IMPORT_ENV` in ``env`` (the kernel spec's environment over the worker's)."""
    from analysis.render.cache import code_digest

    imports_env = [f"{name}={env.get(name, '')}" for name in IMPORT_ENV]
    return (sys.executable, code_digest(), *spec_argv, *imports_env)


# --- worker side --------------------------------------------------------------------------


class Template:
    """A template process owned by this worker: ``fork()`` returns a new kernel's pid."""

    def __init__(self, key: tuple[str, ...], env: Mapping[str, str]) -> None:
        self.key = key
        self.owner = os.getpid()
        self.lock = threading.Lock()
        self.ready = False
        self.proc = subprocess.Popen(
            [sys.executable, "-m", __spec__.name if __spec__ else "analysis.render.kernels"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=dict(env),
            text=True,
            bufsize=1,
        )

    def alive(self) -> bool:
        return self.owner == os.getpid() and self.proc.poll() is None

    def _reply(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise TemplateError(f"the kernel template exited (code {self.proc.wait()})")
        reply: dict[str, Any] = json.loads(line)
        if "error" in reply:
            raise TemplateError(reply["error"])
        return reply

    def fork(self, argv: Sequence[str], env: Mapping[str, str], cwd: str, log_path: str) -> int:
        """Ask the template for a kernel started with ipykernel's ``argv``; return its pid."""
        with self.lock:
            if not self.ready:
                self._reply()  # {"ready": seconds}: the imports are done
                self.ready = True
            assert self.proc.stdin is not None
            request = dict(argv=list(argv), env=dict(env), cwd=cwd, log=log_path)
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            return int(self._reply()["pid"])

    def close(self) -> None:
        """End the template (its kernels are shut down by their own managers)."""
        if self.owner == os.getpid() and self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


_template: Template | None = None
#: In a template and its kernels: the modules the template had imported before its first fork.
preloaded: frozenset[str] = frozenset()
#: How this process's last kernel was started (``forked`` or ``plain``; recorded in build.json).
last_started_as = ""
_template_lock = threading.Lock()


def template(spec_argv: Sequence[str], env: Mapping[str, str]) -> Template:
    """This worker's template for the kernel spec ``spec_argv`` in environment ``env``: started
    on first use, restarted only if it died or its :func:`template_key` changed (new code,
    another spec), not for a run's own variables, which each forked kernel receives itself."""
    global _template
    key = template_key(spec_argv, env)
    with _template_lock:
        current = _template
        if current is None or not current.alive() or current.key != key:
            if current is not None:
                current.close()
            current = _template = Template(key, env)
        return current


def prestart(spec_argv: Sequence[str], spec_env: Mapping[str, str]) -> None:
    """Start this worker's template now, so its imports overlap the worker's own warm-up."""
    if kernel_mode() == FORKED and provisioner_registered():
        template(spec_argv, {**os.environ, **spec_env})


@atexit.register
def _close_template() -> None:
    if _template is not None:
        _template.close()


class ForkedKernel:
    """The ``subprocess.Popen`` subset jupyter_client's LocalProvisioner uses, for a kernel
    that is the template's child (the template reaps it; we can only signal and watch)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0  # the template reaped it; its exit code is not ours to read
            except PermissionError:
                pass
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.02)
        return code

    def send_signal(self, signum: int) -> None:
        """Signal the kernel; nothing once it has exited (as ``Popen.send_signal``)."""
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                self.returncode = 0

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkedProvisioner(LocalProvisioner):  # type: ignore[misc]
    """jupyter_client provisioner: the kernel is forked from this worker's warm template; a
    plain launch (LocalProvisioner's) where forking is off, unavailable or fails."""

    #: How this kernel was started (``forked`` or ``plain``), for logs and tests.
    started_as: str = ""

    def _started(self, how: str) -> None:
        global last_started_as
        self.started_as = last_started_as = how

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        if kernel_mode() != FORKED or tuple(cmd[1:3]) != LAUNCHER:
            self._started(PLAIN)
            return await super().launch_kernel(cmd, **kwargs)
        env = dict(kwargs.get("env") or os.environ)
        cwd = str(kwargs.get("cwd") or Path.cwd())
        stdout = kwargs.get("stdout")
        log_path = getattr(stdout, "name", None)
        try:
            pid = template(self.kernel_spec.argv, env).fork(
                cmd[3:], env, cwd, log_path if isinstance(log_path, str) else os.devnull
            )
        except (TemplateError, OSError, ValueError) as err:
            log.warning("kernel template failed (%s); starting a plain kernel", err)
            self._started(PLAIN)
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedKernel(pid)  # type: ignore[assignment]  # Popen's subset
        self.pid = self.pgid = pid  # the kernel leads its own session (setsid before the reply)
        self.cwd = cwd
        self._started(FORKED)
        return self.connection_info


# --- template side ------------------------------------------------------------------------


#: pandas' default for ``display.max_columns`` inside a Jupyter kernel (``core.config_init``
#: decides at import: 0, "fit the terminal", outside one, as in the template).
PANDAS_KERNEL_MAX_COLUMNS = 20


def _pandas_as_in_a_kernel() -> None:
    """Give the pandas imported in the template the defaults an import inside this kernel
    gives: the display options pandas decides at import from "am I in a Jupyter kernel?" and
    from ``sys.stdout`` (otherwise a DataFrame's text repr differs from a plain kernel's)."""
    if "pandas" not in sys.modules:
        return
    from pandas._config import config as pandas_config
    from pandas._config.display import detect_console_encoding

    defaults = {
        "display.max_columns": PANDAS_KERNEL_MAX_COLUMNS,
        "display.encoding": detect_console_encoding(),  # the kernel's stdout, as at import
    }
    registered: dict[str, Any] = vars(pandas_config)["_registered_options"]  # not in the stubs
    for key, value in defaults.items():
        registered[key] = registered[key]._replace(defval=value)
        pandas_config.reset_option(key)


def _become_kernel(request: dict[str, Any], reply_fd: int) -> int:
    """In the forked child: take the run's directory, environment and log, then run ipykernel
    as ``python -m ipykernel_launcher ARGV`` would; return its exit code."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.close(reply_fd)
    os.chdir(request["cwd"])
    os.environ.clear()  # the run's own environment, not the one the template started with
    os.environ.update(request["env"])
    time.tzset()
    os.environ["JPY_PARENT_PID"] = str(os.getppid())  # ipykernel exits when the template does
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    out = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(null)
    os.close(out)
    sys.argv = ["ipykernel_launcher", *request["argv"]]
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()  # a fresh process seeds from the OS; do not share the template's
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    # Its default was read from the template's environment at import: watch the template, so
    # a kernel whose template is gone (its worker died) exits instead of living on.
    app.parent_handle = os.getppid()
    app.initialize(sys.argv[1:])
    # The inline backend is not preloaded: it wires itself into IPython when first imported
    # inside a kernel (at the run's first figure), as in a plain kernel.
    _pandas_as_in_a_kernel()
    app.start()
    return 0


def _fork_kernel(request: dict[str, Any], reply_fd: int) -> int:
    """Fork one kernel; return its pid once it leads its own session (signals to its group
    never reach the template or the worker)."""
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the kernel: never returns into the template's loop
        code = 1
        try:
            os.close(ready_r)
            os.setsid()
            os.write(ready_w, b"1")
            os.close(ready_w)
            code = _become_kernel(request, reply_fd)
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 0
        except BaseException:  # noqa: BLE001 - the log gets it; the template must go on
            traceback.print_exc()
        finally:
            try:
                atexit._run_exitfuncs()
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    os.close(ready_w)
    os.read(ready_r, 1)
    os.close(ready_r)
    return pid


def serve(requests: IO[str], reply_fd: int) -> None:
    """The template's loop: import, say ready, then fork one kernel per request line."""

    def reply(message: dict[str, Any]) -> None:
        os.write(reply_fd, (json.dumps(message) + "\n").encode())

    started = time.perf_counter()
    for name in preload_modules():
        importlib.import_module(name)
    # this file runs as __main__: record it on the module the kernels import
    module = importlib.import_module(__spec__.name if __spec__ else __name__)
    setattr(module, "preloaded", frozenset(sys.modules))  # noqa: B010 - see above
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped as they exit
    reply({"ready": round(time.perf_counter() - started, 3), "pid": os.getpid()})
    for line in requests:
        try:
            reply({"pid": _fork_kernel(json.loads(line), reply_fd)})
        except Exception as err:  # noqa: BLE001 - answer, and stay up for the next run
            reply({"error": f"{type(err).__name__}: {err}"})


def main() -> None:
    """``python -m analysis.render.kernels``: requests on stdin, replies on the original stdout
    (anything the imports print goes to stderr)."""
    # As ipykernel_launcher does: the start directory is not importable by the kernel.
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    reply_fd = os.dup(1)
    os.dup2(2, 1)
    serve(sys.stdin, reply_fd)


if __name__ == "__main__":
    main()
