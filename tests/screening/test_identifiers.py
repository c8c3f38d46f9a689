"""Identifiers fail safe (issue 10): labels in every form, numbers split by layout, pieces, OCR.

Every example here is new (written for these tests, not taken from the red-team sets).
"""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener, ScreeningPolicy
from bot.core.screening.checkdigits import my_number_ok

VALID = "246813579021"  # passes the My Number check digit
assert VALID.isdigit()


def _action(screener: Screener, text: str) -> Action:
    return screener.screen(text).action


def test_a_valid_check_digit_is_blocked_wherever_it_stands(screener: Screener) -> None:
    assert my_number_ok(VALID)
    assert _action(screener, f"メモ：{VALID}（裏面に記載）") is Action.BLOCK
    assert _action(screener, f"{VALID}") is Action.BLOCK
    assert _action(screener, f"090-2222-3333 {VALID[:4]} {VALID[4:8]} {VALID[8:]}") is Action.BLOCK


def test_another_numbers_label_clears_it(screener: Screener) -> None:
    assert _action(screener, f"到達番号 {VALID} の申請を確認") is Action.ALLOW
    assert _action(screener, f"申込番号：{VALID}") is Action.ALLOW
    assert _action(screener, f"前市第{VALID}号の通知") is Action.ALLOW


def test_confirmation_never_releases_a_block_class_kind(screener: Screener) -> None:
    text = f"部外秘の名簿です。{VALID}"
    assert screener.screen(text).action is Action.BLOCK
    assert screener.screen(text, confirmed=True).action is Action.BLOCK


def test_a_policy_cannot_weaken_the_unlabelled_my_number() -> None:
    with pytest.raises(ValueError, match="must be 'block'"):
        ScreeningPolicy.from_mapping({"unlabelled_my_number": "confirm"})
    assert (
        ScreeningPolicy.from_mapping({"unlabelled_my_number": "block"}).unlabelled_my_number is Action.BLOCK
    )


@pytest.mark.parametrize(
    "label",
    [
        "まいなんばー",
        "マイナンバ",
        "個番",
        "ｺｼﾞﾝﾊﾞﾝｺﾞｳ",
        "kojin bango",
        "Individual Number",
        "マイナン―バー",
        "個人─番号",
    ],
)
def test_my_number_labels_in_every_form(screener: Screener, label: str) -> None:
    assert _action(screener, f"{label} 1111 2222 3334 を確認") is Action.BLOCK


@pytest.mark.parametrize(
    "text",
    [
        "Basic Pension No: 2468-135790",
        "Driver's License 3333 4444 5555",
        "住基コード 13579246801",
        "被保番 24681357",
        "Account No. 7654312 (Joyo Bank)",
        "Residence Card No. PQ24681357ZX",
    ],
)
def test_other_identifier_labels_in_english_and_short_forms(screener: Screener, text: str) -> None:
    assert _action(screener, text) is Action.BLOCK


def test_digit_groups_are_joined_across_lines_and_cells(screener: Screener) -> None:
    assert _action(screener, "個人番号\n1111\n2222\n3334\nを転記") is Action.BLOCK
    assert _action(screener, "マイナンバー記入欄\n|1111|2222|3334|") is Action.BLOCK
    assert _action(screener, "カード番号\n4111 1111\n1111 1111\nの決済") is Action.BLOCK


def test_a_csv_header_labels_its_column(screener: Screener) -> None:
    text = "no,kokuho_bango,kubun\n1,13572468,a\n2,24681357,b\n並べ替えて"
    assert _action(screener, text) is Action.BLOCK
    harmless = "no,uketsuke_no,kubun\n1,13572468,a\n2,24681357,b\n並べ替えて"
    assert _action(screener, harmless) is Action.ALLOW


def test_a_number_given_in_pieces_near_its_label(screener: Screener) -> None:
    assert _action(screener, "マイナンバーは最初が 1111 2222、続きが 3334 です") is Action.BLOCK
    assert _action(screener, "被保険者番号は 24 の 681 の 357 でした") is Action.BLOCK


def test_a_label_anywhere_in_the_message_claims_a_number_of_its_shape(screener: Screener) -> None:
    text = "基礎年金番号を聞かれました。書類を見たら「1357-246802」とありました。"
    assert _action(screener, text) is Action.BLOCK


def test_ocr_look_alikes_only_between_digits(screener: Screener) -> None:
    assert _action(screener, "個人番号 1l11 2222 3O34 の読み取り") is Action.BLOCK
    assert _action(screener, "Oslo and Lille 2024 の視察報告") is Action.ALLOW


def test_obvious_dummies_in_a_specimen_are_not_identifiers(screener: Screener) -> None:
    assert _action(screener, "記入例：口座番号は 2345678 のようなダミーで") is Action.ALLOW
    assert _action(screener, "口座番号 2345678 に振り込んで") is Action.BLOCK


def test_blocked_records_keep_no_loose_digits(screener: Screener) -> None:
    result = screener.screen("マイナンバーは前半 1111 2222、後半 3334")
    assert result.action is Action.BLOCK
    assert not any(c.isdigit() for c in result.masked_text)
