"""Files attached in Teams are keyed by sender and file name (bot.core.knowledge.uploads): the sender's
own file of that name is replaced, other people's are kept, one from before senders were recorded is
replaced as it was promised; the sender is stored with the document on every backend."""

from __future__ import annotations

from bot.core.clock import system_clock
from bot.core.knowledge import Knowledge, StoredDocument, Uploader, place_upload
from bot.core.knowledge.uploads import upload_source, uploaded_name
from bot.core.storage.base import Storage

HANAKO = Uploader("oid-hanako", "市役所 花子", "市民課")
JIRO = Uploader("oid-jiro", "市役所 次郎", "税務課")
NAME = "マニュアル.docx"


def _doc(source: str, uploader: Uploader | None, added: float = 1.0) -> StoredDocument:
    return StoredDocument(
        "id-" + source, "窓口マニュアル", source, "sha", 10, 1, added, "docx", False, uploader
    )


def test_a_new_name_is_stored_under_its_sender() -> None:
    placement = place_upload([], NAME, HANAKO.user_id)
    assert placement.source == "teams:oid-hanako/マニュアル.docx"
    assert (placement.previous, placement.others) == (None, ())


def test_the_sender_s_own_file_of_that_name_is_replaced() -> None:
    own = _doc(upload_source(HANAKO.user_id, NAME), HANAKO)
    placement = place_upload([own], NAME, HANAKO.user_id)
    assert (placement.source, placement.previous, placement.others) == (own.source, own, ())


def test_someone_else_s_file_of_that_name_is_kept_beside_it() -> None:
    theirs = _doc(upload_source(HANAKO.user_id, NAME), HANAKO)
    placement = place_upload([theirs], NAME, JIRO.user_id)
    assert placement.source == "teams:oid-jiro/マニュアル.docx"
    assert placement.previous is None
    assert placement.others == (theirs,)


def test_a_file_from_before_senders_were_recorded_is_replaced() -> None:
    legacy = _doc("teams:マニュアル.docx", None)
    placement = place_upload([legacy], NAME, JIRO.user_id)
    assert (placement.source, placement.previous, placement.others) == (legacy.source, legacy, ())
    claimed = _doc(legacy.source, JIRO)  # once replaced, it is Jiro's: Hanako's file is kept beside it
    assert uploaded_name(claimed) == NAME
    assert place_upload([claimed], NAME, HANAKO.user_id).others == (claimed,)


def test_own_file_first_then_the_others_oldest_first() -> None:
    own = _doc(upload_source(JIRO.user_id, NAME), JIRO, added=5.0)
    theirs = _doc(upload_source(HANAKO.user_id, NAME), HANAKO, added=3.0)
    legacy = _doc("teams:マニュアル.docx", None, added=1.0)
    server = _doc("/srv/reiki/マニュアル.docx", None)
    other_name = _doc(upload_source(JIRO.user_id, "要領.pdf"), JIRO)
    placement = place_upload([own, theirs, legacy, server, other_name], NAME, JIRO.user_id)
    assert placement.previous == own
    assert placement.others == (legacy, theirs), "a file added on the server is not a Teams upload"
    assert uploaded_name(server) == ""


def test_a_file_name_with_a_slash_is_read_back_whole() -> None:
    doc = _doc(upload_source(HANAKO.user_id, "2026/マニュアル.docx"), HANAKO)
    assert uploaded_name(doc) == "2026/マニュアル.docx"


async def test_the_sender_is_stored_and_kept_when_unchanged(storage: Storage) -> None:
    knowledge = Knowledge.open(storage, system_clock, refresh_s=0)
    try:
        source = upload_source(HANAKO.user_id, NAME)
        doc, outcome = await knowledge.add(
            source, "窓口マニュアル", "第一条　窓口は八時半に開く。", uploader=HANAKO
        )
        assert (outcome, doc.uploader) == ("added", HANAKO)
        [stored] = await knowledge.documents()
        assert stored.uploader == HANAKO
        same, outcome = await knowledge.add(
            source, "窓口マニュアル", "第一条　窓口は八時半に開く。", uploader=JIRO
        )
        assert (outcome, same.uploader) == ("unchanged", HANAKO), "nothing stored, nothing re-attributed"
        server, _ = await knowledge.add("/srv/reiki/kitei.txt", "規程", "第一条　規程の本文。")
        assert server.uploader is None
        assert {d.source: d.uploader for d in await knowledge.documents()}[server.source] is None
    finally:
        await knowledge.close()
