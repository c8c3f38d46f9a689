"""Japanese texts of the screening gate (bot.core.exits)."""
