"""analysis fetch over real HTTPS from a server on 127.0.0.1 serving synthetic fixtures.

The server's certificate comes from a throwaway CA (trustme); the client trusts it through
``HttpSettings(verify=<ca.pem>)``. Routes are set per test: bytes, failures, silence, redirects.
"""

from __future__ import annotations

import io
import ssl
import threading
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
import trustme

from analysis.config import SNAPSHOT_ENV, paths
from analysis.errors import FetchError
from analysis.fetch import registry as registry_module
from analysis.fetch.fetch import fetch
from analysis.fetch.http import HttpSettings, download, new_session
from analysis.fetch.lock import load_lock, sha256_bytes
from analysis.fetch.registry import RegistryError, load_registry

FIXTURES = Path(__file__).parent / "fixtures" / "fetch"
SNAP = FIXTURES / "snapshot"
WB_ROUTE = "/v2/en/indicator/SY.NTH.A?downloadformat=csv"
LIVE_ROUTE = "/live/synthetic_rates.csv"
TGJU_ARCHIVE = (
    "/gh/synthetic/tgju-archive/89abcdef0123456789abcdef0123456789abcdef/synthetic_rates.csv"
)
BONBAST = "/gh/synthetic/rates-archive/0123456789abcdef0123456789abcdef01234567"
RATES = "tgju/synthetic_rates.csv"


@dataclass
class Route:
    """What the server answers on one path: ``fail_first`` 503s, then ``body`` (or silence)."""

    body: bytes = b""
    status: int = 200
    fail_first: int = 0
    silent: bool = False  #: accept the request and never answer
    location: str | None = None  #: answer with a redirect


@dataclass
class Server:
    url: str
    routes: dict[str, Route] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    stop: threading.Event = field(default_factory=threading.Event)


def wb_zip(*names: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A World Bank style zip holding the named fixture files (plus ``extra``)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in names:
            zf.writestr(name, (SNAP / "worldbank" / name).read_bytes())
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def standard_routes() -> dict[str, Route]:
    """Every file of the synthetic registry, as upstream would serve it."""
    return {
        WB_ROUTE: Route(
            wb_zip(
                "API_SY.NTH.A_DS2_en_csv_v2_101.csv",
                "Metadata_Country_API_SY.NTH.A_DS2_en_csv_v2_101.csv",
            )
        ),
        f"{BONBAST}/gregorian/2020/full": Route(
            (SNAP / "bonbast/gregorian/2020/full.json").read_bytes()
        ),
        f"{BONBAST}/jalali/1399/full": Route((SNAP / "bonbast/jalali/1399/full.json").read_bytes()),
        LIVE_ROUTE: Route((SNAP / RATES).read_bytes()),
        TGJU_ARCHIVE: Route((SNAP / RATES).read_bytes()),
    }


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:  # the reachability probe
            self.send_response(204)
            self.end_headers()

        def do_GET(self) -> None:
            server.hits[self.path] += 1
            route = server.routes.get(self.path, Route(status=404))
            if route.silent:
                server.stop.wait(10)
                return
            if server.hits[self.path] <= route.fail_first:
                self.send_error(503)
                return
            if route.location:
                self.send_response(302)
                self.send_header("Location", route.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_file(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture(scope="module")
def tls_server(ca: trustme.CA) -> Iterator[Server]:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(ctx)
    state = Server(url="")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    state.url = f"https://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    state.stop.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server(tls_server: Server) -> Server:
    """The shared server with this test's routes (the standard set) and fresh counters."""
    tls_server.routes = standard_routes()
    tls_server.hits.clear()
    return tls_server


@pytest.fixture
def settings(ca_file: str) -> HttpSettings:
    """Short timeouts and near-zero backoff so failures are fast."""
    return HttpSettings(
        connect_timeout=2,
        read_timeout=0.3,
        attempts=3,
        backoff=0.01,
        max_backoff=0.02,
        verify=ca_file,
    )


@pytest.fixture
def project(home: Path, server: Server, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Path]:
    """Install the synthetic registry (plus extra TOML) pointing at the server; no snapshot."""
    monkeypatch.delenv(SNAPSHOT_ENV, raising=False)
    monkeypatch.setattr(registry_module, "GITHUB_RAW", f"{server.url}/gh")

    def install(extra: str = "") -> Path:
        text = (FIXTURES / "sources.toml").read_text() + extra
        (home / "sources.toml").write_text(text.replace("@SERVER@", server.url))
        return home

    install()
    return install


def test_upstream_gives_the_same_raw_files_as_the_snapshot(
    project: Callable[[str], Path], settings: HttpSettings, tmp_path: Path
) -> None:
    report = fetch(progress=False, http=settings)

    assert report.ok, report.summary_lines()
    expected = {
        "worldbank/API_SY.NTH.A_DS2_en_csv_v2_101.csv",
        "worldbank/Metadata_Country_API_SY.NTH.A_DS2_en_csv_v2_101.csv",
        "bonbast/gregorian/2020/full.json",
        "bonbast/jalali/1399/full.json",
        RATES,
    }
    assert set(report.added) == expected
    for rel in expected:
        assert (paths().raw / rel).read_bytes() == (SNAP / rel).read_bytes()
    lock = load_lock()
    wb = lock["worldbank/API_SY.NTH.A_DS2_en_csv_v2_101.csv"].origin
    assert wb.startswith("https://127.0.0.1:") and wb.endswith(
        "!/API_SY.NTH.A_DS2_en_csv_v2_101.csv"
    )
    assert lock[RATES].origin.endswith(LIVE_ROUTE)


def test_file_that_fails_twice_then_succeeds_is_fetched(
    project: Callable[[str], Path], server: Server, settings: HttpSettings
) -> None:
    server.routes[LIVE_ROUTE].fail_first = 2

    report = fetch(progress=False, http=settings)

    assert report.ok and RATES in report.added
    assert server.hits[LIVE_ROUTE] == 3


def test_file_that_never_answers_times_out_and_the_rest_arrives(
    project: Callable[[str], Path], server: Server, settings: HttpSettings
) -> None:
    server.routes["/never"] = Route(silent=True)
    project(
        """
[sources.silent]
title = "t"
producer = "p"
url = "https://example.invalid/"
license = "synthetic"
citation = "c"
files = ["silent/never.csv"]
[[sources.silent.downloads]]
url = "@SERVER@/never"
to = "silent/never.csv"
"""
    )
    report = fetch(progress=False, http=settings)

    assert [f.what for f in report.failed] == ["silent/never.csv"]
    assert "timed out" in report.failed[0].reason
    assert server.hits["/never"] == settings.attempts
    assert not report.ok and len(report.added) == 5
    assert not (paths().raw / "silent").exists()


def test_changed_upstream_file_is_reported_and_kept_out_until_update(
    project: Callable[[str], Path], server: Server, settings: HttpSettings
) -> None:
    fetch(progress=False, http=settings)
    old = (SNAP / RATES).read_bytes()
    new = old + b"2020/01/03,1020,synthetic\n"
    server.routes[LIVE_ROUTE] = Route(new)

    report = fetch(progress=False, http=settings)

    assert not report.ok
    assert [
        (c.path, c.old_sha256, c.new_sha256, c.old_size, c.new_size) for c in report.changed
    ] == [(RATES, sha256_bytes(old), sha256_bytes(new), len(old), len(new))]
    assert (paths().raw / RATES).read_bytes() == old
    assert load_lock()[RATES].sha256 == sha256_bytes(old)

    accepted = fetch(update=True, progress=False, http=settings)

    assert accepted.ok and [c.path for c in accepted.updated] == [RATES]
    assert (paths().raw / RATES).read_bytes() == new
    assert load_lock()[RATES].sha256 == sha256_bytes(new)


def test_changed_live_file_falls_back_to_the_pinned_archive_copy(
    project: Callable[[str], Path], server: Server, settings: HttpSettings
) -> None:
    fetch(progress=False, http=settings)
    (paths().raw / RATES).unlink()  # e.g. a fresh clone: lock committed, data/raw empty
    server.routes[LIVE_ROUTE] = Route(b"date,close\n2099/01/01,1,synthetic newer vintage\n")

    report = fetch(progress=False, http=settings)

    assert [c.path for c in report.changed] == [RATES] and not report.ok
    assert report.restored == [RATES]
    assert (paths().raw / RATES).read_bytes() == (SNAP / RATES).read_bytes()
    assert server.hits[TGJU_ARCHIVE] == 1


def test_second_online_run_only_asks_live_endpoints(
    project: Callable[[str], Path], server: Server, settings: HttpSettings
) -> None:
    fetch(progress=False, http=settings)
    server.hits.clear()

    report = fetch(progress=False, http=settings)

    assert report.nothing_changed
    assert set(server.hits) == {WB_ROUTE, LIVE_ROUTE}  # pinned archive copies are not re-read


def test_new_live_vintage_waits_for_update(
    project: Callable[[str], Path], server: Server, settings: HttpSettings
) -> None:
    fetch(progress=False, http=settings)
    newer = "API_SY.NTH.A_DS2_en_csv_v2_102.csv"
    server.routes[WB_ROUTE] = Route(
        wb_zip(extra={newer: b'"Country Name"\n"Synthetica (synthetic)"\n'})
    )

    report = fetch(progress=False, http=settings)

    assert [(c.path, c.old_sha256) for c in report.changed] == [(f"worldbank/{newer}", None)]
    assert not (paths().raw / "worldbank" / newer).exists()
    assert sorted(report.kept) == [
        "worldbank/API_SY.NTH.A_DS2_en_csv_v2_101.csv",
        "worldbank/Metadata_Country_API_SY.NTH.A_DS2_en_csv_v2_101.csv",
    ]
    assert f"worldbank/{newer}" in fetch(update=True, progress=False, http=settings).added


def test_only_https_urls_are_accepted(
    project: Callable[[str], Path], server: Server, settings: HttpSettings
) -> None:
    with pytest.raises(FetchError, match="only https"):
        download(new_session(settings), "http://127.0.0.1:9/file.csv", settings)

    server.routes[LIVE_ROUTE] = Route(location="http://127.0.0.1:9/plain.csv")
    report = fetch(progress=False, http=settings)
    assert [f.what for f in report.failed] == [RATES]
    assert "only https" in report.failed[0].reason

    project(
        '[sources.plain]\ntitle = "t"\nproducer = "p"\nurl = "u"\nlicense = "l"\ncitation = "c"\n'
        'files = ["plain/a.csv"]\n[[sources.plain.downloads]]\n'
        'url = "http://example.invalid/a.csv"\nto = "plain/a.csv"\n'
    )
    with pytest.raises(RegistryError, match="only https"):
        load_registry()


def test_offline_without_snapshot_raises_a_clear_error(
    project: Callable[[str], Path],
    server: Server,
    settings: HttpSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket_closed_port() as closed:
        monkeypatch.setattr(registry_module, "GITHUB_RAW", f"{closed}/gh")
        (paths().root / "sources.toml").write_text(
            (FIXTURES / "sources.toml").read_text().replace("@SERVER@", closed)
        )
        with pytest.raises(FetchError) as info:
            fetch(progress=False, http=settings)
    message = str(info.value)
    assert "cannot reach 127.0.0.1:" in message
    assert SNAPSHOT_ENV in message and "--snapshot" in message


def test_untrusted_certificate_is_refused_without_retrying(
    project: Callable[[str], Path], server: Server, settings: HttpSettings
) -> None:
    system_ca = HttpSettings(**{**settings.__dict__, "verify": True})
    session = new_session(system_ca)
    with pytest.raises(FetchError, match="TLS"):
        download(session, f"{server.url}{LIVE_ROUTE}", system_ca)
    assert server.hits[LIVE_ROUTE] == 0


def test_not_found_is_not_retried_and_bad_zip_is_reported(
    project: Callable[[str], Path], server: Server, settings: HttpSettings
) -> None:
    server.routes[LIVE_ROUTE] = Route(status=404)
    server.routes[TGJU_ARCHIVE] = Route(status=404)
    server.routes[WB_ROUTE] = Route(b"<html>synthetic error page</html>")

    report = fetch(progress=False, http=settings)

    reasons = {f.what: f.reason for f in report.failed}
    assert "HTTP 404" in reasons[RATES]
    assert (
        "not a zip file"
        in reasons["worldbank/[API_SY.NTH.A_DS2_*.csv, Metadata_*_API_SY.NTH.A_DS2_*.csv]"]
    )
    assert server.hits[LIVE_ROUTE] == 1
    assert not report.ok


class socket_closed_port:
    """An https URL on 127.0.0.1 where nothing listens (connection refused)."""

    def __enter__(self) -> str:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        return f"https://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        return None


def test_requests_honours_the_ca_bundle(server: Server, ca_file: str) -> None:
    """Sanity check of the test server itself: trusted with the CA, refused without."""
    assert requests.get(f"{server.url}{LIVE_ROUTE}", verify=ca_file, timeout=2).status_code == 200
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{server.url}{LIVE_ROUTE}", timeout=2)


def test_members_of_one_zip_are_downloaded_once(
    project: Callable[[str], Path], server: Server, settings: HttpSettings
) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("inner/a.csv", "a,synthetic\n")
        zf.writestr("inner/b.csv", "b,synthetic\n")
    server.routes["/pack.zip"] = Route(buf.getvalue())
    project(
        """
[sources.pack]
title = "t"
producer = "p"
url = "https://example.invalid/"
license = "synthetic"
citation = "c"
files = ["pack/*.csv"]
[[sources.pack.downloads]]
url = "@SERVER@/pack.zip!/inner/{name}.csv"
to = "pack/{name}.csv"
vary = { name = ["a", "b"] }
"""
    )

    report = fetch(only=["pack"], progress=False, http=settings)

    assert sorted(report.added) == ["pack/a.csv", "pack/b.csv"]
    assert (paths().raw / "pack/b.csv").read_text() == "b,synthetic\n"
    assert load_lock()["pack/a.csv"].origin == f"{server.url}/pack.zip!/inner/a.csv"
    assert server.hits["/pack.zip"] == 1
