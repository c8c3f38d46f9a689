"""ScreeningPolicy parsing: defaults, city sections, and errors that name the key."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.policy import load_policy
from bot.core.screening import Action, Screener, ScreeningPolicy


def test_defaults() -> None:
    policy = ScreeningPolicy.default()
    assert policy.action_for("my_number") is Action.BLOCK
    assert policy.action_for("person_name") is Action.MASK
    assert policy.action_for("confidential") is Action.CONFIRM
    assert policy.action_for("corporate_number") is Action.ALLOW
    assert policy.unlabelled_my_number is Action.BLOCK
    assert ScreeningPolicy.from_mapping({}) == policy


def test_overrides_and_lists() -> None:
    policy = ScreeningPolicy.from_mapping(
        {
            "actions": {"phone": "allow", "bank_account": "mask"},
            "public_contacts": ["027-224-1111"],
            "allow_names": ["山本龍"],
            "block_terms": ["Project-X"],
            "confirm_terms": {"operations": ["見積合わせ結果"], "marking": ["関係者限り"]},
            "benign_phrases": ["秘伝のたれ"],
            "other_number_labels": ["工事番号"],
            "unlabelled_my_number": "block",
        }
    )
    assert policy.action_for("phone") is Action.ALLOW
    assert policy.action_for("bank_account") is Action.MASK
    assert policy.action_for("person_name") is Action.MASK
    assert policy.confirm_terms["operations"] == ("見積合わせ結果",)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"colour": "red"}, "unknown key 'colour'"),
        ({"actions": {"phone": "hide"}}, "actions.phone must be one of allow, mask, confirm, block"),
        ({"actions": {"telephone": "mask"}}, "actions.telephone: unknown kind"),
        ({"actions": {"my_number": "mask"}}, "actions.my_number must stay 'block'"),
        ({"actions": {"confidential": "mask"}}, "actions.confidential cannot be 'mask'"),
        ({"actions": ["phone"]}, "actions must be a table"),
        ({"public_contacts": "0246-22-7412"}, "public_contacts must be a list of strings"),
        ({"allow_names": ["", "x"]}, "allow_names must not contain empty strings"),
        ({"block_terms": [1]}, "block_terms must be a list of strings"),
        ({"confirm_terms": {"secret": ["x"]}}, "confirm_terms.secret: unknown category"),
        ({"confirm_terms": {"operations": "x"}}, "confirm_terms.operations must be a list of strings"),
        ({"unlabelled_my_number": True}, "unlabelled_my_number must be one of"),
        ({"unlabelled_my_number": "confirm"}, "unlabelled_my_number must be 'block'"),
    ],
)
def test_errors_name_the_key(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        ScreeningPolicy.from_mapping(raw)


def test_not_a_table() -> None:
    with pytest.raises(ValueError, match="must be a table"):
        ScreeningPolicy.from_mapping(["x"])  # type: ignore[arg-type]


def test_city_sections_load() -> None:
    iwaki = load_policy("iwaki").screening
    maebashi = load_policy("maebashi").screening
    assert "0246-22-7412" in iwaki.public_contacts
    assert "0246-22-7560" in iwaki.public_contacts
    assert isinstance(maebashi, ScreeningPolicy)


def test_city_public_contacts_pass(iwaki: Screener, maebashi: Screener) -> None:
    assert iwaki.screen("FAX 0246-22-7560 に送信").action is Action.ALLOW
    assert iwaki.screen("いわき市平字梅本21の市役所").action is Action.ALLOW
    assert maebashi.screen("前橋市大手町2-12-1 の本庁舎").action is Action.ALLOW
    assert iwaki.screen("FAX 0246-22-7561 に送信").action is Action.MASK


def test_policy_words_take_effect() -> None:
    screener = Screener(
        ScreeningPolicy.from_mapping(
            {
                "block_terms": ["Project-X"],
                "allow_names": ["山本龍"],
                "confirm_terms": {"operations": ["見積合わせ結果"]},
                "benign_phrases": ["秘伝のたれ"],
                "other_number_labels": ["工事番号"],
            }
        )
    )
    assert screener.screen("ＰＲＯＪＥＣＴ－Ｘ の資料").action is Action.BLOCK
    assert screener.screen("山本龍市長のあいさつ").action is Action.ALLOW
    result = screener.screen("見積合わせ結果を表に")
    assert result.action is Action.CONFIRM
    assert result.findings[0].category == "operations"
    assert screener.screen("秘伝のたれの作り方").action is Action.ALLOW
    assert screener.screen("工事番号 123456789018 の件").action is Action.ALLOW
