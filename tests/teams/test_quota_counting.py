"""The policy decides whether history and the system prompt count towards the monthly cap."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from bot.core.dialog import system_prompt
from bot.teams.app import SERVICES
from tests.teams.harness import USER_OID, BotHarness, policy_without_consent


async def _used(harness: BotHarness, above: int = 0) -> int:
    """The organisation's used characters once the turn has settled (settlement follows the reply)."""
    assert harness.server is not None
    services = harness.server.app[SERVICES]
    for _ in range(200):
        snapshot = await services.quota.snapshot(USER_OID)
        if snapshot.org.used > above and snapshot.org.reserved == 0:
            return snapshot.org.used
        await asyncio.sleep(0.02)
    raise AssertionError("the turn was not settled")


async def test_only_the_screened_text_and_answer_count_by_default(harness: BotHarness) -> None:
    await harness.start()
    await harness.post(harness.message("市民まつりの案内"))
    [final] = await harness.connector.wait_messages(1)
    answer = final["text"].split("\n\n---\n")[0]
    assert await _used(harness) == len("市民まつりの案内") + len(answer)


async def test_system_prompt_and_history_count_when_the_policy_says_so(
    harness: BotHarness, tmp_path: Path
) -> None:
    base = policy_without_consent(tmp_path).read_text(encoding="utf-8")
    policy = tmp_path / "counting.toml"
    policy.write_text(
        base.replace("count_history = false", "count_history = true").replace(
            "count_system_prompt = false", "count_system_prompt = true"
        ),
        encoding="utf-8",
    )
    await harness.start(BOT_POLICY=str(policy))
    await harness.post(harness.message("一つ目"))
    [first] = await harness.connector.wait_messages(1)
    after_first = await _used(harness)
    assert harness.server is not None
    prompt = system_prompt(harness.server.app[SERVICES].policy, datetime.now(UTC))
    first_answer = first["text"].split("\n\n---\n")[0]
    assert after_first == len(prompt) + len("一つ目") + len(first_answer)
    await harness.post(harness.message("二つ目"))
    second = (await harness.connector.wait_messages(2))[1]
    second_answer = second["text"].split("\n\n---\n")[0]
    history = len("一つ目") + len(first_answer)
    assert await _used(harness, above=after_first) - after_first == len(prompt) + history + len(
        "二つ目"
    ) + len(second_answer)
