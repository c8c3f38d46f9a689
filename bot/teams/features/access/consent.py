"""Consent and applications, the user's side: the guideline card, 利用申請, and why use is refused.

    installed (personal chat)   the consent card, unless the current version is agreed already
    access.agree                store the agreement (user, name, department, time, version); record it
    利用申請 / access.apply      the application form; the intended use is screened before storing;
                                the approval card goes to the admin channel (approval.py beside this file)

The administrators' side (approve, reject, revoke, lists) is approval.py beside this file; the
weekly digest is digest.py. Both are registered from here.
"""

from __future__ import annotations

from botbuilder.core import TurnContext

from bot.core.access import (
    AccessStore,
    Application,
    ApplicationForm,
    Consent,
    Standing,
    can_apply,
    form_problems,
    standing,
)
from bot.core.access.model import MAX_DEPARTMENT_CHARS
from bot.core.screening.model import Action, Finding
from bot.core.turn import Turn
from bot.teams import answers, replies
from bot.teams.answers import Answer
from bot.teams.events import record_event
from bot.teams.exits import for_storage
from bot.teams.features.access import approval, digest
from bot.teams.serial import queue_follow_up
from bot.teams.services import Services
from bot.ui import commands
from bot.ui.access import cards, texts
from bot.ui.exits import texts as exit_texts

weekly_digest = digest.weekly_digest
send_weekly_digest = digest.send_weekly_digest


def store_of(services: Services) -> AccessStore:
    """The access store shared by the middleware and the features."""
    return services.access


def register(services: Services) -> None:
    """Register consent and application routes, and the administrators' routes."""
    store = store_of(services)
    router = services.router

    @router.on_event("installed")
    async def welcome(context: TurnContext, turn: Turn) -> None:
        if not turn.caller.is_personal or not services.policy.access.require_consent:
            return
        consent = await store.consent(turn.caller.user_id)
        if consent is None or consent.version != services.policy.guideline.version:
            await context.send_activity(
                replies.card_activity(cards.consent_card(services.policy, revised=consent is not None))
            )

    @router.verb(cards.AGREE)
    async def agree(context: TurnContext, turn: Turn) -> Answer:
        return await _agree(services, store, context, turn)

    @router.command(commands.APPLY)
    async def apply_form(context: TurnContext, turn: Turn) -> Answer:
        return await _apply_form(services, store, context, turn)

    @router.verb(cards.APPLY)
    async def apply(context: TurnContext, turn: Turn) -> Answer:
        return await _apply(services, store, context, turn)

    approval.register(services, store)


async def _agree(services: Services, store: AccessStore, context: TurnContext, turn: Turn) -> Answer:
    policy = services.policy
    data = replies.card_data(context)
    department = for_storage(services, replies.text_field(data, "department")).text
    if replies.text_field(data, "version") != policy.guideline.version:
        return answers.card(cards.consent_card(policy, revised=True, department=department))
    problem = texts.DEPARTMENT_MISSING if not department else ""
    if len(department) > MAX_DEPARTMENT_CHARS:
        problem = texts.DEPARTMENT_TOO_LONG
    if problem:
        return answers.toast(problem)
    caller = turn.caller
    consent = Consent(
        user_id=caller.user_id,
        display_name=caller.display_name,
        department=department,
        version=policy.guideline.version,
        agreed_at=services.clock(),
    )
    await store.agree(consent)
    caller.department = department
    await record_event(
        context, services, "access.consent", {"version": consent.version, "department": department}
    )
    card = await _after_consent(services, store, consent, is_admin=caller.is_admin)
    if await _answer_kept_question(
        services, store, context, turn, consent, held_id=replies.text_field(data, "held")
    ):
        card = cards.message_card(
            "同意を記録しました",
            texts.consent_recorded(policy, consent.agreed_at) + "\n\n" + texts.QUESTION_FOLLOWS,
        )
    return answers.card(card)


async def _keep_question(services: Services, turn: Turn) -> str:
    """Keep a question sent before consent (encrypted, 10 minutes, like held texts); its id or ''."""
    model_turn = turn.model
    if model_turn is None or model_turn.source != "chat":
        return ""
    return await services.held.put(turn.caller.conversation_id, turn.caller.user_id, model_turn.raw_text)


async def _answer_kept_question(
    services: Services,
    store: AccessStore,
    context: TurnContext,
    turn: Turn,
    consent: Consent,
    *,
    held_id: str,
) -> bool:
    """After consent: answer the kept question as a new turn (screened like any message) if the
    user may now use the AI; True when it was queued."""
    if not held_id:
        return False
    policy = services.policy
    application = await store.application(consent.user_id)
    allowed = standing(
        policy.access, policy.guideline.version, consent, application, is_admin=turn.caller.is_admin
    )
    if allowed is not Standing.ALLOWED:
        return False  # approval still needed: the question expires with its 10 minutes
    text = await services.held.take(turn.caller.conversation_id, turn.caller.user_id, held_id)
    return text is not None and queue_follow_up(services, context, text)


async def _after_consent(
    services: Services, store: AccessStore, consent: Consent, *, is_admin: bool
) -> cards.Card:
    """What the consent card turns into: the application form where one is still needed."""
    policy = services.policy
    if policy.access.require_approval and not is_admin:
        application = await store.application(consent.user_id)
        if can_apply(application):
            return cards.application_card(
                policy, department=consent.department, note=texts.consent_recorded_apply(policy), note_ok=True
            )
    return cards.message_card("同意を記録しました", texts.consent_recorded(policy, consent.agreed_at))


async def _apply_form(services: Services, store: AccessStore, context: TurnContext, turn: Turn) -> Answer:
    policy = services.policy
    if not policy.access.require_approval:
        return answers.toast(texts.NO_APPLICATION_NEEDED)
    consent = await _consented(services, store, turn)
    if isinstance(consent, Answer):
        return consent
    application = await store.application(turn.caller.user_id)
    if not can_apply(application):
        assert application is not None
        return answers.toast(texts.already(policy, application))
    department = consent.department if consent is not None else ""
    return answers.card(cards.application_card(policy, department=department))


async def _consented(services: Services, store: AccessStore, turn: Turn) -> Consent | Answer | None:
    """The caller's consent to the current version (None when none is required), or the consent
    card to answer with when the caller must agree first."""
    policy = services.policy
    consent = await store.consent(turn.caller.user_id)
    if consent is not None and consent.version == policy.guideline.version:
        return consent
    if not policy.access.require_consent:
        return None
    return answers.card(cards.consent_card(policy, revised=consent is not None))


async def _apply(services: Services, store: AccessStore, context: TurnContext, turn: Turn) -> Answer:
    policy = services.policy
    if not policy.access.require_approval:
        return answers.toast(texts.NO_APPLICATION_NEEDED)
    consented = await _consented(services, store, turn)
    if isinstance(consented, Answer):
        return consented
    data = replies.card_data(context)
    form = ApplicationForm(
        for_storage(services, replies.text_field(data, "department")).text,
        replies.text_field(data, "staff_type"),
        replies.text_field(data, "purpose"),
    )
    problems = form_problems(form, policy.access.eligible_staff)
    if problems:
        note = texts.problems(policy, problems)
        return answers.card(cards.application_card(policy, department=form.department, note=note))
    screened = services.screener.screen(form.purpose)
    if screened.action in (Action.BLOCK, Action.CONFIRM):
        return await _refuse_purpose(services, context, form, screened.findings)
    return await _submit(
        services,
        store,
        context,
        turn,
        ApplicationForm(form.department, form.staff_type, screened.masked_text),
    )


async def _refuse_purpose(
    services: Services, context: TurnContext, form: ApplicationForm, findings: tuple[Finding, ...]
) -> Answer:
    """The intended use contains what may not be stored: say what, record kinds only, keep nothing."""
    found = [f for f in findings if f.action in (Action.BLOCK, Action.CONFIRM)]
    await record_event(
        context,
        services,
        "access.apply_refused",
        {
            "reason": "screening",
            "kinds": sorted({f.kind for f in found}),
            "categories": sorted({f.category for f in found if f.category}),
        },
    )
    note = texts.purpose_blocked([f.label for f in found])
    return answers.card(cards.application_card(services.policy, department=form.department, note=note))


async def _submit(
    services: Services, store: AccessStore, context: TurnContext, turn: Turn, form: ApplicationForm
) -> Answer:
    caller = turn.caller
    application = await store.apply(caller.user_id, caller.display_name, form)
    if application is None:
        current = await store.application(caller.user_id)
        return answers.toast(texts.already(services.policy, current) if current else texts.TAMPERED)
    caller.department = caller.department or application.department
    await record_event(context, services, "access.apply", _apply_details(application))
    posted = await approval.post_approval_card(services, store, application)
    note = texts.applied(services.policy)
    if not posted.card_ref:  # the admin channel is missing: the admins were told in their chats
        note += "\n\n" + exit_texts.applicant_admin_channel_missing(services.policy)
    return answers.card(cards.message_card("申請を受け付けました", note))


def _apply_details(application: Application) -> dict[str, object]:
    return {
        "application_id": application.application_id,
        "department": application.department,
        "staff_type": application.staff_type,
        "purpose_chars": len(application.purpose),
    }


async def explain(
    services: Services,
    context: TurnContext,
    turn: Turn,
    *,
    standing: Standing,
    consent: Consent | None,
    application: Application | None,
) -> None:
    """Tell a refused user why, and offer the next step (consent card, application form, status);
    for an invoke the answer goes to the dispatcher (bot.teams.answers.respond)."""
    policy = services.policy
    if not turn.caller.is_personal:
        text = texts.CONSENT_ELSEWHERE if standing.needs_consent else _status(services, standing, application)
        await answers.respond(context, answers.toast(text))
        return
    if standing.needs_consent:
        held_id = await _keep_question(services, turn)
        card = cards.consent_card(policy, revised=standing is Standing.OUTDATED_CONSENT, held_id=held_id)
        if replies.is_invoke(context):
            await answers.respond(context, answers.card(card))
        else:  # the card closes the stream: its summary is the text shown with it (Teams needs one)
            activity = replies.card_activity(card)
            activity.summary = texts.CONSENT_CARD_SUMMARY
            await context.send_activity(activity)
        return
    message = texts.status_message(policy, standing, application)
    if standing in (Standing.NOT_APPLIED, Standing.REJECTED) and not replies.is_invoke(context):
        department = consent.department if consent is not None else ""
        await context.send_activity(message)
        await context.send_activity(
            replies.card_activity(cards.application_card(policy, department=department))
        )
        return
    await answers.respond(context, answers.toast(message))


def _status(services: Services, standing: Standing, application: Application | None) -> str:
    if standing in (Standing.NOT_APPLIED, Standing.REJECTED):
        return texts.APPROVAL_ELSEWHERE
    return texts.status_message(services.policy, standing, application)
