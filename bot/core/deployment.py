"""One data store belongs to one municipality.

The records, quota counters, consents and pseudonym tables of a city must never mix with
another's: starting the bot with another city's policy on existing data would show a false
「ガイドラインが改定されました」 to everyone and add the new city's usage to the old one's
figures. The first start writes the municipality into the store; a later start with a different
one is refused with a ConfigError that says which city the data belongs to and what to do.
"""

from __future__ import annotations

from bot.core.errors import ConfigError, ConflictError
from bot.core.policy import Policy
from bot.core.storage.base import Entity, Storage

TABLE = "deployment"
PK, RK = "deployment", "municipality"


async def bind_municipality(storage: Storage, policy: Policy) -> None:
    """Record this store's municipality on first use; refuse a policy of another one."""
    city = policy.municipality
    entity = await storage.get(TABLE, PK, RK)
    if entity is None:
        try:
            await storage.insert(TABLE, Entity(PK, RK, {"name": city.name, "name_en": city.name_en}))
            return
        except ConflictError:  # another instance bound it at the same moment
            entity = await storage.get(TABLE, PK, RK)
    stored_en = str(entity.data.get("name_en", "")) if entity is not None else city.name_en
    if stored_en.casefold() != city.name_en.casefold():
        stored = str(entity.data.get("name", stored_en)) if entity is not None else stored_en
        raise ConfigError(
            "BOT_POLICY",
            f"this data store belongs to {stored} ({stored_en}) but the policy is for {city.name}"
            f" ({city.name_en}). One store holds one municipality's records, quota and consents:"
            f" start {city.name_en} with its own BOT_DATA_DIR (or AZURE tables with another"
            f" BOT_TABLE_PREFIX), or start this store with the policy of {stored_en}",
        )
