"""The production anchor sink: append blobs in an Azure Blob container under a WORM policy.

Each anchor is one JSON line appended as one block to the append blob of its UTC month
(`anchors-2026-12.jsonl`), so a line is never split and a month holds at most a few hundred
blocks (an append blob takes 50,000). The sink only ever creates a blob that does not exist yet
(If-None-Match: *, so an existing blob is never reset) and appends blocks: it has no code path
that overwrites, truncates or deletes. What makes the anchors out of the bot's reach is the
container, not this code: infra/modules/anchors.bicep puts it in a storage account of its own
with version-level immutability (a time-based retention policy that allows protected appends),
so even an identity with Storage Blob Data Contributor can add blocks but not change or delete a
written block until the retention ends; once the policy is locked, nobody can shorten it.

Two ways to reach the container (bot.core.config): AUDIT_ANCHOR_BLOB_CONTAINER_URL with the bot's
managed identity (azure-identity), or AUDIT_ANCHOR_BLOB_CONNECTION_STRING with
AUDIT_ANCHOR_BLOB_CONTAINER (Azurite, or an account with keys). The container must exist: the sink
does not create it, because a container it created would carry no immutability policy.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from azure.core import MatchConditions
from azure.core.exceptions import AzureError, ResourceExistsError, ResourceNotFoundError
from azure.storage.blob.aio import ContainerClient

from bot.core.audit.anchors import Anchor
from bot.core.errors import StorageError

DEFAULT_CONTAINER = "audit-anchors"
PREFIX = "anchors-"


class BlobAnchorSink:
    """Anchors appended to month blobs of one container (see the module docstring)."""

    def __init__(self, *, container_url: str = "", connection_string: str = "", container: str = "") -> None:
        if bool(container_url) == bool(connection_string):
            raise ValueError("give either a container URL or a connection string")
        self._url = container_url.rstrip("/")
        self._connection_string = connection_string
        self._container = container or DEFAULT_CONTAINER
        self.name = f"blob:{self._url or self._container}"  # never the connection string

    @staticmethod
    def blob_name(anchor: Anchor) -> str:
        """The append blob of the anchor's UTC month."""
        return f"{PREFIX}{anchor.time[:7]}.jsonl"

    async def append(self, anchor: Anchor) -> None:
        """Append one line (one block); StorageError when the container refuses or is unreachable."""
        line = (anchor.to_json() + "\n").encode("utf-8")
        async with self._open() as container:
            blob = container.get_blob_client(self.blob_name(anchor))
            # the month's blob may exist: it is never recreated (that would empty it)
            with contextlib.suppress(ResourceExistsError):
                await blob.create_append_blob(match_condition=MatchConditions.IfMissing)
            await blob.append_block(line)

    async def read(self) -> list[Anchor]:
        """Every anchor, oldest first; ValueError if a line is damaged, StorageError if unreachable."""
        async with self._open() as container:
            names = sorted([b.name async for b in container.list_blobs(name_starts_with=PREFIX)])
            anchors: list[Anchor] = []
            for name in names:
                data = await (await container.download_blob(name)).readall()
                text = data.decode("utf-8")
                anchors += [Anchor.from_json(line) for line in text.splitlines() if line.strip()]
        return anchors

    @contextlib.asynccontextmanager
    async def _open(self) -> AsyncIterator[ContainerClient]:
        """A client for one operation (anchors are hourly: nothing to keep open), Azure errors
        turned into StorageError naming the container and the status, never a credential."""
        credential: Any = None
        try:
            if self._connection_string:
                client = ContainerClient.from_connection_string(self._connection_string, self._container)
            else:
                from azure.identity.aio import DefaultAzureCredential  # noqa: PLC0415  (managed identity only)

                credential = DefaultAzureCredential()
                client = ContainerClient.from_container_url(self._url, credential=credential)
            async with client:
                yield client
        except ResourceNotFoundError as exc:
            raise StorageError(f"{self.name}: the container was not found ({_status(exc)})") from None
        except AzureError as exc:
            raise StorageError(f"{self.name}: {type(exc).__name__} ({_status(exc)})") from None
        finally:
            if credential is not None:
                await credential.close()


def _status(exc: AzureError) -> str:
    status = getattr(exc, "status_code", None)
    code = getattr(exc, "error_code", None)
    return " ".join(str(x) for x in (status, code) if x) or "no response"
