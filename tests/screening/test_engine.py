"""Screener contract: actions, offsets into the original text, masking, confirmation, kinds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.screening import KINDS, Action, PseudonymTable, Screener, ScreeningPolicy

_SCREENER = Screener(ScreeningPolicy.default())
_PIECES = [
    "マイナンバー",
    "個人番号 ",
    "123456789018",
    "１２３４",
    "ー",
    "-",
    " ",
    "\u200b",
    "普通 ",
    "7654321",
    "村田",
    "英樹",
    "さん",
    "様",
    "090-1234-5678",
    "前橋市",
    "南町",
    "4丁目2番8号",
    "ハイツ南202",
    "昭和40年1月1日",
    "生",
    "部外秘",
    "予定価格",
    "とは",
    "、",
    "。",
    "\n",
    "a",
    "@",
    "example.com",
    "〒970-8686",
    "Dear ",
    "Mr. ",
    "Smith",
]


def test_action_order() -> None:
    assert Action.ALLOW < Action.MASK < Action.CONFIRM < Action.BLOCK
    assert max([Action.MASK, Action.BLOCK, Action.CONFIRM]) is Action.BLOCK
    assert Action.strongest([]) is Action.ALLOW
    assert Action.BLOCK == "block"


def test_allow_returns_the_text_itself(screener: Screener) -> None:
    text = "市民まつりの開催案内を300字以内で"
    result = screener.screen(text)
    assert result.action is Action.ALLOW
    assert result.masked_text == text
    assert result.findings == ()


def test_findings_refer_to_the_original_text(screener: Screener) -> None:
    text = "ＴＥＬ：０９０\u200bー１２３４ー５６７８　担当：村田英樹さん"
    result = screener.screen(text)
    phone = next(f for f in result.findings if f.kind == "phone")
    name = next(f for f in result.findings if f.kind == "person_name")
    assert text[phone.start : phone.end] == "０９０\u200bー１２３４ー５６７８"
    assert text[name.start : name.end] == "村田英樹"
    assert result.masked_text == "ＴＥＬ：〔電話番号1〕　担当：〔人名1〕さん"


@pytest.mark.parametrize(
    "joiner",
    [
        "\u200b",
        "\u200d",
        "\u2060",
        "\ufeff",
        "\u00ad",
        "\u202e",
        "\u2066",
        " ",
        "　",
        "-",
        "ー",
        "－",
        "‐",
        ".",
        "/",
        "・",
    ],
)
def test_separators_and_invisible_characters_never_let_a_my_number_through(
    screener: Screener, joiner: str
) -> None:
    number = joiner.join("123456789018")
    result = screener.screen(f"個人番号 {number} の件")
    assert result.action is Action.BLOCK
    assert "1234" not in result.masked_text.replace(joiner, "")


def test_block_never_exposes_the_value(screener: Screener) -> None:
    result = screener.screen("マイナンバー 1234-5678-9018 と口座 普通 7654321")
    assert result.action is Action.BLOCK
    assert "5678" not in result.masked_text
    assert "7654321" not in result.masked_text
    displays = [f.display for f in result.findings]
    assert "1234 **** **18" in displays
    assert all("7654321" not in d for d in displays)


def test_confirm_and_confirmed(screener: Screener) -> None:
    text = "部外秘：村田英樹さんの人事評価結果を要約"
    held = screener.screen(text)
    assert held.action is Action.CONFIRM
    assert {f.category for f in held.findings if f.kind == "confidential"} == {"operations"}
    released = screener.screen(text, confirmed=True)
    assert released.action is Action.MASK
    assert released.masked_text == "部外秘：〔人名1〕さんの人事評価結果を要約"
    blocked = screener.screen(text + " マイナンバー123456789018", confirmed=True)
    assert blocked.action is Action.BLOCK


def test_unlabelled_my_number_is_blocked_and_other_labels_clear(screener: Screener) -> None:
    # Issue 10: identifiers fail safe — a valid check digit blocks (it used to ask for confirmation).
    assert screener.screen("121212121217 が書いてあった").action is Action.BLOCK
    assert screener.screen("受付番号ではなく121212121217が書いてあった").action is Action.BLOCK
    assert screener.screen("121212121217 が書いてあった", confirmed=True).action is Action.BLOCK
    assert screener.screen("伝票番号776655443329の請求書").action is Action.ALLOW
    assert screener.screen("121212121218 が書いてあった").action is Action.ALLOW


def test_counts_and_labels(screener: Screener) -> None:
    result = screener.screen("佐藤さんと田中さん（090-1111-2222）。法人番号 4011001098993")
    assert result.counts() == {"person_name": 2, "phone": 1, "corporate_number": 1}
    assert {f.label for f in result.findings} == {"人名", "電話番号", "法人番号"}
    assert all(f.kind in KINDS for f in result.findings)


def test_postal_code_alone_is_allowed_but_masked_with_an_address(screener: Screener) -> None:
    assert screener.screen("郵便番号 371-8601 の書き方").action is Action.ALLOW
    result = screener.screen("〒970-0101 いわき市平下神谷字出口1番地")
    assert result.action is Action.MASK
    assert "970-0101" not in result.masked_text


def test_policy_actions_apply() -> None:
    policy = ScreeningPolicy.from_mapping({"actions": {"bank_account": "mask", "person_name": "block"}})
    screener = Screener(policy)
    result = screener.screen("口座番号 1234567")
    assert result.action is Action.MASK
    assert result.masked_text == "口座番号 〔口座番号1〕"
    assert screener.screen("村田英樹さん").action is Action.BLOCK


def test_pseudonyms_argument_is_mutated(screener: Screener) -> None:
    table = PseudonymTable()
    screener.screen("村田英樹さん", table)
    assert len(table) == 1
    assert table.restore("〔人名1〕") == "村田英樹"


def test_lone_surrogates_and_control_characters_do_not_break_screening(screener: Screener) -> None:
    result = screener.screen("田中さん\ud800です\x00\x1b[31m 090-1234-5678 \udfff")
    assert result.masked_text == "〔人名1〕さん\ud800です\x00\x1b[31m 〔電話番号1〕 \udfff"


def test_empty_and_huge_texts(screener: Screener) -> None:
    assert screener.screen("").action is Action.ALLOW
    big = "市民まつりの案内。" * 2000
    assert screener.screen(big).action is Action.ALLOW


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
def test_any_text_screens_consistently(text: str) -> None:
    result = _SCREENER.screen(text)
    assert result.action is Action.strongest(f.action for f in result.findings)
    for f in result.findings:
        assert 0 <= f.start < f.end <= len(text)
        assert f.kind in KINDS
        if f.action is Action.BLOCK and f.kind != "custom_term":
            digits = "".join(c for c in text[f.start : f.end] if c.isdigit())
            assert digits not in "".join(c for c in result.masked_text if c.isdigit()) or len(digits) < 6
    if result.action is Action.ALLOW:
        assert result.masked_text == text
