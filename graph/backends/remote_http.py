"""HTTP for the remote store: credentials from a URL, and a server's failures as the library's errors.

Credentials in a URL (``http://user:secret@host/sparql-auth``) are sent by HTTP
Digest or Basic authentication, as the server asks, and never shown: messages
name the URL without them. A parse error the server reports is a syntax error;
a timeout, or an answer the server cut at its own time limit (Virtuoso's
``S1TAT``) or refused for its cost estimate, is ``RemoteTimeoutError`` (504);
any other failure is ``RemoteServerError`` (502), with the server's message.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx

from graph.errors import BackendUnavailableError, QuerySyntaxError, RemoteServerError, RemoteTimeoutError

_PARSE_ERROR = re.compile(r"(?i)syntax error|pars(?:e|er|ing) error|\bSP030\b|^error at \d+:\d+|\bencountered\b|lexical error")
_SERVER_TIME_LIMIT = re.compile(r"(?i)estimated execution time|timed? ?out|\bS1T00\b")


class Credentials(httpx.Auth):
    """HTTP Digest or Basic authentication, whichever the server's challenge names (Virtuoso's ``-auth`` endpoints: Digest)."""

    def __init__(self, user: str, password: str) -> None:
        self._digest = httpx.DigestAuth(user, password)
        self._basic = httpx.BasicAuth(user, password)
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme is not None:
            yield from (self._digest if self._scheme == "digest" else self._basic).auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "")
        self._scheme = "digest" if challenge.lower().startswith("digest") else "basic"
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        flow = self._digest.auth_flow(request)
        next(flow)  # the digest flow's first, unauthenticated request: the one just answered
        retried = yield flow.send(response)
        try:
            flow.send(retried)
        except StopIteration:
            pass


@dataclass(frozen=True)
class Endpoint:
    """A URL without its credentials (shown in messages) and the authentication they give."""

    url: str
    auth: httpx.Auth | None = None


def endpoint(url: str | None) -> Endpoint | None:
    if not url:
        return None
    parts = urlsplit(url)
    if not parts.username:
        return Endpoint(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    netloc += f":{parts.port}" if parts.port else ""
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return Endpoint(clean, Credentials(unquote(parts.username), unquote(parts.password or "")))


def message(response: httpx.Response) -> str:
    """What the server said, as one short line of text (an HTML error page loses its tags)."""
    text = re.sub(r"<[^>]*>", " ", response.text)
    text = text.split("\nSPARQL query:")[0]  # Virtuoso echoes the whole query after its message
    return " ".join(text.split())[:500] or response.reason_phrase


def post(client: httpx.Client, endpoint: Endpoint, timeout: float | None, **kwargs: Any) -> httpx.Response:
    """POST to an endpoint; a timeout or a transport failure as the library's errors, naming the URL."""
    try:
        return client.post(endpoint.url, timeout=timeout, auth=endpoint.auth or httpx.USE_CLIENT_DEFAULT, **kwargs)
    except httpx.TimeoutException:
        raise RemoteTimeoutError(
            f"the SPARQL server at {endpoint.url} did not answer within the time limit of {timeout} s",
            limit="timeout",
            seconds=timeout,
            server=endpoint.url,
        ) from None
    except httpx.TransportError as error:
        raise BackendUnavailableError(
            f"the SPARQL server at {endpoint.url} is unreachable: {error}", endpoint=endpoint.url
        ) from None


def send(client: httpx.Client, endpoint: Endpoint, method: str, timeout: float, **kwargs: Any) -> httpx.Response:
    """Any request to an endpoint (loading); a transport failure as ``BackendUnavailableError``."""
    try:
        return client.request(method, endpoint.url, timeout=timeout, auth=endpoint.auth or httpx.USE_CLIENT_DEFAULT, **kwargs)
    except httpx.TransportError as error:
        raise BackendUnavailableError(
            f"the SPARQL server at {endpoint.url} is unreachable: {error}", endpoint=endpoint.url
        ) from None


def raise_for_failure(response: httpx.Response, url: str, timeout: float | None) -> None:
    """Map a server's error, or an answer it cut at its time limit, to our errors (naming it and its message)."""
    if response.headers.get("x-sql-state", "").upper() == "S1TAT":
        detail = response.headers.get("x-sql-message", "")
        raise RemoteTimeoutError(
            f"the SPARQL server at {url} stopped the query at its time limit and answered with incomplete results, "
            f"which are not passed on: {detail}".rstrip(": "),
            limit="timeout",
            seconds=timeout,
            server=url,
        )
    if response.status_code < 400:
        return
    text = message(response)
    status = response.status_code
    if status in (408, 504) or _SERVER_TIME_LIMIT.search(text):
        raise RemoteTimeoutError(
            f"the SPARQL server at {url} gave up on the query for its time limit ({status}): {text}",
            limit="timeout",
            seconds=timeout,
            server=url,
        )
    if status == 400 and _PARSE_ERROR.search(text):
        raise QuerySyntaxError(f"the SPARQL server at {url} could not parse the query: {text}", server=url)
    raise RemoteServerError(f"the SPARQL server at {url} answered {status}: {text}", server=url, status=status)


__all__ = ["Credentials", "Endpoint", "endpoint", "message", "post", "raise_for_failure", "send"]
