"""The weekly digest: applications waiting longer than the policy's target, to the admin channel.

`weekly_digest(services)` is entered by bot.teams.pipeline.open_services: it runs a background task that
sleeps until the next Monday 09:00 JST, claims that ISO week with a compare-and-swap on the
`access` table (so of several bot processes exactly one sends it), sends, and sleeps again. The
task is cancelled and awaited when the services close. The task takes `WeeklyDigest`, what it uses
of the running bot (built by `digest_of(services)`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from bot.core.access import AccessStore, Status, next_digest_at, overdue, week_key
from bot.core.clock import Clock
from bot.core.policy import Policy
from bot.teams import channels
from bot.teams.channels import Outreach
from bot.teams.services import Services
from bot.ui.access import cards

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WeeklyDigest:
    """The digest's collaborators: the applications, the admin channel, the clock."""

    policy: Policy
    store: AccessStore
    outreach: Outreach
    clock: Clock


def digest_of(services: Services) -> WeeklyDigest:
    """The digest of the running bot."""
    return WeeklyDigest(services.policy, services.access, services.outreach, services.clock)


async def send_weekly_digest(digest: WeeklyDigest, now: datetime) -> int:
    """Post the digest card if any application waits past the target; the number listed."""
    target = digest.policy.access.approval_target_days
    late = overdue(await digest.store.applications(Status.PENDING), now, target)
    if not late:
        return 0
    card = cards.digest_card(late, now, target)
    await channels.post_to_channel(
        digest.outreach, digest.policy.support.admin_channel_name, digest.outreach.to_channel(card)
    )
    log.info("weekly digest sent: %d applications waiting", len(late))
    return len(late)


async def run_weekly(digest: WeeklyDigest) -> None:
    """Forever: sleep until Monday 09:00 JST, then send the digest if this process claims the week."""
    while True:
        now = digest.clock()
        due = next_digest_at(now)
        await asyncio.sleep(max(0.0, (due - now).total_seconds()))
        if digest.clock() >= due:  # else woke early (clock adjusted): sleep the rest
            await run_once(digest, due)


async def run_once(digest: WeeklyDigest, due: datetime) -> bool:
    """Claim the week of `due` and send its digest; False when another process has it."""
    try:
        if not await digest.store.claim_week(week_key(due)):
            return False
        await send_weekly_digest(digest, digest.clock())
    except Exception as exc:  # a background loop must survive one bad week; next Monday retries
        log.error("weekly digest failed: %s", type(exc).__name__)
    return True


@contextlib.asynccontextmanager
async def weekly_digest(services: Services) -> AsyncIterator[asyncio.Task[None] | None]:
    """Run the weekly digest task while the services are open (only where approval is required)."""
    if not services.policy.access.require_approval:
        yield None
        return
    task = asyncio.create_task(run_weekly(digest_of(services)), name="access-weekly-digest")
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
