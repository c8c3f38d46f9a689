"""Helpers shared by the reliability and security battery (tests/reliability, tests/security).

Fixtures (imported by those packages' conftest files): `connector`, `fake_openai`, `harness`,
the same as tests/conftest.py provides. Helpers: test policy files, consenting a user
through the access feature's own card verb, waiting for background turns, reading the quota
and the records of the running bot, and the leak check of shared/eval/score_screening.py made
stricter (invisible characters removed before comparing).
"""

from __future__ import annotations

import asyncio
import re
import time
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any

from bot.core.audit import StoredRecord
from bot.core.audit.months import jst_month
from bot.core.clock import system_clock
from bot.teams.app import SERVICES, TASKS
from bot.teams.services import Services
from tests.fakes.openai_server import FakeOpenAI
from tests.teams.harness import USER_OID, BotHarness

AGREE_VERB = "access.agree"  # bot.ui.access.cards.AGREE (kept literal: the verb is the wire contract)


def model_env(fake: FakeOpenAI, **extra: str) -> dict[str, str]:
    """Environment that points the bot at the fake model server (no SDK retries, short timeout)."""
    return {
        "OPENAI_API_KEY": "sk-test",
        "OPENAI_BASE_URL": fake.base_url,
        "OPENAI_MODEL": "gpt-test",
        "MODEL_MAX_RETRIES": "0",
        "MODEL_TIMEOUT_SECONDS": "2",
        **extra,
    }


def policy_file(directory: Path, base: str = "iwaki", **settings: str | int | bool) -> Path:
    """A copy of a shipped policy with `key = value` lines replaced (first occurrence of each key)."""
    text = resources.files("bot.core.policies").joinpath(f"{base}.toml").read_text(encoding="utf-8")
    for key, value in settings.items():
        literal = str(value).lower() if isinstance(value, bool) else str(value)
        text, found = re.subn(rf"(?m)^{re.escape(key)} = .*$", f"{key} = {literal}", text, count=1)
        if not found:
            raise KeyError(f"{key} not in {base}.toml")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{base}-test.toml"
    path.write_text(text, encoding="utf-8")
    return path


# ---- the running bot -----------------------------------------------------------------------------


def services_of(harness: BotHarness) -> Services:
    """The running bot's shared services (storage, quota, audit, policy)."""
    assert harness.server is not None
    services: Services = harness.server.app[SERVICES]
    return services


async def drain(harness: BotHarness, timeout: float = 20.0) -> None:
    """Wait until every background message turn has finished (quota settled, end record written)."""
    assert harness.server is not None
    tasks: set[asyncio.Task[None]] = harness.server.app[TASKS]
    deadline = time.monotonic() + timeout
    while tasks:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(tasks)} turns still running after {timeout} s")
        await asyncio.wait(set(tasks), timeout=max(0.01, deadline - time.monotonic()))


def execute(
    harness: BotHarness, verb: str, data: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    """An Action.Execute invoke (`harness.invoke` passes `name` on as the sender's display name, so
    its invoke name is lost)."""
    value = {"action": {"type": "Action.Execute", "verb": verb, "data": data or {}}, "trigger": "manual"}
    activity = harness.activity(type="invoke", value=value, **fields)
    activity["name"] = "adaptiveCard/action"
    return activity


async def agree(
    harness: BotHarness, user: str = USER_OID, *, department: str = "情報政策課", **fields: Any
) -> None:
    """Consent to the current guideline the way a user does: the consent card's own verb."""
    version = services_of(harness).policy.guideline.version
    data = {"version": version, "department": department}
    status, body = await harness.post(execute(harness, AGREE_VERB, data, user=user, **fields))
    assert status == 200, (status, body)
    consent = await _consent_row(harness, user)
    assert consent is not None, f"consent of {user} was not stored: {body}"


async def _consent_row(harness: BotHarness, user: str) -> Any:
    return await services_of(harness).access.consent(user)


def this_month() -> str:
    """The JST month records and quota counters are filed under now."""
    return jst_month(system_clock())


async def records(harness: BotHarness, month: str | None = None) -> list[StoredRecord]:
    """Every audit record of the month, in time order."""
    audit = services_of(harness).audit
    return [r async for r in audit.iter_month(month or this_month())]


def turn_phases(stored: list[StoredRecord], turn_id: str) -> list[str]:
    """The phases recorded for one turn, in order."""
    return [r.record.phase for r in stored if r.record.turn_id == turn_id]


def model_turns(stored: list[StoredRecord]) -> dict[str, list[StoredRecord]]:
    """Records of turns that reached the model (they have a start record), by turn id."""
    started = {r.record.turn_id for r in stored if r.record.phase == "start"}
    out: dict[str, list[StoredRecord]] = {t: [] for t in started}
    for r in stored:
        if r.record.turn_id in started:
            out[r.record.turn_id].append(r)
    return out


# ---- leak check ----------------------------------------------------------------------------------


def visible(text: str) -> str:
    """NFKC with every invisible (format, Cf) character removed: what a reader of the text sees."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")


def digits_of(text: str) -> str:
    """Every decimal digit of the text, ASCII, in order (score_screening.py's digit view)."""
    return "".join(str(unicodedata.digit(ch)) for ch in visible(text) if ch.isdecimal())


def leaks(span: str, sent: str) -> bool:
    """True when `sent` carries the identifier `span` in any form score_screening.py recognises:
    as typed, NFKC-folded, without invisible characters, or (six digits or more) as its digits
    anywhere in the sent text's digit sequence."""
    seen = visible(sent)
    forms = {span, unicodedata.normalize("NFKC", span), visible(span)}
    if any(form and (form in sent or form in seen) for form in forms):
        return True
    digits = digits_of(span)
    return len(digits) >= 6 and digits in digits_of(sent)


def sent_texts(fake: FakeOpenAI) -> list[str]:
    """Every message content (any role) the fake model received."""
    return [str(m.get("content", "")) for r in fake.requests for m in r.get("messages", [])]
