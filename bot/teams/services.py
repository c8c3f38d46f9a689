"""The objects a running bot shares across turns, built once in bot.teams.pipeline and kept on the app."""

from __future__ import annotations

from dataclasses import dataclass

from botbuilder.integration.aiohttp import CloudAdapter

from bot.core.access import AccessStore
from bot.core.audit import AuditLog
from bot.core.clock import Clock
from bot.core.config import Settings
from bot.core.conversation import ConversationStore
from bot.core.dialog import Dialog
from bot.core.exits import Gate
from bot.core.model.base import ChatModel
from bot.core.policy import Policy
from bot.core.quota import QuotaService
from bot.core.screening import Screener
from bot.core.storage.base import Storage
from bot.teams.background import Background
from bot.teams.channels import Outreach
from bot.teams.directory import ChannelDirectory
from bot.teams.held import HeldTexts
from bot.teams.router import Router


@dataclass(frozen=True)
class Services:
    """Long-lived collaborators of the Teams layer: every one concrete and required, built once by
    `bot.teams.pipeline.open_services` (the composition root) and never changed afterwards."""

    settings: Settings
    policy: Policy
    storage: Storage
    model: ChatModel
    conversations: ConversationStore
    dialog: Dialog
    router: Router
    clock: Clock
    screener: Screener
    quota: QuotaService
    audit: AuditLog
    access: AccessStore
    held: HeldTexts  # confirm-class texts waiting for the user's choice (encrypted, 10 minutes)
    channels: ChannelDirectory  # the support / admin channels and the people the bot has seen
    adapter: CloudAdapter  # for proactive messages (continue_conversation)
    gate: Gate  # the screening gate every outbound text passes (bot.core.exits)
    outreach: Outreach  # posts, notices and roster lookups outside a turn (bot.teams.channels)
    background: Background  # tasks after the answer; turn queue

    def is_admin(self, aad_object_id: str) -> bool:
        """True when the Entra object id is an administrator (environment or policy)."""
        oid = (aad_object_id or "").lower()
        return bool(oid) and (
            oid in self.settings.admin_aad_object_ids or oid in self.policy.access.admin_aad_object_ids
        )
