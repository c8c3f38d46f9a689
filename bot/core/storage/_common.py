"""Checks and helpers both storage backends share, so they refuse and accept exactly the same things.

`bot.core.storage.base.check_entity` holds the rules on keys and values; this module adds what the
backends need around it: `None` values dropped and subclasses of the scalar types normalised
(an `IntEnum` is stored as a plain `int`), the 64-bit integer range (Azure's `Edm.Int64`),
logical table names, and the shape of a transaction.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Sequence

from bot.core.storage.base import Entity, Op, Scalar, check_entity

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
MAX_TRANSACTION_OPS = 100
_TABLE = re.compile(r"[a-z][a-z0-9]{0,31}")
_KINDS = frozenset({"insert", "replace", "upsert", "delete"})


def check_table(table: str) -> None:
    """Raise ValueError unless `table` is a logical table name (lower-case letters and digits)."""
    if not isinstance(table, str) or not _TABLE.fullmatch(table):
        raise ValueError(f"invalid table name {table!r}: lower-case letters and digits, a letter first")


def prepare(entity: Entity) -> Entity:
    """The entity as it will be stored: None dropped, plain scalar types; ValueError if unstorable."""
    data = {name: _plain(name, value) for name, value in entity.data.items() if value is not None}
    clean = Entity(entity.partition_key, entity.row_key, data, entity.etag)
    check_entity(clean)
    return clean


def _plain(name: str, value: object) -> Scalar:
    """Strip subclasses (bool before int: bool is an int); other types are left for check_entity."""
    kind = type(value)
    if kind is str or kind is bool or kind is float:  # already plain (str(), bool(), float() give it back)
        return value  # type: ignore[return-value]
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            raise ValueError(f"property {name!r}: integer {value} is outside the 64-bit range")
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value  # type: ignore[return-value]  # check_entity rejects it with a clear message


def check_ops(ops: Sequence[Op]) -> list[Op]:
    """Validate a transaction: known kinds, one partition, ≤ 100 ops, each row once; entities prepared."""
    if len(ops) > MAX_TRANSACTION_OPS:
        raise ValueError(f"a transaction holds at most {MAX_TRANSACTION_OPS} operations (got {len(ops)})")
    prepared = []
    for op in ops:
        if op.kind not in _KINDS:
            raise ValueError(f"unknown operation kind {op.kind!r}")
        prepared.append(Op(op.kind, prepare(op.entity)))
    if len({op.entity.partition_key for op in prepared}) > 1:
        raise ValueError("all operations of a transaction must address the same partition")
    rows = [op.entity.row_key for op in prepared]
    if len(set(rows)) != len(rows):
        raise ValueError("a transaction may address each row only once")
    return prepared


def prefix_end(prefix: str) -> str:
    """The smallest string above every string that starts with `prefix` ('' when there is none)."""
    while prefix and ord(prefix[-1]) == 0x10FFFF:
        prefix = prefix[:-1]
    if not prefix:
        return ""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def new_etag() -> str:
    """A fresh ETag: monotonic-ish time plus randomness, so two writes never share one."""
    return f'W/"{time.time_ns():x}-{secrets.token_hex(4)}"'
