"""`python -m bot usage`: text for people, JSON for machines, exit 2 on a bad month."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

import pytest

from bot.cli.usage import add_parser, run
from bot.core.clock import system_clock
from bot.core.config import Settings
from bot.core.quota import QuotaLimits, QuotaService
from bot.core.quota.months import month_of
from bot.core.storage import open_storage


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["usage", *argv])


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("QUOTA_MONTHLY_CHAR_LIMIT", "100000")
    monkeypatch.delenv("AZURE_TABLES_CONNECTION_STRING", raising=False)
    monkeypatch.delenv("AZURE_TABLES_ENDPOINT", raising=False)
    return tmp_path / "data"


async def _seed(data_dir: Path) -> str:
    storage = await open_storage(Settings(data_dir=data_dir))
    quota = QuotaService(storage, QuotaLimits(100_000), clock=system_clock)
    for user, dept in [("u1", "税務課"), ("u2", "市民課"), ("u1", "税務課")]:
        r = await quota.reserve(user, dept, 100, display_name=f"職員{user}")
        await quota.settle(r, 600)
    await quota.reserve("u3", "", 100)  # in progress
    await storage.close()
    return month_of(system_clock())


def test_text_report(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(_seed(data_dir))
    assert run(_args()) == 0
    out = capsys.readouterr().out
    assert "市全体: 利用 1,800 文字 / 上限 100,000 文字（1.8%）、処理中の予約 2,100 文字" in out
    assert "税務課: 1,200 文字（2 回）" in out
    assert "職員u1（u1） 税務課: 1,200 文字（2 回）" in out


def test_json_report(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    month = asyncio.run(_seed(data_dir))
    assert run(_args("--json", "--month", month)) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["month"], data["limit"], data["used"], data["reserved"]) == (month, 100_000, 1800, 2100)
    assert [d["name"] for d in data["departments"]] == ["税務課", "市民課"]


def test_bad_month_exits_2(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(_args("--month", "2026-13")) == 2
    assert "YYYY-MM" in capsys.readouterr().err


def test_bad_configuration_exits_2(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QUOTA_MONTHLY_CHAR_LIMIT", "lots")
    assert run(_args()) == 2
    assert "QUOTA_MONTHLY_CHAR_LIMIT" in capsys.readouterr().err


def test_storage_failure_exits_3(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = data_dir.parent / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("BOT_DATA_DIR", str(blocker / "data"))
    assert run(_args()) == 3
    assert "エラー" in capsys.readouterr().err


def test_template_uses_are_in_the_report(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.core.clock import system_clock  # noqa: PLC0415
    from bot.core.policy import load_policy  # noqa: PLC0415
    from bot.core.shared_templates import TemplateCatalogue  # noqa: PLC0415

    async def seed() -> None:
        storage = await open_storage(Settings(data_dir=data_dir))
        catalogue = TemplateCatalogue(storage, load_policy("iwaki"), system_clock)
        for template_id in ("email", "email", "summary"):
            await catalogue.count_use(template_id)
        await storage.close()

    asyncio.run(seed())
    assert run(_args("--json")) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["templates"] == [
        {"id": "email", "title": "メール文", "uses": 2},
        {"id": "summary", "title": "要約", "uses": 1},
    ]
    assert run(_args()) == 0
    assert "メール文: 2 回" in capsys.readouterr().out
