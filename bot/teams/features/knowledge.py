"""ナレッジ (admins): the list of the city's documents in Teams; ナレッジに登録 (by attachment) pending.

The documents are loaded by the 情報政策課 with `python -m bot knowledge add`; in Teams an admin sees
what is loaded. Registering a document by attaching a file needs the attachment download of the
attachments issue, which is not on this branch: the command answers with the CLI to use instead.
TODO(lead): when the attachments feature has landed, download the attachment here, hand the file to
`bot.core.knowledge.read_document` (or the shared extractor behind it) and `Knowledge.add` it with the
source `teams:<file name>`, then answer with the added/replaced line.
"""

from __future__ import annotations

from botbuilder.core import TurnContext

from bot.core.errors import StorageError
from bot.core.knowledge import Knowledge
from bot.core.turn import Turn
from bot.teams.services import Services
from bot.ui import commands, common
from bot.ui.knowledge import texts


def knowledge_of(services: Services) -> Knowledge:
    """The running bot's knowledge service (built in bot.teams.pipeline, held by the dialog)."""
    context = services.dialog.knowledge
    assert context is not None, "open_services gives the dialog its knowledge"
    return context.knowledge


def register(services: Services) -> None:
    """Register ナレッジ and ナレッジに登録 (admins only)."""
    router = services.router

    @router.command(commands.KNOWLEDGE)
    async def list_documents(context: TurnContext, turn: Turn) -> None:
        try:
            docs = await knowledge_of(services).documents()
        except StorageError:
            await context.send_activity(common.storage_unavailable(services.policy))
            return
        await context.send_activity(texts.document_lines(docs))

    @router.command(commands.KNOWLEDGE_ADD)
    async def register_document(context: TurnContext, turn: Turn) -> None:
        await context.send_activity(texts.TEAMS_REGISTER_TODO)
