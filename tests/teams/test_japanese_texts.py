"""Japanese that reads naturally: dates, versions, labels (the first-hour items of the Teams issue)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.cli.audit import verify_text
from bot.core.audit import VerifyReport
from bot.core.policy import load_policy
from bot.ui.access import cards as access_cards
from bot.ui.access import texts as access_texts
from bot.ui.common import help_text, month_ja, version_ja
from bot.ui.quota.texts import over_quota, reset_ja
from bot.ui.templates.cards import form_card


def test_months_and_resets_read_as_japanese_dates() -> None:
    assert month_ja("2026-12") == "2026年12月"
    assert month_ja("2027-01") == "2027年1月"
    reset = datetime(2026, 12, 31, 15, 0, tzinfo=UTC)  # 2027-01-01 00:00 in Japan
    assert reset_ja(reset) == "1月1日 0時"
    message = over_quota("org", 10_000_000, 10_000_000, reset, "情報政策課")
    assert "1月1日 0時から" in message
    assert "JST" not in message


def test_guideline_versions_read_as_editions() -> None:
    assert version_ja("2024-04-15") == "2024年4月15日版"
    assert version_ja("1.0 (2023-10-26)") == "1.0版（2023年10月26日）"
    card = access_cards.consent_card(load_policy("iwaki"))
    assert "（2024年4月15日版）" in str(card)
    assert "2024-04-15）" not in str(card)


def test_help_puts_the_title_on_its_own_line_and_lists_only_existing_admin_commands() -> None:
    iwaki = help_text(load_policy("iwaki"), is_admin=True).split("\n")
    assert iwaki[1] == "", "the title is a line of its own"
    assert "承認待ち" not in iwaki[-1], "Iwaki has no approval step"
    assert "承認待ち" in help_text(load_policy("maebashi"), is_admin=True)


def test_optional_labels_are_not_doubled() -> None:
    policy = load_policy("iwaki")
    for template in policy.templates:
        assert "（任意）（任意）" not in str(form_card(policy, template))


def test_revoke_card_says_who_reads_the_reason_and_consent_success_is_not_a_warning() -> None:
    revoke = str(access_cards.revoke_card([("市役所 太郎（総務課）", "u1")]))
    assert access_texts.REVOKE_REASON_LABEL == "利用停止の理由（対象の職員に通知されます）"
    assert access_texts.REVOKE_REASON_LABEL in revoke
    policy = load_policy("maebashi")
    note = access_texts.consent_recorded_apply(policy)
    card = access_cards.application_card(policy, note=note, note_ok=True)
    [block] = [b for b in card["body"] if b.get("text") == note]
    assert block["color"] == "Good"


def test_audit_verify_explains_what_a_partition_is() -> None:
    text = verify_text(VerifyReport(month="2026-11"))
    assert text.startswith("2026年11月: ")
    assert "区画：" in text


def test_every_refreshing_card_lists_at_most_60_users() -> None:
    from bot.core.tickets import Ticket  # noqa: PLC0415
    from bot.ui.support.cards import question_card  # noqa: PLC0415

    ids = [f"29:user-{i}" for i in range(100)]
    ticket = Ticket(
        "question", "t1", "open", {"question": "使い方を教えてください", "asker_name": "市役所 太郎"}
    )
    card = question_card(load_policy("iwaki"), ticket, answer_form=False, refresh_ids=ids)
    assert len(card["refresh"]["userIds"]) == 60
