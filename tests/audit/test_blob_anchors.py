"""The production anchor sink against a real Azurite blob service (started here on a free port).

Append-only (a month's blob is created only if missing and then only appended to), errors that
name the container, and the whole flow: `python -m bot audit anchor` files the heads in the
container, `audit verify --anchors` reads them back and reports a cut tail. Azurite does not
enforce immutability policies: that part is the container's (infra/modules/anchors.bicep) and is
checked statically in tests/infra/test_infra.py.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from azure.storage.blob import BlobServiceClient

from bot.cli.main import main
from bot.core.audit import AuditLog
from bot.core.audit.anchors import Anchor, FileAnchorSink
from bot.core.audit.blob_anchors import BlobAnchorSink
from bot.core.audit.chain import TABLE, row_key
from bot.core.audit.record import event_record
from bot.core.audit.running import anchor_now
from bot.core.audit.sinks import AllSinks, one_sink
from bot.core.clock import system_clock
from bot.core.config import Settings
from bot.core.errors import StorageError
from bot.core.storage.sqlite import SqliteStorage
from tests._azurite_blob import AzuriteBlob, can_start, start_azurite_blob
from tests.audit.conftest import MONTH, NOW


@pytest.fixture(scope="module")
def azurite_blob() -> Iterator[AzuriteBlob]:
    reason = can_start()
    if reason:
        pytest.skip(f"Azurite blob service not available: {reason}")
    blob = start_azurite_blob()
    try:
        yield blob
    finally:
        blob.stop()


@pytest.fixture
def container(azurite_blob: AzuriteBlob) -> str:
    """A fresh container, created as the deployment creates it (the sink never creates one)."""
    name = f"anchors-{uuid.uuid4().hex[:12]}"
    BlobServiceClient.from_connection_string(azurite_blob.connection_string).create_container(name)
    return name


def _sink(azurite_blob: AzuriteBlob, container: str) -> BlobAnchorSink:
    return BlobAnchorSink(connection_string=azurite_blob.connection_string, container=container)


def _anchor(seq: int, time: str = "2026-11-22T09:41:03.000Z") -> Anchor:
    return Anchor(time, {f"{MONTH}.0": (seq, f"{seq:064x}")})


async def test_anchors_are_appended_to_an_append_blob_and_never_rewritten(
    azurite_blob: AzuriteBlob, container: str
) -> None:
    first, second, december = _anchor(3), _anchor(5), _anchor(9, "2026-12-01T00:00:00.000Z")
    await _sink(azurite_blob, container).append(first)
    await _sink(azurite_blob, container).append(second)  # another instance: the blob is not reset
    await _sink(azurite_blob, container).append(december)
    assert await _sink(azurite_blob, container).read() == [first, second, december]
    service = BlobServiceClient.from_connection_string(azurite_blob.connection_string)
    props = service.get_blob_client(container, "anchors-2026-11.jsonl").get_blob_properties()
    assert props.blob_type == "AppendBlob"
    assert props.append_blob_committed_block_count == 2, "one block per anchor line"
    names = [b.name for b in service.get_container_client(container).list_blobs()]
    assert names == ["anchors-2026-11.jsonl", "anchors-2026-12.jsonl"]


async def test_a_blob_that_is_not_an_append_blob_is_refused_and_left_as_it_is(
    azurite_blob: AzuriteBlob, container: str
) -> None:
    service = BlobServiceClient.from_connection_string(azurite_blob.connection_string)
    existing = service.get_blob_client(container, "anchors-2026-11.jsonl")
    existing.upload_blob(_anchor(1).to_json().encode() + b"\n")  # a block blob someone put there
    with pytest.raises(StorageError, match="blob:"):
        await _sink(azurite_blob, container).append(_anchor(2))
    assert existing.download_blob().readall() == _anchor(1).to_json().encode() + b"\n"


async def test_a_missing_container_is_an_error_that_names_it(azurite_blob: AzuriteBlob) -> None:
    sink = _sink(azurite_blob, "no-such-container")
    with pytest.raises(StorageError, match="no-such-container: the container was not found"):
        await sink.append(_anchor(1))
    with pytest.raises(StorageError, match="not found"):
        await sink.read()
    assert azurite_blob.connection_string not in sink.name


async def test_a_damaged_line_in_the_container_is_reported(azurite_blob: AzuriteBlob, container: str) -> None:
    sink = _sink(azurite_blob, container)
    await sink.append(_anchor(1))
    service = BlobServiceClient.from_connection_string(azurite_blob.connection_string)
    service.get_blob_client(container, "anchors-2026-11.jsonl").append_block(b'{"time":"x","heads":{}}\n')
    with pytest.raises(ValueError, match="fingerprint"):
        await sink.read()


async def test_the_running_bot_anchors_to_every_configured_sink(
    azurite_blob: AzuriteBlob, container: str, tmp_path: Path
) -> None:
    settings = Settings.from_env(
        environ={
            "AUDIT_ANCHOR_FILE": str(tmp_path / "anchors.jsonl"),
            "AUDIT_ANCHOR_BLOB_CONNECTION_STRING": azurite_blob.connection_string,
            "AUDIT_ANCHOR_BLOB_CONTAINER": container,
        },
        env_file=None,
    )
    sink = one_sink(settings)
    assert isinstance(sink, AllSinks)
    storage = SqliteStorage(tmp_path / "bot.sqlite3")
    try:
        audit = AuditLog(storage, clock=lambda: NOW)
        await audit.append(event_record("test", {"n": 1}, now=NOW))
        await anchor_now(audit, sink)
    finally:
        await storage.close()
    from_blob = await _sink(azurite_blob, container).read()
    from_file = await FileAnchorSink(tmp_path / "anchors.jsonl").read()
    assert from_blob == from_file
    assert len(from_blob) == 1
    assert sum(seq for seq, _ in from_blob[0].heads.values()) == 1


_OTHER_SETTINGS = (
    "AZURE_TABLES_CONNECTION_STRING",
    "AZURE_TABLES_ENDPOINT",
    "BOT_POLICY",
    "AUDIT_ANCHOR_FILE",
)


def _seed(data_dir: Path) -> str:
    """Five records of one conversation; returns their partition."""

    async def go() -> str:
        storage = SqliteStorage(data_dir / "bot.sqlite3")
        try:
            audit = AuditLog(storage, clock=system_clock)
            stored = None
            for i in range(5):
                record = replace(event_record("承認", {"n": i}, now=NOW), conversation_id="conv-1")
                stored = await audit.append(record)
            assert stored is not None
            return stored.partition
        finally:
            await storage.close()

    return asyncio.run(go())


def _cut_tail(data_dir: Path, partition: str) -> None:
    """Delete the last record and move the head back, as someone with write access to storage would."""

    async def go() -> None:
        from bot.core.audit.chain import HEAD_ROW, decode, head_entity  # noqa: PLC0415

        storage = SqliteStorage(data_dir / "bot.sqlite3")
        try:
            await storage.delete(TABLE, partition, row_key(5))
            fourth = await storage.get(TABLE, partition, row_key(4))
            head = await storage.get(TABLE, partition, HEAD_ROW)
            assert fourth is not None
            assert head is not None
            await storage.upsert(TABLE, replace(head_entity(partition, decode(fourth), None), etag=""))
        finally:
            await storage.close()

    asyncio.run(go())


def test_audit_anchor_and_verify_use_the_blob_container(
    azurite_blob: AzuriteBlob,
    container: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in (
        "AZURE_TABLES_CONNECTION_STRING",
        "AZURE_TABLES_ENDPOINT",
        "BOT_POLICY",
        "AUDIT_ANCHOR_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    monkeypatch.setenv("BOT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("AUDIT_ANCHOR_BLOB_CONNECTION_STRING", azurite_blob.connection_string)
    monkeypatch.setenv("AUDIT_ANCHOR_BLOB_CONTAINER", container)
    partition = _seed(data_dir)

    assert main(["audit", "anchor", "--month", MONTH]) == 0
    captured = capsys.readouterr()
    assert f"{partition} 5 " in captured.out
    assert f"blob:{container}" in captured.err
    [anchor] = asyncio.run(_sink(azurite_blob, container).read())
    assert anchor.heads[partition][0] == 5

    assert main(["audit", "verify", "--month", MONTH, "--anchors"]) == 0
    assert "控え（アンカー） 1 件と照合しました" in capsys.readouterr().out

    _cut_tail(data_dir, partition)
    assert main(["audit", "verify", "--month", MONTH, "--anchors"]) == 1
    out = capsys.readouterr().out
    assert f"NG {partition} 連番 5" in out
    assert "[truncated]" in out


def test_an_unreachable_container_is_exit_3_with_a_message(
    azurite_blob: AzuriteBlob,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in (
        "AZURE_TABLES_CONNECTION_STRING",
        "AZURE_TABLES_ENDPOINT",
        "BOT_POLICY",
        "AUDIT_ANCHOR_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "data").mkdir()
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("AUDIT_ANCHOR_BLOB_CONNECTION_STRING", azurite_blob.connection_string)
    monkeypatch.setenv("AUDIT_ANCHOR_BLOB_CONTAINER", "missing-container")
    assert main(["audit", "anchor", "--month", MONTH]) == 3
    err = capsys.readouterr().err
    assert "控えを保存先に書き込めません" in err
    assert "missing-container" in err
    assert "Traceback" not in err
    assert main(["audit", "verify", "--anchors"]) == 3
    assert "控え（アンカー）の保存先を読めません" in capsys.readouterr().err
