"""Access: consent to the guideline, applications and their approval (pure domain, no botbuilder).

    model.py     Consent, Application, Status, Standing and the rules (`standing`, `form_problems`)
    store.py     AccessStore over the `access` table (ETag compare-and-swap for decisions)
    schedule.py  when the weekly digest of waiting applications runs (Mondays 09:00 JST)

The Teams side is bot.teams.stages.access (refuses model use) and bot.teams.features.access.consent
(cards, commands, verbs, the digest task).
"""

from bot.core.access.model import (
    Application,
    ApplicationForm,
    Consent,
    Standing,
    Status,
    can_apply,
    form_problems,
    overdue,
    standing,
)
from bot.core.access.schedule import next_digest_at, week_key
from bot.core.access.store import AccessStore, user_key

__all__ = [
    "AccessStore",
    "Application",
    "ApplicationForm",
    "Consent",
    "Standing",
    "Status",
    "can_apply",
    "form_problems",
    "next_digest_at",
    "overdue",
    "standing",
    "user_key",
    "week_key",
]
