"""The conversation references the bot keeps, refreshed on every inbound activity (serviceUrl changes).

The `refs` table:

    ("user", <entra oid>)      the personal chat's ConversationReference (JSON, personal chats
                               only), the channel account id (29:…) and name seen last (mentions,
                               card refresh `userIds`), and `blocked_at` after a 403
    ("channel", <name hash>)   a team channel named in the policy (support / admin channel):
                               team id, channel id, service url, tenant, bot account; found with
                               `TeamsInfo.get_team_channels` when the bot joins a team
    ("team", <team id>)        when that team's channels were last looked up, and when the
                               admins were told about an install there outside the support team
    ("pin", "team")            the support team: the first team an administrator installed the
                               bot in (SUPPORT_TEAM_ID, when set, overrides it). Policy channels
                               are looked up in that team only: an install anywhere else never
                               moves the support or admin channel (it is logged and the admins
                               are told), so adding the app to a team of one's own does not
                               redirect questions, incidents and approvals there

ADMIN_TEAM_ID, when set, names a separate team whose members are the administrators only: the
admin channel is looked up there (and nowhere else), the all-staff channel in the support team.
Bots cannot be relied on in private channels (Microsoft documents apps there as a preview whose
rollout was paused), so a restricted admin channel is a standard channel of such a team.

bot.teams.channels sends proactive messages with what is stored here.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, ConversationReference

from bot.core.cache import TtlCache, missing
from bot.core.errors import ConflictError
from bot.core.policy import Policy
from bot.core.storage.base import Entity, Storage
from bot.teams.activity import mentions_bot
from bot.teams.adapter import model_json

log = logging.getLogger(__name__)

TABLE = "refs"
REDISCOVER_AFTER = timedelta(minutes=15)
DISCOVERY_TIMEOUT_S = 10.0
SYNTHETIC_EVENTS = frozenset({"ContinueConversation", "CreateConversation"})
CHANNEL_EVENTS = frozenset({"channelCreated", "channelRenamed", "channelDeleted", "channelRestored"})
GENERAL_NAMES = frozenset({"general", "一般"})  # General's name comes back null from Teams


@dataclass(frozen=True)
class ChannelTarget:
    """A team channel named in the policy, as discovered."""

    name: str
    team_id: str
    channel_id: str
    service_url: str
    tenant_id: str
    bot_id: str

    def reference(self) -> ConversationReference:
        """The channel's conversation reference (new threads are created in it)."""
        return ConversationReference(
            channel_id="msteams",
            service_url=self.service_url,
            bot=ChannelAccount(id=self.bot_id),
            conversation=ConversationAccount(
                id=self.channel_id, is_group=True, conversation_type="channel", tenant_id=self.tenant_id
            ),
        )


@dataclass(frozen=True)
class Discovery:
    """What looking up a team's channels did."""

    team_id: str
    found: tuple[str, ...] = ()
    foreign: bool = False  # not the support team: nothing stored
    pinned_now: bool = False  # this install made it the support team


USER_CACHE_TTL_S = 60.0


class ChannelDirectory:
    """Stores and finds the conversation references proactive messages need."""

    def __init__(
        self,
        storage: Storage,
        policy: Policy,
        clock: Callable[[], datetime],
        *,
        support_team_id: str = "",
        admin_team_id: str = "",
    ) -> None:
        self._storage = storage
        self._clock = clock
        self._configured_team = support_team_id.strip()
        self.admin_team = admin_team_id.strip()  # '' = the admin channel lives in the support team
        # the user rows this instance last read or wrote: an unchanged reference costs no round trip.
        # Another instance's change (blocked_at after a 403) is seen here when the entry expires.
        self._users: TtlCache[str, dict[str, Any]] = TtlCache(USER_CACHE_TTL_S)
        support = policy.support
        self.channel_names = tuple(dict.fromkeys((support.channel_name, support.admin_channel_name)))
        self._admin_channel = support.admin_channel_name

    def names_in(self, team_id: str, support_team: str) -> tuple[str, ...]:
        """The policy channels looked up in `team_id` (none: a team that is neither ours)."""
        if self.admin_team and team_id == self.admin_team:
            names = [self._admin_channel] if team_id != support_team else list(self.channel_names)
            return tuple(names)
        if team_id and team_id == support_team:
            if self.admin_team:
                return tuple(n for n in self.channel_names if n != self._admin_channel)
            return self.channel_names
        return ()

    async def support_team(self) -> str:
        """The team the policy channels live in ('' until an administrator installs the bot)."""
        if self._configured_team:
            return self._configured_team
        pin = await self._storage.get(TABLE, "pin", "team")
        if pin is not None and pin.data.get("team_id"):
            return str(pin.data["team_id"])
        for name in self.channel_names:  # stored before teams were pinned: keep using that team
            target = await self.target(name)
            if target is not None and target.team_id and target.team_id != self.admin_team:
                return target.team_id
        return ""

    async def _pin(self, team_id: str, by: str) -> str:
        """Make `team_id` the support team unless another was pinned first; returns the pinned one."""
        try:
            await self._storage.insert(
                TABLE, Entity("pin", "team", {"team_id": team_id, "by": by, "at": self._clock().isoformat()})
            )
        except ConflictError:
            return await self.support_team()
        log.info("support team pinned at the first install by an administrator")
        return team_id

    async def first_notice(self, team_id: str) -> bool:
        """True once per foreign team: the admins are told about an install there only once."""
        entity = await self._storage.get(TABLE, "team", team_id)
        if entity is not None and entity.data.get("foreign_noticed_at"):
            return False
        data = dict(entity.data) if entity is not None else {}
        data["foreign_noticed_at"] = self._clock().isoformat()
        await self._storage.upsert(TABLE, Entity("team", team_id, data))
        return True

    async def remember(self, activity: Activity) -> None:
        """Store or refresh the references this inbound activity reveals."""
        if is_synthetic(activity):
            return
        oid = sender_key(activity)
        if oid and addressed_to_bot(activity):  # never a record of everyone who posts in a channel
            await self._remember_user(activity, oid)
        team_id = team_of(activity)
        if team_id:
            await self._refresh_channels(activity, team_id)

    async def personal(self, user_id: str) -> ConversationReference | None:
        """The user's personal chat reference (keyed by Entra object id)."""
        entity = await self._storage.get(TABLE, "user", user_id.lower())
        raw = entity.data.get("reference") if entity is not None else None
        return ConversationReference.deserialize(json.loads(raw)) if isinstance(raw, str) else None

    async def account(self, user_id: str) -> ChannelAccount | None:
        """The user's channel account (29:… id and name) as last seen, for mentions and refresh."""
        entity = await self._storage.get(TABLE, "user", user_id.lower())
        if entity is None or not entity.data.get("account_id"):
            return None
        return ChannelAccount(
            id=str(entity.data["account_id"]), name=str(entity.data.get("name", "")), aad_object_id=user_id
        )

    async def accounts(self, user_ids: Iterable[str]) -> list[ChannelAccount]:
        """The known channel accounts of several users (unknown ones are left out)."""
        found = [await self.account(user_id) for user_id in sorted(set(user_ids))]
        return [a for a in found if a is not None]

    async def channel(self, name: str) -> ConversationReference | None:
        """The reference of a channel named in the policy, once discovered."""
        target = await self.target(name)
        return target.reference() if target is not None else None

    async def target(self, name: str) -> ChannelTarget | None:
        """The discovered channel with this name, if any."""
        entity = await self._storage.get(TABLE, "channel", name_key(name))
        if entity is None:
            return None
        fields = {k: str(entity.data.get(k, "")) for k in ChannelTarget.__dataclass_fields__}
        return ChannelTarget(**fields)

    async def forget_channel(self, name: str) -> None:
        """Drop a channel the bot can no longer post to (found again at the next team activity)."""
        await self._storage.delete(TABLE, "channel", name_key(name))

    async def is_blocked(self, user_id: str) -> bool:
        """True after a 403 until the user writes to the bot again."""
        entity = await self._storage.get(TABLE, "user", user_id.lower())
        return entity is not None and bool(entity.data.get("blocked_at"))

    async def mark_blocked(self, user_id: str) -> None:
        """Record that the bot was blocked or uninstalled in the user's personal chat."""
        entity = await self._storage.get(TABLE, "user", user_id.lower())
        self._users.drop(user_id.lower())
        if entity is not None:
            await self._storage.upsert(TABLE, entity.with_data(blocked_at=self._clock().isoformat()))

    async def needs_discovery(self, activity: Activity) -> bool:
        """True for a team activity when the bot was just added, channels changed, or a channel is unknown."""
        team_id = team_of(activity)
        if not team_id or is_synthetic(activity) or activity.type == "invoke":
            return False  # invokes are answered inline: no lookup on their path
        if bot_added(activity) or channel_event(activity):
            return True
        if all([await self.target(name) for name in self.channel_names]):
            return False
        team = await self._storage.get(TABLE, "team", team_id)
        checked = str(team.data.get("checked_at", "")) if team is not None else ""
        return not checked or self._clock() - datetime.fromisoformat(checked) > REDISCOVER_AFTER

    async def discover_team(self, context: TurnContext, *, by_admin: bool = False) -> Discovery:
        """Find the policy's channels in the support team and store them (see the module docstring).

        `by_admin`: the sender is an administrator confirmed by the roster; their install of the
        bot pins the support team when none is pinned yet."""
        activity = context.activity
        team_id = team_of(activity)
        if not team_id:
            return Discovery("")
        # noted first, so a failing lookup is not repeated on every activity of the team
        await self._note_checked(team_id)
        pinned, pinned_now = await self.support_team(), False
        if not pinned and by_admin and bot_added(activity) and team_id != self.admin_team:
            pinned = await self._pin(team_id, sender_key(activity))
            pinned_now = pinned == team_id
        names = self.names_in(team_id, pinned)
        if not names:
            log.warning("bot active in a team that is not the support team: its channels are not used")
            return Discovery(team_id, foreign=True)
        channels = await team_channels(context, team_id)
        found: list[str] = []
        for name in names:
            channel_id = match_channel(channels, name)
            if channel_id:
                await self._store_target(name, channel_id, team_id, activity)
                found.append(name)
        log.info("team channels looked up: found %d of %d policy channels", len(found), len(names))
        return Discovery(team_id, tuple(found), pinned_now=pinned_now)

    async def _note_checked(self, team_id: str) -> None:
        entity = await self._storage.get(TABLE, "team", team_id)
        data = dict(entity.data) if entity is not None else {}
        data["checked_at"] = self._clock().isoformat()
        await self._storage.upsert(TABLE, Entity("team", team_id, data))

    async def _remember_user(self, activity: Activity, oid: str) -> None:
        sender = activity.from_property
        seen = self._users.get(oid)  # what this instance last read or wrote (saves a read per turn)
        if missing(seen):
            stored = await self._storage.get(TABLE, "user", oid)
            seen = dict(stored.data) if stored is not None else None
        current: dict[str, Any] | None = seen if isinstance(seen, dict) else None
        merged: dict[str, Any] = dict(current) if current is not None else {}
        merged.update(
            account_id=sender.id or "", name=sender.name or "", service_url=activity.service_url or ""
        )
        if is_personal(activity):
            reference = TurnContext.get_conversation_reference(activity)
            reference.activity_id = None  # per message: storing it would rewrite the row every time
            merged["reference"] = json.dumps(model_json(reference), ensure_ascii=False)
            merged.pop("blocked_at", None)  # the user wrote to us: not blocked any more
        if current is None or merged != current:
            await self._storage.upsert(TABLE, Entity("user", oid, merged))
        self._users.put(oid, merged)

    async def _refresh_channels(self, activity: Activity, team_id: str) -> None:
        for name in self.channel_names:
            entity = await self._storage.get(TABLE, "channel", name_key(name))
            if entity is None or entity.data.get("team_id") != team_id:
                continue
            if activity.service_url and entity.data.get("service_url") != activity.service_url:
                await self._storage.upsert(TABLE, entity.with_data(service_url=activity.service_url))

    async def _store_target(self, name: str, channel_id: str, team_id: str, activity: Activity) -> None:
        target = ChannelTarget(
            name=name,
            team_id=team_id,
            channel_id=channel_id,
            service_url=activity.service_url or "",
            tenant_id=tenant_of(activity),
            bot_id=(activity.recipient.id if activity.recipient else "") or "",
        )
        await self._storage.upsert(TABLE, Entity("channel", name_key(name), asdict(target)))


async def team_channels(context: TurnContext, team_id: str) -> list[Any]:
    """The team's channels (ChannelInfo: id, name; General's name is null).

    `TeamsInfo.get_team_channels` is a coroutine around botbuilder's *synchronous* (requests)
    TeamsConnectorClient: awaited directly it blocks the event loop for the whole HTTP call (and its
    retries). The same client and call run in a worker thread here.
    """
    client = await TeamsInfo.get_teams_connector_client(context)
    call = asyncio.to_thread(client.teams.get_teams_channels, team_id)
    result = await asyncio.wait_for(call, DISCOVERY_TIMEOUT_S)  # TimeoutError: try again later
    return list(result.conversations or [])


def is_synthetic(activity: Activity) -> bool:
    """True for the activities botbuilder makes up for proactive turns (not from Teams)."""
    return activity.type == "event" and activity.name in SYNTHETIC_EVENTS


def is_personal(activity: Activity) -> bool:
    """True in a one-to-one chat with the bot."""
    conversation = activity.conversation
    return conversation is not None and (conversation.conversation_type or "personal") == "personal"


def addressed_to_bot(activity: Activity) -> bool:
    """True when the sender turned to the bot: personal chat, a card action, an @mention, an install."""
    if is_personal(activity) or activity.type != "message":
        return True
    if isinstance(activity.value, dict):
        return True  # Action.Submit from one of the bot's cards
    return mentions_bot(activity)


def sender_key(activity: Activity) -> str:
    """The sender's Entra object id (lower-case), else the channel account id."""
    sender = activity.from_property
    if sender is None:
        return ""
    return (sender.aad_object_id or sender.id or "").lower()


def _channel_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    return data if isinstance(data, dict) else {}


def team_of(activity: Activity) -> str:
    """The Teams team id of a team (channel) activity, else ''."""
    team = _channel_data(activity).get("team")
    return str(team.get("id") or "") if isinstance(team, dict) else ""


def tenant_of(activity: Activity) -> str:
    """The tenant id of an activity."""
    conversation = activity.conversation
    tenant = _channel_data(activity).get("tenant")
    from_data = str(tenant.get("id") or "") if isinstance(tenant, dict) else ""
    return (conversation.tenant_id if conversation is not None else "") or from_data


def bot_added(activity: Activity) -> bool:
    """True for a conversationUpdate that adds the bot (installed in a team)."""
    bot_id = activity.recipient.id if activity.recipient else None
    return activity.type == "conversationUpdate" and any(m.id == bot_id for m in activity.members_added or [])


def channel_event(activity: Activity) -> bool:
    """True when a channel of the team was created, renamed, deleted or restored."""
    return (
        activity.type == "conversationUpdate" and _channel_data(activity).get("eventType") in CHANNEL_EVENTS
    )


def name_key(name: str) -> str:
    """Row key of a channel name (names may hold characters row keys cannot)."""
    return hashlib.sha256(normalise_name(name).encode()).hexdigest()[:32]


def normalise_name(name: str) -> str:
    """NFKC, trimmed, case-folded: 「ＣｈａｔＧＰＴ」 and "chatgpt" are the same channel."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def match_channel(channels: Iterable[Any], name: str) -> str:
    """The id of the channel called `name` (General's null name matches 'General' / '一般')."""
    wanted = normalise_name(name)
    for channel in channels:
        channel_name = getattr(channel, "name", None)
        if channel_name is None and wanted in GENERAL_NAMES:
            return str(channel.id)
        if channel_name is not None and normalise_name(channel_name) == wanted:
            return str(channel.id)
    return ""
