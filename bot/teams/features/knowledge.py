"""ナレッジ (admins): the list of the city's documents, and ナレッジに登録 with files attached.

    ナレッジ                       the documents, newest first
    ナレッジに登録 + file(s)       (personal chat, admins only: the dispatcher refuses anyone else
                                   before anything is fetched) each file downloaded like a chat
                                   attachment (allowed hosts only, ATTACHMENT_MAX_BYTES while
                                   streaming, one timeout), read by the attachments' extractors
                                   (bot.core.knowledge.parse_document: the same container guards),
                                   stored by sender and file name (bot.core.knowledge.uploads: the
                                   sender's own file of that name is replaced, other people's are
                                   kept); the answer names the title and the passages, and what
                                   was replaced or kept
    ナレッジに登録 without a file  how to do it

Each added document is an audit event (`knowledge.added`: doc id, outcome, kind, characters,
passages); each refused file is recorded with its error kind. Nothing of the content is logged.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import PurePosixPath
from typing import Any

from botbuilder.core import TurnContext

from bot.core.attachments import (
    AllowedHosts,
    AttachmentError,
    CorruptFileError,
    Downloader,
    FileRef,
    UnsupportedTypeError,
    clean_name,
)
from bot.core.errors import StorageError
from bot.core.knowledge import Knowledge, Uploader, kind_of, parse_document, place_upload
from bot.core.knowledge.documents import MAX_CHARS
from bot.core.knowledge.service import passages_of
from bot.core.policy import Policy
from bot.core.turn import Outcome, Turn
from bot.teams.activity import file_attachments, file_refs
from bot.teams.events import EventLog
from bot.teams.services import Services
from bot.ui import commands, common
from bot.ui.knowledge import texts

log = logging.getLogger(__name__)

READ_TIMEOUT_S = 60.0
"""Longest a file may take to read (as a chat attachment: a file built to keep the parser busy)."""


def register(services: Services) -> None:
    """Register ナレッジ and ナレッジに登録 (admins only)."""
    settings = services.settings
    context = services.dialog.knowledge
    assert context is not None, "open_services gives the dialog its knowledge"
    desk = KnowledgeDesk(
        context.knowledge,
        Downloader(
            AllowedHosts(settings.attachment_download_hosts),
            settings.attachment_max_bytes,
            settings.attachment_timeout_s,
        ),
        EventLog.of(services),
        services.policy,
    )
    services.router.command(commands.KNOWLEDGE)(desk.list_documents)
    services.router.command(commands.KNOWLEDGE_ADD, takes_files=True)(desk.register_documents)


class KnowledgeDesk:
    """ナレッジ (the list) and ナレッジに登録 (files attached by an administrator)."""

    def __init__(
        self, knowledge: Knowledge, downloader: Downloader, events: EventLog, policy: Policy
    ) -> None:
        self.knowledge = knowledge
        self.downloader = downloader
        self.events = events
        self.policy = policy

    async def list_documents(self, context: TurnContext, turn: Turn) -> None:
        """ナレッジ: the documents loaded."""
        try:
            docs = await self.knowledge.documents()
        except StorageError:
            await context.send_activity(common.storage_unavailable(self.policy))
            return
        await context.send_activity(texts.document_lines(docs))

    async def register_documents(self, context: TurnContext, turn: Turn) -> None:
        """ナレッジに登録: read and store each attached file; one line per file."""
        refs = file_refs(file_attachments(context.activity))
        if not refs:
            await context.send_activity(texts.register_usage())
            return
        if not turn.caller.is_personal:
            turn.refuse(Outcome.REJECTED, "knowledge_not_personal")
            await context.send_activity(texts.REGISTER_PERSONAL_ONLY)
            return
        lines, done, errors = [], [], []
        for ref in refs:
            try:
                line, detail = await self._register(context, turn, ref)
            except AttachmentError as exc:
                log.info("knowledge registration refused: %s", exc.kind)
                errors.append({"kind": _kind(ref), "error": exc.kind})
                lines.append(texts.register_failure(exc, MAX_CHARS))
                continue
            except StorageError:
                turn.refuse(Outcome.FAILED, "storage")
                await context.send_activity(common.storage_unavailable(self.policy))
                return
            done.append(detail)
            lines.append(line)
        turn.details["knowledge_add"] = {"added": done, "refused": errors}
        if not done:
            turn.refuse(Outcome.REJECTED, f"knowledge_{errors[0]['error']}")
        await context.send_activity("\n\n".join(lines))

    async def _register(self, context: TurnContext, turn: Turn, ref: FileRef) -> tuple[str, dict[str, Any]]:
        """Download, read and store one file; (the line for the admin, the audit details)."""
        name = clean_name(ref.name)
        kind = _kind(ref)
        if not kind:
            raise UnsupportedTypeError(name, ref.file_type)
        data = await self.downloader.fetch(ref)  # allowed hosts, size cap, timeout (bot.core.attachments)
        reading = asyncio.to_thread(parse_document, data, _named(name, kind))
        try:
            read = await asyncio.wait_for(reading, READ_TIMEOUT_S)
        except TimeoutError:  # a file built to keep the parser busy (the thread finishes on its own)
            raise CorruptFileError(name, "extraction timed out") from None
        except AttachmentError as exc:
            exc.name = name
            raise
        caller = turn.caller
        placement = place_upload(await self.knowledge.documents(), name, caller.user_id)
        uploader = Uploader(caller.user_id, caller.display_name, caller.department)
        doc, outcome = await self.knowledge.add(
            placement.source, read.title, read.text, read.kind, uploader=uploader
        )
        passages = len(passages_of(doc.title, read.text))
        detail = {
            "doc": doc.doc_id,
            "outcome": outcome,
            "kind": read.kind,
            "chars": doc.chars,
            "passages": passages,
        }
        await self.events.record(context, "knowledge.added", detail)
        return texts.registered(doc, outcome, passages, placement), detail


def _kind(ref: FileRef) -> str:
    """The document kind from the file name, else from the type Teams declared."""
    return kind_of(ref.name) or kind_of(f"file.{ref.file_type}")


def _named(name: str, kind: str) -> str:
    """The name with a suffix of its kind (a file named without one, typed by Teams' fileType)."""
    return name if kind_of(name) else f"{PurePosixPath(name).name}.{kind}"
