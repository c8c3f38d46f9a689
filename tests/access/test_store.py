"""AccessStore on every storage backend: consents, applications, compare-and-swap decisions."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.core.access import AccessStore, ApplicationForm, Consent, Status
from bot.core.storage.base import Storage

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
FORM = ApplicationForm("総務課", "正規職員", "お知らせ文の素案作成")


def store_on(storage: Storage) -> AccessStore:
    return AccessStore(storage, lambda: NOW)


async def test_consent_round_trip(storage: Storage) -> None:
    store = store_on(storage)
    assert await store.consent("AAAA-1") is None
    await store.agree(Consent("AAAA-1", "市役所 太郎", "総務課", "v1", NOW))
    found = await store.consent("aaaa-1")
    assert found == Consent("AAAA-1", "市役所 太郎", "総務課", "v1", NOW)
    assert [c.user_id for c in await store.agreed_users()] == ["AAAA-1"]


async def test_apply_once_until_rejected(storage: Storage) -> None:
    store = store_on(storage)
    first = await store.apply("u1", "市役所 太郎", FORM)
    assert first is not None
    assert first.status is Status.PENDING
    assert await store.apply("u1", "市役所 太郎", FORM) is None
    rejected = await store.decide(first.decided(Status.REJECTED, "管理者", "admin", NOW, "目的が不明確"))
    assert rejected is not None
    second = await store.apply("u1", "市役所 太郎", FORM)
    assert second is not None
    assert second.application_id != first.application_id
    assert [a.application_id for a in await store.applications(Status.PENDING)] == [second.application_id]


async def test_a_decision_is_made_once(storage: Storage) -> None:
    store = store_on(storage)
    application = await store.apply("u1", "市役所 太郎", FORM)
    assert application is not None
    approve = application.decided(Status.APPROVED, "管理者A", "a", NOW)
    reject = application.decided(Status.REJECTED, "管理者B", "b", NOW, "理由")
    results = await asyncio.gather(store.decide(approve), store.decide(reject))
    assert sum(r is not None for r in results) == 1
    assert await store.decide(approve) is None  # the same stale copy again: nothing more
    stored = await store.application("u1")
    assert stored is not None
    assert stored.status in {Status.APPROVED, Status.REJECTED}


async def test_card_ref_survives_a_decision(storage: Storage) -> None:
    store = store_on(storage)
    application = await store.apply("u1", "市役所 太郎", FORM)
    assert application is not None
    with_ref = await store.set_card_ref(application, '{"activity_id": "1"}')
    decided = await store.decide(with_ref.decided(Status.APPROVED, "管理者", "a", NOW))
    assert decided is not None
    assert decided.card_ref == '{"activity_id": "1"}'


async def test_revoke_without_application(storage: Storage) -> None:
    store = store_on(storage)
    user = Consent("u2", "市役所 花子", "税務課", "v1", NOW)
    revoked = await store.revoke_unapplied(user, "管理者", "a", "業務外の利用")
    assert revoked is not None
    assert revoked.status is Status.REVOKED
    assert revoked.reason == "業務外の利用"
    assert await store.revoke_unapplied(user, "管理者", "a", "again") is None


async def test_each_week_is_claimed_once(storage: Storage) -> None:
    store = store_on(storage)
    claims = await asyncio.gather(*(store.claim_week("2026-W48") for _ in range(5)))
    assert claims.count(True) == 1
    assert not await store.claim_week("2026-W48")
    assert await store.claim_week("2026-W49")


async def test_standing_is_cached_per_process_and_updated_by_own_writes(storage: Storage) -> None:
    """The per-turn check reads through a cache: this instance's own writes show at once, another
    instance's once the entry expires."""
    ticks = [0.0]  # the caches' durations, advanced by the test (not by how slow storage is today)
    here = AccessStore(storage, lambda: NOW, cache_ttl_s=0.3, absent_ttl_s=0.3, monotonic=lambda: ticks[0])
    there = AccessStore(storage, lambda: NOW, cache_ttl_s=0.3, absent_ttl_s=0.3, monotonic=lambda: ticks[0])
    assert await here.standing_of("u1") == (None, None)
    consent = Consent("u1", "市役所 太郎", "総務課", "v1", NOW)
    await here.agree(consent)
    assert await here.standing_of("u1") == (consent, None), "own write: at once"
    applied = await there.apply("u1", "市役所 太郎", FORM)
    assert applied is not None
    assert await there.standing_of("u1") == (consent, applied)
    assert (await here.standing_of("u1"))[1] is None, "another instance's write: not yet"
    ticks[0] += 0.35
    pending = (await here.standing_of("u1"))[1]
    assert pending is not None
    assert pending.status is Status.PENDING
    revoked = await there.decide(applied.decided(Status.REVOKED, "管理者", "admin", NOW, "異動"))
    assert revoked is not None
    ticks[0] += 0.35
    seen = (await here.standing_of("u1"))[1]
    assert seen is not None
    assert seen.status is Status.REVOKED, "a revocation elsewhere takes effect within the lifetime"


async def test_standing_reads_storage_once_per_lifetime(storage: Storage) -> None:
    reads = 0
    original = storage.get

    async def counting(table: str, pk: str, rk: str) -> object:
        nonlocal reads
        reads += 1
        return await original(table, pk, rk)

    store = AccessStore(storage, lambda: NOW)
    await store.agree(Consent("u2", "市役所 花子", "総務課", "v1", NOW))
    storage.get = counting  # type: ignore[method-assign]
    try:
        for _ in range(5):
            await store.standing_of("u2")
    finally:
        storage.get = original  # type: ignore[method-assign]
    assert reads == 1, "consent cached from the write; the missing application read once"
