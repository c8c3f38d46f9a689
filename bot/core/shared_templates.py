"""Templates each 課 can share: the policy's templates plus those admins add in Teams, stored, per 所属.

Table `templates`:

    pk "def"          rk <template id>   a stored template (JSON), its 所属 ("" = every 所属), retired flag,
                                         who changed it and when; a stored row with a policy template's
                                         id edits or retires that policy template
    pk "u<YYYY-MM>"   rk <template id>   uses this month (JST), bumped when a filled form goes to the model

`TemplateCatalogue.templates(department)` lists the active templates with the caller's 所属's own first,
then the ones for everyone (policy order, then stored ones by title). `TemplateCatalogue.uses(month)`
is the month's uses with each template's title, most used first: the one set of figures both usage
reports show (`python -m bot usage` and the administrators' 利用状況 card).

A stored template's fields are written one per line (`parse_fields`):

    目的                       a required one-line input; the prompt refers to it as {目的}
    対象（任意）               optional
    本文（複数行）             multi-line
    形式：箇条書き／文章       a choice
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.errors import BotError, ConflictError, NotFoundError
from bot.core.policy import Policy, Template, TemplateField
from bot.core.storage.base import Entity, Storage

TABLE = "templates"
DEFS = "def"
JST = ZoneInfo("Asia/Tokyo")
MAX_PROMPT_CHARS = 2000
MAX_FIELDS = 8
_OPTIONAL = re.compile(r"[（(]任意[)）]")
_MULTILINE = re.compile(r"[（(]複数行[)）]")
_FIELD_ID = re.compile(r"^[^{}\[\].:!\s]{1,30}$")


class SpecProblem(StrEnum):
    """Why a template written in Teams cannot be saved (the UI says it in Japanese)."""

    NO_TITLE = "no_title"
    NO_PROMPT = "no_prompt"
    PROMPT_TOO_LONG = "prompt_too_long"
    BAD_FIELD = "bad_field"
    TOO_MANY_FIELDS = "too_many_fields"
    UNKNOWN_FIELD = "unknown_field"
    BAD_LENGTH = "bad_length"


class TemplateSpecError(BotError):
    """A template definition that cannot be saved; `problem` says why, `detail` names the part."""

    def __init__(self, problem: SpecProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class Listed:
    """A template as the catalogue shows it."""

    template: Template
    department: str = ""  # "" = for every 所属
    stored: bool = False  # added or edited in Teams (else straight from the policy)
    retired: bool = False


@dataclass(frozen=True)
class TemplateUse:
    """How often a template was used in a month, under its current title (retired ones too)."""

    template_id: str
    title: str
    uses: int


def parse_fields(text: str) -> tuple[TemplateField, ...]:
    """Fields from one-per-line definitions (module docstring); TemplateSpecError if malformed."""
    fields: list[TemplateField] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        name, _, choices = line.replace("：", ":").partition(":")
        required = not _OPTIONAL.search(name)
        multiline = bool(_MULTILINE.search(name))
        label = _MULTILINE.sub("", _OPTIONAL.sub("", name)).strip()
        options = tuple(c.strip() for c in re.split(r"[／/、,，]", choices) if c.strip())
        if not _FIELD_ID.match(label):
            raise TemplateSpecError(SpecProblem.BAD_FIELD, line)
        fields.append(TemplateField(label, label, "", required, multiline and not options, options))
    if len(fields) > MAX_FIELDS:
        raise TemplateSpecError(SpecProblem.TOO_MANY_FIELDS, str(len(fields)))
    if len({f.id for f in fields}) != len(fields):
        raise TemplateSpecError(SpecProblem.BAD_FIELD, "duplicate")
    return tuple(fields)


def fields_text(fields: Sequence[TemplateField]) -> str:
    """The one-per-line definitions of `fields` (to prefill the edit form)."""
    lines = []
    for f in fields:
        marks = ("" if f.required else "（任意）") + ("（複数行）" if f.multiline else "")
        lines.append(f"{f.label}{marks}" + (f"：{'／'.join(f.choices)}" if f.choices else ""))
    return "\n".join(lines)


def build_template(
    template_id: str, *, title: str, description: str, prompt: str, fields: str, default_length: int
) -> Template:
    """A template from the admin form's values; TemplateSpecError with the first problem."""
    if not title.strip():
        raise TemplateSpecError(SpecProblem.NO_TITLE)
    if not prompt.strip():
        raise TemplateSpecError(SpecProblem.NO_PROMPT)
    if len(prompt) > MAX_PROMPT_CHARS:
        raise TemplateSpecError(SpecProblem.PROMPT_TOO_LONG, str(len(prompt)))
    if not 50 <= default_length <= 4000:
        raise TemplateSpecError(SpecProblem.BAD_LENGTH, str(default_length))
    parsed = parse_fields(fields)
    try:
        prompt.format(**dict.fromkeys([*(f.id for f in parsed), "length"], ""))
    except (KeyError, IndexError, ValueError) as exc:
        raise TemplateSpecError(SpecProblem.UNKNOWN_FIELD, str(exc).strip("'")) from None
    return Template(template_id, title.strip(), description.strip(), prompt.strip(), parsed, default_length)


class TemplateCatalogue:
    """The policy's templates and the stored ones (module docstring)."""

    def __init__(self, storage: Storage, policy: Policy, clock: Callable[[], datetime]) -> None:
        self._storage = storage
        self._policy = policy
        self._clock = clock

    async def listed(self, department: str = "", *, include_retired: bool = False) -> list[Listed]:
        """Active templates (the 所属's own first); with include_retired, retired ones too, last."""
        rows = {e.row_key: e for e in await self._storage.query(TABLE, DEFS)}
        out: list[tuple[int, Listed]] = []
        for t in self._policy.templates:
            row = rows.pop(t.id, None)
            if row is None:
                out.append((1, Listed(t)))
            else:
                out.append(self._from_row(row, include_retired, fallback=t))
        for row in sorted(rows.values(), key=lambda e: str(e.data.get("title", ""))):
            out.append(self._from_row(row, include_retired))
        ranked = [
            (0 if item.department and item.department == department else rank, i, item)
            for i, (rank, item) in enumerate(out)
            if rank >= 0 and (not item.department or item.department == department or include_retired)
        ]
        return [item for _, _, item in sorted(ranked)]

    def _from_row(
        self, row: Entity, include_retired: bool, fallback: Template | None = None
    ) -> tuple[int, Listed]:
        retired = bool(row.data.get("retired", False))
        if retired and not include_retired:
            return -1, Listed(fallback or _decode(row))
        template = _decode(row) if row.data.get("spec") else fallback
        assert template is not None
        listed = Listed(template, str(row.data.get("department", "")), stored=True, retired=retired)
        return (3 if retired else 1), listed

    async def templates(self, department: str = "") -> list[Template]:
        """The active templates for a member of `department`, theirs first."""
        return [item.template for item in await self.listed(department)]

    async def get(self, template_id: str) -> Template | None:
        """An active template by id, whichever 所属 it is for (the 所属 orders the list; it hides
        nothing: a form may be opened from a shared link), or None when unknown or retired."""
        listed = await self.listed(include_retired=True)
        return next((i.template for i in listed if i.template.id == template_id and not i.retired), None)

    async def save(self, template: Template, department: str, by: str) -> None:
        """Add or edit (a policy template's id edits that template)."""
        await self._storage.upsert(
            TABLE,
            Entity(
                DEFS,
                template.id,
                {
                    "spec": _encode(template),
                    "title": template.title,
                    "department": department.strip(),
                    "retired": False,
                    "by": by,
                    "at": self._clock().timestamp(),
                },
            ),
        )

    async def retire(self, template_id: str, by: str) -> bool:
        """Retire a template (policy or stored); False if there is no such template."""
        row = await self._storage.get(TABLE, DEFS, template_id)
        if row is None:
            if self._policy.template(template_id) is None:
                return False
            row = Entity(DEFS, template_id, {"title": self._policy.template(template_id).title})  # type: ignore[union-attr]
        await self._storage.upsert(TABLE, row.with_data(retired=True, by=by, at=self._clock().timestamp()))
        return True

    async def restore(self, template_id: str, by: str) -> bool:
        """Bring a retired template back."""
        row = await self._storage.get(TABLE, DEFS, template_id)
        if row is None:
            return False
        if not row.data.get("spec"):
            await self._storage.delete(TABLE, DEFS, template_id)
            return True
        await self._storage.upsert(TABLE, row.with_data(retired=False, by=by, at=self._clock().timestamp()))
        return True

    async def count_use(self, template_id: str) -> None:
        """One more use of the template this month (compare-and-swap, retried)."""
        pk = "u" + self._clock().astimezone(JST).strftime("%Y-%m")
        for _ in range(20):
            row = await self._storage.get(TABLE, pk, template_id)
            try:
                if row is None:
                    await self._storage.insert(TABLE, Entity(pk, template_id, {"count": 1}))
                else:
                    await self._storage.replace(TABLE, row.with_data(count=int(row.data.get("count", 0)) + 1))
                return
            except (ConflictError, NotFoundError):
                continue

    async def usage(self, month: str | None = None) -> dict[str, int]:
        """Uses per template id in a month (YYYY-MM, JST; default this month), most used first."""
        month = month or self._clock().astimezone(JST).strftime("%Y-%m")
        rows = await self._storage.query(TABLE, f"u{month}")
        counts = {e.row_key: int(e.data.get("count", 0)) for e in rows}
        return dict(sorted(counts.items(), key=lambda kv: -kv[1]))

    async def uses(self, month: str | None = None) -> list[TemplateUse]:
        """`usage(month)` with each template's title (its id when it is no longer known), most used first."""
        titles = {i.template.id: i.template.title for i in await self.listed(include_retired=True)}
        return [TemplateUse(t, titles.get(t, t), n) for t, n in (await self.usage(month)).items()]


def new_template_id(now: float) -> str:
    """An id for a template added in Teams at `now` (epoch seconds, from the injected clock)."""
    return f"c{int(now * 1000):x}"


def _encode(t: Template) -> str:
    fields = [
        {
            "id": f.id,
            "label": f.label,
            "placeholder": f.placeholder,
            "required": f.required,
            "multiline": f.multiline,
            "choices": list(f.choices),
        }
        for f in t.fields
    ]
    payload = {
        "title": t.title,
        "description": t.description,
        "prompt": t.prompt,
        "fields": fields,
        "default_length": t.default_length,
    }
    return json.dumps(payload, ensure_ascii=False)


def _decode(row: Entity) -> Template:
    d = json.loads(str(row.data["spec"]))
    fields = tuple(
        TemplateField(
            f["id"],
            f["label"],
            f.get("placeholder", ""),
            bool(f.get("required", True)),
            bool(f.get("multiline", False)),
            tuple(f.get("choices", ())),
        )
        for f in d["fields"]
    )
    return Template(row.row_key, d["title"], d["description"], d["prompt"], fields, int(d["default_length"]))
