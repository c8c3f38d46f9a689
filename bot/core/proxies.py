"""The outbound proxy for a URL, from the environment, read once per client instead of per request.

Cities often reach Azure and the Bot Connector through a proxy named in HTTPS_PROXY (NO_PROXY for
private endpoints). `requests` and aiohttp's `trust_env=True` read it — and aiohttp also looks up
~/.netrc in a thread on every request, a thread hop per storage or connector call. The clients
that call the same host all the time (Azure Tables, the Bot Connector) resolve their proxy here
instead and run with `trust_env` off.
"""

from __future__ import annotations

import urllib.request
from urllib.parse import urlsplit


def env_proxy(url: str) -> str | None:
    """The proxy URL the environment names for `url`, or None (none set, or NO_PROXY bypasses it)."""
    parts = urlsplit(url)
    if not parts.hostname:
        return None
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy:
        return None
    host = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    if urllib.request.proxy_bypass_environment(host, proxies):  # type: ignore[attr-defined]  # not in typeshed
        return None
    return proxy
