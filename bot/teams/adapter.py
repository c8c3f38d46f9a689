"""The Bot Framework adapter: CloudAdapter configured from Settings, and the turn error handler."""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ResourceResponse

from bot.core.config import Settings
from bot.core.errors import StorageError
from bot.core.policy import Policy
from bot.teams.streaming import deliver
from bot.ui import common as texts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _AuthConfig:
    """The attribute names ConfigurationBotFrameworkAuthentication reads."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str
    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL: str | None
    TO_BOT_FROM_CHANNEL_TOKEN_ISSUER: str | None


def speed_up_msrest() -> None:
    """Work around an msrest cost botbuilder pays several times per turn.

    CloudAdapter builds a fresh connector client and user-token client for every turn, and each
    msrest `Configuration` builds a `ClientRetryPolicy`, whose __init__ tests 999 status codes for
    membership in the class-level LIST `safe_codes` (500 items): about 3 ms of CPU each time, a
    third of the bot's CPU under load (py-spy, tests/benchmarks/bench_pipeline.py). Only `in` is
    ever applied to it, so a frozenset gives the same retry codes in microseconds.
    """
    from msrest.universal_http.requests import ClientRetryPolicy  # noqa: PLC0415

    if not isinstance(ClientRetryPolicy.safe_codes, frozenset):
        ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)  # type: ignore[assignment]


class TeamsAdapter(CloudAdapter):
    """CloudAdapter whose outgoing activities follow Teams' rules (retries, stream fallbacks)."""

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        """Send each activity through `deliver` (429/5xx retried, a refused final stream not lost)."""
        responses: list[ResourceResponse] = []

        async def send(activity: Activity) -> list[ResourceResponse]:
            return await super(TeamsAdapter, self).send_activities(context, [activity])

        async def update(activity: Activity) -> ResourceResponse:
            return await super(TeamsAdapter, self).update_activity(context, activity)

        for activity in activities:
            sent = await deliver(send, update, activity)
            responses.extend(sent if isinstance(sent, list) else [sent])
        return responses


def create_adapter(settings: Settings, policy: Policy) -> CloudAdapter:
    """A CloudAdapter authenticating with the bot's identity from the settings."""
    speed_up_msrest()
    config = _AuthConfig(
        APP_ID=settings.app_id,
        APP_PASSWORD=settings.app_password,
        # anonymous local development: only the MultiTenant factory accepts an empty app id
        APP_TYPE=settings.app_type.value if settings.app_id else "MultiTenant",
        APP_TENANTID=settings.app_tenant_id,
        TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=settings.openid_metadata_url or None,
        TO_BOT_FROM_CHANNEL_TOKEN_ISSUER=settings.token_issuer or None,
    )
    adapter = TeamsAdapter(ConfigurationBotFrameworkAuthentication(config))

    async def on_error(context: TurnContext, error: Exception) -> None:
        # Never log the exception message: it may echo user text. Type and turn are enough to find it.
        where = "".join(traceback.format_tb(error.__traceback__)[-3:])
        log.error("turn failed: %s in %s activity\n%s", type(error).__name__, context.activity.type, where)
        if context.activity.type != "message":
            return
        text = (
            texts.storage_unavailable(policy)
            if isinstance(error, StorageError)
            else texts.unexpected_error(policy)
        )
        try:
            await context.send_activity(text)
        except Exception:
            log.warning("could not tell the user about the failure")

    adapter.on_turn_error = on_error
    return adapter
