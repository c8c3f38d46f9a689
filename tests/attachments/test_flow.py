"""Attached files through the real endpoint: fake file host, fake Bot Connector, fake model server.

Each test posts a Teams file attachment (`file.download.info` with a pre-authenticated download URL
on the loopback file host) and checks what the user saw, what the model received (exactly, from the
fake model server's record), what the file host served, and what was stored.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from tests.attachments import samples
from tests.fakes.battery import model_env
from tests.fakes.file_server import FileServer
from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.teams.harness import BotHarness

DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"


def attachment(name: str, url: str, unique_id: str = "u-1") -> dict[str, Any]:
    """A file attachment as Teams sends it in a personal chat."""
    return {
        "contentType": DOWNLOAD_INFO,
        "name": name,
        "contentUrl": f"https://iwakicity-my.sharepoint.com/personal/staff/Documents/{name}",
        "content": {"downloadUrl": url, "uniqueId": unique_id, "fileType": name.rpartition(".")[2]},
    }


def with_files(harness: BotHarness, text: str, *files: dict[str, Any], **fields: Any) -> dict[str, Any]:
    activity = harness.message(text, **fields)
    activity["attachments"] = list(files)
    return activity


async def start(harness: BotHarness, fake: FakeOpenAI | None = None, **env: str) -> None:
    extra = model_env(fake) if fake is not None else {}
    await harness.start(ATTACHMENT_DOWNLOAD_HOSTS="127.0.0.1", **extra, **env)


def stored(harness: BotHarness) -> str:
    db = sqlite3.connect(harness.data_dir / "bot.sqlite3")
    rows = [json.dumps(json.loads(r[0]), ensure_ascii=False) for r in db.execute("select data from entities")]
    return "\n".join(rows)


async def test_minutes_are_summarised_with_names_masked_for_the_model_and_restored_for_the_user(
    harness: BotHarness, fake_openai: FakeOpenAI, file_server: FileServer
) -> None:
    fake_openai.script(Behaviour(echo=True, chunk_chars=50))
    await start(harness, fake_openai)
    url, unique = file_server.add(samples.minutes_docx())
    await harness.post(with_files(harness, "", attachment("第3回議事録.docx", url, unique)))
    [final] = await harness.connector.wait_messages(1)
    sent = fake_openai.user_texts()[-1]
    assert sent.startswith("添付のファイルの内容を")  # no text typed: the policy's default instruction
    assert "【添付ファイル「第3回議事録.docx」（Word）の内容】" in sent
    assert "# 第3回 市民まつり実行委員会 議事録" in sent
    assert "会場の予約 | 〔人名1〕さん | 9月1日" in sent
    for name in samples.MINUTES_NAMES:
        assert name not in sent
        assert name[:2] not in sent
        assert name in final["text"]  # restored in the answer the user reads
        assert name not in stored(harness)  # records and history keep the masked text only
    assert len(file_server.hits_for(unique)) == 1
    footer = final["text"].split("---")[-1]  # the small print says what was sent, and how long
    assert "※ 添付ファイル「第3回議事録.docx」（133文字）を読み取って送信しました" in footer


async def test_a_sheet_with_a_my_number_column_is_blocked_and_nothing_is_sent(
    harness: BotHarness, fake_openai: FakeOpenAI, file_server: FileServer
) -> None:
    await start(harness, fake_openai)
    url, _ = file_server.add(samples.roster_xlsx())
    await harness.post(with_files(harness, "この名簿を地区ごとに集計して", attachment("名簿.xlsx", url)))
    [reply] = await harness.connector.wait_messages(1)
    assert fake_openai.requests == []
    assert "送信しませんでした" in reply["text"]
    assert "添付ファイル「名簿.xlsx」" in reply["text"]
    assert "マイナンバー（個人番号）（3件）" in reply["text"]
    for n in range(3):
        number = samples.my_number(f"{12345678901 + n * 7:011d}")
        assert number[-4:] not in reply["text"]  # the kinds, never the values
        assert number not in stored(harness)


async def test_a_wide_sheet_is_blocked_by_its_column_heading_not_held_for_confirmation(
    harness: BotHarness, fake_openai: FakeOpenAI, file_server: FileServer
) -> None:
    await start(harness, fake_openai)
    url, _ = file_server.add(samples.wide_roster_xlsx())
    await harness.post(with_files(harness, "", attachment("世帯一覧.xlsx", url)))
    [reply] = await harness.connector.wait_messages(1)
    assert "送信しませんでした" in reply["text"]
    assert "マイナンバー（個人番号）（3件）" in reply["text"]
    assert not reply.get("attachments")  # blocked outright: no card offering to send anyway
    assert fake_openai.requests == []


async def test_a_japanese_pdf_is_translated_with_the_typed_template(
    harness: BotHarness, fake_openai: FakeOpenAI, file_server: FileServer
) -> None:
    fake_openai.script(Behaviour(text="Report on the 2025 Citizens' Festival"))
    await start(harness, fake_openai)
    url, _ = file_server.add(samples.japanese_pdf())
    await harness.post(with_files(harness, "翻訳 英語", attachment("報告書.pdf", url)))
    [final] = await harness.connector.wait_messages(1)
    sent = fake_openai.user_texts()[-1]
    assert sent.startswith("添付の文書を英語に翻訳してください。")
    assert "【添付ファイル「報告書.pdf」（PDF）の内容】\n【ページ 1】\n令和7年度 市民まつり開催報告書" in sent
    assert final["text"].startswith("Report on the 2025")


async def test_transcript_speakers_are_masked_and_the_minutes_template_applies(
    harness: BotHarness, fake_openai: FakeOpenAI, file_server: FileServer
) -> None:
    fake_openai.script(Behaviour(echo=True, chunk_chars=40))
    await start(harness, fake_openai)
    url, _ = file_server.add(samples.transcript_vtt())
    await harness.post(with_files(harness, "議事録の要約", attachment("定例会議.vtt", url)))
    [final] = await harness.connector.wait_messages(1)
    sent = fake_openai.user_texts()[-1]
    assert "■ 決定事項" in sent
    assert "■ 宿題" in sent
    assert "■ 次回" in sent
    for part in ("佐々木", "一郎", "Emily", "Clarke"):
        assert part not in sent
    assert sent.count("発言者 〔人名") == 3
    assert "佐々木 一郎" in final["text"]
    assert "Emily Clarke" in final["text"]
    assert "Clarke" not in stored(harness)


async def test_a_corrupt_file_is_explained_and_the_model_is_not_called(
    harness: BotHarness, fake_openai: FakeOpenAI, file_server: FileServer
) -> None:
    await start(harness, fake_openai)
    url, _ = file_server.add(samples.minutes_docx()[:3000])
    status, _ = await harness.post(with_files(harness, "", attachment("壊れた.docx", url)))
    [reply] = await harness.connector.wait_messages(1)
    assert status < 500
    assert "「壊れた.docx」は壊れているか" in reply["text"]
    assert "AIには何も送信していません" in reply["text"]
    assert fake_openai.requests == []


async def test_a_host_that_is_not_allowed_is_never_contacted(
    harness: BotHarness, fake_openai: FakeOpenAI, file_server: FileServer
) -> None:
    await start(harness, fake_openai)
    _, unique = file_server.add(samples.minutes_docx())
    elsewhere = file_server.url_for(unique, host="localhost")  # same server, a host name not listed
    await harness.post(with_files(harness, "", attachment("議事録.docx", elsewhere, unique)))
    [reply] = await harness.connector.wait_messages(1)
    assert "許可されていない保存場所" in reply["text"]
    assert file_server.hits == []
    assert fake_openai.requests == []


async def test_an_oversized_text_says_its_length_and_the_limit_and_sends_nothing(
    harness: BotHarness, fake_openai: FakeOpenAI, file_server: FileServer
) -> None:
    await start(harness, fake_openai)
    url, _ = file_server.add(("市民まつりの記録。" * 3_500).encode())  # 31,500 characters
    await harness.post(with_files(harness, "要約して", attachment("記録.txt", url)))
    [reply] = await harness.connector.wait_messages(1)
    assert "「記録.txt」は31,500文字あり" in reply["text"]
    assert "30,000文字まで" in reply["text"]
    assert fake_openai.requests == []


async def test_a_large_file_announces_its_length_before_it_is_sent(
    harness: BotHarness, fake_openai: FakeOpenAI, file_server: FileServer
) -> None:
    await start(harness, fake_openai)
    url, _ = file_server.add(("道路の補修計画について。" * 400).encode("cp932"))  # 4,800 characters
    await harness.post(with_files(harness, "", attachment("計画.txt", url)))
    await harness.connector.wait_messages(1)
    typing = [a["text"] for a in harness.connector.activities(type_="typing")]
    announce = next(i for i, t in enumerate(typing) if "「計画.txt」（4,800文字）を読み取りました" in t)
    assert announce == 1  # right after 回答を作成しています…, before any answer text
    assert "4,800" not in typing[0]


async def test_the_dry_run_model_shows_the_masked_file_text_shortened(
    harness: BotHarness, file_server: FileServer
) -> None:
    await start(harness)
    text = "担当の村田英樹さんから連絡がありました。\n" + "道路の補修計画について。" * 300
    url, _ = file_server.add(text.encode())
    await harness.post(with_files(harness, "", attachment("計画.md", url)))
    [final] = await harness.connector.wait_messages(1)
    assert "【ドライラン】" in final["text"]
    assert "【添付ファイル「計画.md」（Markdown）の内容】" in final["text"]
    assert "〔人名1〕" in final["text"]  # masked, as the model receives it (not restored)
    assert "村田" not in final["text"].split("---")[0]
    assert "文字を省略" in final["text"]


async def test_confidential_content_in_a_file_asks_for_confirmation_naming_the_file(
    harness: BotHarness, fake_openai: FakeOpenAI, file_server: FileServer
) -> None:
    fake_openai.script(Behaviour(text="要約しました。"))
    await start(harness, fake_openai)
    url, _ = file_server.add("部外秘\n次年度予算の査定方針（案）\n重点事業を見直す。".encode())
    await harness.post(with_files(harness, "", attachment("査定方針.txt", url)))
    [card_message] = await harness.connector.wait_messages(1)
    card = card_message["attachments"][0]["content"]
    assert "添付ファイル「査定方針.txt」の内容を確認してください。" in json.dumps(card, ensure_ascii=False)
    assert fake_openai.requests == []
    send = next(a for a in card["actions"] if a["data"]["verb"] == "screening.send")
    await harness.post(harness.message("", value={**send["data"], "note": "公表済み"}))
    messages = await harness.connector.wait_messages(2)
    assert messages[-1]["text"].startswith("要約しました。")
    assert "次年度予算の査定方針（案）" in fake_openai.user_texts()[-1]


async def test_every_other_failure_has_its_own_message(
    harness: BotHarness, fake_openai: FakeOpenAI, file_server: FileServer
) -> None:
    await start(harness, fake_openai)
    cases = [
        (attachment("期限切れ.docx", file_server.add(status=403)[0]), "有効期限が切れた"),
        (attachment("保護.pdf", file_server.add(samples.encrypted_pdf())[0]), "パスワードで保護"),
        (attachment("保護.xlsx", file_server.add(samples.encrypted_office())[0]), "パスワードで保護"),
        (attachment("スキャン.pdf", file_server.add(samples.scanned_pdf())[0]), "スキャンした画像のよう"),
        (attachment("爆弾.docx", file_server.add(samples.zip_bomb_docx())[0]), "壊れているか"),
        (attachment("写真.zip", file_server.add(b"PK")[0]), "Word（.docx）、Excel（.xlsx）"),
        (
            {"contentType": "image/png", "contentUrl": "https://example.invalid/a.png"},
            "対応している形式：",
        ),
    ]
    for number, (file, expected) in enumerate(cases, start=1):
        await harness.post(with_files(harness, "", file))
        replies = await harness.connector.wait_messages(number)
        assert expected in replies[-1]["text"], replies[-1]["text"]
        assert "AIには何も送信していません" in replies[-1]["text"]
    assert fake_openai.requests == []
    four = [attachment(f"{n}.txt", file_server.add(b"x")[0]) for n in range(4)]
    hits = len(file_server.hits)
    await harness.post(with_files(harness, "", *four))
    replies = await harness.connector.wait_messages(len(cases) + 1)
    assert "3件まで" in replies[-1]["text"]
    assert len(file_server.hits) == hits  # refused before anything was fetched


async def test_files_in_a_group_chat_are_refused_without_fetching(
    harness: BotHarness, fake_openai: FakeOpenAI, file_server: FileServer
) -> None:
    await start(harness, fake_openai)
    url, _ = file_server.add(samples.minutes_docx())
    activity = with_files(
        harness,
        "",
        attachment("議事録.docx", url),
        conversation="19:group@thread.v2",
        conversation_type="groupChat",
    )
    await harness.post(activity)
    [reply] = await harness.connector.wait_messages(1)
    assert "個人チャットでのみ" in reply["text"]
    assert file_server.hits == []


async def test_nothing_is_fetched_for_someone_who_has_not_agreed_to_the_guideline(
    harness: BotHarness, fake_openai: FakeOpenAI, file_server: FileServer
) -> None:
    await start(harness, fake_openai, BOT_POLICY="iwaki")  # consent required, not given
    url, _ = file_server.add(samples.minutes_docx())
    await harness.post(with_files(harness, "", attachment("議事録.docx", url)))
    await harness.connector.wait_messages(1)
    assert file_server.hits == []
    assert fake_openai.requests == []


async def test_a_file_without_a_download_url_asks_to_attach_again(
    harness: BotHarness, fake_openai: FakeOpenAI, file_server: FileServer
) -> None:
    await start(harness, fake_openai)
    file = attachment("議事録.docx", "")
    del file["content"]["downloadUrl"]
    await harness.post(with_files(harness, "", file))
    [reply] = await harness.connector.wait_messages(1)
    assert "もう一度ファイルを添付してください" in reply["text"]
