"""`AccessStore`: consents, applications and the weekly digest marker in the `access` table.

Layout (one row per user, so "the user's application" is one read):

    pk "consent"      rk <user id>   the latest agreement (version, department, when)
    pk "application"  rk <user id>   the latest application and its decision
    pk "digest"       rk "weekly"    the last ISO week whose digest was sent

Decisions are compare-and-swap on the row's ETag: of two administrators (or two bot processes)
approving the same application, exactly one changes it; the other gets None and changes nothing.

Every turn asks "may this user go on?": the access stage reads through a per-process cache
(`standing_of`), which this store updates on its own writes. Another instance's change (an approval,
a revocation, an agreement given there) takes effect here within CACHE_TTL_S (ABSENT_TTL_S for "no
row yet", so an agreement given on another instance is seen within seconds). Everything else
(decisions, applications, the admin lists) reads storage directly, with the ETag it needs.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from urllib.parse import quote

from bot.core.access.model import Application, ApplicationForm, Consent, Status, can_apply
from bot.core.cache import TtlCache, missing
from bot.core.errors import ConflictError, NotFoundError
from bot.core.storage.base import Entity, Scalar, Storage

TABLE = "access"
CONSENT, APPLICATION, DIGEST = "consent", "application", "digest"
CACHE_TTL_S = 30.0
ABSENT_TTL_S = 5.0


def user_key(user_id: str) -> str:
    """A storage-safe row key for a user id (Entra object ids, or 29:… ids as a fallback)."""
    return quote(user_id.strip().lower(), safe=":-@._")


def new_application_id() -> str:
    """A fresh application id (32 hex digits)."""
    return uuid.uuid4().hex


class AccessStore:
    """Read and change who may use the assistant."""

    def __init__(
        self,
        storage: Storage,
        clock: Callable[[], datetime],
        *,
        cache_ttl_s: float = CACHE_TTL_S,
        absent_ttl_s: float = ABSENT_TTL_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._storage = storage
        self._clock = clock
        self._cache: TtlCache[tuple[str, str], Consent | Application | None] = TtlCache(
            cache_ttl_s, monotonic=monotonic
        )
        self._absent_ttl_s = absent_ttl_s

    async def standing_of(self, user_id: str) -> tuple[Consent | None, Application | None]:
        """(consent, application) for the per-turn access check, through the per-process cache."""
        if not user_id:
            return None, None
        consent = await self._cached(CONSENT, user_id, self.consent)
        application = await self._cached(APPLICATION, user_id, self.application)
        assert consent is None or isinstance(consent, Consent)
        assert application is None or isinstance(application, Application)
        return consent, application

    async def _cached(
        self, kind: str, user_id: str, read: Callable[[str], Awaitable[Consent | Application | None]]
    ) -> Consent | Application | None:
        key = (kind, user_key(user_id))
        hit = self._cache.get(key)
        if not missing(hit):
            return hit  # type: ignore[return-value]
        value = await read(user_id)
        self._remember(kind, user_id, value)
        return value

    def _remember(self, kind: str, user_id: str, value: Consent | Application | None) -> None:
        self._cache.put((kind, user_key(user_id)), value, None if value is not None else self._absent_ttl_s)

    async def consent(self, user_id: str) -> Consent | None:
        """The user's latest agreement, if any."""
        entity = await self._storage.get(TABLE, CONSENT, user_key(user_id)) if user_id else None
        return _consent(entity) if entity is not None else None

    async def agree(self, consent: Consent) -> None:
        """Store (or replace) the user's agreement."""
        await self._storage.upsert(TABLE, Entity(CONSENT, user_key(consent.user_id), _consent_data(consent)))
        self._remember(CONSENT, consent.user_id, consent)

    async def agreed_users(self) -> list[Consent]:
        """Everyone who agreed to some version, by display name."""
        rows = await self._storage.query(TABLE, CONSENT)
        return sorted((_consent(e) for e in rows), key=lambda c: c.display_name)

    async def application(self, user_id: str) -> Application | None:
        """The user's latest application, if any."""
        entity = await self._storage.get(TABLE, APPLICATION, user_key(user_id)) if user_id else None
        return _application(entity) if entity is not None else None

    async def applications(self, status: Status | None = None) -> list[Application]:
        """Every application (optionally with one status), oldest first."""
        rows = [_application(e) for e in await self._storage.query(TABLE, APPLICATION)]
        return sorted((a for a in rows if status is None or a.status is status), key=lambda a: a.applied_at)

    async def apply(self, user_id: str, display_name: str, form: ApplicationForm) -> Application | None:
        """Store a new pending application; None when one is pending or decided (not rejected)."""
        current = await self.application(user_id)
        if not can_apply(current):
            return None
        application = Application(
            application_id=new_application_id(),
            user_id=user_id,
            display_name=display_name,
            department=form.department.strip(),
            staff_type=form.staff_type,
            purpose=form.purpose.strip(),
            applied_at=self._clock(),
        )
        entity = Entity(APPLICATION, user_key(user_id), _application_data(application))
        try:
            if current is None:
                stored = await self._storage.insert(TABLE, entity)
            else:
                stored = await self._storage.replace(TABLE, _with_etag(entity, current.etag))
        except (ConflictError, NotFoundError):
            self._cache.drop((APPLICATION, user_key(user_id)))
            return None  # a concurrent application won
        return self._stored(stored)

    async def decide(self, decided: Application) -> Application | None:
        """Swap in a decided copy read with its ETag; None if the row changed (or went) meanwhile."""
        if not decided.etag:
            raise ValueError("decide needs the ETag the application was read with")
        entity = Entity(APPLICATION, user_key(decided.user_id), _application_data(decided), decided.etag)
        try:
            stored = await self._storage.replace(TABLE, entity)
        except (ConflictError, NotFoundError):
            self._cache.drop((APPLICATION, user_key(decided.user_id)))
            return None
        return self._stored(stored)

    async def revoke_unapplied(self, user: Consent, by: str, by_id: str, reason: str) -> Application | None:
        """Revoke a user who never applied (policies without approval); None if a row appeared."""
        now = self._clock()
        application = Application(
            application_id=new_application_id(),
            user_id=user.user_id,
            display_name=user.display_name,
            department=user.department,
            staff_type="",
            purpose="",
            applied_at=now,
        ).decided(Status.REVOKED, by, by_id, now, reason)
        entity = Entity(APPLICATION, user_key(user.user_id), _application_data(application))
        try:
            return self._stored(await self._storage.insert(TABLE, entity))
        except ConflictError:
            self._cache.drop((APPLICATION, user_key(user.user_id)))
            return None

    async def set_card_ref(self, application: Application, card_ref: str) -> Application:
        """Remember where the approval card was posted (so it can be updated for everyone)."""
        for _ in range(3):
            current = await self.application(application.user_id)
            if current is None or current.application_id != application.application_id:
                return application
            data = {**_application_data(current), "card_ref": card_ref}
            entity = Entity(APPLICATION, user_key(current.user_id), data, current.etag)
            try:
                return self._stored(await self._storage.replace(TABLE, entity))
            except ConflictError:
                continue  # decided meanwhile: keep the decision, add the reference again
        return application

    def _stored(self, entity: Entity) -> Application:
        application = _application(entity)
        self._remember(APPLICATION, application.user_id, application)
        return application

    async def claim_week(self, week: str) -> bool:
        """True for exactly one caller per `week` across processes (CAS on the digest row)."""
        row = await self._storage.get(TABLE, DIGEST, "weekly")
        try:
            if row is None:
                await self._storage.insert(TABLE, Entity(DIGEST, "weekly", {"week": week}))
            elif row.data.get("week") == week:
                return False
            else:
                await self._storage.replace(TABLE, row.with_data(week=week))
        except (ConflictError, NotFoundError):
            return False
        return True


def _with_etag(entity: Entity, etag: str) -> Entity:
    return Entity(entity.partition_key, entity.row_key, entity.data, etag)


def _consent_data(consent: Consent) -> dict[str, Scalar]:
    return {
        "user_id": consent.user_id,
        "display_name": consent.display_name,
        "department": consent.department,
        "version": consent.version,
        "agreed_at": consent.agreed_at.isoformat(),
    }


def _consent(entity: Entity) -> Consent:
    d = entity.data
    return Consent(
        user_id=str(d.get("user_id", "")),
        display_name=str(d.get("display_name", "")),
        department=str(d.get("department", "")),
        version=str(d.get("version", "")),
        agreed_at=datetime.fromisoformat(str(d["agreed_at"])),
    )


def _application_data(a: Application) -> dict[str, Scalar]:
    data: dict[str, Scalar] = {
        "application_id": a.application_id,
        "user_id": a.user_id,
        "display_name": a.display_name,
        "department": a.department,
        "staff_type": a.staff_type,
        "purpose": a.purpose,
        "applied_at": a.applied_at.isoformat(),
        "status": a.status.value,
        "decided_by": a.decided_by,
        "decided_by_id": a.decided_by_id,
        "reason": a.reason,
        "card_ref": a.card_ref,
    }
    if a.decided_at is not None:
        data["decided_at"] = a.decided_at.isoformat()
    return data


def _application(entity: Entity) -> Application:
    d = entity.data
    decided = d.get("decided_at")
    return Application(
        application_id=str(d.get("application_id", "")),
        user_id=str(d.get("user_id", "")),
        display_name=str(d.get("display_name", "")),
        department=str(d.get("department", "")),
        staff_type=str(d.get("staff_type", "")),
        purpose=str(d.get("purpose", "")),
        applied_at=datetime.fromisoformat(str(d["applied_at"])),
        status=Status(str(d.get("status", Status.PENDING.value))),
        decided_by=str(d.get("decided_by", "")),
        decided_by_id=str(d.get("decided_by_id", "")),
        decided_at=datetime.fromisoformat(str(decided)) if decided else None,
        reason=str(d.get("reason", "")),
        card_ref=str(d.get("card_ref", "")),
        etag=entity.etag,
    )
