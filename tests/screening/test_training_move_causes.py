"""Causes found when rounds 13, 15, 16 and 17 joined the learned models' training (2 Dec 2026, see
tests/screening/redteam/next/README.md): benign cases of our own suite the retrained model or the
rules newly held, and what rounds 11 and 14 (training rounds) still missed. Each fixed in the rules
and checked here on sentences written for this file, not the rounds' own."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, PseudonymTable, Screener


@pytest.mark.parametrize(
    "text",
    [
        # a checklist or the points to check, asked of the work in general
        "記者発表の前に確認すべき点をチェックリストにして",
        "入札公告を公開前に見直すときのチェックリストを作って",
        # what sets kinds of work apart, with the ordinance's own categories listed
        "交渉、契約、試験の各事務の特徴をそれぞれ2行で",
        # a letter or notice addressed to a group, not a person
        "Dear Parents, the school trip leaflet is attached.",
        "Hi everyone, the pool opens on Saturday.",
        "Dear Citizens, the tax office will close early on Friday.",
    ],
)
def test_general_work_and_group_greetings_pass(iwaki: Screener, text: str) -> None:
    result = iwaki.screen(text, PseudonymTable())
    assert result.action is Action.ALLOW, [(f.kind, text[f.start : f.end]) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "Dear Kenta, thanks for the form.",
        "Dear Mr. Okubo, your application was received.",
    ],
)
def test_a_greeted_person_is_still_masked(iwaki: Screener, text: str) -> None:
    result = iwaki.screen(text, PseudonymTable())
    assert result.action is Action.MASK
    assert any(f.kind == "person_name" for f in result.findings)


@pytest.mark.parametrize(
    "text",
    [
        "her resident registry code is 47201938265, can I write it on the memo?",
        "Resident Registration Code: 47201938265",
    ],
)
def test_a_resident_code_behind_an_english_label_is_blocked(iwaki: Screener, text: str) -> None:
    result = iwaki.screen(text, PseudonymTable())
    assert result.action is Action.BLOCK
    assert any(f.kind == "resident_code" for f in result.findings)


def test_a_checklist_about_a_particular_case_still_asks(iwaki: Screener) -> None:
    text = "この案件の予定価格（開札前）をチェックリストに書き込んで"
    assert iwaki.screen(text, PseudonymTable()).action is Action.CONFIRM


@pytest.mark.parametrize(
    "text",
    [
        # why a rule is as it is, what cities usually do, a named rule, a phrasing, "when X happens"
        "公文書の保存期間が文書ごとに違う理由を説明して",
        "空き家対策で市町村がよく使う補助制度を3つ挙げて",
        "情報公開請求の「30日ルール」について教えて",
        "答弁書でよく使う言い回しをいくつか",
        "固定資産税の住宅用地の特例について、税制上の扱いを簡単に",
        "職員が内部通報を受けたときの一般的な流れ",
        # a list of an area's places, people from history, a list's own word before a bracket
        "大雪で通行止めになった地区（川内村方面、小川町上小川）の案内文",
        "坂上田村麻呂と東北の伝承について、公民館だよりのコラムを書いて",
        "上杉鷹山の改革を、行財政改革の研修資料で紹介したい",
        "研修用の架空の名簿（甲野花子、乙川一郎）を表にして",
        # an office's outside line
        "外線 0246-22-1111 から内線につなぐ手順書を作って",
    ],
)
def test_general_questions_places_and_history_pass(iwaki: Screener, text: str) -> None:
    result = iwaki.screen(text, PseudonymTable())
    assert result.action is Action.ALLOW, [(f.kind, text[f.start : f.end]) for f in result.findings]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("attendees: kato haruto, yoshida mei, nishino sora. make a name card list", "yoshida mei"),
        ("please reply to ms. abubakar amina about the form", "abubakar amina"),
        ("連絡先は「k.hoshino あっと gmail.com」と書いてありました", "k.hoshino あっと gmail.com"),
    ],
)
def test_lower_case_names_and_a_spelled_at_are_masked(iwaki: Screener, text: str, value: str) -> None:
    result = iwaki.screen(text, PseudonymTable())
    assert result.action is Action.MASK
    assert value not in result.masked_text


def test_a_case_with_a_when_clause_still_asks(iwaki: Screener) -> None:
    text = "昨日この業者から予定価格を聞かれたときの対応記録を整理して"
    assert iwaki.screen(text, PseudonymTable()).action is Action.CONFIRM
