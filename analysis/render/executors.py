"""Where report runs execute: a local process pool, or a Dask distributed cluster.

Both executors run the same per-run function (:func:`analysis.render.execute.execute_task`) on
the same picklable :class:`~analysis.render.execute.Task` and yield each result as it finishes;
the runner validates, keys, promotes and handles failures identically for both.

Dask: ``scheduler=None`` starts a ``LocalCluster`` of worker *processes* (one thread each); an
address (``tcp://host:8786``) uses an existing cluster. Workers must see the project folder at
the same path (a shared filesystem) and have this package installed: they write each run into
``.cache/build/staging/`` and the client promotes it into ``reports/``. A worker that dies
mid-run is retried by Dask on another worker (``RETRIES``); a run that kills workers repeatedly
fails with ``KilledWorker`` and the others go on.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import sys
from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Any

from analysis.errors import UsageError

if TYPE_CHECKING:
    from analysis.render.execute import Task, TaskResult

EXECUTORS: tuple[str, ...] = ("local", "dask")
#: Extra attempts Dask makes for a run whose worker died (or raised) before it finished.
RETRIES = 1
#: Seconds to wait for a Dask scheduler to answer.
CONNECT_TIMEOUT = 30

#: One finished run: its name and either its result or why it could not run at all.
Finished = tuple[str, "TaskResult | BaseException"]


#: prctl(2) option: the signal this process gets when its parent dies (Linux).
PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Have the kernel SIGKILL this process when ``parent`` dies (Linux ``PR_SET_PDEATHSIG``),
    and exit now if it already has. Elsewhere a no-op: the pool's own checks remain."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def init_pool_worker(root: str, parent: int) -> None:
    """Pool initializer: die with the build (its kernels, which poll ``JPY_PARENT_PID``, then
    exit on their own), take SIGTERM's default action (the build's handler is inherited by a
    fork) and set up as :func:`analysis.render.execute.init_worker` does."""
    from analysis.render.execute import init_worker

    die_with_parent(parent)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    init_worker(root)


def run_local(tasks: Sequence[Task], *, jobs: int, root: str) -> Generator[Finished, None, None]:
    """Run ``tasks`` in a local process pool of ``jobs`` workers; yield each as it finishes.

    Workers die with this process (even after SIGKILL). If the caller stops early (Ctrl-C,
    SIGTERM, an error), the workers still running are terminated, not waited for."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from analysis.render.execute import execute_task

    pool = ProcessPoolExecutor(
        max_workers=max(1, min(jobs, len(tasks))),
        initializer=init_pool_worker,
        initargs=(root, os.getpid()),
    )
    finished = False
    try:
        futures = {pool.submit(execute_task, task): task.name for task in tasks}
        for future in as_completed(futures):
            try:
                yield futures[future], future.result()
            except Exception as err:  # noqa: BLE001 - e.g. BrokenProcessPool: that run failed
                yield futures[future], err
        finished = True
    finally:
        if not finished:
            _terminate(pool)
        pool.shutdown(wait=True, cancel_futures=True)


def _terminate(pool: Any) -> None:
    """SIGTERM every worker process of ``pool`` (they take the default action: exit)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(OSError, ValueError):
            process.terminate()


def dask_task(task: Task, root: str) -> TaskResult:
    """The Dask entry point: set up this worker process once, start from an empty staging
    folder (a retry after a killed worker must not see the dead attempt's files), execute."""
    from analysis.render.execute import execute_task, init_worker

    if os.environ.get("ANALYSIS_WORKER_ROOT") != root:
        init_worker(root)
        os.environ["ANALYSIS_WORKER_ROOT"] = root
    shutil.rmtree(task.staging, ignore_errors=True)
    return execute_task(task)


def run_dask(
    tasks: Sequence[Task], *, jobs: int, root: str, scheduler: str | None
) -> Generator[Finished, None, None]:
    """Run ``tasks`` on Dask (a new LocalCluster of ``jobs`` processes unless ``scheduler``)."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise UsageError(
            "--executor dask needs Dask distributed: pip install 'analysis[dask]'"
        ) from None
    cluster: Any = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=max(1, min(jobs, len(tasks))),
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
        )
    try:
        client = Client(cluster or scheduler, timeout=CONNECT_TIMEOUT)
    except OSError as err:
        if cluster is not None:
            cluster.close()
        raise UsageError(f"cannot reach the Dask scheduler {scheduler}: {err}") from None
    try:
        submitted = [
            (client.submit(dask_task, t, root, key=_key(t), retries=RETRIES, pure=False), t.name)
            for t in tasks
        ]
        names = {f.key: name for f, name in submitted}
        for future in as_completed([f for f, _ in submitted]):
            try:
                yield names[future.key], future.result()
            except Exception as err:  # noqa: BLE001 - KilledWorker, lost connection...
                yield names[future.key], err
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _key(task: Task) -> str:
    """A unique Dask key per run and build (the staging folder name carries a random part)."""
    return f"report-{task.staging.name}"


def run_tasks(
    tasks: Sequence[Task],
    *,
    executor: str = "local",
    jobs: int,
    root: str,
    scheduler: str | None = None,
) -> Generator[Finished, None, None]:
    """Run ``tasks`` on the named executor; yield ``(name, result or exception)`` per run."""
    if executor == "local":
        if scheduler:
            raise UsageError("--scheduler needs --executor dask")
        return run_local(tasks, jobs=jobs, root=root)
    if executor == "dask":
        return run_dask(tasks, jobs=jobs, root=root, scheduler=scheduler)
    raise UsageError(f"unknown executor {executor!r}; known: {', '.join(EXECUTORS)}")
