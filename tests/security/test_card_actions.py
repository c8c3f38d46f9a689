"""Hostile card actions through the real HTTP endpoint: forged, replayed, stale and tampered.

tests/teams/test_access.py covers a non-admin approving one application, approving twice, and a
swapped application id. This module goes wider:

- EVERY admin-only route the running bot registers (card verbs and typed commands, whichever
  feature added them: approval, support desk, incidents, summary…) refused for a non-admin, by
  Action.Execute and by Action.Submit alike: nothing changes in storage, nothing is posted but the
  refusal, and an `admin.refused` event plus a `not_allowed` record name the attempt;
- replays: a decision clicked again after it was reversed elsewhere, an old approval card after
  the applicant re-applied, a consent card of an old guideline version;
- actions for things that no longer exist (applications, questions, incidents);
- tampered card data of every JSON type for the admin verbs: never a 5xx, never an unhandled
  exception, nothing changes.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import pytest

from bot.core.access import AccessStore, Status
from bot.core.audit import AuditRecord
from bot.teams.router import Route
from tests.fakes.battery import agree, drain, execute, records, services_of
from tests.teams.harness import ADMIN_OID, USER_OID, BotHarness

MALLORY = "aaaaaaaa-0000-0000-0000-00000000bad1"
ADMIN_ONLY = "管理者"
TOAST = "application/vnd.microsoft.activity.message"
IGNORED_TABLES = ("audit", "auditq", "anchors", "refs")  # records grow by design (auditq: their inbox)
# and references refresh on every activity


def _state(harness: BotHarness) -> dict[tuple[str, str, str], tuple[str, str]]:
    """Every stored entity outside the records and the conversation references: (etag, data)."""
    with sqlite3.connect(harness.data_dir / "bot.sqlite3") as conn:
        rows = conn.execute("select tbl, pk, rk, etag, data from entities").fetchall()
    return {(t, p, r): (e, d) for t, p, r, e, d in rows if t not in IGNORED_TABLES}


async def _events(harness: BotHarness, kind: str) -> list[AuditRecord]:
    return [r.record for r in await records(harness) if r.record.phase == "event" and r.record.event == kind]


def _admin_routes(harness: BotHarness) -> tuple[list[Route], list[Route]]:
    """(verbs, commands) registered as admin-only, one entry per route."""
    router = services_of(harness).router
    verbs = sorted((r for r in router.verbs.values() if r.admin), key=lambda r: r.name)
    commands = sorted({r.name: r for r in router.commands.values() if r.admin}.values(), key=lambda r: r.name)
    return verbs, commands


async def _maebashi_with_pending_application(harness: BotHarness) -> str:
    """Maebashi policy (approval required); USER applied and waits; returns the application id."""
    await harness.start(BOT_POLICY="maebashi")
    await agree(harness)
    data = {"department": "政策推進課", "staff_type": "正規職員", "purpose": "お知らせ文の素案作成"}
    status, _ = await harness.post(execute(harness, "access.apply", data))
    assert status == 200
    application = await _store(harness).application(USER_OID)
    assert application is not None
    assert application.status is Status.PENDING
    return application.application_id


def _store(harness: BotHarness) -> AccessStore:
    services = services_of(harness)
    return AccessStore(services.storage, services.clock)


async def _as_admin(harness: BotHarness, verb: str, data: dict[str, Any]) -> dict[str, Any]:
    status, body = await harness.post(execute(harness, verb, data, user=ADMIN_OID, name="情報 管理者"))
    assert status == 200, body
    return body


# ---- forged admin actions ---------------------------------------------------------------------------


async def test_every_admin_route_is_refused_to_a_non_admin(harness: BotHarness) -> None:
    application_id = await _maebashi_with_pending_application(harness)
    await agree(harness, MALLORY)
    verbs, commands = _admin_routes(harness)
    assert {"access.approve", "access.reject", "access.revoke"} <= {v.name for v in verbs}
    assert commands, "admin commands are registered (承認待ち, 利用停止, …)"
    before = _state(harness)
    data = {
        "application_id": application_id,
        "user_id": USER_OID,
        "reason": "不要",
        "ticket": "0" * 32,
        "incident": "0" * 32,
        "answer": "回答",
        "note": "対応済み",
    }
    conversation = f"a:personal-{MALLORY}"

    for route in verbs:  # Action.Execute (invoke, answered inline)
        status, body = await harness.post(execute(harness, route.name, data, user=MALLORY, name="職員 M"))
        assert status == 200, route.name
        assert body["type"] == TOAST, route.name
        assert ADMIN_ONLY in body["value"], route.name
    # one at a time: a chat's turns are serialised with a short queue (bot.teams.serial)
    for route in verbs:  # the same verbs sent as Action.Submit (a message carrying value.verb)
        await harness.post(
            harness.message("", value={**data, "verb": route.name}, user=MALLORY, conversation=conversation)
        )
        await drain(harness)
    for route in commands:  # typed commands
        await harness.post(harness.message(route.name, user=MALLORY, conversation=conversation))
        await drain(harness)
    replies = await harness.connector.wait_messages(len(verbs) + len(commands), conversation, timeout=20)
    await drain(harness)

    assert all(ADMIN_ONLY in (r.get("text") or "") for r in replies), [r.get("text") for r in replies]
    assert _state(harness) == before, "nothing changed"
    assert [p for p in harness.connector.posted if p.conversation_id != conversation] == []
    refused = await _events(harness, "admin.refused")
    expected = sorted([v.name for v in verbs] * 2 + [c.name for c in commands])
    assert sorted(e.details["action"] for e in refused) == expected
    assert {e.user_id for e in refused} == {MALLORY}
    singles = [
        r.record
        for r in await records(harness)
        if r.record.phase == "single" and r.record.user_id == MALLORY and r.record.command in expected
    ]
    assert len(singles) == len(expected)
    assert all(
        s.outcome is not None and s.outcome.value == "not_allowed" and s.error == "not_admin" for s in singles
    )


async def test_admin_identity_comes_from_the_entra_object_id_only(harness: BotHarness) -> None:
    """A caller without an Entra object id whose channel id or name imitates the admin is not one."""
    application_id = await _maebashi_with_pending_application(harness)
    data = {"application_id": application_id, "user_id": USER_OID}
    for imitation in (
        {"from": {"id": ADMIN_OID, "name": "情報 管理者"}},  # the admin's object id as channel id
        {"from": {"id": f"29:{ADMIN_OID}", "name": "情報 管理者", "aadObjectId": ""}},
        {"from": {"id": "29:x", "name": ADMIN_OID, "aadObjectId": MALLORY}},
    ):
        activity = execute(harness, "access.approve", data)
        activity.update(imitation)
        status, body = await harness.post(activity)
        assert status == 200, imitation
        assert ADMIN_ONLY in body["value"], imitation
    stored = await _store(harness).application(USER_OID)
    assert stored is not None
    assert stored.status is Status.PENDING


# ---- replayed and stale actions ---------------------------------------------------------------------


async def test_replayed_decisions_change_nothing(harness: BotHarness) -> None:
    application_id = await _maebashi_with_pending_application(harness)
    card = {"application_id": application_id, "user_id": USER_OID}
    await _as_admin(harness, "access.approve", card)
    approved = await _store(harness).application(USER_OID)
    assert approved is not None
    assert approved.status is Status.APPROVED
    before = _state(harness)

    for _ in range(3):  # the same click replayed, and the other button of the same (old) card
        await _as_admin(harness, "access.approve", card)
        await _as_admin(harness, "access.reject", {**card, "reason": "再確認のため"})

    after = await _store(harness).application(USER_OID)
    assert after == approved, "the decision and who made it are unchanged"
    assert _state(harness) == before
    assert len(await _events(harness, "access.approved")) == 1
    assert await _events(harness, "access.rejected") == []


async def test_an_old_card_after_a_new_application_is_refused(harness: BotHarness) -> None:
    """Rejected, then applied again: the first application's card (still in the channel) must not
    decide the new application."""
    old_id = await _maebashi_with_pending_application(harness)
    old = {"application_id": old_id, "user_id": USER_OID}
    await _as_admin(harness, "access.reject", {**old, "reason": "利用目的を具体的に"})
    data = {"department": "政策推進課", "staff_type": "正規職員", "purpose": "議事録の要約"}
    status, _ = await harness.post(execute(harness, "access.apply", data))
    assert status == 200
    renewed = await _store(harness).application(USER_OID)
    assert renewed is not None
    assert renewed.status is Status.PENDING
    assert renewed.application_id != old_id

    body = await _as_admin(harness, "access.approve", old)
    assert body["type"] == TOAST
    assert await _store(harness).application(USER_OID) == renewed
    [refused] = await _events(harness, "access.action_refused")
    assert refused.details["reason"] == "tampered"
    assert refused.details["application_id"] == old_id


async def test_consent_card_of_an_old_guideline_version_is_not_a_consent(harness: BotHarness) -> None:
    await harness.start()
    status, _ = await harness.post(
        execute(harness, "access.agree", {"version": "2000-01-01", "department": "総務課"}, user=MALLORY)
    )
    assert status == 200
    assert await _store(harness).consent(MALLORY) is None
    assert await _events(harness, "access.consent") == []


# ---- things that no longer exist --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("verb", "data"),
    [
        ("access.approve", {"application_id": "f" * 32, "user_id": "aaaaaaaa-0000-0000-0000-00000000dead"}),
        ("access.revoke", {"user_id": "aaaaaaaa-0000-0000-0000-00000000dead", "reason": "退職"}),
        ("support.answer", {"ticket": "e" * 32, "answer": "回答します"}),
        ("incident.ack", {"incident": "d" * 32}),
        ("incident.resolve", {"incident": "d" * 32, "note": "対応しました"}),
    ],
)
async def test_admin_actions_on_things_that_do_not_exist_change_nothing(
    harness: BotHarness, verb: str, data: dict[str, Any]
) -> None:
    await harness.start(BOT_POLICY="maebashi")
    if verb not in services_of(harness).router.verbs:
        pytest.skip(f"{verb} is not registered in this build")
    await agree(harness, ADMIN_OID)
    before = _state(harness)
    body = await _as_admin(harness, verb, data)
    assert body["type"] == TOAST
    assert body["value"]
    assert _state(harness) == before
    assert harness.connector.posted == []
    attempt = [r.record for r in await records(harness) if r.record.command == verb]
    assert attempt, "the attempt is recorded"
    assert all(r.user_id == ADMIN_OID for r in attempt)
    refused = [r for r in attempt if r.event.endswith("action_refused")]
    assert refused, "recorded as a refusal, not as an ordinary command"


# ---- tampered card data ----------------------------------------------------------------------------

ODD_VALUES: list[Any] = [
    None,
    0,
    -1,
    1.5,
    True,
    [],
    {},
    [USER_OID],
    {"$ne": None},
    "",
    " ",
    "x" * 5000,
    "../../etc/passwd",
    "a/b#c?d",
    "' or '1'='1",
    "\u0000\u001f",
    "\u202e" + USER_OID,
    USER_OID.upper(),
]


IDENTIFYING = {  # the card data that names what an admin verb acts on
    "access.approve": ("application_id", "user_id"),
    "access.reject": ("application_id", "user_id"),
    "access.revoke": ("application_id", "user_id"),
    "support.answer": ("ticket",),
    "incident.ack": ("incident",),
    "incident.resolve": ("incident",),
}
OTHER_FIELDS = ("reason", "answer", "note", "view", "verb")


def _names_something_else(verb: str, field: str, value: Any) -> bool:
    """False for values that are not tampering: the same user differently cased, and on revoke an
    application id that is not text (the 利用停止 form's path: the admin picked the user)."""
    if field == "user_id" and value == USER_OID.upper():
        return False
    text_id = isinstance(value, str) and bool(value.strip())
    return not (verb == "access.revoke" and field == "application_id" and not text_id)


@pytest.mark.parametrize("verb", sorted(IDENTIFYING))
async def test_tampered_card_data_is_refused_without_errors(
    harness: BotHarness, caplog: pytest.LogCaptureFixture, verb: str
) -> None:
    application_id = await _maebashi_with_pending_application(harness)
    if verb not in services_of(harness).router.verbs:
        pytest.skip(f"{verb} is not registered in this build")
    caplog.set_level(logging.ERROR)
    valid = {
        "application_id": application_id,
        "user_id": USER_OID,
        "reason": "理由",
        "answer": "回答",
        "note": "対応済み",
        "ticket": "0" * 32,
        "incident": "0" * 32,
    }

    async def click(data: dict[str, Any]) -> None:
        status, body = await harness.post(execute(harness, verb, data, user=ADMIN_OID, name="情報 管理者"))
        assert status == 200, (data, body)
        assert isinstance(body, dict), (data, body)
        assert body.get("statusCode") == 200, (data, body)

    before = _state(harness)
    for field in IDENTIFYING[verb]:
        for value in ODD_VALUES:
            if _names_something_else(verb, field, value):
                await click({**valid, field: value})
    stored = await _store(harness).application(USER_OID)
    assert stored is not None
    assert stored.status is Status.PENDING, "no tampered click decided anything"
    assert _state(harness) == before, "nothing changed"

    for field in OTHER_FIELDS:  # odd values elsewhere in the data: answered, never a crash
        for value in ODD_VALUES:
            await click({**valid, "application_id": "0" * 32, field: value})
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
