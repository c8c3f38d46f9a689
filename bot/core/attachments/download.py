"""Downloading an attached file from its pre-authenticated URL, and nothing else.

    allowed host?  ATTACHMENT_DOWNLOAD_HOSTS: host names or `*.suffix` (default `*.sharepoint.com`);
                   https only, plain http only to a loopback host (how the tests run)
    redirects      followed by hand, at most 3, and only to the same host
    size           Content-Length checked first, then ATTACHMENT_MAX_BYTES enforced while streaming
    time           one timeout over the whole download

The URL's query and path are a credential: logs carry the host, the status and the size only.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass

import aiohttp
from yarl import URL

from bot.core.attachments.errors import (
    DownloadExpiredError,
    DownloadFailed,
    FileTooLargeError,
    HostNotAllowedError,
)
from bot.core.attachments.files import FileRef
from bot.core.config import is_loopback

log = logging.getLogger(__name__)

MAX_REDIRECTS = 3
CHUNK_BYTES = 64 * 1024
EXPIRED_STATUSES = frozenset({401, 403, 404, 410})


@dataclass(frozen=True)
class AllowedHosts:
    """Host names and `*.suffix` patterns a file may be downloaded from."""

    patterns: tuple[str, ...]

    def allows(self, host: str) -> bool:
        """True when `host` is listed or ends with a listed `*.suffix` (case-insensitive)."""
        host = host.lower().rstrip(".")
        for pattern in self.patterns:
            if pattern.startswith("*.") and not _is_ip(host):  # suffixes are for names, not addresses
                if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                    return True
            elif host == pattern:
                return True
        return False

    def check(self, ref: FileRef) -> URL:
        """The parsed URL when it may be fetched; HostNotAllowedError otherwise (nothing fetched)."""
        if not ref.url.strip():
            raise DownloadFailed(ref.name, "no download URL")  # attach again
        return self.check_url(ref.url, ref.name)

    def check_url(self, raw: str, name: str = "") -> URL:
        """As `check`, for a URL (also used for redirect targets)."""
        try:
            url = URL(raw)
        except (ValueError, TypeError):
            raise HostNotAllowedError(name, "") from None
        host = (url.host or "").lower()
        secure = url.scheme == "https" or (url.scheme == "http" and is_loopback(host))
        if not host or not secure or url.user or not self.allows(host):
            raise HostNotAllowedError(name, host)
        return url


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Downloader:
    """Fetches one file with the limits above."""

    hosts: AllowedHosts
    max_bytes: int
    timeout_s: float

    async def fetch(self, ref: FileRef) -> bytes:
        """The file's bytes; a DownloadFailed subclass or HostNotAllowedError on any problem."""
        url = self.hosts.check(ref)
        timeout = aiohttp.ClientTimeout(total=self.timeout_s)
        try:
            async with aiohttp.ClientSession(timeout=timeout, trust_env=False) as session:
                return await self._follow(session, url, ref)
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.info("attachment download failed: host=%s error=%s", url.host, type(exc).__name__)
            raise DownloadFailed(ref.name, type(exc).__name__) from None

    async def _follow(self, session: aiohttp.ClientSession, url: URL, ref: FileRef) -> bytes:
        for _ in range(MAX_REDIRECTS + 1):
            async with session.get(url, allow_redirects=False) as response:
                if response.status in (301, 302, 303, 307, 308):
                    url = self._redirect(url, response, ref)
                    continue
                return await self._read(response, url, ref)
        log.info("attachment download: too many redirects host=%s", url.host)
        raise DownloadFailed(ref.name, "too many redirects")

    def _redirect(self, url: URL, response: aiohttp.ClientResponse, ref: FileRef) -> URL:
        target = url.join(URL(response.headers.get("Location", "")))
        if (target.host or "").lower() != (url.host or "").lower():
            log.warning("attachment download: redirect to another host refused host=%s", url.host)
            raise DownloadFailed(ref.name, "redirect to another host")
        return self.hosts.check_url(str(target), ref.name)

    async def _read(self, response: aiohttp.ClientResponse, url: URL, ref: FileRef) -> bytes:
        if response.status in EXPIRED_STATUSES:
            log.info("attachment download refused: host=%s status=%d", url.host, response.status)
            raise DownloadExpiredError(ref.name, f"status {response.status}")
        if response.status != 200:
            log.info("attachment download failed: host=%s status=%d", url.host, response.status)
            raise DownloadFailed(ref.name, f"status {response.status}")
        if (response.content_length or 0) > self.max_bytes:
            raise FileTooLargeError(ref.name, self.max_bytes)
        data = bytearray()
        async for chunk in response.content.iter_chunked(CHUNK_BYTES):
            data += chunk
            if len(data) > self.max_bytes:
                log.info("attachment download stopped at the size cap: host=%s", url.host)
                raise FileTooLargeError(ref.name, self.max_bytes)
        log.info("attachment downloaded: host=%s type=%s bytes=%d", url.host, ref.file_type, len(data))
        return bytes(data)
