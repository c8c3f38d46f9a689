"""The screening gate is structural: an ast walk over bot/ finds every outbound call site.

Three kinds of exit, each with one door:

- connector calls (new conversations / channel threads, updates, replies, proactive sends): only
  bot/teams/channels.py makes them, and each of its send functions takes an `Outbound`, which
  only the gate makes;
- replies inside a turn (`send_activity`, `update_activity` on a TurnContext): allowed anywhere in
  bot/teams because the first pipeline stage (ExitsMiddleware) hooks the turn's send and update
  handlers; nothing builds its own TurnContext (which would not carry the hooks);
- records: the audit table is written only by `AuditLog.append`, which screens the record first;
  tickets are written only through `_stored`, which takes typed text only as `ScreenedText`.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from bot.core.audit import log as audit_log
from bot.core.config import Settings
from bot.core.tickets import TicketStore
from bot.teams import channels
from bot.teams.exits import ExitsMiddleware, Outbound
from bot.teams.pipeline import middlewares, open_services

BOT = Path(__file__).resolve().parents[2] / "bot"
CONNECTOR_CALLS = frozenset(
    {
        "create_conversation",
        "reply_to_activity",
        "send_to_conversation",
        "send_message_to_teams_channel",
        "continue_conversation",
        "create_conversation_async",
    }
)
TURN_CALLS = frozenset({"send_activity", "send_activities", "update_activity"})
SENDS = ("post_to_channel", "update_activity", "reply_in_thread", "notify_user")


def _calls() -> list[tuple[str, int, str, str]]:
    """(file, line, called name, source of the receiver) for every call of interest in bot/."""
    found = []
    for path in sorted(BOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in CONNECTOR_CALLS | TURN_CALLS | {"TurnContext"}:
                receiver = ast.unparse(func.value) if isinstance(func, ast.Attribute) else ""
                found.append((str(path.relative_to(BOT.parent)), node.lineno, name, receiver))
    return found


def test_the_walk_finds_the_outbound_call_sites() -> None:
    calls = _calls()
    assert len([c for c in calls if c[2] in TURN_CALLS]) > 20, "the walk must see the turn replies"
    assert any(c[0] == "bot/teams/channels.py" and c[2] == "create_conversation" for c in calls)


def test_only_the_typed_client_talks_to_the_connector() -> None:
    outside = [
        c
        for c in _calls()
        if c[0] != "bot/teams/channels.py"
        and (c[2] in CONNECTOR_CALLS or (c[2] in TURN_CALLS and "conversations" in c[3]))
    ]
    assert outside == [], f"connector calls outside bot/teams/channels.py: {outside}"


def test_every_send_of_the_client_takes_only_gated_content() -> None:
    for name in SENDS:
        signature = inspect.signature(getattr(channels, name))
        assert signature.parameters["content"].annotation in ("Outbound", Outbound), name
    source = inspect.getsource(channels)
    tree = ast.parse(source)
    for fn in (n for n in tree.body if isinstance(n, ast.AsyncFunctionDef) and n.name in SENDS):
        used = {c.func.id for c in ast.walk(fn) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)}
        assert "_screened" in used, f"{fn.name} must unwrap its content through _screened"


def test_turn_replies_happen_only_where_the_gate_hooks_them() -> None:
    turn_calls = [c for c in _calls() if c[2] in TURN_CALLS and "conversations" not in c[3]]
    assert all(c[0].startswith("bot/teams/") for c in turn_calls), [
        c for c in turn_calls if not c[0].startswith("bot/teams/")
    ]
    assert [c for c in _calls() if c[2] == "TurnContext"] == [], "a TurnContext of our own skips the gate"


async def test_the_gate_is_the_first_stage(tmp_path: Path) -> None:
    settings = Settings.from_env(environ={"BOT_DATA_DIR": str(tmp_path)}, env_file=None)
    async with open_services(settings) as (services, adapter, _bot):
        assert isinstance(middlewares(services)[0], ExitsMiddleware)
        assert isinstance(adapter._middleware._middleware[0], ExitsMiddleware)


def test_records_and_tickets_are_written_only_through_the_gate() -> None:
    # every record enters through submit (append and the turn recorder call it), which screens it;
    # the chainer only links what submit stored in the inbox, and the closing records that
    # submit_closing (which screens them the same way) handed over to it
    assert "screened_record(record, self._gate)" in inspect.getsource(audit_log.AuditLog.submit)
    assert "screened_record(record, self._gate)" in inspect.getsource(audit_log.AuditLog.submit_closing)
    assert "self.submit(record)" in inspect.getsource(audit_log.AuditLog.append)
    writers = [
        c
        for path in sorted(BOT.rglob("*.py"))
        for c in _table_writes(path)
        if c[1] in {"INBOX", '"auditq"'} and path.name not in {"log.py", "chainer.py"}
    ]
    assert writers == [], writers
    for method in (TicketStore.create, TicketStore.update):
        assert "_stored(" in inspect.getsource(method)


def _table_writes(path: Path) -> list[tuple[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    writes = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"insert", "upsert", "replace", "transact"}
            and node.args
        ):
            writes.append((str(path), ast.unparse(node.args[0])))
    return writes


async def test_a_reply_sent_inside_a_turn_passes_the_gate() -> None:
    """Whatever a handler sends with `context.send_activity` goes through ExitsMiddleware's hook."""
    from botbuilder.core import TurnContext  # noqa: PLC0415
    from botbuilder.core.adapters import TestAdapter  # noqa: PLC0415

    from bot.core.exits import Gate  # noqa: PLC0415
    from bot.core.policy import load_policy  # noqa: PLC0415
    from bot.core.screening import Screener  # noqa: PLC0415

    async def careless_handler(context: TurnContext) -> None:
        await context.send_activity("照会の結果：個人番号 123456789018 の方です")

    adapter = TestAdapter(careless_handler)
    adapter.use(ExitsMiddleware(Gate(Screener(load_policy("iwaki").screening))))
    await adapter.send("照会して")
    reply = adapter.get_next_activity()
    assert reply is not None
    assert "123456789018" not in reply.text
    assert "〔マイナンバー（個人番号）〕" in reply.text
