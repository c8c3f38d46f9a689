"""Storage layout and hash chain of the records (pure: no I/O).

Table `audit`. A month's records are spread over `shards` partitions so that concurrent turns do
not all contend for one chain head:

    PartitionKey  "2026-11.3"        JST month "." shard (stable sha256 of the conversation id mod shards)
    RowKey        "r0000000017"      one record: its seq in that partition, zero-padded
    RowKey        "~head"            the partition's head: last seq and last hash ("~" sorts last),
                                     and `srcs`: the inbox rows its last batch chained

Each record stores `seq`, `prev_hash` (the previous record's hash; 64 zeros for the first) and
`hash` = sha256 of the canonical JSON of every record field plus `partition`, `seq`, `prev_hash`
and the layout version `v`. Records reach a chain through the inbox (bot.core.audit.chainer): the
head row is updated in the same atomic `transact` as the inserts,
with a compare-and-swap on its ETag, so the head always names the last record: a changed record
breaks its own hash, a deleted record leaves a gap in `seq`, and a deleted tail leaves the head
pointing past the last record.

Long text is split over `text`, `text_x1`, `text_x2`... (`CHUNK_CHARS` each) so that every value
fits the Azure Tables limit of 32K UTF-16 units even with characters outside the BMP.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.audit.record import AuditRecord, canonical_json, from_fields, to_fields
from bot.core.storage.base import Entity, Scalar

TABLE = "audit"
HEAD_ROW = "~head"
GENESIS = "0" * 64
DEFAULT_SHARDS = 8
LAYOUT_VERSION = 1
CHUNK_CHARS = 15_000
_CHUNK = re.compile(r"^(?P<name>[a-z_]+)_x(?P<index>\d+)$")
_ROW = re.compile(r"^r(\d{10})$")


@dataclass(frozen=True)
class StoredRecord:
    """A record as it sits in its chain."""

    record: AuditRecord
    partition: str
    seq: int
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Head:
    """The head row of a partition: where the chain ends, and which inbox rows the last batch chained."""

    seq: int
    hash: str
    etag: str = ""
    srcs: tuple[str, ...] = ()


def shard_of(conversation_id: str, shards: int = DEFAULT_SHARDS) -> int:
    """The stable shard of a conversation (the same in every process, unlike hash())."""
    digest = hashlib.sha256(conversation_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % shards


def partition_key(month: str, shard: int) -> str:
    """`2026-11.3`."""
    return f"{month}.{shard}"


def month_prefix(month: str) -> str:
    """The partition-key prefix of every partition of a month (`2026-11.`)."""
    return f"{month}."


def row_key(seq: int) -> str:
    """`r0000000017`."""
    return f"r{seq:010d}"


def seq_of_row(row: str) -> int:
    """The seq a record row key encodes, or 0 when it is not a record row."""
    match = _ROW.match(row)
    return int(match.group(1)) if match else 0


def record_hash(
    record: AuditRecord, partition: str, seq: int, prev_hash: str, fields: dict[str, Scalar] | None = None
) -> str:
    """sha256 hex of the canonical JSON of the record in its place in the chain (`fields`: the
    record's `to_fields`, when the caller has them already)."""
    payload = {
        **(to_fields(record) if fields is None else fields),
        "partition": partition,
        "seq": seq,
        "prev_hash": prev_hash,
        "v": LAYOUT_VERSION,
    }
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def chain(
    record: AuditRecord, partition: str, head: Head | None, fields: dict[str, Scalar] | None = None
) -> StoredRecord:
    """The record placed after `head` (or first) in `partition` (`fields` as in `record_hash`)."""
    seq = head.seq + 1 if head else 1
    prev = head.hash if head else GENESIS
    return StoredRecord(record, partition, seq, prev, record_hash(record, partition, seq, prev, fields))


def encode(stored: StoredRecord, fields: dict[str, Scalar] | None = None) -> Entity:
    """The entity that stores a chained record (`fields`: the record's `to_fields`, if known)."""
    data: dict[str, Scalar] = {}
    for name, value in (to_fields(stored.record) if fields is None else fields).items():
        data.update(split(name, value))
    data.update(seq=stored.seq, prev_hash=stored.prev_hash, hash=stored.hash, v=LAYOUT_VERSION)
    return Entity(stored.partition, row_key(stored.seq), data)


def decode(entity: Entity) -> StoredRecord:
    """The chained record an entity stores; ValueError if it is malformed."""
    data = join(entity.data)
    seq, prev, digest = data.get("seq"), data.get("prev_hash"), data.get("hash")
    if not isinstance(seq, int) or not isinstance(prev, str) or not isinstance(digest, str):
        raise ValueError("seq, prev_hash or hash missing")
    return StoredRecord(from_fields(data), entity.partition_key, seq, prev, digest)


def head_entity(
    partition: str, stored: StoredRecord, previous: Head | None, srcs: tuple[str, ...] = ()
) -> Entity:
    """The head row after `stored` was appended (carries the old ETag for the CAS); `srcs` names
    the inbox rows this append chained, so a chainer that stopped before deleting them knows."""
    data: dict[str, Scalar] = {"seq": stored.seq, "hash": stored.hash}
    if srcs:
        data["srcs"] = ",".join(srcs)
    return Entity(partition, HEAD_ROW, data, previous.etag if previous else "")


def decode_head(entity: Entity) -> Head:
    """The head an entity stores; ValueError if it is malformed."""
    seq, digest = entity.data.get("seq"), entity.data.get("hash")
    srcs = entity.data.get("srcs", "")
    if not isinstance(seq, int) or isinstance(seq, bool) or not isinstance(digest, str):
        raise ValueError("head row malformed")
    if not isinstance(srcs, str):
        raise ValueError("head row malformed")
    return Head(seq, digest, entity.etag, tuple(s for s in srcs.split(",") if s))


def split(name: str, value: Scalar) -> dict[str, Scalar]:
    if not isinstance(value, str) or len(value) <= CHUNK_CHARS:
        return {name: value}
    parts = [value[i : i + CHUNK_CHARS] for i in range(0, len(value), CHUNK_CHARS)]
    return {name: parts[0], **{f"{name}_x{i}": part for i, part in enumerate(parts[1:], start=1)}}


def join(data: Mapping[str, Any]) -> dict[str, Any]:
    """Stored values with chunked text put back together."""
    out = {k: v for k, v in data.items() if not _CHUNK.match(k)}
    chunks = sorted(
        ((m.group("name"), int(m.group("index")), v) for k, v in data.items() if (m := _CHUNK.match(k))),
    )
    for name, _index, part in chunks:
        if not isinstance(out.get(name), str) or not isinstance(part, str):
            raise ValueError(f"stray chunk of {name}")
        out[name] += part
    return out
