"""One table of what happened to a file, with what to do by where it was sent: the chat (a file
with a message) and the knowledge registration (ナレッジに登録) say the same reason in the same
words and differ only in the remedy."""

from __future__ import annotations

import pytest

from bot.core import attachments as errors
from bot.core.attachments import AttachmentError
from bot.core.policy import load_policy
from bot.ui.attachments import texts as attachment_texts
from bot.ui.knowledge import texts as knowledge_texts

POLICY = load_policy("maebashi")
SAMPLES: list[AttachmentError] = [
    errors.TooManyFilesError(6, 5),
    errors.UnsupportedTypeError("古い様式.doc", "doc"),
    errors.HostNotAllowedError("よそ.txt", "files.example.org"),
    errors.DownloadFailed("要綱.docx"),
    errors.DownloadExpiredError("要綱.docx"),
    errors.FileTooLargeError("写真集.pdf", 10 * 1024 * 1024),
    errors.CorruptFileError("壊れた.xlsx"),
    errors.PasswordProtectedError("鍵付き.xlsx"),
    errors.ScanLikePdfError("スキャン.pdf"),
    errors.NoTextError("空.txt"),
    errors.UnreadableFileError("権限なし.txt", "PermissionError"),
]


def test_every_error_type_of_the_core_is_in_the_samples() -> None:
    kinds = {
        cls for cls in vars(errors).values() if isinstance(cls, type) and issubclass(cls, AttachmentError)
    }
    assert kinds - {type(e) for e in SAMPLES} == {
        AttachmentError,
        errors.TooLongError,
    }  # generic; per context


@pytest.mark.parametrize("error", SAMPLES, ids=lambda e: type(e).__name__)
def test_the_chat_and_the_registration_give_the_same_reason(error: AttachmentError) -> None:
    chat = attachment_texts.failure(error, POLICY)
    register = knowledge_texts.register_failure(error, 200_000)
    reason = attachment_texts.explain(error, {}, formats=attachment_texts.supported_list())
    assert chat.startswith(reason)  # what happened, then what to do in the chat
    assert chat.endswith(attachment_texts.NOT_SENT)
    assert register.endswith(knowledge_texts.REGISTER_NOT_ADDED)
    if not isinstance(error, errors.UnsupportedTypeError):  # the formats listed differ by context
        assert register.startswith(reason)
    assert chat != register
    if error.name:
        assert f"「{error.name}」" in chat
        assert f"「{error.name}」" in register


def test_the_remedy_fits_the_context() -> None:
    big = errors.FileTooLargeError("写真集.pdf", 10 * 1024 * 1024)
    assert "上限 10MB" in attachment_texts.failure(big, POLICY)
    assert "python -m bot knowledge add" in knowledge_texts.register_failure(big, 200_000)
    elsewhere = errors.HostNotAllowedError("よそ.txt", "files.example.org")
    assert f"{POLICY.municipality.division}にお知らせください" in attachment_texts.failure(elsewhere, POLICY)
    assert "files.example.org" not in attachment_texts.failure(elsewhere, POLICY)  # never the host or URL
    old = errors.UnsupportedTypeError("古い様式.doc", "doc")
    assert "HTML（.html）" in knowledge_texts.register_failure(old, 200_000)  # the knowledge's formats
    assert "HTML" not in attachment_texts.failure(old, POLICY)


def test_an_error_type_the_table_does_not_list_reads_as_its_base() -> None:
    class ProxyRefused(errors.DownloadFailed):
        pass

    text = attachment_texts.failure(ProxyRefused("議事録.docx"), POLICY)
    assert text.startswith("「議事録.docx」をダウンロードできませんでした。少し時間をおいて")
