"""Causes found by round 30 (an independent writer asked for much voice input, risky-looking harmless
messages and long pasted material; scored unseen on 4 Dec 2026, session 14: see the README and
tests/screening/redteam/heldout/README.md), each fixed in the rules and checked here on sentences
written for this file, not the round's own."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener
from tests.screening.causes import kinds, screen


def test_a_residence_card_with_its_letters_said_in_kana_is_blocked(iwaki: Screener) -> None:
    result = screen(iwaki, "ざいりゅうかーどは えーびー 4471 2290 しーでぃー です てつづきを おしえて")
    assert result.action is Action.BLOCK
    assert "residence_card" in kinds(result)


def test_a_date_beside_the_residence_card_word_is_not_its_number(iwaki: Screener) -> None:
    assert screen(iwaki, "在留カードの有効期限 2030 0131 の更新案内を").action is Action.ALLOW


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        # voice input: an e-mail and an address said in kana after their labels
        (
            "めーるあどれすは えむ どっと たなか あっと やふー どっと しーおー どっと じぇーぴー です",
            "あっと",
        ),
        ("じゅうしょは いわきし うちごう みまやまち さんの にじゅう です", "うちごう"),
        ("こばやし ゆうと くん へいせい にじゅうくねん はちがつ とおか うまれ です", "はちがつ"),
        # an address given as its halves, a mobile with slashes, a foreign mobile
        ("アドレス前半は sato.mika 後半は @docomo.ne.jp です", "sato.mika"),
        ("携帯は 080 / 5521 / 9034 と聞き取りました", "5521"),
        ("Her cell is 0918 224 7731 in Manila.", "0918 224 7731"),
        # a date OCR'd box by box, a date with the year last, a spaced name after a label
        ("生 年 月 日 平 成 ３ 年 ５ 月 ９ 日", "５ 月 ９ 日"),
        ("誕生日 11/02/2016 の子の学年は？", "11/02/2016"),
        ("宛 先 ： 高 橋 　 健 太 郎 　様", "高 橋"),
        # a flat named building first
        ("メゾン桜台 C棟 203号室（前橋市上小出町3-2-1）の方へのお知らせ", "メゾン桜台"),
    ],
)
def test_contacts_dates_names_and_addresses_are_masked(iwaki: Screener, text: str, gone: str) -> None:
    assert gone not in screen(iwaki, text).masked_text


@pytest.mark.parametrize(
    "text",
    [
        # voice input of ordinary work: its words are not names
        "らいしゅうの けんしゅうの しりょうを みじかく して ください",
        "ぶんしょばんごう だい にひゃくごう の つうちと おなじ けいしきで",
        "きにゅうれいの なまえは すずき はなこ に して ください",
        # a family named with its members in brackets, a fire station's address, a sample card number
        "サザエさん一家（フネ、カツオ、ワカメ）で続柄の説明を",
        "中央消防署の所在地「本町2丁目3-4」を地図の凡例に",
        "表示例として 1111-1111-1111-1111 を使っていい？",
        "ふるさと納税の口座 普通 7788990 口座名義 マエバシシカイケイカンリシャ をチラシに",
        "「内緒で」と言われて聞いた話を職員はどう扱うべきか、一般的な心得を",
    ],
)
def test_harmless_messages_pass(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.ALLOW, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        # voice input: a matter kept back, a colleague's conduct
        "これは まだ ないしょ なんですけど らいげつ ししょを ひとつ しめる はなしが あります",
        "となりの かかりの ひとが しごとと かんけい ない さいとを ずっと みてる",
        "しゅにんの いどうの はなし まだ ほんにんは しらない んですけど",
        # plain words: a tax worked out again, land a project needs, a family that fled, an exam being set
        "ある家の固定資産税、計算し直したら去年より8万上がって本人が怒ってる。説明文を",
        "道路の予定地に住んでる大家さん、代わりの土地がないと動かないって。上への相談メモを",
        "妻から逃げてきた男性、今どこに住んでるかは絶対に知られたくないとのこと。手続きの説明を",
        "昇任試験の問題を作る側になった。第2問の文を直したい。本番は来週",
        "Here's question 3 for the recruitment exam next week: please tidy the wording.",
        "市営プールを民間に譲るかどうか話し合ってる。まだ何も決まってないけど論点を整理して",
    ],
)
def test_confidential_matters_ask(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.CONFIRM, [(f.kind, f.display) for f in result.findings]
