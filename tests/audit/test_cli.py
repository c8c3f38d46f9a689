"""`python -m bot audit ...` on the embedded SQLite storage: exit codes and what it prints."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.core.audit import AuditLog
from bot.core.audit.chain import TABLE, row_key
from bot.core.audit.record import event_record
from bot.core.clock import system_clock
from bot.core.storage.sqlite import SqliteStorage
from tests.audit.conftest import NOW

OLD = datetime(2024, 3, 10, tzinfo=UTC)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An environment that selects SQLite under tmp_path (no .env, no Azure variables)."""
    monkeypatch.chdir(tmp_path)
    for name in ("AZURE_TABLES_CONNECTION_STRING", "AZURE_TABLES_ENDPOINT", "BOT_POLICY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "data").mkdir()
    return tmp_path / "data"


def seed(data_dir: Path, *, tamper: bool = False) -> None:
    """Three records this month and one in an old month; optionally delete the second of this month."""

    async def go() -> None:
        storage = SqliteStorage(data_dir / "bot.sqlite3")
        try:
            audit = AuditLog(storage, clock=system_clock)
            partitions = []
            for i, when in enumerate((NOW, NOW, NOW, OLD)):
                record = event_record("承認", {"n": i}, now=when)
                stored = await audit.append(replace(record, user_id=f"user-{i}", display_name="岩城 太郎"))
                partitions.append(stored.partition)
            if tamper:
                await storage.delete(TABLE, partitions[0], row_key(2))
        finally:
            await storage.close()

    asyncio.run(go())


def test_verify_intact_exits_0_and_prints_the_anchors(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert "改ざん・欠落は見つかりませんでした" in out
    assert "2026-11." in out
    assert "2024-03." in out


def test_verify_broken_exits_1_with_the_first_broken_link(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir, tamper=True)
    assert main(["audit", "verify", "--month", "2026-11"]) == 1
    out = capsys.readouterr().out
    assert "NG 2026-11." in out
    assert "連番 2" in out
    assert "[missing]" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["audit", "verify", "--month", "2026-13"],
        ["audit", "export"],
        ["audit", "export", "--month", "2026-11", "--format", "xlsx"],
        ["audit", "purge"],
        ["audit"],
    ],
)
def test_bad_arguments_exit_2_with_a_message(
    data_dir: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "error" in err
    assert "Traceback" not in err


def test_export_csv_to_a_file(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(data_dir)
    out = tmp_path / "records.csv"
    assert main(["audit", "export", "--month", "2026-11", "--out", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("記録ID,ターンID,記録種別")
    assert text.count("岩城 太郎") == 3
    assert "3 件を書き出しました" in capsys.readouterr().err


def test_export_jsonl_to_stdout_for_one_user(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(data_dir)
    assert main(["audit", "export", "--month", "2026-11", "--format", "jsonl", "--user", "user-1"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["user_id"], r["event"]) for r in rows] == [("user-1", "承認")]


def test_export_to_a_missing_directory_exits_2(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    assert main(["audit", "export", "--month", "2026-11", "--out", str(tmp_path / "no" / "x.csv")]) == 2
    assert "書き込めません" in capsys.readouterr().err


def test_purge_inside_retention_is_refused(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(data_dir)
    assert main(["audit", "purge", "--before", "2026-11", "--yes"]) == 2
    assert "保存期間（12か月）内の記録は削除できません" in capsys.readouterr().err


def test_purge_without_yes_only_shows_then_deletes_with_yes(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    assert main(["audit", "purge", "--before", "2024-06"]) == 0
    assert "--yes" in capsys.readouterr().out
    assert main(["audit", "purge", "--before", "2024-06", "--yes"]) == 0
    assert "1 件（対象月: 2024-03）を削除しました" in capsys.readouterr().out
    assert main(["audit", "verify"]) == 0
    assert "2024-03." not in capsys.readouterr().out


def test_unusable_storage_exits_3_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AZURE_TABLES_CONNECTION_STRING", raising=False)
    monkeypatch.delenv("AZURE_TABLES_ENDPOINT", raising=False)
    (tmp_path / "file").write_text("not a directory")
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "file"))
    assert main(["audit", "verify"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("エラー: 記録の保存先")
    assert "Traceback" not in err


def test_bad_configuration_exits_2(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    assert main(["audit", "verify"]) == 2
    assert "LOG_LEVEL" in capsys.readouterr().err
