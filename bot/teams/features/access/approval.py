"""Approval, the administrators' side: approve / reject / revoke, 承認待ち and 利用停止.

Authorisation: these routes are `admin=True`, so the access stage and the dispatcher refuse
non-admins from the caller's Entra object id; card data is only trusted to NAME an application,
and the names are checked against the stored row (unknown or mismatched → refused, recorded).
Decisions are compare-and-swap on the row's ETag: a second approval changes nothing, sends
nothing, and shows the decision already made. Once decided, the applicant is told in their
personal chat and the card in the admin channel is updated for everyone (who, when).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any

from botbuilder.core import TurnContext

from bot.core.access import Application, Consent, Status
from bot.core.access.model import MAX_REASON_CHARS
from bot.core.screening.model import Action
from bot.core.turn import Outcome, Turn
from bot.teams import answers, channels, replies
from bot.teams.admin_alerts import tell_admins
from bot.teams.answers import Answer
from bot.teams.features.access.desk import AccessDesk
from bot.teams.router import match_of
from bot.teams.services import Services
from bot.ui import commands
from bot.ui.access import cards, texts
from bot.ui.exits import texts as exit_texts

log = logging.getLogger(__name__)

_APPLICATION_ID = re.compile(r"^[0-9a-f]{32}$")
LIST_VIEW = "list"  # data.view on buttons of the 承認待ち list: answer with the refreshed list


def register(services: Services, desk: AccessDesk) -> None:
    """Register the administrators' verbs and commands."""
    router = services.router

    @router.verb(cards.APPROVE, admin=True)
    async def approve(context: TurnContext, turn: Turn) -> Answer:
        return await _approve(desk, context, turn)

    @router.verb(cards.REJECT, admin=True)
    async def reject(context: TurnContext, turn: Turn) -> Answer:
        return await _reject(desk, context, turn)

    @router.verb(cards.REVOKE, admin=True)
    async def revoke(context: TurnContext, turn: Turn) -> Answer:
        return await _revoke(desk, context, turn)

    @router.verb(cards.VIEW)
    async def view(context: TurnContext, turn: Turn) -> Answer:
        return await _view(desk, context, turn)

    @router.command(commands.PENDING)
    async def pending(context: TurnContext, turn: Turn) -> Answer:
        return await _pending(desk, context)

    @router.command(commands.REVOKE)
    async def revoke_command(context: TurnContext, turn: Turn) -> Answer:
        return await _revoke_form(desk, context)

    @router.verb(cards.PENDING_PAGE, admin=True)
    async def pending_page(context: TurnContext, turn: Turn) -> Answer:
        return await _pending(desk, context, record=False)

    @router.invoke("application/search")
    async def search(context: TurnContext, turn: Turn) -> Answer:
        return await _search(desk, context, turn)


# ---- deciding -----------------------------------------------------------------------------------


async def _approve(desk: AccessDesk, context: TurnContext, turn: Turn) -> Answer:
    application = await _target(desk, context, turn)
    if not isinstance(application, Application):
        return application
    if application.status is not Status.PENDING:
        return await _respond(desk, context, application)
    caller = turn.caller
    decided = application.decided(Status.APPROVED, caller.display_name, caller.user_id, desk.clock())
    return await _decide(desk, context, decided, "access.approved")


async def _reject(desk: AccessDesk, context: TurnContext, turn: Turn) -> Answer:
    application = await _target(desk, context, turn)
    if not isinstance(application, Application):
        return application
    if application.status is not Status.PENDING:
        return await _respond(desk, context, application)
    reason = _reason(desk, context, application.application_id)
    if not isinstance(reason, str):
        return reason
    caller = turn.caller
    decided = application.decided(Status.REJECTED, caller.display_name, caller.user_id, desk.clock(), reason)
    return await _decide(desk, context, decided, "access.rejected")


async def _revoke(desk: AccessDesk, context: TurnContext, turn: Turn) -> Answer:
    data = replies.card_data(context)
    application: Application | None
    if replies.text_field(data, "application_id"):
        target = await _target(desk, context, turn)
        if not isinstance(target, Application):
            return target
        application = target
    else:  # from the 利用停止 form: the administrator picked the user
        application = await desk.store.application(replies.text_field(data, "user_id"))
    if application is not None and application.status is Status.REVOKED:
        return answers.toast(texts.REVOKE_ALREADY)
    reason = _reason(desk, context, application.application_id if application else "")
    if not isinstance(reason, str):
        return reason
    caller = turn.caller
    if application is None:
        return await _revoke_unapplied(desk, context, turn, reason)
    decided = application.decided(Status.REVOKED, caller.display_name, caller.user_id, desk.clock(), reason)
    return await _decide(desk, context, decided, "access.revoked")


async def _revoke_unapplied(desk: AccessDesk, context: TurnContext, turn: Turn, reason: str) -> Answer:
    """Revoke a user who never applied (policies without approval): they agreed, so they are known."""
    consent = await desk.store.consent(replies.text_field(replies.card_data(context), "user_id"))
    if consent is None:
        return await _refuse(desk, context, turn, "unknown_user", message=texts.REVOKE_NOT_FOUND)
    caller = turn.caller
    intent = {"applicant": consent.user_id, "status": "revoked", "reason_chars": len(reason)}
    await desk.events.record(context, "access.decision_requested", intent)  # before the change
    stored = await desk.store.revoke_unapplied(consent, caller.display_name, caller.user_id, reason)
    if stored is None:
        return answers.toast(texts.REVOKE_ALREADY)
    await desk.events.record(context, "access.revoked", _decision_details(stored))
    desk.background.spawn(_announce(desk, stored), "revocation notice")
    return answers.toast(texts.decided_toast(stored))


async def _decide(desk: AccessDesk, context: TurnContext, decided: Application, kind: str) -> Answer:
    """Record the intent, then swap the decision in; only the winner records the outcome, notifies
    and updates the channel card. The intent comes first so that a decision is never stored
    without a record (a StorageError here fails the click and nothing is decided)."""
    await desk.events.record(context, "access.decision_requested", _decision_details(decided))
    stored = await desk.store.decide(decided)
    if stored is None:  # decided elsewhere meanwhile: show what was decided, change nothing
        current = await desk.store.application(decided.user_id)
        if current is None:
            return answers.toast(texts.UNKNOWN_APPLICATION)
        return await _respond(desk, context, current)
    await desk.events.record(context, kind, _decision_details(stored))
    desk.background.spawn(_announce(desk, stored), "decision notice")  # answer first
    return await _respond(desk, context, stored)


def _decision_details(application: Application) -> dict[str, Any]:
    return {
        "application_id": application.application_id,
        "applicant": application.user_id,
        "status": application.status.value,
        "reason_chars": len(application.reason),
    }


def _reason(desk: AccessDesk, context: TurnContext, application_id: str) -> str | Answer:
    """The screened reason for rejecting or revoking, or the answer saying why it is unusable."""
    data = replies.card_data(context)
    reason = replies.text_field(data, "reason") or replies.text_field(data, f"reason_{application_id}")
    if not reason or len(reason) > MAX_REASON_CHARS:
        return answers.toast(texts.REASON_REQUIRED)
    screened = desk.screener.screen(reason)
    if screened.action in (Action.BLOCK, Action.CONFIRM):
        return answers.toast(texts.REASON_BLOCKED)
    return str(screened.masked_text)


# ---- which application a card names --------------------------------------------------------------


async def _target(desk: AccessDesk, context: TurnContext, turn: Turn) -> Application | Answer:
    """The stored application the card names; refused (the answer) and recorded when unknown or
    tampered with."""
    data = replies.card_data(context)
    application = await desk.store.application(replies.text_field(data, "user_id"))
    claimed = replies.text_field(data, "application_id")
    if application is None:
        return await _refuse(
            desk, context, turn, "unknown_application", message=texts.UNKNOWN_APPLICATION, claimed=claimed
        )
    if application.application_id != claimed:
        return await _refuse(desk, context, turn, "tampered", message=texts.TAMPERED, claimed=claimed)
    return application


async def _refuse(
    desk: AccessDesk, context: TurnContext, turn: Turn, reason: str, *, message: str, claimed: str = ""
) -> Answer:
    turn.refuse(Outcome.NOT_ALLOWED, reason)
    details = {"action": turn.command, "reason": reason, "application_id": _safe_id(claimed)}
    await desk.events.record(context, "access.action_refused", details)
    log.warning("refused %s on an application: %s (turn %s)", turn.command, reason, turn.turn_id)
    return answers.toast(message)


def _safe_id(value: str) -> str:
    """Card data is untrusted: keep it in the record only when it looks like an application id."""
    return value if _APPLICATION_ID.match(value) else ("" if not value else "(invalid)")


# ---- showing --------------------------------------------------------------------------------------


async def _respond(desk: AccessDesk, context: TurnContext, application: Application) -> Answer:
    """Answer the click: the refreshed 承認待ち list, or the application's card."""
    if replies.text_field(replies.card_data(context), "view") == LIST_VIEW:
        return await _pending(desk, context, record=False)
    return answers.card(cards.approval_card(application, admin_account_ids=await admin_accounts(desk)))


async def _view(desk: AccessDesk, context: TurnContext, turn: Turn) -> Answer:
    """The `refresh` of an approval card: administrators get the current card with its actions."""
    data = replies.card_data(context)
    application = await desk.store.application(replies.text_field(data, "user_id"))
    if application is None or application.application_id != replies.text_field(data, "application_id"):
        return answers.card(cards.message_card(texts.APPLY_TITLE, texts.UNKNOWN_APPLICATION))
    if not turn.caller.is_admin:  # nothing about the applicant for anyone else
        line = (
            texts.decided_line(application)
            if application.status is not Status.PENDING
            else texts.UNDER_REVIEW
        )
        return answers.card(cards.message_card(texts.APPLY_TITLE, line))
    return answers.card(cards.approval_card(application, admin_account_ids=await admin_accounts(desk)))


async def _pending(desk: AccessDesk, context: TurnContext, *, record: bool = True) -> Answer:
    applications = await desk.store.applications(Status.PENDING)
    if record:
        await desk.events.record(context, "access.pending_listed", {"count": len(applications)})
    if not applications:
        return answers.card(cards.message_card(texts.pending_title(0), texts.NO_PENDING))
    page = _page(replies.text_field(replies.card_data(context), "page"))
    return answers.card(cards.pending_card(applications, desk.clock(), view=LIST_VIEW, page=page))


def _page(value: str) -> int:
    return int(value) if value.isdigit() and len(value) < 6 else 0


async def _search(desk: AccessDesk, context: TurnContext, turn: Turn) -> Answer:
    """Type-ahead in the 利用停止 form: staff whose name or department contains the typed text."""
    value = context.activity.value if isinstance(context.activity.value, dict) else {}
    if value.get("dataset") != cards.STAFF_DATASET:
        return answers.plain(search_response([]))
    if not turn.caller.is_admin:
        turn.refuse(Outcome.NOT_ALLOWED, "not_admin")
        return answers.plain(search_error(texts.search_admin_only(desk.policy)))
    query = _fold(str(value.get("queryText") or ""))[:40]
    options = value.get("queryOptions")
    skip = options.get("skip") if isinstance(options, dict) else 0
    skip = skip if isinstance(skip, int) and skip > 0 else 0
    found = [(label, uid) for label, uid in await _revocable(desk) if query in _fold(label)]
    turn.details["search_results"] = len(found)
    return answers.plain(search_response(found[skip : skip + cards.SEARCH_RESULTS]))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace(" ", "").replace("\u3000", "")


def search_response(results: list[tuple[str, str]]) -> dict[str, Any]:
    """The `application/search` answer: up to 15 (title, value) choices."""
    choices = [{"title": label, "value": uid} for label, uid in results]
    return {"type": "application/vnd.microsoft.search.searchResponse", "value": {"results": choices}}


def search_error(message: str) -> dict[str, Any]:
    """An `application/search` refusal Teams shows instead of results."""
    return {"type": "application/vnd.microsoft.error", "value": {"code": "Forbidden", "message": message}}


async def _revoke_form(desk: AccessDesk, context: TurnContext) -> Answer:
    wanted = match_of(context).argument.strip()
    choices = await _revocable(desk)
    if wanted:
        choices = [c for c in choices if wanted.lower() in (c[1].lower(), c[0].split("（")[0])]
        if not choices:
            return answers.toast(texts.REVOKE_NOT_FOUND)
    if not choices:
        return answers.toast(texts.REVOKE_NONE)
    return answers.card(cards.revoke_card(choices, selected=choices[0][1] if wanted else ""))


async def _revocable(desk: AccessDesk) -> list[tuple[str, str]]:
    """(label, user id) of everyone whose use can be stopped."""
    if desk.policy.access.require_approval:
        people: list[Application | Consent] = list(await desk.store.applications(Status.APPROVED))
    else:
        revoked = {a.user_id for a in await desk.store.applications(Status.REVOKED)}
        people = [c for c in await desk.store.agreed_users() if c.user_id not in revoked]
    return [(f"{p.display_name}（{p.department}）", p.user_id) for p in people]


# ---- telling everyone --------------------------------------------------------------------------


async def admin_accounts(desk: AccessDesk) -> list[str]:
    """The 29:… ids of administrators the bot has seen (for card `refresh.userIds`)."""
    return [a.id for a in await desk.outreach.directory.accounts(desk.outreach.admins) if a.id]


async def post_approval_card(desk: AccessDesk, application: Application) -> Application:
    """Post the approval card to the admin channel and remember where (it is listed in 承認待ち anyway)."""
    card = cards.approval_card(application, admin_account_ids=await admin_accounts(desk))
    try:
        posted = await channels.post_to_channel(
            desk.outreach, desk.policy.support.admin_channel_name, desk.outreach.to_channel(card)
        )
    except channels.DeliveryError as exc:
        log.warning("approval card not posted to the admin channel: %s", type(exc).__name__)
        await tell_admins(
            desk.outreach, exit_texts.admin_channel_missing(desk.policy, texts.APPLICATION_NOUN)
        )
        return application
    return await desk.store.set_card_ref(application, posted.to_json())


async def _announce(desk: AccessDesk, application: Application) -> Application:
    """Tell the applicant, and update the channel card for everyone; failures are logged only."""
    try:
        await channels.notify_user(
            desk.outreach,
            application.user_id,
            desk.outreach.to_person(texts.notice(desk.policy, application)),
        )
    except channels.DeliveryError as exc:
        log.warning("applicant not notified: %s", type(exc).__name__)
    current = await desk.store.application(application.user_id) or application
    posted = channels.PostedRef.from_json(current.card_ref) if current.card_ref else None
    if posted is not None:
        card = cards.approval_card(current, admin_account_ids=await admin_accounts(desk))
        try:
            await channels.update_activity(desk.outreach, posted, desk.outreach.to_channel(card))
        except channels.DeliveryError as exc:
            log.warning("approval card not updated: %s", type(exc).__name__)
    return current
