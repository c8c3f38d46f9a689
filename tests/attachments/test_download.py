"""Downloading over real HTTP from the fake file host: allowed hosts only, size cap, no foreign redirects."""

from __future__ import annotations

import logging

import pytest

from bot.core.attachments import (
    AllowedHosts,
    Downloader,
    DownloadExpiredError,
    DownloadFailed,
    FileRef,
    FileTooLargeError,
    HostNotAllowedError,
)
from tests.fakes.file_server import FileServer

LOOPBACK = AllowedHosts(("127.0.0.1",))


def ref(url: str) -> FileRef:
    return FileRef(name="資料.docx", file_type="docx", url=url)


def downloader(
    max_bytes: int = 1_000_000, timeout_s: float = 5.0, hosts: AllowedHosts = LOOPBACK
) -> Downloader:
    return Downloader(hosts, max_bytes, timeout_s)


async def test_an_allowed_host_is_fetched_and_only_its_host_is_logged(
    file_server: FileServer, caplog: pytest.LogCaptureFixture
) -> None:
    url, unique = file_server.add(b"hello")
    with caplog.at_level(logging.DEBUG):
        assert await downloader().fetch(ref(url)) == b"hello"
    assert len(file_server.hits_for(unique)) == 1
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("aiohttp.access"))
    assert "127.0.0.1" in logged  # the host, for operators
    assert "tempauth" not in logged  # never the URL's credential (the fake server's own access log aside)
    assert "secret-" not in logged
    assert unique not in logged


@pytest.mark.parametrize(
    "hosts", [("*.sharepoint.com",), ("localhost",), ("*.0.0.1",), ("127.0.0.10",)], ids=str
)
async def test_a_host_not_listed_is_never_contacted(file_server: FileServer, hosts: tuple[str, ...]) -> None:
    url, _ = file_server.add(b"x")
    with pytest.raises(HostNotAllowedError):
        await downloader(hosts=AllowedHosts(hosts)).fetch(ref(url))
    assert file_server.hits == []


def test_suffix_patterns_and_plain_http() -> None:
    hosts = AllowedHosts(("*.sharepoint.com", "files.city.example.jp"))
    assert hosts.allows("iwakicity.sharepoint.com")
    assert hosts.allows("IWAKICITY-my.SharePoint.com.")
    assert not hosts.allows("sharepoint.com.evil.example")
    assert not hosts.allows("evilsharepoint.com")
    assert not hosts.allows("sub.files.city.example.jp")
    with pytest.raises(HostNotAllowedError):
        hosts.check_url("http://iwakicity.sharepoint.com/a")  # plain http only to loopback
    with pytest.raises(HostNotAllowedError):
        hosts.check_url("https://user:pw@iwakicity.sharepoint.com/a")
    with pytest.raises(HostNotAllowedError):
        hosts.check_url("file:///etc/passwd")
    with pytest.raises(HostNotAllowedError):
        hosts.check_url("")
    assert hosts.check_url("https://iwakicity.sharepoint.com/a?tempauth=x").host == "iwakicity.sharepoint.com"


async def test_the_size_cap_holds_with_and_without_content_length(file_server: FileServer) -> None:
    declared, _ = file_server.add(b"a" * 5000)
    streamed, unique = file_server.add(b"b" * 3_000_000, chunked=True)
    with pytest.raises(FileTooLargeError):
        await downloader(max_bytes=4000).fetch(ref(declared))
    with pytest.raises(FileTooLargeError):
        await downloader(max_bytes=1_000_000).fetch(ref(streamed))
    assert len(file_server.hits_for(unique)) == 1


async def test_redirects_stay_on_the_same_host(file_server: FileServer) -> None:
    target, target_id = file_server.add(b"moved here")
    same, _ = file_server.add(redirect_to=target)
    assert await downloader().fetch(ref(same)) == b"moved here"
    other, _ = file_server.add(redirect_to=file_server.url_for(target_id, host="localhost"))
    both = AllowedHosts(("127.0.0.1", "localhost"))
    with pytest.raises(DownloadFailed):
        await downloader(hosts=both).fetch(ref(other))
    assert len(file_server.hits_for(target_id)) == 1  # only through the same-host redirect


@pytest.mark.parametrize("status", [401, 403, 404, 410])
async def test_an_expired_or_refused_link_asks_to_attach_again(file_server: FileServer, status: int) -> None:
    url, _ = file_server.add(status=status)
    with pytest.raises(DownloadExpiredError):
        await downloader().fetch(ref(url))


async def test_server_errors_and_timeouts_are_download_failures(file_server: FileServer) -> None:
    broken, _ = file_server.add(status=503)
    hanging, _ = file_server.add(hang=True)
    with pytest.raises(DownloadFailed) as raised:
        await downloader().fetch(ref(broken))
    assert not isinstance(raised.value, DownloadExpiredError)
    with pytest.raises(DownloadFailed):
        await downloader(timeout_s=0.3).fetch(ref(hanging))
