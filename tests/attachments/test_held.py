"""A held text as long as a message with files fits every storage backend (split across properties)."""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime
from pathlib import Path

from bot.core.conversation import load_cipher
from bot.core.storage.base import Storage
from bot.teams.held import HeldTexts


async def test_a_30000_character_held_text_round_trips(storage: Storage, tmp_path: Path) -> None:
    cipher = load_cipher(base64.b64encode(secrets.token_bytes(32)).decode(), tmp_path)
    held = HeldTexts(storage, cipher, lambda: datetime(2026, 12, 1, tzinfo=UTC))
    text = "【添付ファイル「議事録.docx」（Word）の内容】\n" + "部外秘の審議内容。" * 3_400
    held_id = await held.put("a:conv", "user-1", text)
    assert await held.take("a:conv", "user-1", held_id) == text
    assert await held.take("a:conv", "user-1", held_id) is None  # used once
