"""Property-based: random and mutated activities at POST /api/messages (hypothesis, derandomized).

Each example is a Teams message from a consented user, with a planted identifier (a labelled My
Number, a mobile number, a person's name) disguised with zero-width and bidi characters, full-width
digits and odd hyphens, between random text (control characters, RTL marks, odd Unicode, huge
sizes); and then mutated: other activity types, fields missing, fields of the wrong JSON type,
random `value`, attachments and entities. Whatever comes in:

- the bot never answers 5xx;
- the model never receives the identifier in any form (checked as shared/eval/score_screening.py
  checks, after removing invisible characters: NFKC text, and the identifier's digits in the digit
  sequence of each message sent);
- nothing is logged at ERROR by the bot, botbuilder or aiohttp (an unhandled exception in a turn
  is logged there by the adapter's error handler or the server).

serviceUrl is the fake connector, or missing or malformed (the front door must refuse those with a
400): nothing ever leaves the machine.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fakes.battery import agree, drain, leaks, model_env, policy_file
from tests.fakes.openai_server import FakeOpenAI
from tests.teams.harness import BotHarness

pytestmark = pytest.mark.slow

INVISIBLE = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u034f",
    "\u061c",
    "\u180e",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
]
DASHES = ["-", "‐", "‑", "‒", "–", "—", "―", "−", "ー", "ｰ", "－", "﹣", " ", "　", ""]
PLANTS = [  # (label choices, groups of the identifier, what must never reach the model)
    (["個人番号", "マイナンバー", "個人番号：", "my number"], ("1234", "5678", "9018"), "123456789018"),
    (["携帯", "電話", "連絡先", "TEL"], ("090", "1234", "5678"), "09012345678"),
    (["担当の", "宛先：", ""], ("村田", "英樹", "さん"), "村田"),
    (["", "差出人 "], ("堀江", "様"), "堀江"),
]
ODD_CHARS = (
    "\u0000\u0007\u001b\u007f\u0085\u2028\u2029\ud7ff\ue000\U0001f600\U000e0041\u0301\u3000\ufffd\u00a0\u2163"
    + "".join(INVISIBLE)
)
TYPES = [
    "message",
    "message",
    "message",
    "invoke",
    "conversationUpdate",
    "messageReaction",
    "event",
    "typing",
    "installationUpdate",
    "endOfConversation",
    "messageUpdate",
    "messageDelete",
    "handoff",
    "trace",
]
FIELDS = [
    "from",
    "conversation",
    "recipient",
    "channelData",
    "id",
    "channelId",
    "timestamp",
    "locale",
    "text",
    "value",
    "attachments",
    "entities",
    "name",
    "replyToId",
    "membersAdded",
    "serviceUrl",
]

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**63), 2**63), st.floats(allow_nan=False), st.text(max_size=30)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
noise = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(ODD_CHARS), max_size=40)


@st.composite
def disguised(draw: st.DrawFn, groups: tuple[str, ...]) -> str:
    """The identifier with a random separator, full-width digits and invisible characters inside."""
    joined = draw(st.sampled_from(DASHES)).join(groups) if groups[0].isdigit() else "".join(groups)
    out = []
    for ch in joined:
        out.append(chr(ord("０") + int(ch)) if ch.isdigit() and draw(st.booleans()) else ch)
        if draw(st.integers(0, 3)) == 0:
            out.append(draw(st.sampled_from(INVISIBLE)))
    return "".join(out)


@st.composite
def texts(draw: st.DrawFn) -> tuple[str, list[str], int]:
    """(text, identifiers planted in it, length to pad it to: over the input limit, or the body limit)."""
    planted: list[str] = []
    parts = [draw(noise)]
    plants = draw(st.lists(st.sampled_from(PLANTS), max_size=2, unique_by=lambda p: p[2]))
    for labels, groups, secret in plants:
        sep = draw(st.sampled_from(["。", " ", "\n", "、", "　"]))
        label, glue = draw(st.sampled_from(labels)), draw(st.sampled_from(["", " ", "は", ":"]))
        parts += [sep, label, glue, draw(disguised(groups)), sep, draw(noise)]
        planted.append(secret)
    return "".join(parts), planted, draw(st.sampled_from([0, 0, 0, 0, 0, 4_001, 300_000]))


MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(FIELDS),
        st.sampled_from(["drop", "retype", "type", "nested"]),
        st.sampled_from(TYPES) | st.text(max_size=12),  # a new type
        st.integers(0, 7),  # which key of a nested object
        json_values | noise,  # a new value
        st.sampled_from(["", None, 42, [], "not a url", "ftp://127.0.0.1/", "http://"]),  # a bad serviceUrl
    ),
    max_size=3,
)


def mutate(activity: dict[str, Any], mutations: list[tuple[Any, ...]]) -> dict[str, Any]:
    """Apply drawn mutations (pure: the strategy never looks at the bot or the activity)."""
    for field, how, new_type, index, value, bad_url in mutations:
        if how == "type":
            activity["type"] = new_type
        elif how == "drop":
            activity.pop(field, None)
        elif field == "serviceUrl":  # only values the front door must refuse: no reply leaves loopback
            activity[field] = bad_url
        elif how == "nested" and isinstance(activity.get(field), dict) and activity[field]:
            keys = sorted(activity[field])
            activity[field][keys[index % len(keys)]] = value
        else:
            activity[field] = value
    return activity


class ErrorLog(logging.Handler):
    """Collects ERROR records of the bot, botbuilder and aiohttp (and anything with a traceback)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def error_log() -> Iterator[ErrorLog]:
    handler = ErrorLog()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


STATS = {"examples": 0, "model_requests": 0, "planted_at_model": 0}


class Rig:
    """The bot, the fake model and the error log, with a short repr (hypothesis prints its arguments)."""

    def __init__(self, harness: BotHarness, model: FakeOpenAI, errors: ErrorLog) -> None:
        self.harness, self.model, self.errors = harness, model, errors

    def __repr__(self) -> str:
        return "Rig(bot, fake model, error log)"


@pytest.fixture
def rig(harness: BotHarness, fake_openai: FakeOpenAI, error_log: ErrorLog) -> Rig:
    return Rig(harness, fake_openai, error_log)


@settings(
    max_examples=500,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
@given(case=texts(), mutations=MUTATIONS)
async def test_random_activities_never_5xx_never_leak_never_crash(
    rig: Rig, case: tuple[str, list[str], int], mutations: list[tuple[Any, ...]]
) -> None:
    harness, fake_openai, error_log = rig.harness, rig.model, rig.errors
    if harness.server is None:
        # one user sends every example within seconds: the per-user pace limits (issue 11, tested in
        # tests/reliability/test_load.py) would refuse most of them before screening is reached
        unpaced = policy_file(
            harness.data_dir / "policy",
            require_consent=False,
            user_turns_per_minute=0,
            user_concurrent_turns=0,
        )
        await harness.start(**model_env(fake_openai, MODEL_TIMEOUT_SECONDS="5", BOT_POLICY=str(unpaced)))
        await agree(harness)
    text, planted, size = case
    activity = mutate(harness.message(text + "あ" * max(0, size - len(text))), mutations)
    before = len(fake_openai.requests)
    error_log.records.clear()

    status, body = await harness.post(activity)
    await drain(harness, timeout=30)

    assert status < 500, (status, str(body)[:300])
    new = fake_openai.requests[before:]
    STATS["examples"] += 1
    STATS["model_requests"] += len(new)
    STATS["planted_at_model"] += len(planted) if new else 0
    for request in new:
        for sent in (str(m.get("content", "")) for m in request.get("messages", [])):
            for secret in planted:
                assert not leaks(secret, sent), f"{secret!r} reached the model: {sent[:500]!r}"
    problems = [
        r
        for r in error_log.records
        if r.name.startswith(("bot", "botbuilder", "botframework", "aiohttp")) or r.exc_info
    ]
    assert problems == [], [f"{r.name}: {r.getMessage()[:300]}" for r in problems]


def test_the_fuzzer_reached_the_model() -> None:
    """The property above is not vacuous: many examples went all the way to the model, planted
    identifiers included (runs after it in file order; skipped when run alone)."""
    if STATS["examples"] == 0:
        pytest.skip("run together with test_random_activities_never_5xx_never_leak_never_crash")
    assert STATS["model_requests"] >= 20, STATS
    assert STATS["planted_at_model"] >= 10, STATS
