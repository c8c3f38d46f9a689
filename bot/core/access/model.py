"""Who may use the assistant: consents, applications and the rules over them (pure, no I/O).

A user's standing is decided from three facts, in this order:

    1. revoked application            → REVOKED (even where the policy needs no approval)
    2. consent to the current version  → NO_CONSENT / OUTDATED_CONSENT when missing or older
    3. approval, where the policy asks → NOT_APPLIED / PENDING / REJECTED until approved

Administrators (the information policy division) approve applications, so they are never asked
to apply themselves; they still agree to the guideline like everyone else.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime

from bot.core.policy import AccessPolicy

MAX_DEPARTMENT_CHARS = 40
MAX_PURPOSE_CHARS = 400
MAX_REASON_CHARS = 200


class Status(enum.StrEnum):
    """Where an application is."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    REVOKED = "revoked"


class Standing(enum.StrEnum):
    """What a user may do now."""

    ALLOWED = "allowed"
    NO_CONSENT = "no_consent"
    OUTDATED_CONSENT = "outdated_consent"
    NOT_APPLIED = "not_applied"
    PENDING = "pending"
    REJECTED = "rejected"
    REVOKED = "revoked"

    @property
    def needs_consent(self) -> bool:
        """True when the user must (again) agree to the guideline."""
        return self in {Standing.NO_CONSENT, Standing.OUTDATED_CONSENT}


@dataclass(frozen=True)
class Consent:
    """A user's agreement to one version of the guideline."""

    user_id: str
    display_name: str
    department: str
    version: str
    agreed_at: datetime


@dataclass(frozen=True)
class Application:
    """A request to use the assistant and what became of it."""

    application_id: str
    user_id: str
    display_name: str
    department: str
    staff_type: str
    purpose: str  # screened (masked) before it was stored
    applied_at: datetime
    status: Status = Status.PENDING
    decided_by: str = ""  # display name of the administrator
    decided_by_id: str = ""
    decided_at: datetime | None = None
    reason: str = ""  # why it was rejected or revoked (screened)
    card_ref: str = ""  # where the approval card was posted (JSON from the channels module)
    etag: str = ""  # for compare-and-swap

    def decided(self, status: Status, by: str, by_id: str, at: datetime, reason: str = "") -> Application:
        """A copy with the decision filled in (keeps the ETag for the swap)."""
        return replace(self, status=status, decided_by=by, decided_by_id=by_id, decided_at=at, reason=reason)

    def waiting_days(self, now: datetime) -> int:
        """Whole days since the application was made."""
        return max(0, (now - self.applied_at).days)


@dataclass(frozen=True)
class ApplicationForm:
    """What the applicant typed (before screening)."""

    department: str
    staff_type: str
    purpose: str


def standing(
    policy: AccessPolicy,
    version: str,
    consent: Consent | None,
    application: Application | None,
    *,
    is_admin: bool = False,
) -> Standing:
    """The user's standing under `policy` for guideline `version`."""
    if application is not None and application.status is Status.REVOKED:
        return Standing.REVOKED
    if policy.require_consent:
        if consent is None:
            return Standing.NO_CONSENT
        if consent.version != version:
            return Standing.OUTDATED_CONSENT
    if not policy.require_approval or is_admin:
        return Standing.ALLOWED
    return _approval_standing(application)


def _approval_standing(application: Application | None) -> Standing:
    if application is None:
        return Standing.NOT_APPLIED
    return {
        Status.PENDING: Standing.PENDING,
        Status.APPROVED: Standing.ALLOWED,
        Status.REJECTED: Standing.REJECTED,
        Status.REVOKED: Standing.REVOKED,
    }[application.status]


def form_problems(form: ApplicationForm, eligible_staff: tuple[str, ...]) -> list[str]:
    """What is wrong with an application form (problem keys; empty when it is fine)."""
    problems: list[str] = []
    if not form.department.strip():
        problems.append("department_missing")
    elif len(form.department.strip()) > MAX_DEPARTMENT_CHARS:
        problems.append("department_too_long")
    if form.staff_type not in eligible_staff:
        problems.append("staff_type_not_eligible")
    if not form.purpose.strip():
        problems.append("purpose_missing")
    elif len(form.purpose.strip()) > MAX_PURPOSE_CHARS:
        problems.append("purpose_too_long")
    return problems


def can_apply(application: Application | None) -> bool:
    """True when a (new) application may be made: none yet, or the last one was rejected."""
    return application is None or application.status is Status.REJECTED


def overdue(applications: list[Application], now: datetime, target_days: int) -> list[Application]:
    """Pending applications waiting longer than the target, oldest first."""
    late = [a for a in applications if a.status is Status.PENDING and a.waiting_days(now) > target_days]
    return sorted(late, key=lambda a: a.applied_at)
