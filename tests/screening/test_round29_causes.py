"""Causes found by round 29 (an independent writer, scored unseen on 4 Dec 2026, session 14: see the
README and tests/screening/redteam/heldout/README.md), each fixed in the rules and checked here on
sentences written for this file, not the round's own."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener
from tests.screening.causes import kinds, screen


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # the resident code described by where it is printed
        ("住民票の右上のコード 2208-113-4470 を控えてと言われた", "resident_code"),
        # a residence card read out piece by piece, the label after it
        ("読み上げます：ＴＸ、１２、３４、５６、７８、ＢＣ　これが在留カードの番号", "residence_card"),
    ],
)
def test_identifiers_described_or_read_out_are_blocked(iwaki: Screener, text: str, kind: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.BLOCK
    assert kind in kinds(result)


@pytest.mark.parametrize(
    "text",
    [
        "振込先 東邦銀行 平支店 普通 1234567 口座名義：サトウ タロウ をホームページに",
        "口座 普通 7654321 口座名義：いわき市民 花子 を掲載して",
    ],
)
def test_a_persons_account_stays_blocked_even_when_published(iwaki: Screener, text: str) -> None:
    assert screen(iwaki, text).action is Action.BLOCK


def test_a_list_read_out_without_a_card_label_is_left_alone(iwaki: Screener) -> None:
    assert screen(iwaki, "会議室はＡＢ、１２、３４、５６、７８、ＣＤの順に使います").action is Action.ALLOW


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("申請者は79年11月3日生まれです。手当の区分を教えて", "79年11月3日"),
        ("生年月日⏎1988年⏎2月⏎29日⏎を1行に", "2月"),
        ("name: Lukas Becker, arrival next week. Draft a welcome note.", "Lukas Becker"),
        ("The caller lives at 2-14 Taira, Iwaki and asked about the bus.", "2-14 Taira"),
        ("박서연 さんから通訳の依頼がありました", "박서연"),
        # a date of birth said by voice input, its numbers read out in kana
        ("たんじょうびは へいせい にじゅうさんねん くがつ とおか です", "にじゅうさんねん"),
    ],
)
def test_birth_dates_names_and_addresses_are_masked(iwaki: Screener, text: str, gone: str) -> None:
    assert gone not in screen(iwaki, text).masked_text.replace("\n", "⏎")


@pytest.mark.parametrize(
    "text",
    [
        "徳川家康は天文11年12月26日生まれとされる。西暦に直すと？",
        "25年4月1日から施行の改正点をまとめて",
        "Make an example form with placeholder values, Name: HANAKO SUZUKI, for the guide.",
        # the city's own published account, its holder named
        "ふるさと納税の振込先（東邦銀行 本店 普通 3344556 口座名義：いわき市会計管理者）"
        "をホームページに載せる文を",
        # a label word as a stand-in surname in a template
        "名札のひな形を作って。名前は「名前 花子」で",
        # さん inside a verb said by voice input is no honorific
        "ぜんぶの ねんれいを けいさんして へいきんを だして",
    ],
)
def test_history_dates_and_stand_ins_pass(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.ALLOW, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        # a DV victim's request received, the perpetrator named by relation
        "DV被害の相談者から支援措置の申出を受理した。加害者は元夫とのこと。窓口での注意点を整理して",
        # an anonymous letter about a contractor
        "差出人のない手紙で、清掃の委託先が人数を水増し請求していると書かれていた。対応方針を考えて",
        # the same matters told in English
        "A detective called and wants to know where a certain resident works now. How do I reply?",
        "One of the residents on our list has not paid property tax since 2022; we plan to seize her car.",
        "Tenders close on Monday and the ceiling price is 24 million yen. Draft a reminder to bidders.",
    ],
)
def test_confidential_matters_ask(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.CONFIRM, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        # material for an audience, a warning to staff, an outline, a general notice
        "新任職員向けに、要保護児童対策地域協議会の役割を説明する資料を作って",
        "公表前の資料を私物のスマホで撮らないよう注意喚起する文を作って",
        "地方税法の滞納処分の概要",
        "Draft a general notice that unpaid water bills may lead to the supply being stopped.",
        "What is a ceiling price in public tenders, in general?",
    ],
)
def test_general_questions_about_the_same_words_pass(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.ALLOW, [(f.kind, f.display) for f in result.findings]
