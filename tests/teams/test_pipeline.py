"""The pipeline is written down in one place and every stage runs, in order (botbuilder 4.17's
`MiddlewareSet.use(a, b, c)` registers only `a`: each stage must be registered on its own)."""

from __future__ import annotations

from pathlib import Path

from botbuilder.core import Middleware

from bot.core.config import Settings
from bot.teams.pipeline import middlewares, open_services


async def test_every_middleware_is_registered_in_order(tmp_path: Path) -> None:
    settings = Settings.from_env(environ={"BOT_DATA_DIR": str(tmp_path)}, env_file=None)
    async with open_services(settings) as (services, adapter, _bot):
        expected = [type(m) for m in middlewares(services)]
        registered = [type(m) for m in adapter._middleware._middleware]
    assert registered == expected
    names = [t.__name__ for t in expected]
    assert names[:2] == ["ExitsMiddleware", "TurnMiddleware"]  # the gate hooks every send first
    for earlier, later in [
        ("AuditMiddleware", "ScreeningMiddleware"),
        ("ScreeningMiddleware", "QuotaMiddleware"),
    ]:
        if earlier in names and later in names:
            assert names.index(earlier) < names.index(later)
    assert all(isinstance(m, Middleware) for m in adapter._middleware._middleware)
