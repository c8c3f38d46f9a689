"""The anchor sinks a deployment configures, and one sink that writes to all of them.

    AUDIT_ANCHOR_FILE                     FileAnchorSink (a file the bot may only append to)
    AUDIT_ANCHOR_BLOB_CONTAINER_URL       BlobAnchorSink, managed identity (production)
    AUDIT_ANCHOR_BLOB_CONNECTION_STRING   BlobAnchorSink with a key (+ AUDIT_ANCHOR_BLOB_CONTAINER)

The running bot, `audit anchor`, `audit verify` and `audit purge` all use the same list, so an
anchor written by one is read by the others.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.audit.anchors import Anchor, AnchorSink, FileAnchorSink
from bot.core.config import Settings
from bot.core.errors import StorageError


def configured_sinks(settings: Settings) -> list[AnchorSink]:
    """Every sink the settings name (none when anchoring is not configured)."""
    sinks: list[AnchorSink] = []
    if settings.audit_anchor_file is not None:
        sinks.append(FileAnchorSink(settings.audit_anchor_file))
    if settings.audit_anchor_blob_container_url or settings.audit_anchor_blob_connection_string:
        from bot.core.audit.blob_anchors import BlobAnchorSink  # noqa: PLC0415  (loads the Blob SDK)

        sinks.append(
            BlobAnchorSink(
                container_url=settings.audit_anchor_blob_container_url,
                connection_string=settings.audit_anchor_blob_connection_string,
                container=settings.audit_anchor_blob_container,
            )
        )
    return sinks


class AllSinks:
    """Appends each anchor to every sink (all are tried; the first failure is raised after)."""

    def __init__(self, sinks: Sequence[AnchorSink]) -> None:
        self.sinks = tuple(sinks)
        self.name = "+".join(s.name for s in self.sinks)

    async def append(self, anchor: Anchor) -> None:
        """Append to every sink; raise the first error once all were tried."""
        failed: BaseException | None = None
        for sink in self.sinks:
            try:
                await sink.append(anchor)
            except (StorageError, OSError, ValueError) as exc:
                failed = failed or exc
        if failed is not None:
            raise failed

    async def read(self) -> list[Anchor]:
        """The anchors of every sink, each sink's oldest first."""
        return [anchor for sink in self.sinks for anchor in await sink.read()]


def one_sink(settings: Settings) -> AnchorSink | None:
    """The configured sinks as one (None when there is none)."""
    sinks = configured_sinks(settings)
    if not sinks:
        return None
    return sinks[0] if len(sinks) == 1 else AllSinks(sinks)
