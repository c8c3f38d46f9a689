"""The storage contract (bot/core/storage/base.py), run unchanged against every backend via `storage`."""

from __future__ import annotations

import asyncio
import math

import pytest

from bot.core.errors import ConflictError, NotFoundError
from bot.core.storage.base import MAX_STRING_CHARS, Entity, Op, Storage

T = "state"


def ent(pk: str, rk: str, **data: object) -> Entity:
    return Entity(pk, rk, data)  # type: ignore[arg-type]


# ---- single-entity operations ----------------------------------------------------------------


async def test_get_missing_is_none(storage: Storage) -> None:
    assert await storage.get(T, "p", "nothing") is None


async def test_insert_then_get_round_trips(storage: Storage) -> None:
    written = await storage.insert(T, ent("p", "r", text="こんにちは", n=3))
    assert written.etag
    read = await storage.get(T, "p", "r")
    assert read == Entity("p", "r", {"text": "こんにちは", "n": 3}, written.etag)


async def test_insert_existing_conflicts(storage: Storage) -> None:
    await storage.insert(T, ent("p", "r", v=1))
    with pytest.raises(ConflictError):
        await storage.insert(T, ent("p", "r", v=2))
    assert (await storage.get(T, "p", "r")).data == {"v": 1}  # type: ignore[union-attr]


async def test_replace_is_compare_and_swap(storage: Storage) -> None:
    first = await storage.insert(T, ent("p", "r", v=1))
    second = await storage.replace(T, first.with_data(v=2))
    assert second.etag
    assert second.etag != first.etag
    with pytest.raises(ConflictError):
        await storage.replace(T, first.with_data(v=3))  # stale ETag
    current = await storage.get(T, "p", "r")
    assert current is not None
    assert current.data == {"v": 2}
    assert current.etag == second.etag


async def test_replace_without_etag_is_unconditional(storage: Storage) -> None:
    await storage.insert(T, ent("p", "r", v=1))
    await storage.replace(T, ent("p", "r", v=9))
    assert (await storage.get(T, "p", "r")).data == {"v": 9}  # type: ignore[union-attr]


async def test_replace_missing_is_not_found(storage: Storage) -> None:
    with pytest.raises(NotFoundError):
        await storage.replace(T, ent("p", "gone", v=1))
    with pytest.raises(NotFoundError):
        await storage.replace(T, Entity("p", "gone", {"v": 1}, 'W/"stale"'))


async def test_replace_drops_properties_not_given(storage: Storage) -> None:
    first = await storage.insert(T, ent("p", "r", a=1, b="x"))
    await storage.replace(T, first.with_data(b=None, c=True))
    assert (await storage.get(T, "p", "r")).data == {"a": 1, "c": True}  # type: ignore[union-attr]


async def test_upsert_creates_and_overwrites(storage: Storage) -> None:
    first = await storage.upsert(T, ent("p", "r", a=1, b=2))
    second = await storage.upsert(T, ent("p", "r", c=3))
    assert first.etag != second.etag
    assert await storage.get(T, "p", "r") == Entity("p", "r", {"c": 3}, second.etag)


async def test_delete(storage: Storage) -> None:
    assert await storage.delete(T, "p", "r") is False
    first = await storage.insert(T, ent("p", "r", v=1))
    await storage.replace(T, first.with_data(v=2))
    with pytest.raises(ConflictError):
        await storage.delete(T, "p", "r", etag=first.etag)
    assert await storage.get(T, "p", "r") is not None
    assert await storage.delete(T, "p", "r") is True
    assert await storage.get(T, "p", "r") is None
    again = await storage.insert(T, ent("p", "r", v=3))
    assert await storage.delete(T, "p", "r", etag=again.etag) is True


async def test_tables_are_separate(storage: Storage) -> None:
    await storage.insert("state", ent("p", "r", v=1))
    assert await storage.get("audit", "p", "r") is None
    await storage.insert("audit", ent("p", "r", v=2))
    assert (await storage.get("state", "p", "r")).data == {"v": 1}  # type: ignore[union-attr]


# ---- values ----------------------------------------------------------------------------------

VALUES: dict[str, object] = {
    "zero": 0,
    "negative": -1,
    "big32": 2**31,
    "beyond53": 2**53 + 1,
    "max64": 2**63 - 1,
    "min64": -(2**63),
    "yes": True,
    "no": False,
    "half": 0.5,
    "whole": 1.0,
    "huge": 1e300,
    "tiny": -2.5e-300,
    "japanese": "いわき市 情報政策課「利用上限」１０，０００，０００文字",
    "emoji": "🙂 𠮷野家",
    "empty": "",
    "quote": 'it\'s "quoted" & <tagged>',
    "longest": "あ" * MAX_STRING_CHARS,
}


async def test_values_keep_their_types(storage: Storage) -> None:
    await storage.insert(T, Entity("p", "values", VALUES))  # type: ignore[arg-type]
    read = await storage.get(T, "p", "values")
    assert read is not None
    assert dict(read.data) == VALUES
    for name, value in VALUES.items():
        assert type(read.data[name]) is type(value), name


async def test_special_floats(storage: Storage) -> None:
    await storage.insert(T, ent("p", "floats", inf=math.inf, ninf=-math.inf, nan=math.nan))
    read = await storage.get(T, "p", "floats")
    assert read is not None
    assert read.data["inf"] == math.inf
    assert read.data["ninf"] == -math.inf
    assert math.isnan(read.data["nan"])  # type: ignore[arg-type]


async def test_none_values_are_dropped(storage: Storage) -> None:
    written = await storage.insert(T, ent("p", "r", keep=1, gone=None))
    assert written.data == {"keep": 1}
    assert (await storage.get(T, "p", "r")).data == {"keep": 1}  # type: ignore[union-attr]


async def test_unicode_and_quotes_in_keys(storage: Storage) -> None:
    pk, rk = "部署:o'brien", "ユーザー'1"
    await storage.insert(T, ent(pk, rk, v=1))
    assert (await storage.get(T, pk, rk)).data == {"v": 1}  # type: ignore[union-attr]
    assert [e.row_key for e in await storage.query(T, pk)] == [rk]
    assert [e.row_key async for e in storage.scan(T, pk_prefix="部署:o'")] == [rk]


BAD_VALUE = "invalid|unsupported|longer than|64-bit"


@pytest.mark.parametrize(
    "bad",
    [
        Entity("a/b", "r", {}),
        Entity("p", "a#b", {}),
        Entity("p", "a?b", {}),
        Entity("p", "a\\b", {}),
        Entity("p", "line\nbreak", {}),
        Entity("p", "x" * 513, {}),
        Entity("p", "r", {"not an identifier": 1}),
        Entity("p", "r", {"PartitionKey": "x"}),
        Entity("p", "r", {"etag": "x"}),
        Entity("p", "r", {"items": [1, 2]}),  # type: ignore[dict-item]
        Entity("p", "r", {"blob": b"bytes"}),  # type: ignore[dict-item]
        Entity("p", "r", {"nested": {"a": 1}}),  # type: ignore[dict-item]
        Entity("p", "r", {"long": "x" * (MAX_STRING_CHARS + 1)}),
        Entity("p", "r", {"big": 2**63}),
        Entity("p", "r", {"small": -(2**63) - 1}),
    ],
    ids=lambda e: f"{e.partition_key[:8]}|{e.row_key[:8]}|{','.join(e.data)}",
)
async def test_invalid_entities_raise_value_error(storage: Storage, bad: Entity) -> None:
    for write in (storage.insert, storage.upsert, storage.replace):
        with pytest.raises(ValueError, match=BAD_VALUE):
            await write(T, bad)
    with pytest.raises(ValueError, match=BAD_VALUE):
        await storage.transact(T, [Op("upsert", bad)])
    assert [e async for e in storage.scan(T)] == []


@pytest.mark.parametrize("table", ["", "Quota", "bad-name", "1st", "with space"])
async def test_invalid_table_names_raise_value_error(storage: Storage, table: str) -> None:
    with pytest.raises(ValueError, match="table name"):
        await storage.get(table, "p", "r")
    with pytest.raises(ValueError, match="table name"):
        await storage.insert(table, ent("p", "r", v=1))


# ---- query and scan --------------------------------------------------------------------------


async def _seed(storage: Storage) -> None:
    for pk in ("m2026-10", "m2026-11", "m2026-110", "n2026-11"):
        for rk in ("user:b", "org", "dept:x", "user:a", "user:c"):
            await storage.insert(T, ent(pk, rk, part=pk))
    await storage.insert("audit", ent("m2026-11", "user:z", other=True))


async def test_query_returns_one_partition_sorted(storage: Storage) -> None:
    await _seed(storage)
    found = await storage.query(T, "m2026-11")
    assert [e.row_key for e in found] == ["dept:x", "org", "user:a", "user:b", "user:c"]
    assert {e.partition_key for e in found} == {"m2026-11"}
    assert all(e.etag for e in found)


async def test_query_ranges_are_half_open(storage: Storage) -> None:
    await _seed(storage)
    rows = await storage.query(T, "m2026-11", rk_from="user:", rk_to="user;")
    assert [e.row_key for e in rows] == ["user:a", "user:b", "user:c"]
    rows = await storage.query(T, "m2026-11", rk_from="org", rk_to="user:b")
    assert [e.row_key for e in rows] == ["org", "user:a"]
    rows = await storage.query(T, "m2026-11", rk_from="user:b")
    assert [e.row_key for e in rows] == ["user:b", "user:c"]
    rows = await storage.query(T, "m2026-11", rk_to="org")
    assert [e.row_key for e in rows] == ["dept:x"]


async def test_query_limit_and_empty(storage: Storage) -> None:
    await _seed(storage)
    rows = await storage.query(T, "m2026-11", rk_from="org", limit=2)
    assert [e.row_key for e in rows] == ["org", "user:a"]
    assert await storage.query(T, "m2099-01") == []


async def test_scan_by_prefix_in_key_order(storage: Storage) -> None:
    await _seed(storage)
    found = [(e.partition_key, e.row_key) async for e in storage.scan(T, pk_prefix="m2026-11")]
    keys = ["dept:x", "org", "user:a", "user:b", "user:c"]
    assert found == [("m2026-11", rk) for rk in keys] + [("m2026-110", rk) for rk in keys]
    everything = [e async for e in storage.scan(T)]
    assert len(everything) == 20
    pairs = [(e.partition_key, e.row_key) for e in everything]
    assert pairs == sorted(pairs)
    assert [e async for e in storage.scan(T, pk_prefix="zzz")] == []


async def test_scan_can_stop_early(storage: Storage) -> None:
    await _seed(storage)
    async for entity in storage.scan(T, pk_prefix="m"):
        assert entity.partition_key.startswith("m")
        break


async def test_scan_pages_through_many_entities(storage: Storage) -> None:
    for start in range(0, 1200, 100):
        ops = [Op("insert", ent("many", f"{i:05d}", i=i)) for i in range(start, start + 100)]
        await storage.transact(T, ops)
    found = [e.data["i"] async for e in storage.scan(T, pk_prefix="many")]
    assert found == list(range(1200))


# ---- transactions ----------------------------------------------------------------------------


async def test_transact_applies_all(storage: Storage) -> None:
    a = await storage.insert(T, ent("p", "a", v=1))
    await storage.insert(T, ent("p", "d", v=1))
    results = await storage.transact(
        T,
        [
            Op("replace", a.with_data(v=2)),
            Op("insert", ent("p", "b", v=1)),
            Op("upsert", ent("p", "c", v=1)),
            Op("delete", ent("p", "d")),
        ],
    )
    assert [e.row_key for e in results] == ["a", "b", "c", "d"]
    assert all(e.etag for e in results[:3])
    rows = {e.row_key: e for e in await storage.query(T, "p")}
    assert set(rows) == {"a", "b", "c"}
    assert rows["a"].data == {"v": 2}
    assert [rows[k].etag for k in "abc"] == [e.etag for e in results[:3]]
    await storage.replace(T, results[0].with_data(v=3))  # the returned ETag is the current one


@pytest.mark.parametrize("failing", ["stale", "exists", "missing", "delete-stale"])
async def test_transact_is_all_or_nothing(storage: Storage, failing: str) -> None:
    a = await storage.insert(T, ent("p", "a", v=1))
    await storage.replace(T, a.with_data(v=2))  # `a` is now stale
    fresh = await storage.get(T, "p", "a")
    assert fresh is not None
    await storage.insert(T, ent("p", "taken", v=1))
    bad = {
        "stale": Op("replace", a.with_data(v=99)),
        "exists": Op("insert", ent("p", "taken", v=99)),
        "missing": Op("replace", ent("p", "nobody", v=99)),
        "delete-stale": Op("delete", a),
    }[failing]
    good = [Op("insert", ent("p", "new", v=1)), Op("upsert", ent("p", "up", v=1))]
    if failing not in {"stale", "delete-stale"}:
        good.append(Op("replace", fresh.with_data(v=3)))
    with pytest.raises(ConflictError):
        await storage.transact(T, [*good, bad])
    rows = {e.row_key: dict(e.data) for e in await storage.query(T, "p")}
    assert rows == {"a": {"v": 2}, "taken": {"v": 1}}


async def test_transact_rejects_bad_shapes(storage: Storage) -> None:
    assert await storage.transact(T, []) == []
    with pytest.raises(ValueError, match="same partition"):
        await storage.transact(T, [Op("insert", ent("p", "a")), Op("insert", ent("q", "b"))])
    with pytest.raises(ValueError, match="only once"):
        await storage.transact(T, [Op("insert", ent("p", "a")), Op("upsert", ent("p", "a"))])
    with pytest.raises(ValueError, match="at most 100"):
        await storage.transact(T, [Op("insert", ent("p", f"r{i}")) for i in range(101)])
    assert [e async for e in storage.scan(T)] == []


async def test_transact_of_one_hundred(storage: Storage) -> None:
    results = await storage.transact(T, [Op("insert", ent("p", f"r{i:03d}", i=i)) for i in range(100)])
    assert len(results) == 100
    assert len(await storage.query(T, "p")) == 100


# ---- concurrency -----------------------------------------------------------------------------


async def _increment(storage: Storage, times: int) -> int:
    conflicts = 0
    for _ in range(times):
        while True:
            current = await storage.get(T, "counter", "c")
            assert current is not None
            try:
                await storage.replace(T, current.with_data(n=int(current.data["n"]) + 1))
                break
            except ConflictError:
                conflicts += 1
    return conflicts


async def test_concurrent_cas_increments_are_exact(storage: Storage) -> None:
    await storage.insert(T, ent("counter", "c", n=0))
    conflicts = await asyncio.gather(*(_increment(storage, 5) for _ in range(20)))
    final = await storage.get(T, "counter", "c")
    assert final is not None
    assert final.data["n"] == 100
    assert sum(conflicts) >= 0


async def test_concurrent_inserts_have_one_winner(storage: Storage) -> None:
    outcomes = await asyncio.gather(
        *(storage.insert(T, ent("p", "once", by=i)) for i in range(10)), return_exceptions=True
    )
    assert sum(isinstance(o, Entity) for o in outcomes) == 1
    assert all(isinstance(o, Entity | ConflictError) for o in outcomes)


# ---- health ----------------------------------------------------------------------------------


async def test_ping(storage: Storage) -> None:
    await storage.ping()
    assert storage.name in {"memory", "sqlite", "azure-tables"}
