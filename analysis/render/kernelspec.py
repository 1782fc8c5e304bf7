"""The project's Jupyter kernelspec: this environment's Python, with the parameter check loaded.

``analysis lab`` and ``make kernel`` install it (``--user`` by default, so a shared JupyterHub
sees it; ``--prefix``/``--sys-prefix`` for other places). The notebooks name it
(:data:`analysis.config.KERNEL_NAME`) in their metadata, so JupyterLab, the stock ``papermill`` CLI
and ``jupyter nbconvert --execute`` run them where ``analysis`` imports. The builder does not use
it: it starts its own interpreter's ipykernel (:mod:`analysis.render.execute`).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from analysis import config

EXTENSION = "analysis.render.kernel_check"


def kernel_dict() -> dict[str, Any]:
    """The kernel.json of the project kernel."""
    return {
        "argv": [
            sys.executable,
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
            f"--ext={EXTENSION}",
            # ipykernel logs "running over TCP without encryption" at every start on a
            # single-user machine; the kernel's own log shows errors only.
            "--IPKernelApp.log_level=ERROR",
        ],
        "display_name": config.KERNEL_DISPLAY_NAME,
        "language": "python",
        "metadata": {"debugger": True},
    }


def notebook_kernelspec() -> dict[str, str]:
    """What a notebook's ``metadata.kernelspec`` holds for the project kernel."""
    return {
        "display_name": config.KERNEL_DISPLAY_NAME,
        "language": "python",
        "name": config.KERNEL_NAME,
    }


def install(*, user: bool = True, prefix: str | None = None) -> Path:
    """Install (or update) the project kernelspec; return the folder it went to."""
    from jupyter_client.kernelspec import KernelSpecManager

    with tempfile.TemporaryDirectory() as tmp:
        spec_dir = Path(tmp) / config.KERNEL_NAME
        spec_dir.mkdir()
        (spec_dir / "kernel.json").write_text(json.dumps(kernel_dict(), indent=1), encoding="utf-8")
        where = KernelSpecManager().install_kernel_spec(
            str(spec_dir), config.KERNEL_NAME, user=user and prefix is None, prefix=prefix
        )
    return Path(where)
