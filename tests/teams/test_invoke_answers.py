"""Every invoke gets exactly one valid invoke response, and a handler cannot forget it (issue 13).

Handlers of card verbs and invokes return their answer (bot.teams.answers.Answer); the one stage
that sends invoke responses (bot.teams.handler.InvokeResponses) sends it once per invoke. Checked
over real HTTP for every verb the features register (as a member of staff and as an admin, with
the card data missing), for an unknown verb and for the other invoke names; mypy is shown to
refuse a handler that forgets its answer on some path.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from botbuilder.core import TurnContext

from bot.teams import answers, handler
from bot.teams.answers import Answer
from bot.ui import common as texts
from bot.ui.access import cards as access_cards
from tests.fakes.battery import execute, services_of
from tests.teams.harness import ADMIN_OID, USER_OID, BotHarness

REPO = Path(__file__).resolve().parents[2]
ACTION_TYPES = {answers.TOAST, answers.CARD, "application/vnd.microsoft.error"}


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many invoke responses the bot sent, per inbound activity id."""
    counts: Counter[str] = Counter()
    original = handler._send_invoke_response

    async def counting(context: TurnContext, answer: Answer) -> None:
        counts[str(context.activity.id)] += 1
        await original(context, answer)

    monkeypatch.setattr(handler, "_send_invoke_response", counting)
    return counts


def _valid_card_action_response(body: Any) -> bool:
    """What Teams accepts for an adaptiveCard/action: a card, a message or an error (never `{}`)."""
    if not isinstance(body, dict) or body.get("statusCode") != 200 or body.get("type") not in ACTION_TYPES:
        return False
    value = body.get("value")
    if body["type"] == answers.CARD:
        return isinstance(value, dict) and value.get("type") == "AdaptiveCard"
    return isinstance(value, str | dict) and bool(value)


async def test_every_verb_and_an_unknown_one_get_exactly_one_valid_response(
    harness: BotHarness, sent: Counter[str]
) -> None:
    await harness.start()
    verbs = sorted(services_of(harness).router.verbs)
    assert len(verbs) > 20, verbs  # every feature registered its verbs
    for user in (USER_OID, ADMIN_OID):
        for verb in [*verbs, "no.such.verb"]:
            activity = execute(harness, verb, {}, user=user)
            status, body = await harness.post(activity)
            assert status == 200, (verb, user, status, body)
            assert _valid_card_action_response(body), (verb, user, body)
            assert sent[activity["id"]] == 1, (verb, user, sent[activity["id"]])


async def test_an_unknown_verb_is_told_it_was_not_accepted(harness: BotHarness, sent: Counter[str]) -> None:
    await harness.start()
    activity = execute(harness, "no.such.verb", {"x": 1})
    status, body = await harness.post(activity)
    assert (status, body["type"], body["value"]) == (200, answers.TOAST, texts.UNKNOWN_ACTION)
    assert sent[activity["id"]] == 1


async def test_other_invokes_get_exactly_one_response(harness: BotHarness, sent: Counter[str]) -> None:
    await harness.start()
    vote = {"actionName": "feedback", "actionValue": {"reaction": "like", "feedback": "{}"}}
    search = {"dataset": access_cards.STAFF_DATASET, "queryText": "市役所", "queryOptions": {"skip": 0}}
    cases: list[tuple[str, dict[str, Any], str, int, Any]] = [
        ("message/submitAction", vote, USER_OID, 200, {}),
        ("message/submitAction", {"actionValue": {"reaction": "meh"}}, USER_OID, 400, {}),
        ("application/search", search, ADMIN_OID, 200, "application/vnd.microsoft.search.searchResponse"),
        ("application/search", search, USER_OID, 200, "application/vnd.microsoft.error"),
        ("composeExtension/query", {}, USER_OID, 200, {}),  # an invoke the bot does not handle
    ]
    for name, value, user, want_status, want in cases:
        activity = harness.activity(type="invoke", value=value, user=user)
        activity["name"] = name
        status, body = await harness.post(activity)
        assert status == want_status, (name, status, body)
        assert (body if isinstance(want, dict) else body["type"]) == want, (name, body)
        assert sent[activity["id"]] == 1, name


def test_only_the_dispatcher_makes_invoke_responses() -> None:
    """Nothing else in bot/ builds an invoke response: a handler can only return its answer."""
    makers: list[str] = []
    for path in sorted((REPO / "bot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            builds = isinstance(node, ast.Call) and getattr(node.func, "id", "") == "InvokeResponse"
            names = isinstance(node, ast.Attribute) and node.attr == "invoke_response"
            if builds or names:
                makers.append(f"{path.relative_to(REPO)}:{node.lineno}")
    files = {m.split(":")[0] for m in makers}
    assert files <= {"bot/teams/handler.py", "bot/teams/exits.py"}, makers  # exits only screens it
    assert "bot/teams/handler.py" in files


FORGETFUL = """
from botbuilder.core import TurnContext

from bot.core.turn import Turn
from bot.teams import answers
from bot.teams.answers import Answer
from bot.teams.router import Router

router = Router()


@router.verb("example.sends_a_message_only")
async def sends_a_message_only(context: TurnContext, turn: Turn) -> None:
    await context.send_activity("done")


@router.verb("example.forgets_one_path")
async def forgets_one_path(context: TurnContext, turn: Turn) -> Answer:
    if turn.refused:
        return answers.toast("no")


@router.invoke("example/invoke")
async def answers_nothing(context: TurnContext, turn: Turn) -> None:
    return None
"""


@pytest.mark.slow
def test_mypy_refuses_a_handler_that_forgets_its_answer(tmp_path: Path) -> None:
    module = tmp_path / "forgetful_feature.py"
    module.write_text(FORGETFUL, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", str(module)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert len(errors) == 3, out
    assert sum("[arg-type]" in e for e in errors) == 2, out  # the verb and the invoke answer nothing
    assert sum("Missing return statement" in e for e in errors) == 1, out  # one path forgets it
