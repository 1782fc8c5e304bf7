"""The published reports/ folder works from any static host and from a zip opened offline:
relative links only, every link resolves inside the folder, no external scripts, styles, fonts
or images; one stable URL per report name (reports/<run>/<run>.html). Synthetic reports."""

from __future__ import annotations

import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest
from test_render_runner import NOTEBOOKS, TWO_RUNS, write_table

from analysis.errors import ExitCode
from analysis.render.runner import build

#: Attributes that make a browser fetch something.
URL_ATTRIBUTES = {"href", "src", "srcset", "data", "poster", "action"}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")
CSS_IMPORT = re.compile(r"@import\s+['\"]([^'\"]+)")


class Links(HTMLParser):
    """Every URL an HTML page refers to, and every <script src>."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value:
                self.urls.append(value)
                if tag == "script":
                    self.scripts.append(value)

    def handle_data(self, data: str) -> None:
        self.urls += CSS_URL.findall(data) + CSS_IMPORT.findall(data)


def page_links(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme and parts.scheme != "data") or url.startswith(("//", "/"))


@pytest.fixture
def published(home: Path) -> Path:
    shutil.copytree(NOTEBOOKS, home / "notebooks")
    write_table(home, "alpha", [1.0, 2.0, 1.5])
    write_table(home, "beta", [5.0, 4.0])
    (home / "reports.toml").write_text(TWO_RUNS, encoding="utf-8")
    assert build(quiet=True, jobs=2, echo=lambda _l: None).exit_code == ExitCode.OK
    write_table(home, "beta", [5.0, 4.0, 3.0])  # a rebuild: the previous report is kept
    assert build(quiet=True, jobs=1, echo=lambda _l: None).exit_code == ExitCode.OK
    return home / "reports"


@pytest.mark.slow
def test_the_site_works_offline_from_a_zip_with_stable_urls_and_the_previous_build(
    published: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "reports.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in published.rglob("*"):
            zipped.write(file, file.relative_to(published).as_posix())
    with zipfile.ZipFile(archive) as zipped:
        names = set(zipped.namelist())
        pages = [n for n in names if n.endswith(".html")]
        assert {"index.html", "ok-alpha/ok-alpha.html", "ok-beta/ok-beta.html"} <= set(pages)
        assert "_previous/ok-beta/ok-beta.html" in pages  # the replaced build stays reachable
        checked = 0
        for page in pages:
            links = page_links(zipped.read(page).decode("utf-8"))
            assert not links.scripts, f"{page} loads scripts {links.scripts}"
            for url in links.urls:
                assert not is_external(url), f"{page} refers to {url} outside the folder"
                target = urlsplit(url).path
                if url.startswith(("data:", "#")) or not target:
                    continue
                resolved = PurePosixPath(page).parent / unquote(target)
                normal = PurePosixPath(*[p for p in resolved.parts if p != "."])
                assert ".." not in normal.parts and str(normal) in names, f"{page}: {url}"
                checked += 1
    assert checked >= 6  # the index's HTML/PDF/notebook links at least

    # One stable URL per run name; the replaced build linked as "previous edition" for readers
    # and as "previous build" on the build page.
    index = (published / "index.html").read_text(encoding="utf-8")
    for run in ("ok-alpha", "ok-beta"):
        assert f'href="{run}/{run}.html"' in index
        assert (published / run / f"{run}.html").is_file()
    assert 'href="_previous/ok-beta/ok-beta.html">previous edition</a>' in index
    build = (published / "build.html").read_text(encoding="utf-8")
    assert 'href="_previous/ok-beta/ok-beta.html">previous build</a>' in build
    assert not (published / "_previous" / "ok-alpha").exists()  # never rebuilt: no previous
