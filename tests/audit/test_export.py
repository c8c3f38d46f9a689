"""Exports: CSV that Excel opens with the Japanese intact, and exact JSON Lines."""

from __future__ import annotations

import csv
import io
import json

from bot.core.audit import AuditLog, TurnRecorder
from bot.ui.audit.export import export_month
from bot.ui.audit.texts import COLUMN_LABELS, INCOMPLETE
from tests.audit.conftest import MASKED, MONTH, blocked_turn, model_turn


async def three_turns(audit: AuditLog) -> str:
    """An answered turn, a blocked one, and one whose process died; returns the dead turn's id."""
    done = TurnRecorder(audit, model_turn())
    await done.begin()
    await done.finish()
    await TurnRecorder(audit, blocked_turn()).finish()
    dead = model_turn(user="user-3", conversation="conv-3")
    await TurnRecorder(audit, dead).begin()
    return dead.turn_id


async def export_bytes(audit: AuditLog, fmt: str = "csv", user: str | None = None) -> bytes:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    await export_month(audit, MONTH, fmt, user, out)
    out.flush()
    return raw.getvalue()


async def test_csv_has_bom_japanese_headers_and_jst_times(audit: AuditLog) -> None:
    dead = await three_turns(audit)
    data = await export_bytes(audit)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(COLUMN_LABELS.values())
    assert len(rows) == 4
    start = next(r for r in rows if r["記録種別"] == "開始" and r["ターンID"] != dead)
    assert start["送信テキスト（マスク済み）"] == MASKED
    assert start["氏名"] == "岩城 太郎"
    assert start["所属"] == "情報政策課"
    assert start["日時（日本時間）"] == "2026-11-22 18:41:03"
    assert start["検出した情報の種類（件数）"] == "人名 1件、電話番号 1件"
    assert start["検出した情報の種類（コード）"] == "person_name:1, phone:1"
    assert (start["確認結果"], start["確認結果（コード）"]) == ("記号に置き換えて送信", "mask")
    assert (start["会話の種類"], start["会話の種類（コード）"]) == ("個人チャット", "personal")
    blocked = next(r for r in rows if r["記録種別"] == "単独")
    assert blocked["結果"] == "送信停止（個人情報等）"
    assert blocked["該当する不開示情報の区分"] == "個人に関する情報"
    assert blocked["不開示情報の区分（コード）"] == "personal"
    assert [r["状態"] for r in rows if r["ターンID"] == dead] == [INCOMPLETE]


async def test_csv_neutralises_formulas(audit: AuditLog) -> None:
    turn = model_turn()
    assert turn.model is not None
    turn.model.masked_text = '=HYPERLINK("http://example.invalid","x")'
    await TurnRecorder(audit, turn).begin()
    (row,) = csv.DictReader(io.StringIO((await export_bytes(audit)).decode("utf-8-sig")))
    assert row["送信テキスト（マスク済み）"] == "'" + turn.model.masked_text


async def test_jsonl_is_exact_and_filters_by_user(audit: AuditLog) -> None:
    dead = await three_turns(audit)
    lines = (await export_bytes(audit, "jsonl")).decode("utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == 4
    assert {r["status"] for r in rows if r["turn_id"] == dead} == {"incomplete"}
    assert rows[0]["time_jst"] == "2026-11-22 18:41:03"
    assert next(r for r in rows if r["phase"] == "start")["screening_kinds"] == {"person_name": 1, "phone": 1}
    mine = [json.loads(line) for line in (await export_bytes(audit, "jsonl", "user-2")).decode().splitlines()]
    assert [r["user_id"] for r in mine] == ["user-2"]
    assert await export_bytes(audit, "jsonl", "nobody") == b""
