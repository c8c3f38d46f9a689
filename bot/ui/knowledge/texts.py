"""Japanese texts of the knowledge feature: the CLI's messages, the 参考 line, the Teams list and
registration (ナレッジに登録 with a file attached)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.core.attachments import (
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
    UnreadableFileError,
    UnsupportedTypeError,
)
from bot.core.knowledge import Placement, Source, StoredDocument, Uploader
from bot.core.knowledge.documents import MAX_CHARS
from bot.core.knowledge.uploads import uploaded_name
from bot.ui.attachments import texts as attachment_texts

JST = ZoneInfo("Asia/Tokyo")

CLI_DESCRIPTION = """\
市の例規・要綱・マニュアルを、serve と同じ設定（ストレージ・ポリシー）のまま登録・一覧・削除・検索します。

  add PATH... [--title 文書名]    ファイル（.docx .pdf .txt .md .html）またはフォルダ（その下をすべて）を登録
  list [--json]                   登録されている文書の一覧（新しい順）
  remove 文書ID                   文書を削除
  search "質問" [--top N] [--json] 質問に合う箇所と、それがその質問で回答に使われるかどうか"""
CLI_EXIT_CODES = """\
終了コード:
  0  完了（add ではすべてのファイルを登録。「変更なし」を含む）
  1  登録できた文書がない（読み取れない・見つからない）、または指定した文書IDがない
  2  引数または設定の誤り
  3  ストレージに接続できない、または書き込みに失敗した
  4  add で、登録はしたが一部のファイルをスキップした（理由はエラー出力に表示）"""
CLI_ADD_DESCRIPTION = """\
ファイルまたはフォルダ（その下をすべて）を登録します。同じファイルをもう一度登録すると置き換えます
（内容も文書名も同じなら「変更なし」）。--title で指定した文書名は、あとで --title なしで登録し直しても
変わりません（変えるときは新しい --title を指定します）。
読み取れないファイル（対応していない形式、スキャンしただけのPDF、パスワード付き、空、大きすぎる など）は
理由と対処を表示してスキップし、ほかのファイルは登録します。スキップがあると終了コードは 4 です。"""
CLI_SEARCH_DESCRIPTION = """\
質問に合う箇所を、よく合う順に表示します。それぞれに、チャットでその質問をしたときにAIに渡され回答に
使われるかどうかを示します（チャットと同じ判定・同じ設定です。参考箇所の個人情報チェックは BOT_POLICY の
もので行い、KNOWLEDGE_EMBEDDINGS_MODEL を設定していればベクトルによる並べ替えも同じように行います）。
--json では [{"doc_id", "title", "source", "passage", "score", "used"}] を出力します（used: true/false）。"""
CLI_CONFIG_ERROR = "エラー: 設定を読み込めません：{error}"
CLI_STORAGE_ERROR = "エラー: ストレージに接続できません：{error}（設定と接続先を確認してください）"
CLI_NOT_FOUND = "スキップ（登録していません）: {path} が見つかりません。パスを確認してください。"
CLI_SKIPPED = "スキップ（登録していません）: {reason}"
CLI_NOTHING = "登録できる文書がありませんでした（対応形式: {suffixes}）。"
CLI_PARTLY = (
    "{skipped}件は登録していません（理由は上のとおりです）。"
    "直してから、そのファイルをもう一度 `python -m bot knowledge add` してください。"
)
CLI_OUTCOME = {"added": "追加しました", "replaced": "更新しました", "unchanged": "変更なし"}
CLI_ADDED = "{outcome}: {doc_id}  『{title}』（{chars:,}文字）  {source}"
CLI_TITLE_KEPT = "  ※文書名は以前 --title で指定したものを使っています"
CLI_TITLE_WITH_MANY = "エラー: --title は文書を1つだけ登録するときに指定してください。"
CLI_REMOVED = "削除しました: {doc_id}  『{title}』"
CLI_NO_SUCH_DOC = "エラー: 文書ID {doc_id} はありません（`python -m bot knowledge list` で確認できます）。"
CLI_EMPTY = "登録されている文書はありません。`python -m bot knowledge add PATH` で登録してください。"
CLI_LIST_HEADER = "登録されている文書：{count}件"
CLI_LIST_ROW = "{doc_id}  『{title}』  {chars:,}文字  {added}  {source}"
CLI_NO_HITS = "該当する箇所は見つかりませんでした。"
CLI_HIT = "{rank}. 『{title}』{label}  （スコア {score:.2f}、文書ID {doc_id}）{use}\n   {passage}"
CLI_USE = {
    "used": "（この質問で回答に使われます）",
    "unused": "（この質問では回答に使われません）",
    "withheld": "（この質問に関係しますが、マイナンバーなどの番号を含むため回答に使われません）",
}
"""Whether chat would give the passage to the model for the question searched (Knowledge.relevant,
then the passage screening: bot.core.knowledge.context)."""

REFERENCE_PREFIX = "参考："
PASSAGES_COUNTED = "※ AIに渡した参考資料（{chars:,}文字）も、入力の文字数として利用文字数に含まれます。"

TEAMS_LIST_TITLE = "登録されているナレッジ（{count}件）"
TEAMS_LIST_EMPTY = (
    "ナレッジ（市の例規・要綱・マニュアル）はまだ登録されていません。"
    "「ナレッジに登録」と入力してファイルを添付するか、サーバーで `python -m bot knowledge add フォルダ` を"
    "実行すると登録できます。"
)
TEAMS_LIST_MORE = "ほか{more}件（すべてはサーバーで `python -m bot knowledge list`）"
TEAMS_ADMIN_ONLY = "ナレッジの一覧と登録は管理者だけが使えます。"
REGISTER_USAGE = (
    "「ナレッジに登録」と入力し、登録する文書のファイルを添付して送ってください"
    "（対応形式：{kinds}）。前に自分で送ったファイルと同じ名前のファイルを送ると、その文書を置き換えます"
    "（ほかの人が登録した同じ名前のファイルは置き換えず、両方を残します）。"
    "多くの文書をまとめて登録するときは、サーバーで `python -m bot knowledge add フォルダ` を"
    "実行してください。"
)
REGISTER_PERSONAL_ONLY = (
    "ナレッジへの登録は、ボットとの個人チャットで「ナレッジに登録」と入力し、ファイルを添付して"
    "行ってください。"
)
REGISTER_NOT_ADDED = "ナレッジには登録していません。"
REGISTER_SIZE = "（{passages}か所の参考箇所、{chars:,}文字、ID {doc_id}）。"
REGISTER_OUTCOME = {
    "added": "ナレッジに登録しました：『{title}』" + REGISTER_SIZE,
    "replaced": "ナレッジの文書を更新しました：『{title}』" + REGISTER_SIZE,
    "unchanged": "『{title}』は登録済みの内容と同じため、変更はありません（ID {doc_id}）。",
}
REGISTER_USED_FROM_NOW = "これからの回答で、この文書が参考資料として使われます。"
REGISTER_REPLACED_OWN = "{when}にあなたが送った「{file}」{old_title}を、今回のファイルで置き換えました。"
REGISTER_REPLACED_UNKNOWN = (
    "{when}に登録された同じ名前のファイル「{file}」{old_title}を、今回のファイルで置き換えました"
    "（そのファイルを送った人は記録されていません）。"
)
REGISTER_OLD_TITLE = "（前の文書名『{title}』）"
REGISTER_OTHERS = (
    "同じ名前のファイル「{file}」は、ほかにも登録されています：{others}。そちらは置き換えずに残しています。"
    "同じ文書の新しい版であれば、古いほうはサーバーで `python -m bot knowledge remove 文書ID` を実行すると"
    "削除できます。"
)
REGISTER_OTHER = "{who}が{when}に登録した『{title}』（ID {doc_id}）"
REGISTER_OTHER_UNKNOWN = "{when}に登録された『{title}』（ID {doc_id}、送った人は記録されていません）"
KIND_NAMES = {
    "docx": "Word（.docx）",
    "pdf": "PDF（文字を含むもの）",
    "txt": "テキスト（.txt）",
    "md": "Markdown（.md）",
    "html": "HTML（.html）",
}


def register_usage() -> str:
    """How to register a document from Teams (the command was sent without a file)."""
    return REGISTER_USAGE.format(kinds=kinds_list())


def kinds_list() -> str:
    """'Word（.docx）、PDF（文字を含むもの）、…'."""
    return "、".join(KIND_NAMES.values())


def registered(doc: StoredDocument, outcome: str, passages: int, placement: Placement | None = None) -> str:
    """What one registration did: title, passages, characters; for a file attached in Teams
    (`placement`), which earlier file of that name it replaced and which of other people's it kept."""
    line = REGISTER_OUTCOME[outcome].format(
        title=doc.title, passages=passages, chars=doc.chars, doc_id=doc.doc_id
    )
    if outcome == "unchanged":
        return line
    notes = placement_notes(doc, outcome, placement) if placement is not None else ""
    return f"{line}{notes}{REGISTER_USED_FROM_NOW}"


def placement_notes(doc: StoredDocument, outcome: str, placement: Placement) -> str:
    """The earlier file of the same name the upload replaced, and other people's that it kept."""
    file = uploaded_name(doc)
    notes = ""
    previous = placement.previous
    if outcome == "replaced" and previous is not None:
        old_title = REGISTER_OLD_TITLE.format(title=previous.title) if previous.title != doc.title else ""
        template = REGISTER_REPLACED_OWN if previous.uploader is not None else REGISTER_REPLACED_UNKNOWN
        notes += template.format(when=when_ja(previous.added), file=file, old_title=old_title)
    if placement.others:
        others = "、".join(_other(d) for d in placement.others)
        notes += REGISTER_OTHERS.format(file=file, others=others)
    return notes


def _other(doc: StoredDocument) -> str:
    when = when_ja(doc.added)
    if doc.uploader is None:
        return REGISTER_OTHER_UNKNOWN.format(when=when, title=doc.title, doc_id=doc.doc_id)
    return REGISTER_OTHER.format(who=who(doc.uploader), when=when, title=doc.title, doc_id=doc.doc_id)


def who(uploader: Uploader) -> str:
    """'市役所 花子さん（市民課）'; 'ほかの管理者' when Teams gave no name."""
    if not uploader.name:
        return "ほかの管理者"
    return f"{uploader.name}さん（{uploader.department}）" if uploader.department else f"{uploader.name}さん"


def when_ja(timestamp: float) -> str:
    """'2026年11月20日 10:15' (Japan time)."""
    local = datetime.fromtimestamp(timestamp, UTC).astimezone(JST)
    return f"{local.year}年{local.month}月{local.day}日 {local.hour}:{local.minute:02d}"


REGISTER_REMEDIES: attachment_texts.Remedies = {
    UnsupportedTypeError: "対応している形式で保存し直してから添付してください。",
    HostNotAllowedError: "OneDrive または SharePoint にあるファイルを添付してください。",
    FileTooLargeError: "分割するか、サーバーで `python -m bot knowledge add` を使って登録してください。",
    DownloadExpiredError: "もう一度添付してください。",
    DownloadFailed: "少し時間をおいて、もう一度添付してください。",
    PasswordProtectedError: "保護を解除してから添付してください。",
    ScanLikePdfError: "文字を含むPDFか元のファイルを添付してください。",
    NoTextError: "文字の入ったファイルか確認してから添付してください。",
    TooLongError: "文書を分けてから登録してください。",
    CorruptFileError: "保存し直してから添付してください。",
    AttachmentError: "保存し直してから添付してください。",
}
"""What to do when a file meant for the knowledge could not be used (what happened is the
attachments' one table)."""

CLI_REMEDIES: attachment_texts.Remedies = {
    UnsupportedTypeError: "対応している形式で保存し直してから登録してください（古い .doc は .docx に）。",
    FileTooLargeError: "文書を分けてから登録してください。",
    UnreadableFileError: "ファイルの場所と読み取りの権限を確認してください。",
    PasswordProtectedError: "パスワードを解除して保存し直してから登録してください。",
    ScanLikePdfError: (
        "OCR（文字認識）で文字を読み取れるPDFにしてから登録するか、元の Word などのファイルを"
        "登録してください。"
    ),
    NoTextError: "文字の入ったファイルか確認してください。",
    TooLongError: "文書を分けてから登録してください。",
    CorruptFileError: "ファイルが開けるか確認し、保存し直してから登録してください。",
    AttachmentError: "ファイルが開けるか確認し、保存し直してから登録してください。",
}
"""What to do with a file `python -m bot knowledge add` skipped (what happened: the attachments' table)."""


def skipped(error: AttachmentError) -> str:
    """The CLI's line for a file it did not add: which file, why, and what to do (never its content)."""
    reason = attachment_texts.explain(error, CLI_REMEDIES, formats=kinds_list(), max_chars=MAX_CHARS)
    return CLI_SKIPPED.format(reason=reason)


def register_failure(error: AttachmentError, max_chars: int) -> str:
    """Why a file was not registered, and what to do (never its content or its download URL)."""
    body = attachment_texts.explain(error, REGISTER_REMEDIES, formats=kinds_list(), max_chars=max_chars)
    return f"{body}{REGISTER_NOT_ADDED}"


def references(sources: Sequence[Source]) -> str:
    """「参考：『文書名』第N条、『文書名』第M条」 for the sources an answer used ("" when none)."""
    citations = list(dict.fromkeys(s.citation for s in sources))
    return REFERENCE_PREFIX + "、".join(citations) if citations else ""


def added_at(doc: StoredDocument) -> str:
    """The registration time in JST."""
    return datetime.fromtimestamp(doc.added, UTC).astimezone(JST).strftime("%Y-%m-%d %H:%M")


def document_lines(docs: Sequence[StoredDocument], limit: int = 30) -> str:
    """The Teams list of documents (newest first), paged at `limit`."""
    if not docs:
        return TEAMS_LIST_EMPTY
    rows = [
        f"- 『{d.title}』（{d.chars:,}文字、{added_at(d)} 登録{_by(d)}、ID {d.doc_id}）" for d in docs[:limit]
    ]
    if len(docs) > limit:
        rows.append(TEAMS_LIST_MORE.format(more=len(docs) - limit))
    return "\n".join([f"**{TEAMS_LIST_TITLE.format(count=len(docs))}**", "", *rows])


def _by(doc: StoredDocument) -> str:
    """'、登録者 市役所 花子（市民課）' for a file attached in Teams (two of one name tell apart)."""
    by = doc.uploader
    if by is None or not by.name:
        return ""
    return f"、登録者 {by.name}（{by.department}）" if by.department else f"、登録者 {by.name}"


def passages_counted(chars: int) -> str:
    """The footer note that the passages sent count as input (none when no passage was sent)."""
    return PASSAGES_COUNTED.format(chars=chars) if chars > 0 else ""
