"""Azure Table Storage backend (`azure.data.tables.aio`), for several bot instances sharing state.

Each logical table is an Azure table named prefix + name (`botquota`), created lazily on first use.
Mapping of the Storage protocol onto the service:

    insert    create_entity                     exists -> ConflictError
    replace   update_entity(REPLACE, If-Match)  412 -> ConflictError, 404 -> NotFoundError
    upsert    upsert_entity(REPLACE)
    delete    get, then delete_entity(If-Match) (the SDK ignores a 404 on delete: existence is read first)
    transact  submit_transaction                precondition / exists / missing -> ConflictError
    query     OData filter on PartitionKey and a RowKey range (quotes escaped)
    scan      OData filter on a PartitionKey range [prefix, prefix_end)

Integers are written as Edm.Int64 so they round-trip exactly (the SDK would send Python ints as
Int32 and refuse larger ones) and are read back as plain `int`; the SDK's metadata (Timestamp, odata
annotations) is stripped. Retries and timeouts are kept short so that an unreachable endpoint fails a
call within a few seconds and the turn fails closed with StorageError instead of hanging for minutes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager, suppress
from typing import Any

from azure.core import MatchConditions
from azure.core.exceptions import (
    AzureError,
    HttpResponseError,
    ResourceExistsError,
    ResourceModifiedError,
    ResourceNotFoundError,
)
from azure.core.pipeline.transport import AioHttpTransport
from azure.data.tables import EdmType, EntityProperty, TableTransactionError, UpdateMode
from azure.data.tables.aio import TableClient, TableServiceClient

from bot.core.errors import ConflictError, NotFoundError, StorageError
from bot.core.proxies import env_proxy
from bot.core.storage._common import check_ops, check_table, prefix_end, prepare
from bot.core.storage.base import Entity, Op, Scalar

log = logging.getLogger(__name__)

CLIENT_OPTIONS: Mapping[str, Any] = {
    "retry_total": 2,
    "retry_backoff_factor": 0.2,
    "retry_backoff_max": 2,
    "connection_timeout": 3,
    "read_timeout": 10,
}
"""azure-core pipeline options: few, quick retries (the quota retries conflicts itself)."""
CALL_TIMEOUT_S = 20.0
"""Backstop over one storage call, retries included."""
_CONFLICT_CODES = frozenset(
    {"EntityAlreadyExists", "UpdateConditionNotSatisfied", "ConditionNotMet", "ResourceNotFound"}
)
_METADATA = frozenset({"PartitionKey", "RowKey", "Timestamp"})


class AzureTableStorage:
    """Storage over Azure Table Storage or Azurite (see the module docstring for the mapping)."""

    name = "azure-tables"

    def __init__(self, service: TableServiceClient, *, prefix: str = "bot", credential: Any = None) -> None:
        self._service = service
        self._prefix = prefix
        self._credential = credential
        self._ready: set[str] = set()
        self._clients: dict[str, TableClient] = {}  # one per table: building one per call cost ~2 ms
        self._create_lock: asyncio.Lock | None = None

    @classmethod
    def from_connection_string(cls, connection_string: str, *, prefix: str = "bot") -> AzureTableStorage:
        """Storage authenticated by an account key or SAS connection string."""
        endpoint = TableServiceClient.from_connection_string(connection_string).url  # parsed, not opened
        options = _client_options(endpoint)
        service = TableServiceClient.from_connection_string(connection_string, **options)
        return cls(service, prefix=prefix)

    @classmethod
    def from_endpoint(cls, endpoint: str, *, prefix: str = "bot") -> AzureTableStorage:
        """Storage authenticated by managed identity (azure-identity's DefaultAzureCredential)."""
        from azure.identity.aio import DefaultAzureCredential  # noqa: PLC0415  (only managed-identity setups load it)

        credential = DefaultAzureCredential()
        service = TableServiceClient(endpoint, credential=credential, **_client_options(endpoint))
        return cls(service, prefix=prefix, credential=credential)

    # --- plumbing -------------------------------------------------------------------------

    async def _table(self, table: str) -> TableClient:
        """The client of a logical table, creating the Azure table once per process."""
        check_table(table)
        name = self._prefix + table
        if name not in self._ready:
            if self._create_lock is None:
                self._create_lock = asyncio.Lock()
            async with self._create_lock, _mapped(f"create table {name}"):
                if name not in self._ready:
                    await _create_table(self._service, name)
                    self._ready.add(name)
        client = self._clients.get(name)
        if client is None:  # shares the service's HTTP session; closed with it
            client = self._clients[name] = self._service.get_table_client(name)
        return client

    # --- the Storage protocol -------------------------------------------------------------

    async def get(self, table: str, pk: str, rk: str) -> Entity | None:
        """The entity, or None if it does not exist."""
        client = await self._table(table)
        async with _mapped("get"):
            try:
                raw = await client.get_entity(pk, rk)
            except ResourceNotFoundError:
                return None
        return _from_sdk(raw)

    async def insert(self, table: str, entity: Entity) -> Entity:
        """Create; ConflictError if it exists."""
        entity = prepare(entity)
        client = await self._table(table)
        async with _mapped("insert"):
            meta = await client.create_entity(_to_sdk(entity))
        return _with_etag(entity, meta)

    async def replace(self, table: str, entity: Entity) -> Entity:
        """Compare-and-swap on entity.etag (empty: unconditional); NotFoundError if missing."""
        entity = prepare(entity)
        client = await self._table(table)
        async with _mapped("replace"):
            condition = _condition(entity.etag)
            meta = await client.update_entity(_to_sdk(entity), mode=UpdateMode.REPLACE, **condition)
        return _with_etag(entity, meta)

    async def upsert(self, table: str, entity: Entity) -> Entity:
        """Create or overwrite unconditionally."""
        entity = prepare(entity)
        client = await self._table(table)
        async with _mapped("upsert"):
            meta = await client.upsert_entity(_to_sdk(entity), mode=UpdateMode.REPLACE)
        return _with_etag(entity, meta)

    async def delete(self, table: str, pk: str, rk: str, etag: str = "") -> bool:
        """Delete (conditionally when etag is given); False if it did not exist."""
        if await self.get(table, pk, rk) is None:
            return False
        client = await self._table(table)
        async with _mapped("delete"):
            await client.delete_entity(pk, rk, **_condition(etag))
        return True

    async def query(
        self, table: str, pk: str, *, rk_from: str = "", rk_to: str = "", limit: int = 0
    ) -> list[Entity]:
        """Entities of one partition, row keys in [rk_from, rk_to), ascending; limit 0 = all."""
        client = await self._table(table)
        clauses = [f"PartitionKey eq {_odata(pk)}"]
        if rk_from:
            clauses.append(f"RowKey ge {_odata(rk_from)}")
        if rk_to:
            clauses.append(f"RowKey lt {_odata(rk_to)}")
        found: list[Entity] = []
        async with _mapped("query"):
            pages = client.query_entities(" and ".join(clauses), results_per_page=min(limit or 1000, 1000))
            async for raw in pages:
                found.append(_from_sdk(raw))
                if limit and len(found) >= limit:
                    break
        return found

    async def scan(self, table: str, *, pk_prefix: str = "") -> AsyncIterator[Entity]:
        """Every entity whose partition key starts with pk_prefix, by (pk, rk)."""
        client = await self._table(table)
        clauses = []
        if pk_prefix:
            clauses.append(f"PartitionKey ge {_odata(pk_prefix)}")
        end = prefix_end(pk_prefix)
        if end:
            clauses.append(f"PartitionKey lt {_odata(end)}")
        async with _mapped("scan", bounded=False):
            pages = (
                client.query_entities(" and ".join(clauses), results_per_page=1000)
                if clauses
                else client.list_entities(results_per_page=1000)
            )
            async for raw in pages:
                yield _from_sdk(raw)

    async def transact(self, table: str, ops: Sequence[Op]) -> list[Entity]:
        """Apply ops of one partition atomically; ConflictError and nothing applied on failure."""
        prepared = check_ops(ops)
        if not prepared:
            return []
        client = await self._table(table)
        async with _mapped("transact"):
            metas = await client.submit_transaction([_batch_op(op) for op in prepared])
        return [
            Entity(op.entity.partition_key, op.entity.row_key, op.entity.data, "")
            if op.kind == "delete"
            else _with_etag(op.entity, meta)
            for op, meta in zip(prepared, metas, strict=True)
        ]

    async def ping(self) -> None:
        """Raise StorageError if the service cannot be reached."""
        async with _mapped("ping"):
            async for _ in self._service.list_tables(results_per_page=1):
                break

    async def close(self) -> None:
        """Close the HTTP session (and the managed-identity credential, if we made one)."""
        await self._service.close()
        if self._credential is not None:
            await self._credential.close()


def _client_options(endpoint: str) -> dict[str, Any]:
    """CLIENT_OPTIONS, with a transport that does not read the environment on every call.

    azure-core's aiohttp transport trusts the environment by default, and aiohttp then looks up
    ~/.netrc in a thread for every request; the proxy (HTTPS_PROXY / NO_PROXY) is resolved once
    here instead (bot.core.proxies)."""
    options: dict[str, Any] = {**CLIENT_OPTIONS, "transport": AioHttpTransport(use_env_settings=False)}
    proxy = env_proxy(endpoint)
    if proxy:
        options["proxies"] = {"http": proxy, "https": proxy}
    return options


async def _create_table(service: TableServiceClient, name: str) -> None:
    with suppress(ResourceExistsError):
        await service.create_table(name)


@asynccontextmanager
async def _mapped(operation: str, *, bounded: bool = True) -> AsyncIterator[None]:
    """Translate the SDK's exceptions into the product's; bound the call in time unless it yields
    to a consumer (a timeout spanning `yield` would cancel the consumer's own work)."""
    try:
        async with asyncio.timeout(CALL_TIMEOUT_S if bounded else None):
            yield
    except TableTransactionError as exc:
        code = _error_code(exc)
        if exc.status_code in {404, 409, 412} or code in _CONFLICT_CODES:
            raise ConflictError(f"Azure Tables {operation}: precondition failed ({code})") from exc
        raise StorageError(f"Azure Tables {operation} failed ({code})") from exc
    except (ResourceExistsError, ResourceModifiedError) as exc:
        raise ConflictError(f"Azure Tables {operation}: precondition failed") from exc
    except ResourceNotFoundError as exc:
        raise NotFoundError(f"Azure Tables {operation}: entity not found") from exc
    except HttpResponseError as exc:
        if exc.status_code in {409, 412}:
            raise ConflictError(f"Azure Tables {operation}: precondition failed") from exc
        status = exc.status_code
        raise StorageError(f"Azure Tables {operation} failed (HTTP {status}, {_error_code(exc)})") from exc
    except AzureError as exc:
        raise StorageError(f"Azure Tables {operation} failed: {type(exc).__name__}") from exc
    except TimeoutError as exc:
        raise StorageError(f"Azure Tables {operation} timed out after {CALL_TIMEOUT_S:.0f} s") from exc


def _error_code(exc: HttpResponseError) -> str:
    """The service's error code (`EntityAlreadyExists`…), or '' when the response had none."""
    code = getattr(exc, "error_code", None)
    return str(getattr(code, "value", code) or "")


def _condition(etag: str) -> dict[str, Any]:
    if not etag:
        return {}
    return {"etag": etag, "match_condition": MatchConditions.IfNotModified}


def _batch_op(op: Op) -> tuple[str, dict[str, Any], dict[str, Any]]:
    entity = op.entity
    sdk = _to_sdk(entity)
    if op.kind == "insert":
        return ("create", sdk, {})
    if op.kind == "upsert":
        return ("upsert", sdk, {"mode": UpdateMode.REPLACE})
    if op.kind == "replace":
        return ("update", sdk, {"mode": UpdateMode.REPLACE, **_condition(entity.etag)})
    keys = {"PartitionKey": entity.partition_key, "RowKey": entity.row_key}
    return ("delete", keys, _condition(entity.etag))


def _odata(value: str) -> str:
    """An OData string literal: single quotes doubled, so a key can never break out of the filter."""
    return "'" + value.replace("'", "''") + "'"


def _to_sdk(entity: Entity) -> dict[str, Any]:
    out: dict[str, Any] = {"PartitionKey": entity.partition_key, "RowKey": entity.row_key}
    for name, value in entity.data.items():
        if isinstance(value, int) and not isinstance(value, bool):
            out[name] = EntityProperty(value, EdmType.INT64)
        else:
            out[name] = value
    return out


def _from_sdk(raw: Mapping[str, Any]) -> Entity:
    data: dict[str, Scalar] = {}
    for name, value in raw.items():
        if name in _METADATA or name.startswith("odata"):
            continue
        plain = value.value if isinstance(value, EntityProperty) else value
        data[name] = plain if isinstance(plain, str | int | float | bool) else str(plain)
    metadata = getattr(raw, "metadata", {}) or {}
    return Entity(str(raw["PartitionKey"]), str(raw["RowKey"]), data, str(metadata.get("etag", "")))


def _with_etag(entity: Entity, meta: Mapping[str, Any]) -> Entity:
    return Entity(entity.partition_key, entity.row_key, dict(entity.data), str(meta.get("etag", "")))
