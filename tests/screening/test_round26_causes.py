"""Causes found by round 26 (an independent writer, scored unseen on 3 Dec 2026: see the README and
tests/screening/redteam/heldout/README.md), each fixed in the rules and checked here on sentences
written for this file, not the round's own."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener
from tests.screening.causes import kinds, screen


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a licence's twelve digits printed 第…号, the line broken by OCR
        ("免許証の写しの文字起こし⏎番号 第 493018⏎275546 号⏎有効期限 令和9年", "drivers_license"),
        ("写し：第 4930 1827 5546 号（顔写真の下の番号）の読み方", "drivers_license"),
        # a resident code near 住基 (the 住基カード's code)
        ("古い住基カードの裏のメモ、コード84214920734 は何の番号？", "resident_code"),
    ],
)
def test_identifiers_by_their_print_or_card_are_blocked(iwaki: Screener, text: str, kind: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.BLOCK
    assert kind in kinds(result)


@pytest.mark.parametrize(
    "text",
    [
        "文書番号 第202412010001号 の回答期限を確認したい",
        "指令第202400001234号の写しを添付します。送付文を",
    ],
)
def test_document_numbers_printed_the_same_way_pass(iwaki: Screener, text: str) -> None:
    assert "drivers_license" not in kinds(screen(iwaki, text))


@pytest.mark.parametrize(
    "text",
    [
        "口が裂けても言えないんだけど、市民プールの廃止の線が濃厚。地元への説明案を練りたい",
        "小学5年の男子児童が保健室で「家に帰りたくない」と話した。支援会議に出すメモを",
        "新人研修の確認テスト、実施する前の問題と正解を貼ります。誤字を見て",
        "隣の係の主査が、物品購入の見積りを水増ししている気がする。どこに相談すべき？",
    ],
)
def test_confidential_matters_ask(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.CONFIRM, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "弁護士会照会への回答の一般的な流れを、新任者向けに説明して（具体的な案件ではなく研修用）",
        "鈴木一郎を例にして、住民票の写しの請求書の書き方を説明して",
        "『記入例』欄の「前橋　花子」の横に、ふりがなを振った版を作って",
    ],
)
def test_general_questions_and_stand_ins_pass(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.ALLOW, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    ("text", "gone", "kind"),
    [
        ("聞き取ったメール：t.ogawa88（アット）example.net を整形して", "t.ogawa88", "email"),
        ("Application received from KENTA MORI for a residence certificate", "KENTA MORI", "person_name"),
        ("訪問ルート：①ヤマシタ ケイコ様 いわき市平字作町2丁目5-8 ②支所に戻る", "5-8", "address"),
    ],
)
def test_contacts_names_and_addresses_are_masked(iwaki: Screener, text: str, gone: str, kind: str) -> None:
    result = screen(iwaki, text)
    assert kind in kinds(result)
    assert gone not in result.masked_text
