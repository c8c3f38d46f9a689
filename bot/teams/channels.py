"""Proactive messages: new channel threads, card updates, thread replies and personal notices.

Where to write comes from the references bot.teams.directory keeps (re-exported here, so features
import everything from this module). The sends talk to the Bot Connector through a connector
client built from the adapter's own authentication, with the claims `continue_conversation` would
build — the bot app id passed explicitly (the CloudAdapter defect); with an empty app id (local
development, the Agents Playground) the client is unauthenticated, as replies are. Unlike
`continue_conversation` they do not run the middleware pipeline: a notice we send is not an
inbound turn, and the consent, screening, quota and audit stages must not act on it (a consent
card answering our own notice, or an audit record per notice). Callers write their own audit
events for what they send.

Every send takes an `Outbound` (bot.teams.exits): the only way to make one is to pass the
content through the screening gate for its exit, so nothing reaches a channel or a personal chat
unscreened, whoever wrote it.

Errors (callers pick the user-facing text from the type, in bot.texts):

    DeliveryError          the message was not delivered
    ├── NoReference        nothing stored (the user never wrote to the bot, channel not found)
    ├── Blocked            403 MessageWritesBlocked: blocked or uninstalled; recorded, and not
    │                      tried again until the user writes to the bot again
    └── ConnectorFailed    any other connector failure (HTTP status kept, never the body)
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, ConversationParameters
from msrest.exceptions import ClientException, HttpOperationError

from bot.core.errors import BotError
from bot.core.exits import Exit, Gate, ScreenedText
from bot.teams.directory import ChannelDirectory, ChannelTarget
from bot.teams.exits import Content, Outbound, as_activity, outbound
from bot.teams.streaming import status_of

if TYPE_CHECKING:
    from botbuilder.integration.aiohttp import CloudAdapter

__all__ = [
    "Blocked",
    "ChannelDirectory",
    "ChannelTarget",
    "ConnectorFailed",
    "DeliveryError",
    "NoReference",
    "Outreach",
    "PostedRef",
    "as_activity",
    "lookup_member",
    "notify_user",
    "post_to_channel",
    "reply_in_thread",
    "update_activity",
]

log = logging.getLogger(__name__)

BLOCKED_CODES = frozenset({"MessageWritesBlocked", "ConversationBlockedByUser"})


class DeliveryError(BotError):
    """A proactive message was not delivered."""


class NoReference(DeliveryError):
    """No stored conversation reference for the user or channel."""


class Blocked(DeliveryError):
    """The bot is blocked or uninstalled there (403 MessageWritesBlocked)."""


class ConnectorFailed(DeliveryError):
    """The Bot Connector refused or could not be reached."""

    def __init__(self, status: int | None) -> None:
        super().__init__(f"connector failed (status {status})")
        self.status = status


@dataclass(frozen=True)
class PostedRef:
    """Where a proactive message landed, to update it or reply in its thread later."""

    service_url: str
    conversation_id: str  # `<channel id>;messageid=<root id>` for a new channel thread
    activity_id: str
    bot_id: str = ""

    def to_json(self) -> str:
        """Serialised for storage."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> PostedRef | None:
        """Parsed from storage (None when empty or malformed)."""
        try:
            return cls(**json.loads(text))
        except (ValueError, TypeError):
            return None


@dataclass(frozen=True)
class Outreach:
    """What the bot needs to write outside a turn, and nothing more: the adapter's authentication
    and the bot's app id (for the connector client), the directory of where to write, the gate
    that makes every `Outbound`, and who the administrators are. Built once by
    bot.teams.pipeline; the features that post, notify or look people up take this instead of
    the whole `Services`."""

    adapter: CloudAdapter
    app_id: str
    directory: ChannelDirectory
    gate: Gate
    admins: frozenset[str]  # Entra object ids of the administrators (environment and policy)

    def to_channel(self, content: Content) -> Outbound:
        """`content` screened for a channel post or card update."""
        return outbound(self.gate, content, Exit.CHANNEL)

    def to_person(self, content: Content) -> Outbound:
        """`content` screened for someone's personal chat (a proactive notice)."""
        return outbound(self.gate, content, Exit.PERSON)

    def for_storage(self, text: str) -> ScreenedText:
        """A typed text as storage may keep it (block-class redacted, mask-class masked)."""
        return self.gate.screen(text, Exit.STORAGE)


async def post_to_channel(outreach: Outreach, channel_name: str, content: Outbound) -> PostedRef:
    """Start a new thread in a policy channel; returns where the root message landed."""
    directory = outreach.directory
    target = await directory.target(channel_name)
    if target is None:
        raise NoReference(f"channel {channel_name!r} not discovered")
    activity = _screened(content, Exit.CHANNEL)
    params = ConversationParameters(
        is_group=True,
        bot=ChannelAccount(id=target.bot_id),
        tenant_id=target.tenant_id,
        channel_data={"channel": {"id": target.channel_id}, "tenant": {"id": target.tenant_id}},
        activity=activity,
    )
    try:
        async with _connector(outreach, target.service_url) as client:
            result = await _call(client.conversations.create_conversation(params))
    except Blocked:
        await directory.forget_channel(channel_name)
        raise
    root = result.activity_id or str(result.id).rsplit("=", 1)[-1]
    return PostedRef(target.service_url, str(result.id), str(root), target.bot_id)


async def update_activity(outreach: Outreach, posted: PostedRef, content: Outbound) -> None:
    """Replace a message the bot posted (a card shows "answered" for everyone)."""
    activity = _addressed(_screened(content, Exit.CHANNEL), posted)
    activity.id = posted.activity_id
    async with _connector(outreach, posted.service_url) as client:
        await _call(
            client.conversations.update_activity(posted.conversation_id, posted.activity_id, activity)
        )


async def reply_in_thread(outreach: Outreach, posted: PostedRef, content: Outbound) -> str:
    """Reply in the thread of a message the bot posted; returns the reply's activity id."""
    activity = _addressed(_screened(content, Exit.CHANNEL), posted)
    activity.reply_to_id = posted.activity_id
    async with _connector(outreach, posted.service_url) as client:
        result = await _call(
            client.conversations.reply_to_activity(posted.conversation_id, posted.activity_id, activity)
        )
    return str(getattr(result, "id", "") or "")


async def notify_user(outreach: Outreach, user_id: str, content: Outbound) -> str:
    """Send to the user's personal chat via the stored reference; returns the activity id."""
    directory = outreach.directory
    if await directory.is_blocked(user_id):
        raise Blocked("blocked earlier; waiting for the user to write again")
    reference = await directory.personal(user_id)
    if reference is None or reference.conversation is None:
        raise NoReference("no personal chat reference")
    bot_id = reference.bot.id if reference.bot else ""
    posted = PostedRef(reference.service_url or "", reference.conversation.id, "", bot_id or "")
    activity = _addressed(_screened(content, Exit.PERSON), posted)
    activity.recipient = reference.user
    try:
        async with _connector(outreach, posted.service_url) as client:
            result = await _call(client.conversations.send_to_conversation(posted.conversation_id, activity))
    except Blocked:
        await directory.mark_blocked(user_id)
        log.warning("personal chat blocked or bot uninstalled: not retrying until the user writes again")
        raise
    return str(getattr(result, "id", "") or "")


async def lookup_member(outreach: Outreach, channel_name: str, member_id: str) -> ChannelAccount | None:
    """A team member (by Entra object id or 29: id) of the team holding a policy channel, if found."""
    target = await outreach.directory.target(channel_name)
    if target is None:
        return None
    try:
        async with _connector(outreach, target.service_url) as client:
            member = await _call(client.conversations.get_conversation_member(target.team_id, member_id))
    except DeliveryError as exc:
        log.info("team member lookup failed: %s", type(exc).__name__)
        return None
    return member if isinstance(member, ChannelAccount) else None


async def reply_outside_a_turn(auth: Any, inbound: Activity, content: Outbound) -> None:
    """Reply to an inbound activity without running a turn (the busy notice); gated like every send."""
    reference = TurnContext.get_conversation_reference(inbound)
    reply = TurnContext.apply_conversation_reference(_screened(content, content.exit), reference)
    client = await auth.connector_factory.create(inbound.service_url, auth.audience)
    async with client:
        await client.conversations.reply_to_activity(reply.conversation.id, inbound.id, reply)


def _screened(content: Outbound, exit: Exit) -> Activity:
    """The gated activity; anything else is a programming error, refused before it can leave."""
    if not isinstance(content, Outbound) or content.exit is not exit:
        raise TypeError(f"connector sends take an Outbound screened for {exit.value}")
    return content.activity


def _addressed(activity: Activity, posted: PostedRef) -> Activity:
    activity.conversation = ConversationAccount(id=posted.conversation_id)
    activity.service_url = posted.service_url
    activity.channel_id = "msteams"
    if posted.bot_id:
        activity.from_property = ChannelAccount(id=posted.bot_id)
    return activity


@asynccontextmanager
async def _connector(outreach: Outreach, service_url: str) -> AsyncIterator[Any]:
    """A connector client for service_url, authenticated as the bot (app id passed explicitly)."""
    adapter = outreach.adapter
    claims = adapter.create_claims_identity(outreach.app_id)
    factory = adapter.bot_framework_authentication.create_connector_factory(claims)
    client = await factory.create(service_url, None)
    async with client:
        yield client


async def _call(request: Any) -> Any:
    """Await a connector call, turning its failures into DeliveryError subclasses."""
    try:
        return await request
    except HttpOperationError as exc:
        status, code = status_of(exc), error_code(exc)
        log.warning("proactive send failed: status=%s code=%s", status, code)
        if status == 403 and code in BLOCKED_CODES:
            raise Blocked(code) from None
        raise ConnectorFailed(status) from None
    except (ClientException, OSError, TimeoutError) as exc:
        log.warning("proactive send failed: %s", type(exc).__name__)
        raise ConnectorFailed(None) from None


def error_code(exc: HttpOperationError) -> str:
    """The Bot Connector's error code (`MessageWritesBlocked`, …), if the body carried one."""
    inner = getattr(getattr(exc, "error", None), "error", None)
    code = getattr(inner, "code", None)
    return code if isinstance(code, str) else ""
