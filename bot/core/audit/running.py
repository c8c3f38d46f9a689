"""The records' background work while the bot runs: the chainer, and the periodic anchor.

    async with keep_records(audit, sink, anchor_every_s):
        ...serve turns...

On exit (shutdown, after the running turns have finished), everything still waiting in the inbox
is chained and, when a sink is configured, the heads are anchored one last time, all before the
storage closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from bot.core.audit.anchors import AnchorSink
from bot.core.audit.log import AuditLog
from bot.core.audit.months import add_months, jst_month
from bot.core.errors import StorageError

log = logging.getLogger(__name__)


async def anchor_now(audit: AuditLog, sink: AnchorSink) -> None:
    """Anchor this month's and last month's heads to the sink (a failure is logged, not raised)."""
    month = jst_month(audit.clock())
    try:
        anchor = await audit.anchor([add_months(month, -1), month])
        await sink.append(anchor)
    except (StorageError, OSError, ValueError) as exc:
        log.error("audit anchor not written to %s: %s", sink.name, type(exc).__name__)
        return
    log.info(
        "audit anchored: sink=%s partitions=%d fingerprint=%s",
        sink.name,
        len(anchor.heads),
        anchor.fingerprint,
    )


async def _anchor_forever(audit: AuditLog, sink: AnchorSink, every_s: float) -> None:
    while True:
        await asyncio.sleep(every_s)
        await anchor_now(audit, sink)


@contextlib.asynccontextmanager
async def keep_records(
    audit: AuditLog, sink: AnchorSink | None = None, anchor_every_s: float = 3600
) -> AsyncIterator[None]:
    """Run the chainer (and the anchor, with a sink) until exit; then chain and anchor the rest."""
    stop = asyncio.Event()
    chainer = asyncio.create_task(audit.run_chainer(stop), name="audit-chainer")
    anchorer = (
        asyncio.create_task(_anchor_forever(audit, sink, anchor_every_s), name="audit-anchor")
        if sink is not None
        else None
    )
    try:
        yield
    finally:
        stop.set()
        if anchorer is not None:
            anchorer.cancel()
        _done, late = await asyncio.wait({chainer, *([anchorer] if anchorer else [])}, timeout=10)
        for task in late:
            task.cancel()
        try:
            chained = await audit.flush()
        except StorageError as exc:
            log.error("audit: records left in the inbox at shutdown (%s)", type(exc).__name__)
        else:
            log.info("audit: %d waiting records chained at shutdown", chained)
        if sink is not None:
            await anchor_now(audit, sink)
