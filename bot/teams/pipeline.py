"""The one place that wires the bot: services, features and the turn pipeline, in order.

Every turn runs through these stages (botbuilder middleware), then the bot dispatches it:

    0. ExitsMiddleware         every activity the turn sends or updates passes the screening gate
    1. TurnMiddleware          who, where, and what: command, card verb or model-bound text;
                               bad input (empty, too long, unreadable files) answered here
       InvokeResponses         every invoke answered exactly once when the turn is over
    2. RefsMiddleware          conversation references refreshed (proactive messages, channels)
    3. SupportThreadMiddleware an admin's reply in a question's thread is an answer, not a prompt
    4. AuditMiddleware         every turn recorded, refused ones too; tamper-evident chain;
                               the dialog writes the start record before calling the model
    5. AccessMiddleware        consent to the guideline, application and approval
    6. AttachmentsMiddleware   attached files downloaded (allowed hosts only), read into text
                               marked with the file names; from here on they are typed text
    7. ScreeningMiddleware     nothing personal or non-disclosable reaches the model:
                               block / mask (restored in the answer) / confirm / allow
    8. QuotaMiddleware         reserve the characters before the model, settle after
    →  MunicipalBot            routes to the handler: the model dialog, a command or a card verb

Each middleware is registered with its own `adapter.use()` call: botbuilder 4.17's
`MiddlewareSet.use(a, b, c)` registers only `a` (tests/teams/test_pipeline.py checks all run).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from botbuilder.core import Bot, Middleware
from botbuilder.integration.aiohttp import CloudAdapter

from bot.core.access import AccessStore
from bot.core.audit import AuditLog
from bot.core.audit.running import keep_records
from bot.core.audit.sinks import one_sink
from bot.core.clock import system_clock
from bot.core.config import Settings
from bot.core.conversation import ConversationStore, load_cipher
from bot.core.deployment import bind_municipality
from bot.core.dialog import Dialog
from bot.core.exits import Gate, install_log_gate
from bot.core.knowledge import Knowledge, KnowledgeContext
from bot.core.knowledge.embeddings import screened_embedder
from bot.core.model import create_model
from bot.core.policy import Policy, load_policy
from bot.core.quota import QuotaLimits, QuotaService
from bot.core.screening import Screener
from bot.core.storage import open_storage
from bot.teams.adapter import create_adapter
from bot.teams.background import Background
from bot.teams.channels import Outreach
from bot.teams.connector import ConnectorTransport
from bot.teams.directory import ChannelDirectory
from bot.teams.exits import ExitsMiddleware
from bot.teams.features import (
    chat,
    feedback,
    incidents,
    knowledge,
    screening,
    summary,
    templates,
    usage,
)
from bot.teams.features.access import consent as access
from bot.teams.features.access.desk import AccessDesk
from bot.teams.features.support import questions as support
from bot.teams.handler import InvokeResponses, MunicipalBot
from bot.teams.held import HeldTexts
from bot.teams.router import Router
from bot.teams.services import Services
from bot.teams.stages.access import AccessMiddleware
from bot.teams.stages.attachments import AttachmentsMiddleware
from bot.teams.stages.audit import AuditMiddleware
from bot.teams.stages.quota import QuotaMiddleware
from bot.teams.stages.refs import RefsMiddleware
from bot.teams.stages.screening import ScreeningMiddleware
from bot.teams.stages.support_thread import SupportThreadMiddleware
from bot.teams.stages.turn import TurnMiddleware
from bot.ui.exits import texts as exit_texts

FEATURES = (chat, screening, access, templates, feedback, summary, support, incidents, usage, knowledge)


def middlewares(services: Services) -> list[Middleware]:
    """The pipeline stages, in order."""
    return [
        ExitsMiddleware(services.gate),
        TurnMiddleware(services),
        InvokeResponses(),
        RefsMiddleware(services.outreach, services.policy),
        SupportThreadMiddleware(services),
        AuditMiddleware(services.audit),
        AccessMiddleware(AccessDesk.of(services)),
        AttachmentsMiddleware(services),
        ScreeningMiddleware(services, services.held),
        QuotaMiddleware(
            services.quota,
            contact=services.policy.municipality.division,
            on_alert=usage.alert_sink(services),
            counted_input=lambda turn: services.dialog.counted_input_chars(
                turn.caller.conversation_id,
                turn.model.masked_text if turn.model else "",
                turn.model.state if turn.model else None,
                turn=turn.model,
            ),
        ),
    ]


def register_features(services: Services) -> None:
    """Let every feature register its commands, card verbs and events."""
    for feature in FEATURES:
        feature.register(services)


def build_bot(services: Services, adapter: CloudAdapter) -> Bot:
    """Install the pipeline on the adapter and return the bot that dispatches turns."""
    register_features(services)
    for middleware in middlewares(services):
        adapter.use(middleware)  # one at a time (botbuilder 4.17 MiddlewareSet.use defect)
    return MunicipalBot(services.router, services.policy)


@contextlib.asynccontextmanager
async def open_services(
    settings: Settings, policy: Policy | None = None, *, background: Background | None = None
) -> AsyncIterator[tuple[Services, CloudAdapter, Bot]]:
    """Open storage and the model, build the pipeline; close everything on exit.

    `background` is the HTTP app's (its drained task set and turn queue); without an app, a
    background of its own with no turn queue."""
    clock = system_clock
    policy = policy or load_policy(settings.policy)
    storage = await open_storage(settings)
    model = create_model(settings)
    screener = Screener(policy.screening)
    embedder = screened_embedder(settings, screener)
    knowledge_base = Knowledge.open(storage, clock, refresh_s=settings.knowledge_refresh_s, embedder=embedder)
    transport = ConnectorTransport()  # the Bot Connector's kept-alive HTTP session
    try:
        await bind_municipality(storage, policy)  # one store, one city (refused with a clear message)
        adapter = create_adapter(settings, policy, transport)
        cipher = load_cipher(settings.state_key, settings.data_dir)
        conversations = ConversationStore(storage, cipher, policy.model.history_char_budget)
        gate = Gate(screener, withheld_notice=exit_texts.WITHHELD)
        directory = ChannelDirectory(
            storage,
            policy,
            clock,
            support_team_id=settings.support_team_id,
            admin_team_id=settings.admin_team_id,
        )
        admins = frozenset(settings.admin_aad_object_ids) | frozenset(policy.access.admin_aad_object_ids)
        services = Services(
            settings=settings,
            policy=policy,
            storage=storage,
            model=model,
            conversations=conversations,
            dialog=Dialog(
                policy,
                model,
                conversations,
                clock,
                knowledge=KnowledgeContext(knowledge_base, screener),
                gate=gate,
            ),
            router=Router(),
            clock=clock,
            screener=screener,
            audit=AuditLog(storage, clock=clock, gate=gate),
            quota=QuotaService(storage, QuotaLimits.from_policy(policy.quota, settings), clock=clock),
            access=AccessStore(storage, clock),
            held=HeldTexts(storage, cipher, clock),
            channels=directory,
            adapter=adapter,
            gate=gate,
            outreach=Outreach(adapter, settings.app_id, directory, gate, admins),
            background=background or Background(),
        )
        install_log_gate(gate)
        bot = build_bot(services, adapter)
        anchors = one_sink(settings)  # AUDIT_ANCHOR_FILE and/or the Blob container
        async with (
            keep_records(services.audit, anchors, settings.audit_anchor_interval_s),  # chainer, anchors
            access.weekly_digest(services),  # Mondays 09:00 JST; cancelled on exit
        ):
            yield services, adapter, bot
    finally:
        await knowledge_base.close()
        if embedder is not None:
            await embedder.close()
        await model.close()
        await transport.close()
        await storage.close()
