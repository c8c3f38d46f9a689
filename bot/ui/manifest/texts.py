"""The app's names and store descriptions, in Japanese (default) and English, from the city policy.

Kept apart from the build so the wording can be reviewed in one place. Limits come from the
Teams manifest schema: short name 30, full name 100, short description 80, full description 4000
characters; `build` checks them again before writing the package.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.policy import Policy

NAME_SHORT_JA = "生成AIアシスタント"
NAME_SHORT_EN = "Generative AI Assistant"


@dataclass(frozen=True)
class AppTexts:
    """What Teams shows about the app in one language."""

    name_short: str
    name_full: str
    description_short: str
    description_full: str


def japanese(policy: Policy) -> AppTexts:
    """The default-language (ja-jp) texts."""
    city = policy.municipality.name
    return AppTexts(
        name_short=NAME_SHORT_JA,
        name_full=f"{city} {NAME_SHORT_JA}",
        description_short=f"{city}職員向けの生成AI。ガイドラインに沿って文書作成・校正・要約などを手伝います。",
        description_full="\n".join(_japanese_full(policy)),
    )


def _japanese_full(policy: Policy) -> list[str]:
    m, quota = policy.municipality, policy.quota
    ordinance = f"{policy.ordinance.name}{policy.ordinance.article}"
    access = (
        f"・利用には申請が必要です。{m.division}が承認した職員だけが使えます。"
        if policy.access.require_approval
        else "・初めて使うときに、ガイドラインの要点を確認して同意していただきます。"
    )
    return [
        f"{m.name}の職員が業務で生成AIを使うためのアシスタントです。",
        f"「{policy.guideline.title}」に沿って、次のことを行います。",
        access,
        f"・送信前に入力を確認し、個人情報や{ordinance}の不開示情報に当たるおそれのある内容は"
        "送信を止めるか、確認を求めます。",
        f"・利用上限（{m.name}全体で1か月{quota.org_monthly_chars:,}文字）を管理します。"
        "残りは「利用状況」で確認できます。",
        "・回答には、事実関係と著作権を職員が確認するよう注意書きを添えます。",
        f"・やり取りの記録は{m.division}が{policy.records.retention_months}か月間保存します。",
        f"・質問は「{policy.support.channel_name}」チャンネルへ。問題が起きたときは「報告」で"
        f"所属長と{m.division}に知らせてください。",
    ]


def english(policy: Policy) -> AppTexts:
    """The English (en) texts."""
    city = policy.municipality.name_en
    return AppTexts(
        name_short=NAME_SHORT_EN,
        name_full=f"{city} {NAME_SHORT_EN}",
        description_short=f"Generative AI for {city} staff, within the city's guideline.",
        description_full="\n".join(_english_full(policy)),
    )


def _english_full(policy: Policy) -> list[str]:
    m, quota = policy.municipality, policy.quota
    access = (
        f"- Staff apply first; only staff approved by {m.division} can use it."
        if policy.access.require_approval
        else "- On first use, staff read the guideline's main points and agree to them."
    )
    return [
        f"An assistant for {m.name_en} staff who use generative AI at work.",
        f"It applies the city's guideline ({policy.guideline.title}):",
        access,
        "- Text is checked before it is sent; personal information and information that the"
        f" disclosure ordinance ({policy.ordinance.name}) withholds is stopped or needs confirmation.",
        f"- A monthly limit of {quota.org_monthly_chars:,} characters for the whole city is enforced;"
        " 「利用状況」 shows what remains.",
        "- Every answer reminds staff to check facts and copyright before using it.",
        f"- Conversation records are kept by {m.division} for {policy.records.retention_months} months.",
        f"- Questions go to the 「{policy.support.channel_name}」 channel; report problems with 「報告」.",
        "Commands are Japanese words; send them as shown.",
    ]
