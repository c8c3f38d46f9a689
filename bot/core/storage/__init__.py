"""Storage: one small async interface (bot.core.storage.base), two backends, chosen from the settings.

open_storage(settings)  ->  SqliteStorage(settings.data_dir / "bot.sqlite3")   embedded default
                        ->  AzureTableStorage (connection string, or endpoint + managed identity)
"""

from __future__ import annotations

from bot.core.config import Settings, StorageKind
from bot.core.errors import ConflictError, NotFoundError, StorageError
from bot.core.storage.base import MAX_STRING_CHARS, TABLES, Entity, Op, Scalar, Storage, check_entity

__all__ = [
    "MAX_STRING_CHARS",
    "TABLES",
    "ConflictError",
    "Entity",
    "NotFoundError",
    "Op",
    "Scalar",
    "Storage",
    "StorageError",
    "check_entity",
    "open_storage",
]

SQLITE_FILE = "bot.sqlite3"


async def open_storage(settings: Settings) -> Storage:
    """The backend the settings select; the caller closes it (aiohttp cleanup_ctx)."""
    if settings.storage_kind is StorageKind.AZURE_TABLES:
        from bot.core.storage.azure_tables import AzureTableStorage  # noqa: PLC0415  (SDK loaded only when used)

        if settings.tables_connection_string:
            return AzureTableStorage.from_connection_string(
                settings.tables_connection_string, prefix=settings.table_prefix
            )
        return AzureTableStorage.from_endpoint(settings.tables_endpoint, prefix=settings.table_prefix)
    from bot.core.storage.sqlite import SqliteStorage  # noqa: PLC0415

    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"BOT_DATA_DIR {settings.data_dir}: cannot create the directory ({exc})") from exc
    return SqliteStorage(settings.data_dir / SQLITE_FILE)
