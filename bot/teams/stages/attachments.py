"""Attached files: classified with the turn, read after access, screened like typed text.

    classify_files (turn stage)  personal chat only; number of files and types checked, download
                                 hosts checked (nothing fetched otherwise); the typed text, a file
                                 template or the policy's default becomes the instruction;
                                 ModelTurn(files=...) so access and audit treat it like a question
    AttachmentsMiddleware        after access, before screening: download (bot.core.attachments
                                 .download), extract in a worker thread, limits per file and per
                                 message; table rows screened with their column headings beside
                                 the values (a My Number column is blocked wherever its heading
                                 is); compose the text marked with the file names into `raw_text`;
                                 a large file's length is shown before it is sent

Any AttachmentError refuses the turn with its Japanese message (REJECTED, recorded with the
error's kind): the model is never called and nothing is sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from botbuilder.core import Middleware, TurnContext

from bot.core.attachments import (
    SUPPORTED,
    AllowedHosts,
    AttachmentError,
    CorruptFileError,
    Downloader,
    Extracted,
    FileRef,
    TooLongError,
    check_refs,
    clean_name,
    compose,
    extract,
    instruction_for,
)
from bot.core.screening import Action
from bot.core.screening.summary import summary
from bot.core.turn import TURN, ModelTurn, Outcome, Turn
from bot.teams.activity import file_refs
from bot.teams.services import Services
from bot.teams.streaming import STREAMER, TeamsStreamer
from bot.ui import common as common_texts
from bot.ui.attachments import texts

log = logging.getLogger(__name__)

EXTRACT_TIMEOUT_S = 60.0
"""Longest a file may take to read (a 10 MB file of any type takes a few seconds to the budget)."""
READ_AHEAD = 4
"""Extraction reads up to this many times the per-file limit, so a long file's real length can be told."""


def allowed_hosts(services: Services) -> AllowedHosts:
    """The hosts files may come from (ATTACHMENT_DOWNLOAD_HOSTS)."""
    return AllowedHosts(services.settings.attachment_download_hosts)


async def classify_files(
    services: Services, context: TurnContext, turn: Turn, attachments: list[object], text: str
) -> None:
    """Check the attached files without fetching anything; make the turn model-bound or refuse it."""
    turn.command = "attachment"
    if not turn.caller.is_personal:
        turn.refuse(Outcome.REJECTED, "attachment_not_personal")
        await context.send_activity(texts.PERSONAL_ONLY)
        return
    policy = services.policy
    refs = file_refs(attachments)
    turn.details["attachments"] = [
        {"type": r.file_type if r.file_type in SUPPORTED else "other"} for r in refs
    ]
    try:
        check_refs(refs, policy.attachments.max_files)
        hosts = allowed_hosts(services)
        for ref in refs:
            hosts.check(ref)
    except AttachmentError as exc:
        await refuse(services, context, turn, exc)
        return
    if len(text) > policy.quota.max_input_chars:
        turn.refuse(Outcome.REJECTED, "too_long")
        await context.send_activity(common_texts.too_long(policy.quota.max_input_chars, len(text)))
        return
    instruction, template = instruction_for(policy.attachments, text)
    if template is not None:
        turn.details["template"] = template.id
    turn.model = ModelTurn(raw_text=instruction, source="attachment", files=tuple(refs))


async def refuse(services: Services, context: TurnContext, turn: Turn, error: AttachmentError) -> None:
    """Refuse the turn with the error's message (the host is logged, never the URL)."""
    turn.refuse(Outcome.REJECTED, f"attachment_{error.kind}")
    log.info("attachment refused: %s", error.kind)
    await context.send_activity(texts.failure(error, services.policy))


class AttachmentsMiddleware(Middleware):
    """Downloads and extracts the files of a model-bound turn and composes its text."""

    def __init__(self, services: Services) -> None:
        self._services = services
        settings = services.settings
        self._downloader = Downloader(
            allowed_hosts(services), settings.attachment_max_bytes, settings.attachment_timeout_s
        )

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        """Read the files into the turn's text, or refuse the turn."""
        turn: Turn | None = context.turn_state.get(TURN)
        if turn is None or turn.model is None or turn.refused or not turn.model.files:
            await logic()
            return
        model_turn = turn.model
        limits = self._services.policy.attachments
        try:
            read = [await self._read(ref, limits.max_chars_per_file) for ref in model_turn.files]
            model_turn.raw_text = compose(model_turn.raw_text, read, per_message=limits.max_chars_per_message)
        except AttachmentError as exc:
            await refuse(self._services, context, turn, exc)
            return
        if await self._blocked_in_tables(context, turn, read):
            return
        sizes = [(clean_name(ref.name), extracted.chars) for ref, extracted in read]
        turn.details["attachments"] = [
            {"type": ref.file_type, "chars": extracted.chars} for ref, extracted in read
        ]
        model_turn.files = ()
        model_turn.footer_extra.append(texts.footer(sizes))
        if sum(chars for _, chars in sizes) >= limits.announce_chars:
            await self._announce(context, sizes)
        await logic()

    async def _read(self, ref: FileRef, per_file: int) -> tuple[FileRef, Extracted]:
        data = await self._downloader.fetch(ref)
        reading = asyncio.to_thread(extract, data, ref.file_type, ref.name, limit=per_file * READ_AHEAD)
        try:
            extracted = await asyncio.wait_for(reading, EXTRACT_TIMEOUT_S)
        except TooLongError as exc:  # stopped reading far beyond the limit: "at least" this long
            raise TooLongError(ref.name, exc.chars, per_file, at_least=True) from None
        except TimeoutError:  # a file built to keep the parser busy (the thread finishes on its own)
            log.warning("attachment extraction timed out: type=%s", ref.file_type)
            raise CorruptFileError(ref.name, "extraction timed out") from None
        if extracted.chars > per_file:
            raise TooLongError(ref.name, extracted.chars, per_file)
        return ref, extracted

    async def _blocked_in_tables(
        self, context: TurnContext, turn: Turn, read: list[tuple[FileRef, Extracted]]
    ) -> bool:
        """Screen each table row with its column headings beside the values (the labelled view):
        a My Number column is blocked even where its heading is rows away from the numbers."""
        by_file: dict[str, dict[str, int]] = {}
        for ref, extracted in read:
            if not extracted.labelled:
                continue
            result = self._services.screener.screen(extracted.labelled)
            blocked = result.with_action(Action.BLOCK)
            if blocked:
                kinds = by_file.setdefault(clean_name(ref.name), {})
                for finding in blocked:
                    kinds[finding.kind] = kinds.get(finding.kind, 0) + 1
                turn.details["screening"] = summary(result)
        if not by_file:
            return False
        turn.refuse(Outcome.BLOCKED, "screening_block")
        await context.send_activity(texts.blocked(self._services.policy, by_file))
        return True

    async def _announce(self, context: TurnContext, sizes: list[tuple[str, int]]) -> None:
        """Tell the user how long the files are before they are sent (an informative stream update)."""
        streamer: TeamsStreamer | None = context.turn_state.get(STREAMER)
        if streamer is not None and not streamer.stopped:
            await streamer.informative(texts.reading(sizes))
