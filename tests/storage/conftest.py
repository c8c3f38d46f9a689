"""The storage contract also runs against a trivially correct in-memory baseline (tests/storage/memory.py).

Only here: the other areas' tests keep the `storage` fixture of tests/conftest.py (SQLite, Azurite).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.core.storage.base import Storage
from tests.storage.memory import MemoryStorage


@pytest.fixture
async def memory_storage() -> AsyncIterator[MemoryStorage]:
    """The in-memory baseline."""
    storage = MemoryStorage()
    yield storage
    await storage.close()


@pytest.fixture(params=["memory", "sqlite", pytest.param("azure-tables", marks=pytest.mark.azurite)])
def storage(request: pytest.FixtureRequest) -> Storage:
    """Every backend in turn, the baseline first: a test that fails only on a backend blames the backend."""
    name = {"memory": "memory_storage", "sqlite": "sqlite_storage", "azure-tables": "azurite_storage"}[
        request.param
    ]
    backend: Storage = request.getfixturevalue(name)
    return backend
