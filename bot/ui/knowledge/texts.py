"""Japanese texts of the knowledge feature: the CLI's messages, the 参考 line, the Teams list."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.core.knowledge import Source, StoredDocument

JST = ZoneInfo("Asia/Tokyo")

CLI_CONFIG_ERROR = "エラー: 設定を読み込めません：{error}"
CLI_STORAGE_ERROR = "エラー: ストレージに接続できません：{error}（設定と接続先を確認してください）"
CLI_NOT_FOUND = "エラー: {path} が見つかりません。"
CLI_UNREADABLE = "スキップ: {error}"
CLI_NOTHING = "登録できる文書がありませんでした（対応形式: {suffixes}）。"
CLI_OUTCOME = {"added": "追加しました", "replaced": "更新しました", "unchanged": "変更なし"}
CLI_ADDED = "{outcome}: {doc_id}  『{title}』（{chars:,}文字）  {source}"
CLI_TITLE_WITH_MANY = "エラー: --title は文書を1つだけ登録するときに指定してください。"
CLI_REMOVED = "削除しました: {doc_id}  『{title}』"
CLI_NO_SUCH_DOC = "エラー: 文書ID {doc_id} はありません（`python -m bot knowledge list` で確認できます）。"
CLI_EMPTY = "登録されている文書はありません。`python -m bot knowledge add PATH` で登録してください。"
CLI_LIST_HEADER = "登録されている文書：{count}件"
CLI_LIST_ROW = "{doc_id}  『{title}』  {chars:,}文字  {added}  {source}"
CLI_NO_HITS = "該当する箇所は見つかりませんでした。"
CLI_HIT = "{rank}. 『{title}』{label}  （スコア {score:.2f}、文書ID {doc_id}）\n   {passage}"

REFERENCE_PREFIX = "参考："

TEAMS_LIST_TITLE = "登録されているナレッジ（{count}件）"
TEAMS_LIST_EMPTY = (
    "ナレッジ（市の例規・要綱・マニュアル）はまだ登録されていません。"
    "サーバーで `python -m bot knowledge add フォルダ` を実行すると登録できます。"
)
TEAMS_LIST_MORE = "ほか{more}件（すべてはサーバーで `python -m bot knowledge list`）"
TEAMS_ADMIN_ONLY = "ナレッジの一覧と登録は管理者だけが使えます。"
TEAMS_REGISTER_TODO = (
    "ファイルを添付しての登録は、まだこのボットでは使えません。"
    "サーバーで `python -m bot knowledge add ファイル` を実行してください。"
)


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
    rows = [f"- 『{d.title}』（{d.chars:,}文字、{added_at(d)} 登録、ID {d.doc_id}）" for d in docs[:limit]]
    if len(docs) > limit:
        rows.append(TEAMS_LIST_MORE.format(more=len(docs) - limit))
    return "\n".join([f"**{TEAMS_LIST_TITLE.format(count=len(docs))}**", "", *rows])
