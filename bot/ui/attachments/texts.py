"""Japanese messages about attached files: every failure says what happened and what to do.

`explain(error, remedies, …)` is the one place an AttachmentError becomes a message: what happened
(one table) and what to do where the file was sent (the chat's `failure`, the knowledge
registration's `register_failure`); nothing in these messages quotes the file's content or its
download URL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.core.attachments import (
    SUPPORTED,
    AttachmentError,
    CorruptFileError,
    DownloadExpiredError,
    DownloadFailed,
    FileTooLargeError,
    HostNotAllowedError,
    NoTextError,
    PasswordProtectedError,
    ScanLikePdfError,
    TooLongError,
    TooManyFilesError,
    UnreadableFileError,
    UnsupportedTypeError,
)
from bot.core.policy import Policy
from bot.core.screening import KIND_LABELS

NOT_SENT = "AIには何も送信していません。"
PERSONAL_ONLY = (
    "ファイルの読み取りは、ボットとの個人チャットでのみ対応しています。"
    "個人チャットでファイルを添付して送ってください（このメッセージはAIに送信していません）。"
)


TYPE_NAMES: dict[str, str] = {
    "docx": "Word",
    "xlsx": "Excel",
    "pptx": "PowerPoint",
    "pdf": "PDF（文字を含むもの）",
    "txt": "テキスト",
    "csv": "CSV",
    "md": "Markdown",
    "vtt": "Teams会議のトランスクリプト",
}


def supported_list() -> str:
    """'Word（.docx）、Excel（.xlsx）、…'."""
    return "、".join(f"{TYPE_NAMES.get(ext, ext)}（.{ext}）" for ext in SUPPORTED)


def _file(name: str) -> str:
    return f"「{name}」" if name else "添付のファイル"


_REASONS: dict[type[AttachmentError], str] = {
    TooManyFilesError: "一度に添付できるファイルは{limit}件までです（今回は{count}件）。",
    UnsupportedTypeError: "{name}{kind}の形式には対応していません。対応している形式：{formats}。",
    HostNotAllowedError: "{name}は、許可されていない保存場所にあるため取得していません。",
    FileTooLargeError: "{name}は大きすぎます（上限 {size}）。",
    DownloadExpiredError: (
        "{name}をダウンロードできませんでした（リンクの有効期限が切れたか、アクセスできません）。"
    ),
    DownloadFailed: "{name}をダウンロードできませんでした。",
    PasswordProtectedError: "{name}はパスワードで保護されているため読み取れません。",
    ScanLikePdfError: "{name}は文字の情報がないPDF（紙をスキャンした画像のようです）のため読み取れません。",
    NoTextError: "{name}には読み取れる文字がありませんでした。",
    TooLongError: "{name}は長すぎます（上限 {max_chars:,}文字）。",
    UnreadableFileError: (
        "{name}を開けませんでした（読み取りの権限がないか、ファイルが移動・削除されています）。"
    ),
    CorruptFileError: "{name}は壊れているか、この形式として読み取れませんでした。",
    AttachmentError: "{name}を読み取れませんでした。",
}
"""What happened to a file, the same wherever it was sent; what to do next depends on where
(`Remedies`: the chat's below, the knowledge registration's in bot.ui.knowledge.texts)."""

Remedies = Mapping[type[AttachmentError], str]

CHAT_REMEDIES: Remedies = {
    TooManyFilesError: "分けて送ってください。",
    UnsupportedTypeError: "古い形式（.doc・.xls・.ppt）は、新しい形式で保存し直してから添付してください。",
    HostNotAllowedError: (
        "OneDrive または SharePoint にあるファイルを添付してください。"
        "続く場合は{division}にお知らせください。"
    ),
    FileTooLargeError: "必要な部分だけのファイルにして添付してください。",
    DownloadExpiredError: "もう一度ファイルを添付してください。",
    DownloadFailed: "少し時間をおいて、もう一度ファイルを添付してください。",
    PasswordProtectedError: "保護を解除したファイルを添付するか、必要な部分を文章で入力してください。",
    ScanLikePdfError: "元の Word などのファイルを添付するか、文字を含むPDFにしてから添付してください。",
    NoTextError: "ファイルの中身を確認してください。",
    CorruptFileError: "ファイルを開けるか確認し、保存し直してから添付してください。",
    AttachmentError: "もう一度添付してください。",
}


def explain(
    error: AttachmentError, remedies: Remedies, *, formats: str, max_chars: int = 0, division: str = ""
) -> str:
    """What happened to the file (one table for every context; an error type it does not list reads
    as its nearest listed base class) and what to do (`remedies`, for that same reason). Never the
    file's content or its URL."""
    kind = next(k for k in type(error).__mro__ if k in _REASONS)
    fields = {
        "name": _file(error.name),
        "kind": f"（.{error.file_type}）"
        if isinstance(error, UnsupportedTypeError) and error.file_type
        else "",
        "formats": formats,
        "size": size_label(error.limit_bytes) if isinstance(error, FileTooLargeError) else "",
        "limit": error.limit if isinstance(error, TooManyFilesError) else 0,
        "count": error.count if isinstance(error, TooManyFilesError) else 0,
        "max_chars": max_chars,
        "division": division,
    }
    remedy = remedies.get(kind, "")  # by the reason given: a kind without a remedy of its own has none
    return (_REASONS[kind] + remedy).format(**fields)


def failure(error: AttachmentError, policy: Policy) -> str:
    """The message for a file that could not be used with a message (nothing was sent to the model)."""
    if isinstance(error, TooLongError):
        body = too_long(error)  # the file's length and the limit: per file or per message
    else:
        body = explain(error, CHAT_REMEDIES, formats=supported_list(), division=policy.municipality.division)
    return f"{body}\n\n{NOT_SENT}"


def size_label(size: int) -> str:
    """A byte count as staff read it: 10MB, 500KB."""
    megabytes = size / (1024 * 1024)
    return f"{megabytes:,.0f}MB" if megabytes >= 1 else f"{size / 1024:,.0f}KB"


def too_long(error: TooLongError) -> str:
    """The file's (or the message's) length against the policy's limit."""
    length = f"{error.chars:,}文字以上" if error.at_least else f"{error.chars:,}文字"
    if error.per_message:
        subject = f"{_file(error.name)}は" if error.name else "添付のファイルは合計で"
        what = "1回のメッセージで送れるのは"
    else:
        subject, what = f"{_file(error.name)}は", "1つのファイルで送れるのは"
    return (
        f"{subject}{length}あり、長すぎます。{what}{error.limit:,}文字までです。"
        "必要な部分だけのファイルに分けるか、ページやシートを絞ってから添付してください。"
    )


def blocked(policy: Policy, kinds_by_file: Mapping[str, Mapping[str, int]]) -> str:
    """Identifiers found in files: which file, which kinds (never the values), why, what to do."""
    lines = ["**この内容はAIに送信しませんでした。**", ""]
    for name, kinds in kinds_by_file.items():
        found = "、".join(f"{KIND_LABELS.get(k, k)}（{n}件）" for k, n in kinds.items())
        where = f"添付ファイル「{name}」" if name else "入力した文"
        lines.append(f"- {where}に、{found}が含まれています")
    lines += [
        "",
        f"理由：{policy.guideline.title} {policy.guideline.prohibition_clause}により、"
        "個人情報や非公開情報は入力できません。",
        "",
        "該当する列や箇所を削除したファイルを添付し直してください。"
        "この内容はAIに送られておらず、記録にも値は残っていません。",
    ]
    return "\n".join(lines)


def confirm_subject(names: Iterable[str]) -> str:
    """The confirmation card's line naming the files the held content came from."""
    listed = "、".join(f"「{n}」" for n in names)
    return f"添付ファイル{listed}の内容を確認してください。"


def reading(files: Iterable[tuple[str, int]]) -> str:
    """The informative update before a large file is sent: its size in characters."""
    listed = "、".join(f"「{name}」（{chars:,}文字）" for name, chars in files)
    return f"{listed}を読み取りました。この文字数も利用文字数に含まれます。内容を確認してから送信します…"


def footer(files: Iterable[tuple[str, int]]) -> str:
    """The answer's small print: which files were sent and how long they were."""
    listed = "、".join(f"「{name}」（{chars:,}文字）" for name, chars in files)
    return f"※ 添付ファイル{listed}を読み取って送信しました（利用文字数に含まれます）"
