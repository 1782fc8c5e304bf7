"""Check, before anything else runs, that the system libraries the PDF step needs are present.

WeasyPrint (the PDF engine, see README "PDF engine") draws text with Pango, a system library
pip cannot install. ``make reports`` runs this file with the system Python first (standard
library only, no virtual environment needed)::

    python3 analysis/render/system_check.py

It exits 0 when Pango loads, else prints the one install line for Debian/Ubuntu, Fedora and
macOS and exits 3. :func:`analysis.render.pdf_exporter.html_to_pdf` raises the same message if
WeasyPrint cannot load them at export time.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

#: The names WeasyPrint's loader tries for each library it needs from the system (one of each).
LIBRARIES: dict[str, tuple[str, ...]] = {
    "pango": ("libpango-1.0.so.0", "libpango-1.0-0", "libpango-1.0.dylib", "pango-1.0"),
    "pangoft2": (
        "libpangoft2-1.0.so.0",
        "libpangoft2-1.0-0",
        "libpangoft2-1.0.dylib",
        "pangoft2-1.0",
    ),
}

#: One install line per platform (Pango, and fonts with the Latin glyphs the reports use).
INSTALL_LINES: dict[str, str] = {
    "Debian/Ubuntu": "sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core",
    "Fedora": "sudo dnf install -y pango dejavu-sans-fonts",
    "macOS (Homebrew)": "brew install pango",
}

EXIT_MISSING = 3


def _loads(names: tuple[str, ...], loader: Callable[[str], object]) -> bool:
    for name in names:
        try:
            loader(name)
        except OSError:
            continue
        return True
    return False


def missing_libraries(loader: Callable[[str], object] = ctypes.CDLL) -> list[str]:
    """The system libraries of :data:`LIBRARIES` that ``loader`` cannot load (empty: all there)."""
    return [lib for lib, names in LIBRARIES.items() if not _loads(names, loader)]


def install_message(missing: list[str]) -> str:
    """What to tell someone whose machine lacks ``missing``: the install line per platform."""
    lines = [
        f"The PDF step needs system libraries that are missing here: {', '.join(missing)}.",
        "Install them with one line, then run the command again:",
    ]
    width = max(len(k) for k in INSTALL_LINES)
    lines += [f"  {k.ljust(width)}  {v}" for k, v in INSTALL_LINES.items()]
    return "\n".join(lines)


def main(loader: Callable[[str], object] = ctypes.CDLL) -> int:
    """Print the install lines and return :data:`EXIT_MISSING` if a library is missing."""
    missing = missing_libraries(loader)
    if not missing:
        return 0
    print(install_message(missing), file=sys.stderr)
    return EXIT_MISSING


if __name__ == "__main__":
    sys.exit(main())
