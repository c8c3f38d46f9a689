"""Identifiers the fuzzer found reaching the model, pinned through the real endpoint.

Found by test_fuzz_activities.py (derandomized hypothesis) on 2026-11-22: a phone number written
right after a Latin label — 「TEL090-1234-5678」, common in Japanese letters and signatures — was
not masked (bot/core/screening/detectors/contact.py refused a match preceded by an ASCII letter, a rule
meant for product codes). Fixed in screening the same day; this keeps it fixed.
"""

from __future__ import annotations

from tests.fakes.battery import agree, drain, leaks, model_env, sent_texts
from tests.fakes.openai_server import FakeOpenAI
from tests.teams.harness import BotHarness

GLUED = [
    "TEL090-1234-5678",
    "TEL09012345678",
    "tel０９０－１２３４－５６７８",
    "携帯TEL080-9876-5432",
    "TEL0\u200b9\u200b0\u202e1234\u200d5678",
]


async def test_phone_number_glued_to_a_latin_label_never_reaches_the_model(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await harness.start(**model_env(fake_openai))
    await agree(harness)
    for text in GLUED:
        await harness.post(harness.message(f"{text}。折り返しの文面を作って"))
        await drain(harness)
    assert len(fake_openai.requests) == len(GLUED), "each was sent (masked), none held back"
    sent = sent_texts(fake_openai)
    leaked = [t for t in GLUED for s in sent if leaks(t, s)]
    assert leaked == [], f"reached the model: {leaked}"
