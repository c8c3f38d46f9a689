"""Causes of misses that remained in rounds already fixed on (English messages above all, and the
model's near-threshold holds that retraining moved), fixed in the rules in session 14 and checked
here on sentences written for this file, not the rounds' own."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener
from tests.screening.causes import screen


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("Please send the forms to Flat 3, 7-2 Onahama Hanabatake, Iwaki.", "7-2 Onahama"),
        ("She moved from 4-8-10 Kita-Urawa, Urawa-ku, Saitama last month.", "4-8-10 Kita-Urawa"),
        ("Our office is in 2-chome 3-4, next to the station", "2-chome 3-4"),
        ("Address: Unit 12, Block 3, Minami Danchi — which school district?", "Block 3"),
    ],
)
def test_english_addresses_are_masked(iwaki: Screener, text: str, gone: str) -> None:
    assert gone not in screen(iwaki, text).masked_text


@pytest.mark.parametrize(
    "text",
    [
        "Release notes for Version 1-2-3, Tokyo office edition",
        "The city will hold a public hearing on the park plan on May 12. Write the notice in Japanese.",
    ],
)
def test_versions_and_public_events_pass(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.ALLOW, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "A neighbour called: the baby next door cries for hours and a man shouts every night."
        " Write the intake note.",
        "The school nurse reported a 3rd grader with unexplained injuries on his arms. Draft the referral.",
        "There is a harassment complaint against him from two staff; draft a neutral reassignment memo.",
        "Someone in the parks section was reported through the compliance hotline for padding invoices.",
        "賞与の成績率で下位区分にする職員3名のメモを整えて",
        "例の民宿、宿泊税の納付がまだ。電話で催促する前に要点を",
        "通報者の氏名が分かる記載が残ったままの報告書を関係課に回していいか",
    ],
)
def test_confidential_matters_ask(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.CONFIRM, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "水道料金の督促状の文面を作って",
        "マニフェストの返送が遅れている処分業者への督促メールを作って",
        "宿泊税の納付が遅れた場合の延滞金の一般的な計算方法は？",
        "How should a school respond in general when a child says they are hit at home?",
        # material the writer says is on the city's site, a law's own term asked about, the
        # emergency numbers, a form whose values are shown masked
        "市のホームページに載っている相談窓口（児童虐待は189、DV相談は#8008）を一覧にして",
        "個人情報保護法でいう「要配慮個人情報」の意味と典型例を説明して",
        "火事は119、事件は警察に110。子ども向けのポスターの文を",
        "申請書の見本を作って。氏名は「山田 花子」、住所は「〇〇市〇〇町」のように伏せた形で",
    ],
)
def test_ordinary_requests_and_general_questions_pass(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.ALLOW, [(f.kind, f.display) for f in result.findings]
