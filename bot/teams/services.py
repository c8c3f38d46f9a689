"""The objects a running bot shares across turns, built once in bot.pipeline and kept on the aiohttp app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.config import Settings
from bot.conversation import ConversationStore
from bot.dialog import Dialog
from bot.model.base import ChatModel
from bot.policy import Policy
from bot.storage.base import Storage
from bot.teams.router import Router


def utcnow() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(UTC)


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
    clock: Callable[[], datetime] = utcnow
    screener: Any = None  # bot.screening.Screener
    quota: Any = None  # bot.quota.QuotaService
    audit: Any = None  # bot.audit.AuditLog
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
