"""Where a document an administrator attaches in Teams (ナレッジに登録) is stored, and what it replaces.

An upload is keyed by who sent it and its file name (source `teams:<user id>/<file name>`). Of the
documents already attached in Teams under the same file name:

    the sender's own                  replaced in place (same document id); the reply says so and when
                                      that file was sent
    someone else's                    kept: the upload becomes a document of its own, and the reply
                                      names who sent the other one and its id, so that the one out of
                                      date can be removed
    one from before senders were      replaced in place, as the reply promised when it was sent
    recorded (`teams:<file name>`)    (sending the same name again replaced it); the reply says so,
                                      and that its sender is not known

Two 課 often give a manual the same plain name (マニュアル.docx, 要領.pdf): replacing by name alone let
one silently remove the other's document from the answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.knowledge.store import StoredDocument

PREFIX = "teams:"


@dataclass(frozen=True)
class Placement:
    """Where an upload goes (`source`), the document it replaces, and the others of its name."""

    source: str
    previous: StoredDocument | None  # replaced: the sender's own earlier upload, or one of unknown sender
    others: tuple[StoredDocument, ...]  # other people's uploads of the same name, all kept


def upload_source(user_id: str, name: str) -> str:
    """The source of `name` sent by `user_id`."""
    return f"{PREFIX}{user_id}/{name}"


def uploaded_name(doc: StoredDocument) -> str:
    """The file name of a document attached in Teams ("" for one added on the server)."""
    if not doc.source.startswith(PREFIX):
        return ""
    rest = doc.source.removeprefix(PREFIX)
    own = f"{doc.uploader.user_id}/" if doc.uploader is not None else ""
    return rest.removeprefix(own) if own and rest.startswith(own) else rest


def place_upload(docs: Iterable[StoredDocument], name: str, user_id: str) -> Placement:
    """Where `name` sent by `user_id` is stored, given the documents there are (module docstring)."""
    same = [d for d in docs if uploaded_name(d) == name]
    mine = [d for d in same if d.uploader is not None and d.uploader.user_id == user_id]
    unknown = [d for d in same if d.uploader is None]
    previous = next(iter(mine or unknown), None)
    source = previous.source if previous is not None else upload_source(user_id, name)
    others = tuple(sorted((d for d in same if d is not previous), key=lambda d: d.added))
    return Placement(source, previous, others)
