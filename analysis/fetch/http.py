"""HTTPS downloads: https only (redirects included), a timeout per request, retries with
exponential backoff on network errors and 429/5xx answers, and a progress bar for long downloads.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential
from tqdm import tqdm

from analysis import __version__
from analysis.errors import FetchError
from analysis.fetch.registry import require_https

#: Answers worth retrying: rate limiting and server-side trouble.
RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
MAX_REDIRECTS = 5
#: Downloads larger than this show a progress bar (when progress is on).
PROGRESS_MIN_BYTES = 1 << 20
_CHUNK = 1 << 16


@dataclass(frozen=True)
class HttpSettings:
    """Network knobs; the defaults suit real publishers, tests shrink the timeouts."""

    connect_timeout: float = 10.0  #: seconds to open a connection
    read_timeout: float = 60.0  #: seconds of silence tolerated while waiting for bytes
    attempts: int = 4  #: tries per URL (1 = no retry)
    backoff: float = 2.0  #: first wait in seconds; doubles each retry
    max_backoff: float = 30.0
    verify: bool | str = True  #: CA bundle path, or True for the system/certifi bundle
    max_bytes: int = 1 << 30  #: refuse bodies larger than this
    user_agent: str = f"analysis-fetch/{__version__} (reproducible research; python-requests)"


class DownloadError(FetchError):
    """One URL could not be downloaded; ``retryable`` tells the retry loop to try again."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


def new_session(settings: HttpSettings) -> requests.Session:
    """A session sending our user agent (``verify`` is passed per request: a session-level
    value would lose to ``$REQUESTS_CA_BUNDLE``)."""
    session = requests.Session()
    session.headers["User-Agent"] = settings.user_agent
    return session


def download(
    session: requests.Session,
    url: str,
    settings: HttpSettings,
    *,
    label: str = "",
    progress: bool = True,
) -> bytes:
    """The body at ``url``; retries network errors and 429/5xx, raises :class:`DownloadError`."""
    require_https(url)
    retrying = Retrying(
        stop=stop_after_attempt(max(1, settings.attempts)),
        wait=wait_exponential(multiplier=settings.backoff, max=settings.max_backoff),
        retry=retry_if_exception(_is_retryable),
        reraise=True,
    )
    try:
        return retrying(_get_once, session, url, settings, label or url, progress)
    except DownloadError:
        raise
    except requests.RequestException as exc:
        raise DownloadError(f"{_describe(exc)} after {settings.attempts} attempt(s)") from None


def reachable(session: requests.Session, host_url: str, settings: HttpSettings) -> bool:
    """True if the host of ``host_url`` answers at all (any HTTP status counts)."""
    parts = urlsplit(host_url)
    try:
        session.head(
            f"{parts.scheme}://{parts.netloc}/",
            timeout=(settings.connect_timeout, settings.connect_timeout),
            allow_redirects=False,
            verify=settings.verify,
        ).close()
    except requests.RequestException:
        return False
    return True


def _get_once(
    session: requests.Session, url: str, settings: HttpSettings, label: str, progress: bool
) -> bytes:
    timeout = (settings.connect_timeout, settings.read_timeout)
    for _ in range(MAX_REDIRECTS + 1):
        response = session.get(
            url, stream=True, timeout=timeout, allow_redirects=False, verify=settings.verify
        )
        with response:
            if response.is_redirect:
                url = urljoin(url, response.headers.get("Location", ""))
                require_https(url, "redirect")
                continue
            if response.status_code in RETRY_STATUS:
                raise DownloadError(f"HTTP {response.status_code}", retryable=True)
            if response.status_code != 200:
                raise DownloadError(f"HTTP {response.status_code} {response.reason}")
            return _read_body(response, settings, label, progress)
    raise DownloadError(f"more than {MAX_REDIRECTS} redirects")


def _read_body(
    response: requests.Response, settings: HttpSettings, label: str, progress: bool
) -> bytes:
    expected = int(response.headers.get("Content-Length") or 0)
    if expected > settings.max_bytes:
        raise DownloadError(f"{expected:,} B is more than the {settings.max_bytes:,} B limit")
    show = progress and (expected == 0 or expected >= PROGRESS_MIN_BYTES)
    chunks: list[bytes] = []
    received = 0
    with tqdm(
        total=expected or None,
        desc=label,
        unit="B",
        unit_scale=True,
        leave=False,
        disable=not show,
        file=sys.stderr,
    ) as bar:
        for chunk in response.iter_content(_CHUNK):
            chunks.append(chunk)
            received += len(chunk)
            bar.update(len(chunk))
            if received > settings.max_bytes:
                raise DownloadError(f"body exceeds the {settings.max_bytes:,} B limit")
    encoded = response.headers.get("Content-Encoding", "identity") != "identity"
    if expected and not encoded and received != expected:
        raise DownloadError(f"truncated: {received:,} of {expected:,} B", retryable=True)
    return b"".join(chunks)


def _is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, DownloadError):
        return exc.retryable
    if isinstance(exc, requests.exceptions.SSLError):
        return False  # a certificate problem does not go away by waiting
    return isinstance(
        exc, requests.ConnectionError | requests.Timeout | requests.exceptions.ChunkedEncodingError
    )


def _describe(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.exceptions.SSLError):
        kind = "TLS error (certificate not trusted?)"
    elif isinstance(exc, requests.Timeout):
        kind = "timed out"
    elif isinstance(exc, requests.ConnectionError):
        kind = "connection failed"
    else:
        kind = type(exc).__name__
    reason = exc.args[0] if exc.args else ""
    reason = getattr(reason, "reason", reason)
    return f"{kind} ({str(reason)[:160]})" if reason else kind
