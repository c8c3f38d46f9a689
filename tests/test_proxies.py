"""bot.core.proxies: the proxy the environment names for a URL, as `requests` would pick it."""

from __future__ import annotations

import pytest

from bot.core.proxies import env_proxy

PROXY = "http://proxy.city.example:8080"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ):
        monkeypatch.delenv(name, raising=False)


def test_no_proxy_set_means_direct() -> None:
    assert env_proxy("https://smba.trafficmanager.net/jp/") is None


def test_the_proxy_of_the_url_scheme(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", PROXY)
    assert env_proxy("https://smba.trafficmanager.net/jp/") == PROXY
    assert env_proxy("http://127.0.0.1:10002/devstoreaccount1") is None, "HTTPS_PROXY is for https only"


def test_no_proxy_bypasses_listed_hosts_and_domains(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", PROXY)
    monkeypatch.setenv("NO_PROXY", "localhost,.privatelink.table.core.windows.net")
    assert env_proxy("https://city.privatelink.table.core.windows.net/") is None
    assert env_proxy("https://city.table.core.windows.net/") == PROXY


def test_a_url_without_a_host_has_no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", PROXY)
    assert env_proxy("not a url") is None
