"""QuotaService on real storage (both backends): reserve, settle, release, shortening, expiry,
alerts, coaching, reports, and the round trips a turn costs."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from bot.core.quota import QuotaExceeded, QuotaService, RateLimitExceeded, UserTurnsBusy, months
from bot.core.quota.counters import ORG_KEY, TABLE, department_key, user_key
from bot.core.storage.base import Entity, Op, Storage
from bot.ui.quota import texts as quota_texts
from tests.quota.conftest import Clock, CountingStorage, make_service

PK = "m2026-11"


async def _rows(storage: Storage) -> dict[str, dict[str, object]]:
    return {e.row_key: dict(e.data) for e in await storage.query(TABLE, PK)}


def _holds(row: dict[str, object]) -> dict[str, list[int]]:
    return json.loads(str(row["holds"]))


# ---- reserve / settle / release ----------------------------------------------------------------


async def test_reserve_holds_input_plus_max_answer_everywhere(storage: Storage, clock: Clock) -> None:
    quota = make_service(storage, clock, user_monthly_chars=5000)
    r = await quota.reserve("user-1", "総務部情報政策課", 120, display_name="山田 花子")
    assert (r.month, r.amount, r.input_chars, r.max_answer_chars, r.shortened) == (
        "2026-11",
        1120,
        120,
        1000,
        False,
    )
    assert r.scopes == (ORG_KEY, department_key("総務部情報政策課"), user_key("user-1"))
    assert r.remaining == {"org": 10_000 - 1120, "user": 5000 - 1120}
    rows = await _rows(storage)
    for key in r.scopes:
        assert rows[key]["used"] == 0
        assert _holds(rows[key]) == {r.id: [1120, pytest.approx(clock.now.timestamp() + 300, abs=1)]}
    dept = rows[department_key("総務部情報政策課")]
    assert dept["name"] == "総務部情報政策課"
    assert rows[user_key("user-1")]["name"] == "山田 花子"


async def test_settle_charges_actual_and_drops_the_hold(storage: Storage, clock: Clock) -> None:
    quota = make_service(storage, clock)
    r = await quota.reserve("u", "課", 100)
    assert await quota.settle(r, r.charge_for(400)) == 500
    rows = await _rows(storage)
    for key in r.scopes:
        assert rows[key]["used"] == 500
        assert rows[key]["turns"] == 1
        assert _holds(rows[key]) == {}
    assert json.loads(str(rows[ORG_KEY]["days"])) == {"20": 500}


async def test_settle_never_exceeds_the_reservation(storage: Storage, clock: Clock) -> None:
    quota = make_service(storage, clock)
    r = await quota.reserve("u", "", 100)
    assert r.charge_for(5000) == r.amount
    assert await quota.settle(r, 99_999) == r.amount
    assert (await quota.snapshot("u")).org.used == 1100


async def test_release_frees_everything(storage: Storage, clock: Clock) -> None:
    quota = make_service(storage, clock)
    r = await quota.reserve("u", "課", 100)
    await quota.release(r)
    snap = await quota.snapshot("u", "課")
    assert (snap.org.used, snap.org.reserved, snap.user.reserved) == (0, 0, 0)
    assert snap.department is not None
    assert snap.department.reserved == 0
    await quota.release(r)  # twice is harmless


async def test_footer_line(storage: Storage, clock: Clock) -> None:
    quota = make_service(
        storage, clock, org_monthly_chars=10_000_000, user_monthly_chars=50_000, max_answer_chars=2000
    )
    r = await quota.reserve("u", "", 34)
    line = quota_texts.footer(r, r.charge_for(1200))
    assert line == "今回 1,234 文字／今月の残り 約 9,998,766 文字（市全体）、約 48,766 文字（あなた）"
    plain = await make_service(storage, clock, max_answer_chars=2000).reserve("v", "", 10)
    assert "あなた" not in quota_texts.footer(plain, 10)


# ---- caps, shortening, refusal --------------------------------------------------------------------


async def test_shortened_answer_when_less_than_the_maximum_remains(storage: Storage, clock: Clock) -> None:
    quota = make_service(storage, clock, org_monthly_chars=3000)
    first = await quota.reserve("a", "", 100)
    await quota.settle(first, 1100)
    second = await quota.reserve("b", "", 200)  # 1,900 left: 200 + 1,000 fits
    assert not second.shortened
    third = await quota.reserve("c", "", 300)  # 700 left: 300 + 400
    assert third.shortened
    assert (third.amount, third.max_answer_chars) == (700, 400)
    assert third.remaining == {"org": 0}


async def test_refused_when_not_even_a_minimum_answer_fits(storage: Storage, clock: Clock) -> None:
    quota = make_service(storage, clock, org_monthly_chars=1200)
    r = await quota.reserve("a", "", 100)
    await quota.settle(r, 1100)
    with pytest.raises(QuotaExceeded) as info:
        await quota.reserve("b", "", 60)  # 100 left < 60 + 50
    exc = info.value
    assert (exc.scope, exc.limit, exc.used) == ("org", 1200, 1100)
    assert exc.reset_at == months.reset_at("2026-11")
    small = await quota.reserve("b", "", 40)  # 40 + 50 ≤ 100 still fits
    assert small.max_answer_chars == 60


async def test_user_cap_binds_first(storage: Storage, clock: Clock) -> None:
    quota = make_service(storage, clock, user_monthly_chars=1500)
    r = await quota.reserve("heavy", "", 100)
    await quota.settle(r, 1100)
    with pytest.raises(QuotaExceeded) as info:
        await quota.reserve("heavy", "", 400)
    assert info.value.scope == "user"
    assert info.value.limit == 1500
    other = await quota.reserve("light", "", 400)  # someone else is not affected
    assert not other.shortened


async def test_department_cap_is_shared_by_its_members(storage: Storage, clock: Clock) -> None:
    quota = make_service(storage, clock, department_monthly_chars=2000)
    r = await quota.reserve("a", "税務課", 100)
    await quota.settle(r, 1100)
    shortened = await quota.reserve("b", "税務課", 100)
    assert shortened.amount == 900
    with pytest.raises(QuotaExceeded) as info:
        await quota.reserve("c", "税務課", 100)
    assert info.value.scope == "department"
    assert not (await quota.reserve("c", "市民課", 100)).shortened


async def test_a_new_month_starts_from_zero(storage: Storage, clock: Clock) -> None:
    quota = make_service(storage, clock, org_monthly_chars=1200)
    clock.now = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)  # 23:00 JST, Nov 30
    r = await quota.reserve("a", "", 100)
    await quota.settle(r, 1100)
    with pytest.raises(QuotaExceeded):
        await quota.reserve("a", "", 100)
    clock.now = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # 00:00 JST, Dec 1
    december = await quota.reserve("a", "", 100)
    assert december.month == "2026-12"
    assert not december.shortened


async def test_settlement_goes_to_the_month_of_the_reservation(storage: Storage, clock: Clock) -> None:
    quota = make_service(storage, clock)
    clock.now = datetime(2026, 11, 30, 14, 59, tzinfo=UTC)  # 23:59 JST, Nov 30
    r = await quota.reserve("a", "", 100)
    clock.advance(minutes=2)  # the answer arrives on Dec 1
    await quota.settle(r, 300)
    assert (await quota.report("2026-11")).used == 300
    assert (await quota.report("2026-12")).used == 0


# ---- expiry of orphaned reservations ---------------------------------------------------------------


async def test_expired_reservations_count_as_spent_not_free(storage: Storage, clock: Clock) -> None:
    """Issue 11 changed this: an orphaned hold (a crashed process may have shown the whole answer)
    used to free its room after the TTL; now it counts in full as used, so the month can never
    give away characters that may already have been spent."""
    quota = make_service(storage, clock, org_monthly_chars=2300, reservation_ttl_seconds=300)
    await quota.reserve("crashed-1", "", 100)
    await quota.reserve("crashed-2", "", 100)
    clock.advance(seconds=301)
    snap = await quota.snapshot("crashed-1")
    assert (snap.org.used, snap.org.reserved) == (2200, 0), "expired: spent, no longer in progress"
    assert snap.user.used == 1100
    with pytest.raises(QuotaExceeded):
        await quota.reserve("c", "", 100)  # 100 left: not even a minimum answer fits
    r = await quota.reserve("d", "", 10)  # 10 + a minimum answer of 50 fit in the 100 left
    assert r.shortened
    rows = await _rows(storage)
    assert list(_holds(rows[ORG_KEY])) == [r.id], "the expired holds were folded into used on write"
    assert rows[ORG_KEY]["used"] == 2200


async def test_late_settlement_of_an_expired_hold_never_overshoots(storage: Storage, clock: Clock) -> None:
    quota = make_service(storage, clock, org_monthly_chars=2200, reservation_ttl_seconds=300)
    slow = await quota.reserve("slow", "", 100)
    clock.advance(seconds=301)
    await quota.reserve("b", "", 100)  # takes the other 1,100; the expired hold is folded in full
    with pytest.raises(QuotaExceeded):
        await quota.reserve("c", "", 100)
    assert await quota.settle(slow, 400) == 1100, "already counted in full: not charged again"
    snap = await quota.snapshot("slow")
    assert snap.org.used + snap.org.reserved == 2200
    assert snap.user.used == 1100


async def test_settling_an_expired_hold_not_yet_folded_charges_what_was_shown(
    storage: Storage, clock: Clock
) -> None:
    quota = make_service(storage, clock, org_monthly_chars=10_000, reservation_ttl_seconds=300)
    slow = await quota.reserve("slow", "", 100)
    clock.advance(seconds=301)
    assert await quota.settle(slow, 400) == 400
    assert (await quota.snapshot("slow")).org.used == 400


# ---- the user's pace: rate limit and turns in progress -------------------------------------------------


async def test_a_user_over_the_rate_limit_waits_others_do_not(storage: Storage, clock: Clock) -> None:
    quota = make_service(storage, clock, user_turns_per_minute=3)
    for _ in range(3):
        await quota.settle(await quota.reserve("busy", "", 10), 20)
    with pytest.raises(RateLimitExceeded) as refused:
        await quota.reserve("busy", "", 10)
    assert 1 <= refused.value.retry_after_s <= 60
    assert refused.value.limit == 3
    assert "1分間に3件まで" in quota_texts.rate_limited(refused.value.limit, refused.value.retry_after_s)
    await quota.reserve("someone-else", "", 10)  # the limit is per user
    clock.advance(seconds=61)
    await quota.reserve("busy", "", 10)


async def test_live_holds_are_limited_per_user(storage: Storage, clock: Clock) -> None:
    quota = make_service(storage, clock, user_live_holds=2)
    first = await quota.reserve("u", "", 10)
    await quota.reserve("u", "", 10)
    with pytest.raises(UserTurnsBusy) as refused:
        await quota.reserve("u", "", 10)
    assert refused.value.limit == 2
    await quota.reserve("v", "", 10)  # another user is not held back
    await quota.release(first)
    await quota.reserve("u", "", 10)


# ---- concurrency across "processes" (separate services, separate caches) -----------------------------


async def test_stale_cache_never_causes_a_refusal(storage: Storage, clock: Clock) -> None:
    a = make_service(storage, clock, org_monthly_chars=2300)
    b = make_service(storage, clock, org_monthly_chars=2300)
    r1 = await a.reserve("x", "", 100)
    r2 = await a.reserve("y", "", 100)  # a's cache: 2,200 of 2,300 held
    await b.release(r1)
    await b.release(r2)
    r3 = await a.reserve("z", "", 100)
    assert not r3.shortened


async def test_concurrent_services_never_overshoot(storage: Storage, clock: Clock) -> None:
    cap = 6000
    services = [make_service(storage, clock, org_monthly_chars=cap, max_answer_chars=500) for _ in range(3)]
    for quota in services:  # one after another: the first two now hold stale ETags
        await quota.release(await quota.reserve("warm", "課", 100))
    # A write over a stale ETag conflicts and is decided again on fresh rows (certain, unlike the
    # conflicts between the concurrent batches below, which depend on how the tasks interleave).
    await services[0].release(await services[0].reserve("another", "課", 100))
    assert services[0].conflicts == 1

    async def turn(quota: QuotaService, i: int) -> int:
        try:
            r = await quota.reserve(f"user{i % 5}", "課", 100)
        except QuotaExceeded:
            return 0
        return await quota.settle(r, r.charge_for(300 + i % 7 * 50))

    charged = await asyncio.gather(*(turn(services[i % 3], i) for i in range(40)))
    report = await services[0].report()
    assert report.used == sum(charged)
    assert report.used <= cap
    assert report.reserved == 0


# ---- round trips -------------------------------------------------------------------------------------


async def test_a_turn_costs_two_round_trips_once_warm(sqlite_storage: Storage, clock: Clock) -> None:
    counting = CountingStorage(sqlite_storage)
    quota = make_service(counting, clock)  # type: ignore[arg-type]
    first = await quota.reserve("u", "課", 100)
    await quota.settle(first, 500)
    await quota.take_alerts()
    counting.calls.clear()
    for _ in range(5):
        r = await quota.reserve("u", "課", 100)
        await quota.settle(r, 500)
        assert await quota.take_alerts() == []
    assert counting.calls == {"transact": 10}


# ---- alerts ------------------------------------------------------------------------------------------


async def test_alerts_once_per_threshold(storage: Storage, clock: Clock) -> None:
    quota = make_service(storage, clock, org_monthly_chars=10_000, max_answer_chars=1000)

    async def use(chars: int) -> None:
        r = await quota.reserve("u", "", 100)
        await quota.settle(r, chars)

    assert await quota.take_alerts() == []
    for _ in range(5):
        await use(1000)  # 5,000 = 50 %
    alerts = await quota.take_alerts()
    assert [a.threshold for a in alerts] == [50]
    assert alerts[0].used == 5000
    assert "50％" in quota_texts.alert_text(alerts[0])
    assert await quota.take_alerts() == []
    for _ in range(4):
        await use(1100)  # 9,400: 80 % crossed (95 % not yet)
    assert [a.threshold for a in await quota.take_alerts()] == [80]
    await use(560)  # 9,960: 95 %, and not even a minimum answer fits: 100 %
    assert [a.threshold for a in await quota.take_alerts()] == [95, 100]
    assert await quota.take_alerts() == []


async def test_alerts_are_announced_by_exactly_one_process(storage: Storage, clock: Clock) -> None:
    writer = make_service(storage, clock)
    r = await writer.reserve("u", "", 100)
    await writer.settle(r, 1100)
    for _ in range(4):
        r = await writer.reserve("u", "", 100)
        await writer.settle(r, 1000)  # 5,100
    others = [make_service(storage, clock) for _ in range(6)]
    results = await asyncio.gather(*(o.take_alerts() for o in others))
    assert sorted(a.threshold for batch in results for a in batch) == [50]


# ---- coaching -----------------------------------------------------------------------------------------


async def test_coaching_due_once_a_day(storage: Storage, clock: Clock) -> None:
    quota = make_service(storage, clock)
    assert await quota.coaching_due("u") is True
    assert await quota.coaching_due("u") is False
    assert await quota.coaching_due("someone-else") is True
    clock.advance(hours=14)  # 2026-11-21 00:00 JST
    assert await quota.coaching_due("u") is True
    assert await quota.coaching_due("u") is False


async def test_coaching_due_once_across_processes(storage: Storage, clock: Clock) -> None:
    services = [make_service(storage, clock) for _ in range(5)]
    answers = await asyncio.gather(*(s.coaching_due("u") for s in services))
    assert answers.count(True) == 1


# ---- snapshot and report ---------------------------------------------------------------------------------


async def test_snapshot_and_report(storage: Storage, clock: Clock) -> None:
    quota = make_service(storage, clock, user_monthly_chars=4000)
    for user, dept, chars in [
        ("a", "税務課", 900),
        ("b", "税務課", 300),
        ("c", "市民課", 700),
        ("a", "税務課", 200),
    ]:
        r = await quota.reserve(user, dept, 100, display_name=user.upper())
        await quota.settle(r, chars)
    clock.advance(days=1)
    pending = await quota.reserve("c", "市民課", 100)
    r = await quota.reserve("d", "", 100, display_name="D")
    await quota.settle(r, 50)

    snap = await quota.snapshot("a", "税務課")
    assert (snap.month, snap.org.used, snap.org.reserved) == ("2026-11", 2150, pending.amount)
    assert (snap.user.used, snap.user.limit, snap.user.remaining) == (1100, 4000, 2900)
    assert snap.department is not None
    assert (snap.department_name, snap.department.used) == ("税務課", 1400)
    assert snap.days_left == 10

    report = await quota.report()
    assert (report.month, report.limit, report.used, report.reserved, report.turns) == (
        "2026-11",
        10_000,
        2150,
        pending.amount,
        5,
    )
    assert report.by_day[-2:] == (("2026-11-20", 2100), ("2026-11-21", 50))
    assert len(report.by_day) == 21
    assert [(d.name, d.used) for d in report.departments] == [("税務課", 1400), ("市民課", 700)]
    assert [(u.user_id, u.name, u.used, u.turns) for u in report.users] == [
        ("a", "A", 1100, 2),
        ("c", "C", 700, 1),
        ("b", "B", 300, 1),
        ("d", "D", 50, 1),
    ]
    as_json = report.to_json()
    assert {"month", "limit", "used", "reserved"} <= set(as_json)
    json.dumps(as_json)


async def test_report_of_a_past_month_covers_every_day(storage: Storage, clock: Clock) -> None:
    quota = make_service(storage, clock)
    report = await quota.report("2026-10")
    assert (report.used, report.days_left, len(report.by_day)) == (0, 0, 31)
    assert (await quota.report("2027-01")).by_day == ()


async def test_unsafe_user_ids_are_hashed(storage: Storage, clock: Clock) -> None:
    quota = make_service(storage, clock)
    r = await quota.reserve("weird/id#with?chars", "", 10)
    assert r.scopes[-1].startswith("user:h")
    await quota.settle(r, 10)
    assert (await quota.report()).users[0].user_id == "weird/id#with?chars"


# ---- group commit --------------------------------------------------------------------------------


async def test_concurrent_turns_of_one_process_share_transactions(
    sqlite_storage: Storage, clock: Clock
) -> None:
    """Thirty turns arriving together: their reservations go into a few transactions, not thirty
    one after another, and every hold is in the rows."""
    counting = CountingStorage(sqlite_storage)
    quota = make_service(counting, clock, org_monthly_chars=1_000_000)  # type: ignore[arg-type]
    await quota.release(await quota.reserve("warm", "課", 10))  # rows exist and are cached
    counting.calls.clear()
    reservations = await asyncio.gather(*(quota.reserve(f"u{i}", "課", 100) for i in range(30)))
    assert len({r.id for r in reservations}) == 30
    assert counting.calls["transact"] <= 3, counting.calls
    rows = await _rows(sqlite_storage)
    assert set(_holds(rows[ORG_KEY])) == {r.id for r in reservations}
    assert sum(counting.calls.values()) - counting.calls["transact"] <= 30, "new users' rows read once each"


async def test_a_batch_admits_what_fits_and_refuses_the_rest_on_fresh_rows(
    storage: Storage, clock: Clock
) -> None:
    """Ten turns together under a cap that holds six: six are admitted in the same round, four are
    refused, and only after the rows were read fresh (another process released room meanwhile:
    the refusal must see it)."""
    cap = 6 * 1100
    other = make_service(storage, clock, org_monthly_chars=cap)
    quota = make_service(storage, clock, org_monthly_chars=cap)
    early = await other.reserve("early", "", 100)  # 1,100 held by the other process
    await quota.release(await quota.reserve("warm", "", 100))  # quota's cache: early's hold
    await other.release(early)  # quota's cache is stale: room for six, not five

    async def turn(i: int) -> bool:
        try:
            await quota.reserve(f"u{i}", "", 100)
        except QuotaExceeded:
            return False
        return True

    admitted = await asyncio.gather(*(turn(i) for i in range(10)))
    assert sum(admitted) == 6, "decided on fresh rows: the released room counts"
    rows = await _rows(storage)
    assert len(_holds(rows[ORG_KEY])) == 6
    assert int(rows[ORG_KEY]["used"]) == 0


class HeldTransactions(CountingStorage):
    """Transactions wait until `gate` is set: a transaction in flight, for as long as the test likes."""

    def __init__(self, inner: Storage) -> None:
        super().__init__(inner)
        self.gate = asyncio.Event()
        self.gate.set()
        self.arrived = 0  # transactions that reached the storage (waiting at the gate or through it)

    async def transact(self, table: str, ops: Sequence[Op]) -> list[Entity]:
        self.arrived += 1
        await self.gate.wait()
        return await super().transact(table, ops)


async def test_a_cancelled_turn_waiting_for_the_next_batch_is_not_written(
    sqlite_storage: Storage, clock: Clock
) -> None:
    held = HeldTransactions(sqlite_storage)
    quota = make_service(held, clock)  # type: ignore[arg-type]
    await quota.release(await quota.reserve("warm", "課", 10))
    held.gate.clear()
    arrived = held.arrived
    first = asyncio.create_task(quota.reserve("a", "課", 100))
    async with asyncio.timeout(10):
        while held.arrived == arrived:  # a's transaction is in flight
            await asyncio.sleep(0.001)
    waiting = asyncio.create_task(quota.reserve("b", "課", 100))
    await asyncio.sleep(0.01)  # b queued behind it
    waiting.cancel()
    held.gate.set()
    reservation = await first
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await asyncio.sleep(0.01)
    assert set(_holds((await _rows(sqlite_storage))[ORG_KEY])) == {reservation.id}
