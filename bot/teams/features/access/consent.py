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
from bot.teams.features.access import approval, digest
from bot.teams.features.access.desk import AccessDesk
from bot.teams.services import Services
from bot.ui import commands
from bot.ui.access import cards, texts
from bot.ui.exits import texts as exit_texts

weekly_digest = digest.weekly_digest  # entered by bot.teams.pipeline.open_services


def register(services: Services) -> None:
    """Register consent and application routes, and the administrators' routes."""
    desk = AccessDesk.of(services)
    router = services.router
    policy = desk.policy

    @router.on_event("installed")
    async def welcome(context: TurnContext, turn: Turn) -> None:
        if not turn.caller.is_personal or not policy.access.require_consent:
            return
        consent = await desk.store.consent(turn.caller.user_id)
        if consent is None or consent.version != policy.guideline.version:
            await context.send_activity(
                replies.card_activity(cards.consent_card(policy, revised=consent is not None))
            )

    @router.verb(cards.AGREE)
    async def agree(context: TurnContext, turn: Turn) -> Answer:
        return await _agree(desk, context, turn)

    @router.command(commands.APPLY)
    async def apply_form(context: TurnContext, turn: Turn) -> Answer:
        return await _apply_form(desk, context, turn)

    @router.verb(cards.APPLY)
    async def apply(context: TurnContext, turn: Turn) -> Answer:
        return await _apply(desk, context, turn)

    approval.register(services, desk)


async def _agree(desk: AccessDesk, context: TurnContext, turn: Turn) -> Answer:
    policy = desk.policy
    data = replies.card_data(context)
    department = desk.outreach.for_storage(replies.text_field(data, "department")).text
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
        agreed_at=desk.clock(),
    )
    await desk.store.agree(consent)
    caller.department = department
    await desk.events.record(
        context, "access.consent", {"version": consent.version, "department": department}
    )
    card = await _after_consent(desk, consent, is_admin=caller.is_admin)
    if await _answer_kept_question(desk, context, turn, consent, held_id=replies.text_field(data, "held")):
        card = cards.message_card(
            texts.CONSENT_RECORDED_TITLE,
            texts.consent_recorded(policy, consent.agreed_at) + "\n\n" + texts.QUESTION_FOLLOWS,
        )
    return answers.card(card)


async def _keep_question(desk: AccessDesk, turn: Turn) -> str:
    """Keep a question sent before consent (encrypted, 10 minutes, like held texts); its id or ''."""
    model_turn = turn.model
    if model_turn is None or model_turn.source != "chat":
        return ""
    return await desk.held.put(turn.caller.conversation_id, turn.caller.user_id, model_turn.raw_text)


async def _answer_kept_question(
    desk: AccessDesk,
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
    policy = desk.policy
    application = await desk.store.application(consent.user_id)
    allowed = standing(
        policy.access, policy.guideline.version, consent, application, is_admin=turn.caller.is_admin
    )
    if allowed is not Standing.ALLOWED:
        return False  # approval still needed: the question expires with its 10 minutes
    text = await desk.held.take(turn.caller.conversation_id, turn.caller.user_id, held_id)
    return text is not None and desk.follow_up(context, text)


async def _after_consent(desk: AccessDesk, consent: Consent, *, is_admin: bool) -> cards.Card:
    """What the consent card turns into: the application form where one is still needed."""
    policy = desk.policy
    if policy.access.require_approval and not is_admin:
        application = await desk.store.application(consent.user_id)
        if can_apply(application):
            return cards.application_card(
                policy, department=consent.department, note=texts.consent_recorded_apply(policy), note_ok=True
            )
    return cards.message_card(texts.CONSENT_RECORDED_TITLE, texts.consent_recorded(policy, consent.agreed_at))


async def _apply_form(desk: AccessDesk, context: TurnContext, turn: Turn) -> Answer:
    policy = desk.policy
    if not policy.access.require_approval:
        return answers.toast(texts.NO_APPLICATION_NEEDED)
    consent = await _consented(desk, turn)
    if isinstance(consent, Answer):
        return consent
    application = await desk.store.application(turn.caller.user_id)
    if not can_apply(application):
        assert application is not None
        return answers.toast(texts.already(policy, application))
    department = consent.department if consent is not None else ""
    return answers.card(cards.application_card(policy, department=department))


async def _consented(desk: AccessDesk, turn: Turn) -> Consent | Answer | None:
    """The caller's consent to the current version (None when none is required), or the consent
    card to answer with when the caller must agree first."""
    policy = desk.policy
    consent = await desk.store.consent(turn.caller.user_id)
    if consent is not None and consent.version == policy.guideline.version:
        return consent
    if not policy.access.require_consent:
        return None
    return answers.card(cards.consent_card(policy, revised=consent is not None))


async def _apply(desk: AccessDesk, context: TurnContext, turn: Turn) -> Answer:
    policy = desk.policy
    if not policy.access.require_approval:
        return answers.toast(texts.NO_APPLICATION_NEEDED)
    consented = await _consented(desk, turn)
    if isinstance(consented, Answer):
        return consented
    data = replies.card_data(context)
    form = ApplicationForm(
        desk.outreach.for_storage(replies.text_field(data, "department")).text,
        replies.text_field(data, "staff_type"),
        replies.text_field(data, "purpose"),
    )
    problems = form_problems(form, policy.access.eligible_staff)
    if problems:
        note = texts.problems(policy, problems)
        return answers.card(cards.application_card(policy, department=form.department, note=note))
    screened = desk.screener.screen(form.purpose)
    if screened.action in (Action.BLOCK, Action.CONFIRM):
        return await _refuse_purpose(desk, context, form, screened.findings)
    return await _submit(
        desk,
        context,
        turn,
        ApplicationForm(form.department, form.staff_type, screened.masked_text),
    )


async def _refuse_purpose(
    desk: AccessDesk, context: TurnContext, form: ApplicationForm, findings: tuple[Finding, ...]
) -> Answer:
    """The intended use contains what may not be stored: say what, record kinds only, keep nothing."""
    found = [f for f in findings if f.action in (Action.BLOCK, Action.CONFIRM)]
    await desk.events.record(
        context,
        "access.apply_refused",
        {
            "reason": "screening",
            "kinds": sorted({f.kind for f in found}),
            "categories": sorted({f.category for f in found if f.category}),
        },
    )
    note = texts.purpose_blocked([f.label for f in found])
    return answers.card(cards.application_card(desk.policy, department=form.department, note=note))


async def _submit(desk: AccessDesk, context: TurnContext, turn: Turn, form: ApplicationForm) -> Answer:
    caller = turn.caller
    application = await desk.store.apply(caller.user_id, caller.display_name, form)
    if application is None:
        current = await desk.store.application(caller.user_id)
        return answers.toast(texts.already(desk.policy, current) if current else texts.TAMPERED)
    caller.department = caller.department or application.department
    await desk.events.record(context, "access.apply", _apply_details(application))
    posted = await approval.post_approval_card(desk, application)
    note = texts.applied(desk.policy)
    if not posted.card_ref:  # the admin channel is missing: the admins were told in their chats
        note += "\n\n" + exit_texts.applicant_admin_channel_missing(desk.policy)
    return answers.card(cards.message_card(texts.APPLICATION_RECEIVED_TITLE, note))


def _apply_details(application: Application) -> dict[str, object]:
    return {
        "application_id": application.application_id,
        "department": application.department,
        "staff_type": application.staff_type,
        "purpose_chars": len(application.purpose),
    }


async def explain(
    desk: AccessDesk,
    context: TurnContext,
    turn: Turn,
    *,
    standing: Standing,
    consent: Consent | None,
    application: Application | None,
) -> None:
    """Tell a refused user why, and offer the next step (consent card, application form, status);
    for an invoke the answer goes to the dispatcher (bot.teams.answers.respond)."""
    policy = desk.policy
    if not turn.caller.is_personal:
        text = texts.CONSENT_ELSEWHERE if standing.needs_consent else _status(desk, standing, application)
        await answers.respond(context, answers.toast(text))
        return
    if standing.needs_consent:
        held_id = await _keep_question(desk, turn)
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


def _status(desk: AccessDesk, standing: Standing, application: Application | None) -> str:
    if standing in (Standing.NOT_APPLIED, Standing.REJECTED):
        return texts.APPROVAL_ELSEWHERE
    return texts.status_message(desk.policy, standing, application)
