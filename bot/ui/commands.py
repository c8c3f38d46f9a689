"""The one table of text commands: what staff type, what the help says, what the app's command menu shows.

Adding a command is one entry here plus its handler (registered with `router.command(commands.X)` in
its feature). The help message (bot.ui.common.help_text), the Teams manifest's command lists in both
languages (bot.ui.manifest.build) and the router's aliases all read this table, so they cannot
drift apart. `{division}` and `{channel}` in the texts are filled from the city policy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bot.core.policy import Policy

Menu = Literal["personal", "team", ""]  # the manifest command list it appears in ("" = none)
MENUS: tuple[Menu, ...] = ("personal", "team")


def _always(_policy: Policy) -> bool:
    return True


def _with_approval(policy: Policy) -> bool:
    return policy.access.require_approval


@dataclass(frozen=True)
class Command:
    """One text command."""

    title: str  # what staff type (and what the command menu shows, in every language)
    aliases: tuple[str, ...]
    help: str  # the line in ヘルプ ("" = not listed there)
    menu: Menu  # the manifest command list
    menu_ja: str  # the command menu's description, Japanese
    menu_en: str  # the command menu's description, English
    admin: bool = False
    available: Callable[[Policy], bool] = _always  # offered under this city's policy

    def help_line(self, policy: Policy) -> str:
        """The help message's line for this command."""
        return f"- {self.title}：{fill(self.help, policy)}"


def fill(text: str, policy: Policy) -> str:
    """`{division}` and `{channel}` from the policy."""
    return text.format(division=policy.municipality.division, channel=policy.support.channel_name)


NEW_CONVERSATION = Command(
    "新しい会話",
    ("/reset", "/new", "リセット", "new"),
    help="これまでの会話を区切って、最初からやり直します",
    menu="personal",
    menu_ja="これまでの会話を区切り、新しい話題で始めます。",
    menu_en="Send 「新しい会話」 to close the current conversation and start a new topic.",
)
TEMPLATES = Command(
    "テンプレート",
    ("/template", "/templates", "ひな形"),
    help="あいさつ文・校正・要約・翻訳などのひな形から依頼を作ります",
    menu="personal",
    menu_ja="あいさつ文・校正・要約・翻訳などの入力フォームを開きます。",
    menu_en="Send 「テンプレート」 to open forms for greetings, proofreading, summaries and translations.",
)
USAGE = Command(
    "利用状況",
    ("/usage", "usage"),
    help="今月の利用文字数と残りを表示します",
    menu="personal",
    menu_ja="今月の利用文字数と上限までの残りを表示します。",
    menu_en="Send 「利用状況」 to see this month's characters used and what remains.",
)
ASK = Command(
    "問い合わせ",
    ("/ask", "問合せ", "問い合せ"),
    help="使い方の質問を{division}に送ります（例：問い合わせ 〇〇について）",
    menu="personal",
    menu_ja="使い方の質問を{division}（「{channel}」チャンネル）へ送ります。",
    menu_en="Send 「問い合わせ」 to ask {division} a question (posted to the 「{channel}」 channel).",
)
REPORT = Command(
    "報告",
    ("/report", "インシデント報告"),
    help="個人情報を誤って入力したなどの問題を報告します",
    menu="personal",
    menu_ja="個人情報の誤入力など、問題が起きたことを所属長と{division}へ報告します。",
    menu_en=(
        "Send 「報告」 to report a problem, such as personal information entered by mistake,"
        " to your manager and {division}."
    ),
)
APPLY = Command(
    "利用申請",
    ("申請", "/apply"),
    help="AIの利用を申請します（{division}が承認します）",
    menu="",
    menu_ja="",
    menu_en="",
    available=_with_approval,
)
HELP = Command(
    "ヘルプ",
    ("/help", "help", "使い方"),
    help="",
    menu="personal",
    menu_ja="使い方とガイドラインの要点を表示します。",
    menu_en="Send 「ヘルプ」 for how to use the assistant and the guideline's main points.",
)
PENDING = Command(
    "承認待ち",
    ("/pending",),
    help="承認を待っている申請の一覧",
    menu="team",
    menu_ja="承認を待っている利用申請の一覧を表示します（管理者のみ）。",
    menu_en="Applications waiting for approval (administrators only).",
    admin=True,
    available=_with_approval,
)
REVOKE = Command(
    "利用停止",
    ("/revoke",),
    help="職員の利用の停止",
    menu="",
    menu_ja="",
    menu_en="",
    admin=True,
)
USAGE_BY_DEPARTMENT = Command(
    "利用集計",
    (),
    help="利用状況の所属別の内訳",
    menu="team",
    menu_ja="今月の利用文字数を所属別に集計して表示します（管理者のみ）。",
    menu_en="This month's usage by department (administrators only).",
    admin=True,
)
RECORDS_SUMMARY = Command(
    "記録の概要",
    ("/summary",),
    help="記録の件数と保存期間",
    menu="team",
    menu_ja="保存している利用記録の件数と保存期間を表示します（管理者のみ）。",
    menu_en="How many usage records are kept and for how long (administrators only).",
    admin=True,
)
KNOWLEDGE = Command(
    "ナレッジ",
    ("/knowledge", "knowledge", "ナレッジ一覧"),
    help="回答に使う市の例規・要綱・マニュアルの一覧",
    menu="",
    menu_ja="",
    menu_en="",
    admin=True,
)
KNOWLEDGE_ADD = Command(
    "ナレッジに登録",
    ("/knowledge-add",),
    help="",
    menu="",
    menu_ja="",
    menu_en="",
    admin=True,
)
TEMPLATE_ADMIN = Command(
    "テンプレート管理",
    ("/template-admin",),
    help="テンプレートの追加・編集・廃止と利用回数",
    menu="",
    menu_ja="",
    menu_en="",
    admin=True,
)
ADMIN_HELP = Command(
    "ヘルプ",
    (),
    help="",
    menu="team",
    menu_ja="管理者向けコマンドと「{channel}」チャンネルでの使い方を表示します。",
    menu_en="Administrator commands and how the 「{channel}」 channel works.",
)

COMMANDS: tuple[Command, ...] = (
    NEW_CONVERSATION,
    TEMPLATES,
    USAGE,
    ASK,
    REPORT,
    APPLY,
    HELP,
    PENDING,
    REVOKE,
    USAGE_BY_DEPARTMENT,
    RECORDS_SUMMARY,
    KNOWLEDGE,
    KNOWLEDGE_ADD,
    TEMPLATE_ADMIN,
    ADMIN_HELP,
)


def offered(policy: Policy, *, admin: bool) -> list[Command]:
    """The commands listed in ヘルプ for staff (admin=False) or the admin line (admin=True)."""
    return [c for c in COMMANDS if c.admin == admin and c.help and c.available(policy)]


def menu(policy: Policy, scope: Menu) -> list[Command]:
    """The commands of one manifest command list, in table order."""
    return [c for c in COMMANDS if c.menu == scope and c.available(policy)]
