"""Reading what we need from an inbound activity (the only place that knows its shape)."""

from __future__ import annotations

import re
from typing import Any

from botbuilder.schema import Activity

from bot.core.attachments import FileRef, file_type_of
from bot.core.turn import Caller

CARD_CONTENT_TYPES = {"application/vnd.microsoft.card.adaptive"}
FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
_MENTION = re.compile(r"<at>([^<]*)</at>")


def caller_of(activity: Activity) -> Caller:
    """Who sent the activity and in which conversation."""
    sender = activity.from_property
    conversation = activity.conversation
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    # botbuilder maps ConversationAccount.tenant_id to "tenantID", so Teams' `conversation.tenantId`
    # lands in additional_properties; the front door has checked that both places agree.
    extra = (getattr(conversation, "additional_properties", None) or {}) if conversation else {}
    claimed = (
        _object(channel_data.get("tenant")).get("id"),
        conversation.tenant_id if conversation else None,
        extra.get("tenantId"),
    )
    tenant = next((t for t in claimed if isinstance(t, str) and t), "")
    return Caller(
        user_id=((sender.aad_object_id or sender.id) if sender else "") or "",
        display_name=(sender.name if sender else "") or "",
        tenant_id=tenant,
        conversation_id=(conversation.id if conversation else "") or "",
        conversation_type=(conversation.conversation_type if conversation else "") or "personal",
        channel_account_id=(sender.id if sender else "") or "",
        team_id=((channel_data.get("team") or {}).get("id") or ""),
        channel_id=((channel_data.get("channel") or {}).get("id") or ""),
    )


def tenants_of(body: dict[str, Any]) -> frozenset[str]:
    """Every tenant id a raw activity body claims (conversation.tenantId, channelData.tenant.id),
    lower-cased: an allowed tenant must be the ONLY one claimed, or the records could name another."""
    tenant = _object(_object(body.get("channelData")).get("tenant"))
    claimed = (_object(body.get("conversation")).get("tenantId"), tenant.get("id"))
    return frozenset(v.strip().lower() for v in claimed if isinstance(v, str) and v.strip())


def _object(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one (activity bodies are untrusted)."""
    return value if isinstance(value, dict) else {}


def text_of(activity: Activity) -> str:
    """The message text without the bot's own @mention; other people's mentions keep their name
    (「<at>村田</at>さんへの返信」 reads 「村田さんへの返信」, and screening then sees the name)."""
    text = activity.text or ""
    for mention in _bot_mention_texts(activity):
        text = text.replace(mention, "", 1)
    return _MENTION.sub(lambda m: m.group(1), text).strip()


def _bot_mention_texts(activity: Activity) -> list[str]:
    """The `<at>…</at>` texts of the mentions of the recipient (the bot)."""
    bot_id = activity.recipient.id if activity.recipient else None
    found = []
    for entity in activity.entities or []:
        props = (entity.additional_properties if hasattr(entity, "additional_properties") else {}) or {}
        mentioned = _object(props.get("mentioned"))
        if entity.type == "mention" and bot_id and mentioned.get("id") == bot_id:
            mention_text = props.get("text")
            name = mentioned.get("name") or (activity.recipient.name if activity.recipient else "")
            found.append(
                mention_text if isinstance(mention_text, str) and mention_text else f"<at>{name}</at>"
            )
    return found


def mentions_bot(activity: Activity) -> bool:
    """True when the message @mentions the recipient (the bot)."""
    bot_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        props = entity.additional_properties if hasattr(entity, "additional_properties") else {}
        mentioned = (props or {}).get("mentioned") or {}
        if entity.type == "mention" and mentioned.get("id") == bot_id:
            return True
    return False


def file_attachments(activity: Activity) -> list[Any]:
    """Attachments that are files or images (not cards, not the HTML copy of the text)."""
    return [
        a
        for a in activity.attachments or []
        if a.content_type not in CARD_CONTENT_TYPES and a.content_type != "text/html"
    ]


def file_refs(attachments: list[Any]) -> list[FileRef]:
    """The files of `file_attachments(...)`: a Teams file (download info) carries its download URL;
    anything else (an inline image, a link) gets an empty URL and its type, to be refused by type."""
    refs = []
    for attachment in attachments:
        name = attachment.name if isinstance(attachment.name, str) else ""
        content = _object(attachment.content)
        if attachment.content_type == FILE_DOWNLOAD_INFO:
            url, declared = content.get("downloadUrl"), content.get("fileType")
            unique = content.get("uniqueId")
            refs.append(
                FileRef(
                    name=name,
                    file_type=file_type_of(name, declared if isinstance(declared, str) else ""),
                    url=url if isinstance(url, str) else "",
                    unique_id=unique if isinstance(unique, str) else "",
                )
            )
        else:
            kind = str(attachment.content_type or "").rpartition("/")[2][:20]
            refs.append(FileRef(name=name, file_type=file_type_of(name, kind) or kind, url=""))
    return refs


def card_action(activity: Activity) -> tuple[str, dict[str, Any]] | None:
    """(verb, data) of an Action.Execute invoke or an Action.Submit message, if any."""
    value = activity.value if isinstance(activity.value, dict) else None
    if value is None:
        return None
    if activity.type == "invoke":
        action = _object(value.get("action"))
        verb, data = action.get("verb"), action.get("data")
    else:
        verb, data = value.get("verb"), value
    if not isinstance(verb, str) or not verb:
        return None
    return verb, dict(data) if isinstance(data, dict) else {}
