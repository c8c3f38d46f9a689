"""Knowledge fixtures: our own three small documents (the benchmark's corpus is written elsewhere)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.clock import system_clock
from bot.core.knowledge import Knowledge, read_document
from bot.core.storage.base import Storage

FIXTURES = Path(__file__).parent / "fixtures"


async def load_fixtures(knowledge: Knowledge) -> None:
    """Add every fixture document."""
    for path in sorted(FIXTURES.iterdir()):
        doc = read_document(path)
        await knowledge.add(str(path), doc.title, doc.text, doc.kind)


@pytest.fixture
async def knowledge(storage: Storage) -> AsyncIterator[Knowledge]:
    """A Knowledge service over the parametrized storage, with the fixtures loaded."""
    service = Knowledge.open(storage, system_clock, refresh_s=0)
    await load_fixtures(service)
    yield service
    await service.close()
