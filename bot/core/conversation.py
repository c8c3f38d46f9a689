"""Per-conversation state: the (already screened) history and the pseudonym table.

Kept in the `state` table, partition = a hash of the conversation id, so nothing about the
conversation lives in process memory and any bot instance can serve the next turn. History is
the masked text only; the pseudonym table maps placeholders back to real values and is therefore
encrypted at rest with AES-GCM (key: BOT_STATE_KEY).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.core.errors import ConfigError, ConflictError, NotFoundError, StorageError
from bot.core.model.base import ChatMessage
from bot.core.storage.base import Entity, Storage

TABLE = "state"
APPEND_ATTEMPTS = 20


@dataclass(frozen=True)
class History:
    """A conversation's history as read, and the ETag to compare-and-swap it with."""

    messages: list[ChatMessage]
    etag: str


@dataclass(frozen=True)
class ConversationState:
    """Both rows of a conversation as read together in one round trip: the history (with its ETag,
    for the append's compare-and-swap) and the decrypted pseudonym table JSON (None if there is none).

    Read once per model turn (by the screening stage) and carried on the turn to the dialog: the
    append that closes the turn is still a compare-and-swap on the history's ETag, so an exchange
    another turn or instance stored since this read is detected and kept, never overwritten."""

    history: History
    pseudonyms: str | None


def conversation_key(conversation_id: str) -> str:
    """A storage-safe partition key for a conversation id (ids contain ':' '@' ';')."""
    return "c" + hashlib.sha256(conversation_id.encode()).hexdigest()[:40]


@dataclass(frozen=True)
class StateCipher:
    """AES-GCM over small JSON blobs; the conversation key is bound as associated data."""

    key: bytes

    def encrypt(self, plaintext: str, bound_to: str) -> str:
        """Encrypt and base64-encode."""
        nonce = os.urandom(12)
        sealed = AESGCM(self.key).encrypt(nonce, plaintext.encode(), bound_to.encode())
        return base64.b64encode(nonce + sealed).decode()

    def decrypt(self, token: str, bound_to: str) -> str | None:
        """Decrypt, or None if the blob is damaged, from another key, or moved to another conversation."""
        try:
            raw = base64.b64decode(token)
            return AESGCM(self.key).decrypt(raw[:12], raw[12:], bound_to.encode()).decode()
        except (InvalidTag, ValueError):
            return None


def load_cipher(state_key: str, data_dir: Path) -> StateCipher:
    """The cipher from BOT_STATE_KEY, or a key file generated under the data directory."""
    if state_key:
        try:
            key = base64.b64decode(state_key, validate=True)
        except ValueError:
            raise ConfigError("BOT_STATE_KEY", "must be base64 of 32 random bytes") from None
        if len(key) != 32:
            raise ConfigError("BOT_STATE_KEY", "must be base64 of exactly 32 bytes (openssl rand -base64 32)")
        return StateCipher(key)
    path = data_dir / "state.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.b64encode(secrets.token_bytes(32)).decode())
    return load_cipher(path.read_text().strip(), data_dir)


class ConversationStore:
    """Reads and writes history and the pseudonym table of a conversation."""

    def __init__(self, storage: Storage, cipher: StateCipher, history_char_budget: int) -> None:
        self._storage = storage
        self._cipher = cipher
        self._budget = history_char_budget

    async def history(self, conversation_id: str) -> list[ChatMessage]:
        """The stored history (masked text), oldest first."""
        return (await self.read(conversation_id)).messages

    async def read(self, conversation_id: str) -> History:
        """The stored history with the version (ETag) it was read at."""
        return _history(await self._storage.get(TABLE, conversation_key(conversation_id), "history"))

    async def load(self, conversation_id: str) -> ConversationState:
        """History and pseudonym table in ONE round trip (a query of the conversation's partition,
        which holds just these two rows), instead of one read for each."""
        pk = conversation_key(conversation_id)
        rows = {e.row_key: e for e in await self._storage.query(TABLE, pk)}
        return ConversationState(_history(rows.get("history")), self._open(rows.get("pseudonyms"), pk))

    async def append(
        self, conversation_id: str, *messages: ChatMessage, known: History | None = None
    ) -> None:
        """Add messages and trim the oldest exchanges to the character budget.

        A compare-and-swap on the history's ETag: when another turn of the conversation appended
        since `known` (or our own read) was taken, the history is read again and the messages are
        added to it, so two quick turns never lose one of their exchanges."""
        pk = conversation_key(conversation_id)
        snapshot = known if known is not None else await self.read(conversation_id)
        for _attempt in range(APPEND_ATTEMPTS):
            history = trim(snapshot.messages + list(messages), self._budget)
            payload = json.dumps(
                [{"role": m.role, "content": m.content} for m in history], ensure_ascii=False
            )
            entity = Entity(pk, "history", {"messages": payload}, snapshot.etag)
            try:
                if snapshot.etag:
                    await self._storage.replace(TABLE, entity)
                else:
                    await self._storage.insert(TABLE, entity)
                return
            except (ConflictError, NotFoundError):
                snapshot = await self.read(conversation_id)
        raise StorageError(f"history of {pk} stayed contended")

    async def pseudonyms(self, conversation_id: str) -> str | None:
        """The decrypted pseudonym table JSON, if any."""
        pk = conversation_key(conversation_id)
        return self._open(await self._storage.get(TABLE, pk, "pseudonyms"), pk)

    def _open(self, entity: Entity | None, pk: str) -> str | None:
        if entity is None:
            return None
        return self._cipher.decrypt(str(entity.data.get("sealed", "")), pk)

    async def save_pseudonyms(self, conversation_id: str, table_json: str) -> None:
        """Encrypt and store the pseudonym table."""
        pk = conversation_key(conversation_id)
        await self._storage.upsert(
            TABLE, Entity(pk, "pseudonyms", {"sealed": self._cipher.encrypt(table_json, pk)})
        )

    async def reset(self, conversation_id: str) -> None:
        """Forget the history and the pseudonym table (新しい会話)."""
        pk = conversation_key(conversation_id)
        for row in ("history", "pseudonyms"):
            await self._storage.delete(TABLE, pk, row)


def _history(entity: Entity | None) -> History:
    if entity is None:
        return History([], "")
    items = json.loads(str(entity.data.get("messages", "[]")))
    return History([ChatMessage(role=i["role"], content=i["content"]) for i in items], entity.etag)


def trim(history: list[ChatMessage], budget: int) -> list[ChatMessage]:
    """Drop the oldest messages until the history fits the character budget (keeps whole pairs)."""
    kept = list(history)
    while kept and sum(len(m.content) for m in kept) > budget:
        kept = kept[2:] if len(kept) > 1 and kept[0].role == "user" else kept[1:]
    return kept
