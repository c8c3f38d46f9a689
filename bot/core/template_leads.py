"""Each 所属's template lead: staff an admin names to manage their own 所属's shared templates.

Only where the policy allows it (`[access] template_leads = true`). Admins name a lead in Teams (the
テンプレート管理 card: a person and the 所属 they lead); the designation is stored:

    table `templates`, pk "lead", rk <Entra object id, lower case>:  department, name, by, at

`Authority` is what a caller may do with templates, decided on the server for every action:
an admin everything; a lead only the templates stored for their 所属 (adding, editing, retiring,
restoring), never a template for every 所属 nor one of the policy's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.core.errors import BotError
from bot.core.storage.base import Entity, Storage

TABLE = "templates"
LEADS = "lead"
MAX_DEPARTMENT_CHARS = 50
MAX_NAME_CHARS = 50
_OID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class LeadSpecError(BotError):
    """A designation that cannot be saved: `problem` is "person" (no valid Entra id) or "department"."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True)
class Lead:
    """A 所属's template lead."""

    oid: str
    department: str
    name: str = ""


@dataclass(frozen=True)
class Authority:
    """What a caller may do with the shared templates."""

    everything: bool = False  # an admin
    department: str = ""  # a lead: the 所属 they lead

    def may_manage(self, department: str) -> bool:
        """True when the caller may change a template stored for `department` ("" = every 所属)."""
        return self.everything or (bool(self.department) and department == self.department)


ADMIN = Authority(everything=True)


class TemplateLeads:
    """The stored designations (module docstring)."""

    def __init__(self, storage: Storage, clock: Callable[[], datetime]) -> None:
        self._storage = storage
        self._clock = clock

    async def leads(self) -> list[Lead]:
        """Every lead, by 所属 then name."""
        rows = await self._storage.query(TABLE, LEADS)
        return sorted((_lead(e) for e in rows), key=lambda lead: (lead.department, lead.name, lead.oid))

    async def lead_of(self, oid: str) -> Lead | None:
        """The designation of this Entra object id, if any."""
        key = oid.strip().lower()
        if not _OID.match(key):
            return None
        row = await self._storage.get(TABLE, LEADS, key)
        return _lead(row) if row is not None else None

    async def name(self, oid: str, department: str, name: str, by: str) -> Lead:
        """Name (or move) a lead; LeadSpecError when the person or the 所属 is not valid."""
        key = oid.strip().lower()
        department = " ".join(department.split())
        if not _OID.match(key):
            raise LeadSpecError("person")
        if not department or len(department) > MAX_DEPARTMENT_CHARS:
            raise LeadSpecError("department")
        lead = Lead(key, department, " ".join(name.split())[:MAX_NAME_CHARS])
        at = self._clock().timestamp()
        data: dict[str, str | float] = {"department": lead.department, "name": lead.name, "by": by, "at": at}
        await self._storage.upsert(TABLE, Entity(LEADS, key, data))
        return lead

    async def remove(self, oid: str) -> Lead | None:
        """End a designation; the lead it was, or None."""
        lead = await self.lead_of(oid)
        if lead is not None:
            await self._storage.delete(TABLE, LEADS, lead.oid)
        return lead


def _lead(row: Entity) -> Lead:
    return Lead(row.row_key, str(row.data.get("department", "")), str(row.data.get("name", "")))
