"""The concise-prompt coaching rule and tip."""

from __future__ import annotations

import pytest

from bot.core.quota import coaching_tip, has_length_instruction, needs_coaching
from bot.core.storage.base import Storage
from tests.quota.conftest import Clock, make_service, quota_policy

POLICY = quota_policy(long_prompt_chars=800, max_answer_chars=2000)


@pytest.mark.parametrize(
    "prompt",
    [
        "300字以内で回答ください",
        "箇条書きで回答ください",
        "簡潔に教えて",
        "三行でまとめて",
        "要点だけ",
        "５項目で",
        "in 100 words",
    ],
)
def test_length_instructions_are_recognised(prompt: str) -> None:
    assert has_length_instruction(prompt)


def test_rule() -> None:
    long_prompt = "市民まつりの案内文を作ってください。" * 60
    assert needs_coaching(long_prompt, 100, POLICY)
    assert not needs_coaching(long_prompt + "300字以内で。", 100, POLICY)
    assert needs_coaching("案内文を作って", 1500, POLICY)  # long answer (≥ 3/4 of 2,000)
    assert not needs_coaching("案内文を作って", 1499, POLICY)
    assert not needs_coaching("案内文を箇条書きで", 2000, POLICY)


async def test_tip_at_most_once_a_day(sqlite_storage: Storage, clock: Clock) -> None:
    quota = make_service(sqlite_storage, clock)
    assert await coaching_tip(quota, "u", "短い質問", 100, POLICY) is None
    assert await coaching_tip(quota, "u", "案内文を作って", 1800, POLICY) == POLICY.coaching_tip
    assert await coaching_tip(quota, "u", "案内文を作って", 1800, POLICY) is None
    clock.advance(days=1)
    assert await coaching_tip(quota, "u", "案内文を作って", 1800, POLICY) == POLICY.coaching_tip


async def test_tip_is_skipped_when_storage_fails(sqlite_storage: Storage, clock: Clock) -> None:
    quota = make_service(sqlite_storage, clock)
    await sqlite_storage.close()
    assert await coaching_tip(quota, "u", "案内文を作って", 1800, POLICY) is None
