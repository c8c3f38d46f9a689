"""Causes found by round 32 (an independent writer asked for one ordinary week of a city hall's
messages; scored unseen on 4 Dec 2026, session 14: see the README and
tests/screening/redteam/heldout/README.md), each fixed in the rules and checked here on sentences
written for this file, not the round's own."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener
from tests.screening.causes import kinds, screen


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("在 留 カ ー ド 番 号 ： A B 1 2 3 4 5 6 7 8 C D（OCR）", "residence_card"),
        ("国民健康保険の番号は 31415926 です、と電話で", "health_insurance_number"),
        ("Her passport number is TR 5521 083; please draft the visa letter.", "passport"),
        ("免許証 第 3 0 1 2 4 5 6 7 8 9 0 1 号 を読み取った", "drivers_license"),
    ],
)
def test_identifiers_spaced_or_grouped_are_blocked(iwaki: Screener, text: str, kind: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.BLOCK
    assert kind in kinds(result)


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ('From: "Ana Souza" <ana.souza@example.net>', "Ana Souza"),
        ("Born 1988.11.02 — is she over 35?", "1988.11.02"),
        ("アットマークの前が「hana-chan.77」で後ろが「nifty.com」です", "hana-chan.77"),
        ("めーるは えー びー しー てん たなか あっと にふてぃ てん こむ です", "たなか"),
    ],
)
def test_contacts_and_dates_are_masked(iwaki: Screener, text: str, gone: str) -> None:
    assert gone not in screen(iwaki, text).masked_text


@pytest.mark.parametrize(
    "text",
    [
        "クリーンセンター（ごみ処理施設）所在地：前橋市六供町1-2-3。見学の案内を",
        "県庁の住所（前橋市大手町1-1-1）を案内文に",
        "Isaac Newton, born 4 January 1643, quiz card please",
        "アニメの主人公の誕生日は5月5日だそうです。クイズにして",
        "「内緒の話」を英語で自然に言うと？",
        "不正受給を防ぐために窓口で気をつけることを挙げて",
        "口座振替と窓口納付、滞納を減らす効果はどちらが高いと言われていますか",
    ],
)
def test_harmless_messages_pass(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.ALLOW, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "住民税の申告で、ある店だけ売上がやけに少ない。調べに行く前に確認することは？",
        "ある会社から固定資産税を分けて払いたいと相談。前回の約束は守られなかった",
        "南町のお宅の家屋評価に審査の申出が出ている件、説明の論点を",
        "となりの いえ から まいにち こども の なきごえ と どなりごえ が きこえる って れんらく が",
        "The police sent a request about a particular resident's address. How should we answer?",
        "不正に手当をもらっていた世帯を警察に届けると課で決めた。書類の構成を",
        "以下は通報窓口に届いたメールです。調査の担当者向けに要点をまとめて",
    ],
)
def test_confidential_matters_ask(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.CONFIRM, [(f.kind, f.display) for f in result.findings]
