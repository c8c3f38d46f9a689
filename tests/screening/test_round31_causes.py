"""Causes found by round 31 (an independent writer asked for many kinds of municipal work,
half-width katakana and long material; scored unseen on 4 Dec 2026, session 14: see the README and
tests/screening/redteam/heldout/README.md), each fixed in the rules and checked here on sentences
written for this file, not the round's own."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener
from tests.screening.causes import screen


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        # half-width katakana: a birth year, a katakana honorific, an address after ｼﾞｭｳｼｮ
        ("ｼﾝｾｲｼｬ ﾊ 1975ﾈﾝ ｳﾏﾚ ﾃﾞｽ", "1975"),
        ("ｱﾃｻｷ ｻｲﾄｳ ﾐﾕｷ ｻﾏ ﾆ ｵｸｯﾃ", "ﾐﾕｷ"),
        ("ｼﾞｭｳｼｮ ﾏｴﾊﾞｼｼ ｵｵﾃﾏﾁ 1ﾁｮｳﾒ 5-3 ｺｰﾎﾟｵｵﾃ 105", "ｵｵﾃﾏﾁ"),
        # an e-mail in halves around ドメイン, and in kana with "mail" after it
        ("@より前は kato.yui で、ドメインは example.net です", "kato.yui"),
        ("てぃー えー あっと まーく いぐざんぷる どっと こむ に めーる して", "いぐざんぷる"),
        # a home number after an office is named, a name in brackets after a number or a word for them
        ("保険年金課です。連絡は自宅の 0246-44-1187 にほしいとのこと", "1187"),
        ("text me: 080 1234 9876 (Maria)", "Maria"),
        ("The pupil (Noah Fitzgerald) joins the 3rd grade.", "Noah Fitzgerald"),
        # a form's lot and room on their own lines
        ("町名：前橋市朝日町⏎番地：３の１５⏎部屋：グリーン朝日２０２", "３の１５"),
        # a real person in a sentence about a story
        ("絵本の読み聞かせ、講師の 佐川 京子 さんにお願いする予定", "佐川"),
    ],
)
def test_personal_data_is_masked(iwaki: Screener, text: str, gone: str) -> None:
    assert gone not in screen(iwaki, text).masked_text.replace("\n", "⏎")


@pytest.mark.parametrize(
    "text",
    [
        "ﾓｳｼｺﾐﾊﾞﾝｺﾞｳ 4111111111111111 ﾉ ｼｽﾃﾑｴﾗｰ",
        "観光案内所（駅前）TEL 0246-25-1111 / kanko-info@city.example.lg.jp を英語のチラシに",
        "市営バスの運行案内ダイヤル 050-3100-2200 の受付時間を書いて",
        "The library is Chuo Library (2-1-3 Otemachi). Write the directions in English.",
        "ｼﾐﾝｶｲｶﾝ ﾉ ｼﾞｭｳｼｮ ﾊ ｵｵﾃﾏﾁ 2ﾁｮｳﾒ ﾃﾞｽ。ｱﾝﾅｲ ｦ",
        "郷土の詩人 草野心平について、紹介文を",
        "地方公務員法で職員が禁止されていることを簡単に",
        "すいどうりょうきん を はらって ない ばあい の いっぱんてきな ながれ を おしえて",
    ],
)
def test_harmless_messages_pass(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.ALLOW, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "ﾌﾞｶﾞｲﾋ ﾉ ｼﾘｮｳ ﾃﾞｽ。ｶｲｷﾞ ﾉ ﾖｳｼ ｦ ﾏﾄﾒﾃ",
        "庁外秘の資料です。各支所の金庫の鍵の保管一覧の整理のしかたを教えて",
        "この前の申告、ある地主さんの駐車場収入が実際より少なく書かれてる気がする。調べ方を",
        "庁舎の空調更新、うちの上限は9千万。業者側に伝わると値引きしないので仕様書だけ整えたい",
        "公園を広げるために隣の土地を譲ってもらう話、所有者のおじいちゃんは前向きだけど娘さんが反対",
        "かかりちょう が らいげつ やめる って ないない に ききました",
        "ししょ を らいねん しめる はなし が あるけど まだ ちいき には いってない",
        "こくほ を ずっと はらって ない いえ が あって さしおさえ を するか まよって ます",
    ],
)
def test_confidential_matters_ask(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.CONFIRM, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    ["ｳﾝﾃﾝﾒﾝｷｮｼｮｳﾊﾞﾝｺﾞｳ 123456789012", "ｺｳｻﾞﾊﾞﾝｺﾞｳ 1234567 ﾌﾂｳ", "ｹﾝｺｳﾎｹﾝｼｮｳﾊﾞﾝｺﾞｳ 12345678"],
)
def test_identifier_labels_in_half_width_katakana_still_block(iwaki: Screener, text: str) -> None:
    assert screen(iwaki, text).action is Action.BLOCK


@pytest.mark.parametrize(
    "text",
    ["「庁外秘」の資料はAIに入力していいですか", "部外秘の表示がある文書をこのボットに貼り付けても大丈夫？"],
)
def test_questions_about_entering_marked_material_pass(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.ALLOW, [(f.kind, f.display) for f in result.findings]
