"""The pure record builders: what each phase keeps, and that nothing unmasked is ever kept."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.core.audit.months import add_months, jst_display, jst_month, utc_iso
from bot.core.audit.record import event_record, from_fields, record_from_turn, to_fields
from bot.core.turn import Outcome
from tests.audit.conftest import MASKED, NOW, RAW_SECRET, blocked_turn, caller, model_turn


def stored_text(record: object) -> str:
    return json.dumps(to_fields(record), ensure_ascii=False)  # type: ignore[arg-type]


def test_start_record_keeps_the_masked_text_and_the_screening_summary() -> None:
    record = record_from_turn(model_turn(), "start", now=NOW)
    assert record.phase == "start"
    assert record.text == MASKED
    assert record.screening_action == "mask"
    assert record.screening_kinds == {"person_name": 1, "phone": 1}
    assert record.screening_categories == ("personal",)
    assert record.outcome is None
    assert (record.user_id, record.department, record.conversation_type) == (
        "user-1",
        "情報政策課",
        "personal",
    )
    assert record.month == "2026-11"
    assert record.time == "2026-11-22T09:41:03.000Z"


def test_end_record_keeps_the_answer_and_figures_but_not_the_text() -> None:
    record = record_from_turn(model_turn(), "end", now=NOW)
    assert record.text == ""
    assert record.answer.startswith("〔人名1〕様")
    assert (record.chars_in, record.chars_out, record.tokens_in, record.tokens_out) == (
        len(MASKED),
        21,
        30,
        20,
    )
    assert (record.model_name, record.deployment, record.outcome) == (
        "gpt-4o",
        "gpt-4o-prod",
        Outcome.ANSWERED,
    )


def test_single_record_of_a_blocked_turn_keeps_no_text_at_all() -> None:
    record = record_from_turn(blocked_turn(), "single", now=NOW)
    assert record.outcome is Outcome.BLOCKED
    assert record.screening_kinds == {"my_number": 1}
    assert record.text == record.answer == ""
    assert "1234" not in stored_text(record)


@pytest.mark.parametrize("phase", ["start", "end", "single"])
def test_no_phase_stores_raw_text_or_partly_hidden_values(phase: str) -> None:
    text = stored_text(record_from_turn(model_turn(), phase, now=NOW))  # type: ignore[arg-type]
    assert RAW_SECRET not in text
    assert "山田" not in text
    assert "**78" not in text


def test_fields_round_trip_and_refuse_mistyped_values() -> None:
    record = record_from_turn(model_turn(), "end", now=NOW)
    fields = to_fields(record)
    assert from_fields(fields) == record
    with pytest.raises(ValueError, match="chars_out"):
        from_fields({**fields, "chars_out": "21"})
    with pytest.raises(ValueError, match="phase"):
        from_fields({**fields, "phase": "middle"})
    with pytest.raises(ValueError, match="won"):
        from_fields({**fields, "outcome": "won"})


def test_event_record_carries_kind_details_and_caller() -> None:
    record = event_record(
        "admin.approve", {"application": "app-1", "when": NOW}, now=NOW, caller=caller(), feedback=""
    )
    assert (record.phase, record.event, record.user_id) == ("event", "admin.approve", "user-1")
    assert record.details == {"application": "app-1", "when": str(NOW)}  # made JSON-safe
    with pytest.raises(ValueError, match="kind"):
        event_record("", {}, now=NOW)


def test_event_phase_is_not_built_from_a_turn() -> None:
    with pytest.raises(ValueError, match="event_record"):
        record_from_turn(model_turn(), "event", now=NOW)


def test_months_follow_japan_time() -> None:
    assert jst_month(datetime(2026, 10, 31, 15, 0, tzinfo=UTC)) == "2026-11"  # 00:00 JST on the 1st
    assert jst_month(datetime(2026, 10, 31, 14, 59, tzinfo=UTC)) == "2026-10"
    assert add_months("2026-01", -1) == "2025-12"
    assert add_months("2025-11", 12) == "2026-11"
    assert jst_display(utc_iso(NOW)) == "2026-11-22 18:41:03"
