"""The objects a running bot shares across turns, built once in bot.teams.pipeline and kept on the app."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.core.clock import Clock
from bot.core.config import Settings
from bot.core.conversation import ConversationStore
from bot.core.dialog import Dialog
from bot.core.model.base import ChatModel
from bot.core.policy import Policy
from bot.core.storage.base import Storage
from bot.teams.router import Router


@dataclass
class Services:
    """Long-lived collaborators of the Teams layer."""

    settings: Settings
    policy: Policy
    storage: Storage
    model: ChatModel
    conversations: ConversationStore
    dialog: Dialog
    router: Router
    clock: Clock
    screener: Any = None  # bot.core.screening.Screener
    quota: Any = None  # bot.core.quota.QuotaService
    audit: Any = None  # bot.core.audit.AuditLog
    adapter: Any = None  # the CloudAdapter, for proactive messages (continue_conversation)
    extras: dict[str, Any] = field(default_factory=dict)  # feature-owned collaborators, by feature name

    @property
    def bot_app_id(self) -> str:
        """The bot's app id (needed explicitly for proactive messages with CloudAdapter)."""
        return self.settings.app_id

    def is_admin(self, aad_object_id: str) -> bool:
        """True when the Entra object id is an administrator (environment or policy)."""
        oid = (aad_object_id or "").lower()
        return bool(oid) and (
            oid in self.settings.admin_aad_object_ids or oid in self.policy.access.admin_aad_object_ids
        )
