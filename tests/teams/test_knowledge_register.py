"""ナレッジに登録 with a file attached, over real HTTP: the loopback file host (SharePoint-like download
URLs, every hit recorded), the strict fake Bot Connector and the fake model server.

An admin's file is downloaded like a chat attachment, read by the attachments' extractors and stored;
the answer names the title and the passages, the audit log records it, and the next question is
answered from it. A non-admin, an unsupported type, a file too large, an expired link or a host that
is not allowed each get a clear Japanese message and add nothing.
"""

from __future__ import annotations

import io
from typing import Any

import docx

from bot.core.knowledge.service import passages_of
from tests.fakes.battery import model_env
from tests.fakes.file_server import FileServer
from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.teams.access_helpers import events, seed_consent, services_of, wait_records
from tests.teams.harness import ADMIN_OID, USER_OID, BotHarness

DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
ADMIN_CHAT = f"a:personal-{ADMIN_OID}"
SECOND_ADMIN = "aaaaaaaa-0000-0000-0000-0000000000ae"
SECOND_CHAT = f"a:personal-{SECOND_ADMIN}"


def attachment(name: str, url: str, unique_id: str) -> dict[str, Any]:
    """A file attachment as Teams sends it in a personal chat."""
    return {
        "contentType": DOWNLOAD_INFO,
        "name": name,
        "contentUrl": f"https://iwakicity-my.sharepoint.com/personal/admin/Documents/{name}",
        "content": {"downloadUrl": url, "uniqueId": unique_id, "fileType": name.rpartition(".")[2]},
    }


def register(
    harness: BotHarness, *files: dict[str, Any], user: str = ADMIN_OID, name: str = "市役所 太郎"
) -> dict[str, Any]:
    activity = harness.message("ナレッジに登録", user=user, display_name=name)
    activity["attachments"] = list(files)
    return activity


def rule_docx(deadline: str = "三日以内", title: str = "架空市公用自転車貸出要領") -> bytes:
    """A Word rule with a metadata title and two articles as headings."""
    document = docx.Document()
    document.core_properties.title = title
    document.add_heading("第一条　目的", level=2)
    document.add_paragraph("この要領は、公用自転車の貸出しに関し必要な事項を定める。")
    document.add_heading("第二条　返却", level=2)
    document.add_paragraph(f"借りた公用自転車は、貸出しの日から{deadline}に管財課へ返却する。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


async def start(harness: BotHarness, fake: FakeOpenAI | None = None, **env: str) -> None:
    extra = model_env(fake) if fake is not None else {}
    await harness.start(ATTACHMENT_DOWNLOAD_HOSTS="127.0.0.1", **extra, **env)


async def test_an_admin_registers_a_word_file_and_the_next_answer_cites_it(
    harness: BotHarness, fake_openai: FakeOpenAI, file_server: FileServer
) -> None:
    fake_openai.script(Behaviour(text="貸出しの日から三日以内に返却します【1】。"))
    await start(harness, fake_openai)
    url, unique = file_server.add(rule_docx())
    await harness.post(register(harness, attachment("自転車要領.docx", url, unique)))
    [reply] = await harness.connector.wait_messages(1, ADMIN_CHAT)
    knowledge = services_of(harness).dialog.knowledge
    assert knowledge is not None
    [doc] = await knowledge.knowledge.documents()
    text = await knowledge.knowledge.store.text(doc)
    passages = len(passages_of(doc.title, text))
    assert passages == 2
    assert reply["text"].startswith("ナレッジに登録しました：『架空市公用自転車貸出要領』（2か所の参考箇所")
    assert doc.source == f"teams:{ADMIN_OID}/自転車要領.docx", "keyed by who sent it and the file name"
    assert doc.kind == "docx"
    assert [h.unique_id for h in file_server.hits] == [unique]
    [event] = await events(harness, "knowledge.added")
    assert event.details == {
        "doc": doc.doc_id,
        "outcome": "added",
        "kind": "docx",
        "chars": doc.chars,
        "passages": 2,
    }
    assert "自転車" not in str(event.details), "the record holds ids and counts, never the content"
    [turn] = await wait_records(harness, lambda r: r.command == "ナレッジに登録" and r.phase != "event")
    assert turn.details["knowledge_add"]["added"][0]["doc"] == doc.doc_id

    await harness.post(harness.message("借りた公用自転車はいつまでに返却しますか"))
    [answer] = await harness.connector.wait_messages(1, f"a:personal-{USER_OID}")
    system = str(fake_openai.requests[-1]["messages"][0]["content"])
    assert "【1】『架空市公用自転車貸出要領』第二条" in system
    assert "参考：『架空市公用自転車貸出要領』第二条" in answer["text"]


async def test_sending_the_same_file_name_again_replaces_the_document(
    harness: BotHarness, file_server: FileServer
) -> None:
    await start(harness)
    first, u1 = file_server.add(rule_docx("三日以内"))
    await harness.post(register(harness, attachment("自転車要領.docx", first, u1)))
    second, u2 = file_server.add(rule_docx("七日以内"))
    await harness.post(register(harness, attachment("自転車要領.docx", second, u2)))
    replies = await harness.connector.wait_messages(2, ADMIN_CHAT)
    assert replies[-1]["text"].startswith("ナレッジの文書を更新しました：『架空市公用自転車貸出要領』")
    assert "にあなたが送った「自転車要領.docx」を、今回のファイルで置き換えました。" in replies[-1]["text"]
    assert "ほかにも登録されています" not in replies[-1]["text"]
    knowledge = services_of(harness).dialog.knowledge
    assert knowledge is not None
    [doc] = await knowledge.knowledge.documents()
    assert "七日以内" in await knowledge.knowledge.store.text(doc)


async def test_another_admin_s_file_of_the_same_name_is_kept_and_named(
    harness: BotHarness, file_server: FileServer
) -> None:
    """Two 課 call their manuals マニュアル.docx: the second does not silently remove the first; its
    reply says whose file of that name is also there and how to remove one that is out of date."""
    await start(harness, ADMIN_AAD_OBJECT_IDS=f"{ADMIN_OID},{SECOND_ADMIN}")
    await seed_consent(harness, ADMIN_OID, department="市民課")
    await seed_consent(harness, SECOND_ADMIN, department="税務課")
    first, u1 = file_server.add(rule_docx("三日以内", title="市民課 窓口マニュアル"))
    await harness.post(register(harness, attachment("マニュアル.docx", first, u1), name="市役所 花子"))
    [added] = await harness.connector.wait_messages(1, ADMIN_CHAT)
    assert "ほかにも登録されています" not in added["text"]
    second, u2 = file_server.add(rule_docx("七日以内", title="税務課 申告受付マニュアル"))
    await harness.post(
        register(harness, attachment("マニュアル.docx", second, u2), user=SECOND_ADMIN, name="市役所 次郎")
    )
    [reply] = await harness.connector.wait_messages(1, SECOND_CHAT)

    knowledge = services_of(harness).dialog.knowledge
    assert knowledge is not None
    docs = {d.title: d for d in await knowledge.knowledge.documents()}
    assert set(docs) == {"市民課 窓口マニュアル", "税務課 申告受付マニュアル"}, "both are kept"
    hanako = docs["市民課 窓口マニュアル"]
    assert "三日以内" in await knowledge.knowledge.store.text(hanako)
    text = reply["text"]
    assert text.startswith("ナレッジに登録しました：『税務課 申告受付マニュアル』")
    assert (
        "同じ名前のファイル「マニュアル.docx」は、ほかにも登録されています：市役所 花子さん（市民課）が"
    ) in text
    assert (
        f"に登録した『市民課 窓口マニュアル』（ID {hanako.doc_id}）。そちらは置き換えずに残しています。"
        in text
    )
    assert "古いほうはサーバーで `python -m bot knowledge remove 文書ID` を実行すると削除できます。" in text
    assert text.endswith("これからの回答で、この文書が参考資料として使われます。")

    await harness.post(harness.message("ナレッジ", user=ADMIN_OID))
    [listed] = (await harness.connector.wait_messages(2, ADMIN_CHAT))[1:]
    assert "登録者 市役所 花子（市民課）" in listed["text"]
    assert "登録者 市役所 次郎（税務課）" in listed["text"]

    again, u3 = file_server.add(rule_docx("十日以内", title="税務課 申告受付マニュアル（改訂）"))
    await harness.post(
        register(harness, attachment("マニュアル.docx", again, u3), user=SECOND_ADMIN, name="市役所 次郎")
    )
    replaced = (await harness.connector.wait_messages(2, SECOND_CHAT))[1]["text"]
    assert replaced.startswith("ナレッジの文書を更新しました：『税務課 申告受付マニュアル（改訂）』")
    assert (
        "にあなたが送った「マニュアル.docx」（前の文書名『税務課 申告受付マニュアル』）を、"
        "今回のファイルで置き換えました。"
    ) in replaced
    assert "市役所 花子さん（市民課）が" in replaced, "the other file of that name is still there"
    assert len(await knowledge.knowledge.documents()) == 2


async def test_a_file_from_before_senders_were_recorded_is_replaced_and_said_so(
    harness: BotHarness, file_server: FileServer
) -> None:
    await start(harness)
    knowledge = services_of(harness).dialog.knowledge
    assert knowledge is not None
    old, _ = await knowledge.knowledge.add("teams:自転車要領.docx", "旧 自転車貸出要領", "第一条　旧規定。")
    url, unique = file_server.add(rule_docx())
    await harness.post(register(harness, attachment("自転車要領.docx", url, unique)))
    [reply] = await harness.connector.wait_messages(1, ADMIN_CHAT)
    assert reply["text"].startswith("ナレッジの文書を更新しました：『架空市公用自転車貸出要領』")
    assert (
        "に登録された同じ名前のファイル「自転車要領.docx」（前の文書名『旧 自転車貸出要領』）を、"
        "今回のファイルで置き換えました（そのファイルを送った人は記録されていません）。"
    ) in reply["text"]
    [doc] = await knowledge.knowledge.documents()
    assert (doc.doc_id, doc.source) == (old.doc_id, old.source), "the same document, replaced in place"
    assert doc.uploader is not None
    assert doc.uploader.user_id == ADMIN_OID


async def test_an_html_page_is_registered_with_its_title(
    harness: BotHarness, file_server: FileServer
) -> None:
    await start(harness)
    page = (
        "<html><head><title>架空市 庁舎の開庁時間</title></head><body>"
        "<h2>開庁時間</h2><p>平日の午前8時30分から午後5時15分まで。</p></body></html>"
    )
    url, unique = file_server.add(page.encode())
    await harness.post(register(harness, attachment("kaichou.html", url, unique)))
    [reply] = await harness.connector.wait_messages(1, ADMIN_CHAT)
    assert reply["text"].startswith("ナレッジに登録しました：『架空市 庁舎の開庁時間』（1か所の参考箇所")


async def test_a_non_admin_is_refused_and_nothing_is_fetched(
    harness: BotHarness, file_server: FileServer
) -> None:
    await start(harness)
    url, unique = file_server.add(rule_docx())
    await harness.post(register(harness, attachment("自転車要領.docx", url, unique), user=USER_OID))
    [reply] = await harness.connector.wait_messages(1, f"a:personal-{USER_OID}")
    assert "管理者" in reply["text"]
    assert file_server.hits == [], "refused on the server before anything was downloaded"
    knowledge = services_of(harness).dialog.knowledge
    assert knowledge is not None
    assert await knowledge.knowledge.documents() == []
    [refused] = await events(harness, "admin.refused")
    assert refused.details == {"action": "ナレッジに登録"}


async def test_files_that_cannot_be_registered_say_why_and_add_nothing(
    harness: BotHarness, file_server: FileServer
) -> None:
    await start(harness, ATTACHMENT_MAX_BYTES="20000")
    sheet, sheet_id = file_server.add(b"PK\x03\x04")
    big, big_id = file_server.add(b"x" * 30_000, chunked=True)
    gone, gone_id = file_server.add(b"", status=404)
    broken, broken_id = file_server.add(b"not a zip")
    other_host = file_server.url_for("u-elsewhere", host="localhost")
    cases = [
        (
            attachment("名簿.xlsx", sheet, sheet_id),
            "の形式には対応していません。対応している形式：Word（.docx）",
        ),
        (attachment("大きな規程.txt", big, big_id), "大きすぎます（上限 20KB）"),
        (attachment("要領.docx", gone, gone_id), "ダウンロードできませんでした（リンクの有効期限が切れた"),
        (
            attachment("壊れた要領.docx", broken, broken_id),
            "壊れているか、この形式として読み取れませんでした",
        ),
        (attachment("他所.txt", other_host, "u-elsewhere"), "許可されていない保存場所にある"),
    ]
    for number, (file, expected) in enumerate(cases, start=1):
        await harness.post(register(harness, file))
        replies = await harness.connector.wait_messages(number, ADMIN_CHAT)
        assert expected in replies[-1]["text"], replies[-1]["text"]
        assert replies[-1]["text"].endswith("ナレッジには登録していません。")
    assert sheet_id not in {h.unique_id for h in file_server.hits}, "an unsupported type is not fetched"
    assert "u-elsewhere" not in {h.unique_id for h in file_server.hits}, "nor a host not allowed"
    knowledge = services_of(harness).dialog.knowledge
    assert knowledge is not None
    assert await knowledge.knowledge.documents() == []
    turns = await wait_records(
        harness,
        lambda r: r.command == "ナレッジに登録" and r.phase != "event" and r.error.startswith("knowledge_"),
    )
    assert {r.error for r in turns} >= {"knowledge_unsupported_type", "knowledge_download_expired"}


async def test_the_command_without_a_file_says_how(harness: BotHarness) -> None:
    await start(harness)
    await harness.post(harness.message("ナレッジに登録", user=ADMIN_OID))
    [reply] = await harness.connector.wait_messages(1, ADMIN_CHAT)
    assert reply["text"].startswith("「ナレッジに登録」と入力し、登録する文書のファイルを添付して")
