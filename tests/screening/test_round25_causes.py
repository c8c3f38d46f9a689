"""Causes found by round 25 (an independent writer, scored unseen on 3 Dec 2026: see the README and
tests/screening/redteam/heldout/README.md), each fixed in the rules and checked here on sentences
written for this file, not the round's own."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener
from tests.screening.causes import kinds, screen


@pytest.mark.parametrize(
    "text",
    [
        # a phrase reported as said, naming the matter it was said of
        "誰にも言わないで、と頼まれた件です。保育園の統合の話。論点を整理して",
        # material that carries a marking, to be worked on
        "部外秘の表示がある財政課のメモ、箇条書きに整理して",
        "取扱注意の押印がある議事メモを要約して係内に回したい",
        # a child shut out or left crying, told in plain words
        "昨夜、アパートの住人から『上の階の子が外に出されて泣き叫んでいる』と連絡。今日の訪問の段取りを",
        # a sign someone shows, reported
        "保健師の訪問で、父親に飲酒の問題と育児放棄の兆候。記録を時系列にまとめて",
        # a resident who has not paid a tax for long, pointed at by where they live
        "5号棟の方が、固定資産税を去年からずっと払っていない。催告の文面を",
        # exam questions being made, or the real ones of a set date
        "昇任試験で使う論述問題と模範解答、まだ作成途中です。言い回しを直して",
        "市職員向け情報セキュリティ検定の本番問題（11月実施）を見直したい",
        # a stage in brackets; a person described by what they seem to be
        "外部監査人の指摘案（講評の前段階）を要約して、主張ポイントを整理",
        "ストーカーとみられる男性から、職員の勤務先を聞き出そうとする電話。警察に相談中です",
    ],
)
def test_confidential_matters_in_plain_words_ask(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.CONFIRM, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "「ここだけの話」と言われた情報は、どう扱えばいいですか",
        "部外秘の表示がある文書は、AIに入力していいですか",
        "「取扱注意」の表示のある資料の扱い方を教えて",
        "子どもが夜に泣いているときの、保護者向けの一般的な相談窓口を教えて",
        "住民税を払っていない人への督促の一般的な流れを教えて",
        "乳幼児健診の受診率の全国的な傾向を教えて",
        "おんせいにゅうりょくです。らいしゅうのうちあわせを、ごごさんじからにしてください",
    ],
)
def test_general_questions_and_plain_requests_pass(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.ALLOW, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("生年月日　1 9 8 2 年 1 1 月 0 5 日（マス目のOCR）", "1 9 8 2 年 1 1 月 0 5 日"),
        ("Applicant's birth date 07/23/1991, a US form. Convert to Japanese format", "07/23/1991"),
        ("相談者は昭和41年生まれ。昭和41年9月30日と本人確認書類にあり", "昭和41年9月30日"),
        ("娘さんは令和2年の遅生まれで、12月3日生まれです", "令和2年"),
        ("誕生日 11/2 で H8 の方、成人式の案内は来年？", "H8"),
    ],
)
def test_birth_dates_told_in_pieces_or_boxes_are_masked(iwaki: Screener, text: str, gone: str) -> None:
    result = screen(iwaki, text)
    assert "birth_date" in kinds(result)
    assert gone not in result.masked_text


@pytest.mark.parametrize(
    ("text", "gone", "kind"),
    [
        ("返信先が⏎kenji.⏎watanabe@icloud.com⏎と2行に分かれていた", "watanabe@icloud.com", "email"),
        ("被災した住家：前橋市富士見町石井乙45　罹災証明の説明文を", "乙45", "address"),
        ("Mailing address: 2201 Pine Ave, Unit 12, Seattle WA 98101. Reply", "2201 Pine Ave", "address"),
        ("会議録を整えて⏎司会 高畑：始めます⏎市民 真鍋：質問です", "真鍋", "person_name"),
        ("会議録を整えて⏎浅沼(区長)：了解⏎北条：反対", "浅沼", "person_name"),
        ("娘の美咲が熱を出したと保護者から連絡", "美咲", "person_name"),
    ],
)
def test_contacts_addresses_and_names_are_masked(iwaki: Screener, text: str, gone: str, kind: str) -> None:
    result = screen(iwaki, text)
    assert kind in kinds(result)
    assert gone not in result.masked_text


@pytest.mark.parametrize(
    "text",
    [
        "息子の学校が休校になったので、在宅勤務の申請文を",
        "ごごさんじからのかいぎ、かいじょうはどこですか",
        "会議メモ⏎事務局：資料説明⏎質問：なし",
    ],
)
def test_ordinary_words_after_the_same_cues_are_left_alone(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert "person_name" not in kinds(result), [(f.kind, f.display) for f in result.findings]
