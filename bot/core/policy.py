"""The municipal policy file: one TOML per city holds everything that differs between cities.

`load_policy("iwaki" | "maebashi" | path)` parses and validates it at start-up; every error names
the file and the key (`iwaki.toml: quota.org_monthly_chars must be a positive integer`). Sections:

    schema_version                 1
    [municipality]                 name, name_en, division (the contact), contact
    [guideline]                    title, version, clause texts, summary lines for the consent card
    [ordinance]                    name, article, [ordinance.categories] canonical key -> city label
    [access]                       consent, approval, eligible staff, admins, approval target
    [quota]                        monthly caps, answer and input lengths, counting rules, alerts
    [model]                        history budget, temperature, extra system prompt lines
    [support]                      channel names, FAQ
    [records]                      retention
    [reminders]                    footer and the guideline's cautions
    [[templates]]                  the usage examples as prompt forms
    [attachments]                  attached files: how many, characters per file and per message, the
                                   instruction when none is typed, [[attachments.templates]] (optional)
    [screening]                    parsed by bot.core.screening.ScreeningPolicy

Later sections are added by adding a dataclass and a parser function here; unknown top-level keys
are refused so a typo never silently disables a rule.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from bot.core.errors import PolicyError
from bot.core.screening.model import CATEGORIES
from bot.core.screening.policy import ScreeningPolicy


def builtin_policies() -> tuple[str, ...]:
    """The cities shipped in the package: every `*.toml` in bot/core/policies (a new city is one file)."""
    folder = resources.files("bot.core.policies")
    return tuple(sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")))


CATEGORY_KEYS = CATEGORIES  # canonical ordinance categories; each city maps them to its own items


@dataclass(frozen=True)
class Municipality:
    """The city and the division that runs the assistant."""

    name: str
    name_en: str
    division: str
    contact: str


@dataclass(frozen=True)
class Guideline:
    """The city's guideline: identity and the clauses the product cites."""

    title: str
    version: str
    prohibition_clause: str
    summary: tuple[str, ...]
    url: str = ""


@dataclass(frozen=True)
class Ordinance:
    """The disclosure ordinance whose non-disclosure categories screening enforces."""

    name: str
    article: str
    categories: Mapping[str, str]

    def label(self, category: str) -> str:
        """'いわき市情報公開条例第7条イ（個人識別情報）' for a canonical category key."""
        item = self.categories.get(category, "")
        return f"{self.name}{self.article}{item}" if item else f"{self.name}{self.article}"


@dataclass(frozen=True)
class AccessPolicy:
    """Who may use the assistant."""

    require_consent: bool
    require_approval: bool
    eligible_staff: tuple[str, ...]
    approval_target_days: int
    admin_aad_object_ids: frozenset[str]
    template_leads: bool = False  # admins may name a lead per 所属 who manages that 所属's templates


@dataclass(frozen=True)
class QuotaPolicy:
    """Monthly character caps and how characters are counted."""

    org_monthly_chars: int
    user_monthly_chars: int | None
    department_monthly_chars: int | None
    max_answer_chars: int
    max_input_chars: int
    count_history: bool
    count_system_prompt: bool
    alert_thresholds: tuple[int, ...]
    reservation_ttl_seconds: int
    coaching_tip: str
    long_prompt_chars: int
    user_turns_per_minute: int | None = None  # None: no per-user rate limit
    user_concurrent_turns: int | None = None  # None: no per-user limit on turns in progress


@dataclass(frozen=True)
class ModelPolicy:
    """How the dialog talks to the model."""

    history_char_budget: int
    temperature: float
    system_prompt_extra: tuple[str, ...]


@dataclass(frozen=True)
class FaqEntry:
    """A question and answer about the guideline for the support channel."""

    question: str
    answer: str


@dataclass(frozen=True)
class SupportPolicy:
    """Where questions, applications and incident reports go."""

    channel_name: str
    admin_channel_name: str
    faq: tuple[FaqEntry, ...]


@dataclass(frozen=True)
class RecordsPolicy:
    """How long exchange records are kept."""

    retention_months: int


@dataclass(frozen=True)
class Reminders:
    """The guideline's cautions, shown with every answer and in the consent card."""

    footer: str
    fact_check: str
    copyright: str
    responsibility: str
    business_use: str


@dataclass(frozen=True)
class TemplateField:
    """One input of a prompt template form."""

    id: str
    label: str
    placeholder: str = ""
    required: bool = True
    multiline: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Template:
    """A usage example from the guideline as a small form that builds a concise prompt."""

    id: str
    title: str
    description: str
    prompt: str  # str.format template over field ids and {length}
    fields: tuple[TemplateField, ...]
    default_length: int = 300


@dataclass(frozen=True)
class FileTemplate:
    """An instruction for attached files, chosen by sending its title (or an alias) with the file."""

    id: str
    title: str
    description: str
    prompt: str  # may contain {argument}: what follows the title (翻訳 英語 → 英語)
    aliases: tuple[str, ...] = ()
    default_argument: str = ""

    def instruction(self, argument: str) -> str:
        """The prompt with the argument (or its default) filled in."""
        return self.prompt.replace("{argument}", argument.strip() or self.default_argument)


@dataclass(frozen=True)
class AttachmentPolicy:
    """Attached files: limits, and the instruction used when the user types none."""

    max_files: int = 3
    max_chars_per_file: int = 30_000
    max_chars_per_message: int = 30_000
    announce_chars: int = 2_000  # tell the user the file's length before sending at least this much
    default_instruction: str = (
        "添付のファイルの内容を、要点が分かるように箇条書きで簡潔に要約してください（500字以内）。"
    )
    templates: tuple[FileTemplate, ...] = ()


@dataclass(frozen=True)
class Policy:
    """A whole city policy."""

    source: str
    municipality: Municipality
    guideline: Guideline
    ordinance: Ordinance
    access: AccessPolicy
    quota: QuotaPolicy
    model: ModelPolicy
    support: SupportPolicy
    records: RecordsPolicy
    reminders: Reminders
    templates: tuple[Template, ...]
    screening: ScreeningPolicy = field(repr=False)
    attachments: AttachmentPolicy = field(default_factory=AttachmentPolicy)

    def template(self, template_id: str) -> Template | None:
        """The template with this id, if any."""
        return next((t for t in self.templates if t.id == template_id), None)


_TOP_LEVEL = {
    "schema_version",
    "municipality",
    "guideline",
    "ordinance",
    "access",
    "quota",
    "model",
    "support",
    "records",
    "reminders",
    "templates",
    "screening",
    "attachments",
}


def load_policy(name_or_path: str) -> Policy:
    """Load a built-in policy by name or a TOML file by path; raise PolicyError on any problem."""
    if name_or_path in builtin_policies():
        source = f"{name_or_path}.toml"
        text = resources.files("bot.core.policies").joinpath(source).read_text(encoding="utf-8")
    else:
        path = Path(name_or_path)
        if not path.is_file():
            names = ", ".join(builtin_policies())
            raise PolicyError(
                f"BOT_POLICY: {name_or_path!r} is neither a built-in policy ({names}) nor a file"
            )
        source = str(path)
        text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source}: not valid TOML: {exc}") from None
    return parse_policy(raw, source)


def parse_policy(raw: Mapping[str, Any], source: str = "<policy>") -> Policy:
    """Validate a parsed TOML document into a Policy."""
    r = _Reader(raw, source, "")
    unknown = set(raw) - _TOP_LEVEL
    if unknown:
        raise PolicyError(f"{source}: unknown top-level key(s): {', '.join(sorted(unknown))}")
    if r.integer("schema_version") != 1:
        raise PolicyError(f"{source}: schema_version must be 1")
    return Policy(
        source=source,
        municipality=_municipality(r.table("municipality")),
        guideline=_guideline(r.table("guideline")),
        ordinance=_ordinance(r.table("ordinance")),
        access=_access(r.table("access")),
        quota=_quota(r.table("quota")),
        model=_model(r.table("model")),
        support=_support(r.table("support")),
        records=RecordsPolicy(retention_months=r.table("records").integer("retention_months")),
        reminders=_reminders(r.table("reminders")),
        templates=tuple(_template(t) for t in r.tables("templates")),
        screening=_screening(raw.get("screening", {}), source),
        attachments=_attachments(_Reader(raw.get("attachments", {}), source, "attachments")),
    )


def _municipality(r: _Reader) -> Municipality:
    return Municipality(r.string("name"), r.string("name_en"), r.string("division"), r.string("contact"))


def _guideline(r: _Reader) -> Guideline:
    return Guideline(
        title=r.string("title"),
        version=r.string("version"),
        prohibition_clause=r.string("prohibition_clause"),
        summary=r.strings("summary"),
        url=r.string("url", ""),
    )


def _ordinance(r: _Reader) -> Ordinance:
    cats = r.table("categories")
    labels = {key: cats.string(key) for key in CATEGORY_KEYS if key in cats.raw}
    unknown = set(cats.raw) - set(CATEGORY_KEYS)
    if unknown:
        raise PolicyError(
            f"{r.source}: ordinance.categories has unknown key(s) {sorted(unknown)}; use {CATEGORY_KEYS}"
        )
    if "personal" not in labels:
        raise PolicyError(f"{r.source}: ordinance.categories.personal is required")
    return Ordinance(name=r.string("name"), article=r.string("article"), categories=labels)


def _access(r: _Reader) -> AccessPolicy:
    return AccessPolicy(
        require_consent=r.flag("require_consent"),
        require_approval=r.flag("require_approval"),
        eligible_staff=r.strings("eligible_staff"),
        approval_target_days=r.integer("approval_target_days"),
        admin_aad_object_ids=frozenset(x.lower() for x in r.strings("admin_aad_object_ids", ())),
        template_leads=r.flag("template_leads", False),
    )


def _quota(r: _Reader) -> QuotaPolicy:
    thresholds = tuple(r.integers("alert_thresholds"))
    if any(not 0 < t <= 100 for t in thresholds):
        raise PolicyError(f"{r.source}: quota.alert_thresholds must be percentages between 1 and 100")
    return QuotaPolicy(
        org_monthly_chars=r.integer("org_monthly_chars"),
        user_monthly_chars=r.integer("user_monthly_chars", 0) or None,
        department_monthly_chars=r.integer("department_monthly_chars", 0) or None,
        max_answer_chars=r.integer("max_answer_chars"),
        max_input_chars=r.integer("max_input_chars"),
        count_history=r.flag("count_history", False),
        count_system_prompt=r.flag("count_system_prompt", False),
        alert_thresholds=thresholds,
        reservation_ttl_seconds=r.integer("reservation_ttl_seconds", 300),
        coaching_tip=r.string("coaching_tip"),
        long_prompt_chars=r.integer("long_prompt_chars", 800),
        user_turns_per_minute=r.integer("user_turns_per_minute", 0) or None,
        user_concurrent_turns=r.integer("user_concurrent_turns", 0) or None,
    )


def _model(r: _Reader) -> ModelPolicy:
    temperature = r.number("temperature", 0.3)
    if not 0 <= temperature <= 2:
        raise PolicyError(f"{r.source}: model.temperature must be between 0 and 2")
    return ModelPolicy(
        history_char_budget=r.integer("history_char_budget"),
        temperature=temperature,
        system_prompt_extra=r.strings("system_prompt_extra", ()),
    )


def _support(r: _Reader) -> SupportPolicy:
    faq = tuple(FaqEntry(t.string("question"), t.string("answer")) for t in r.tables("faq"))
    channel = r.string("channel_name")
    admin = r.string("admin_channel_name")
    if _same_channel(channel, admin):
        raise PolicyError(
            f"{r.source}: support.admin_channel_name must name a separate, restricted channel "
            f"(it is the all-staff channel {channel!r}: incidents and approvals would be read by everyone)"
        )
    return SupportPolicy(channel_name=channel, admin_channel_name=admin, faq=faq)


def _same_channel(a: str, b: str) -> bool:
    """Channel names compare as Teams shows them: width, case and surrounding spaces ignored."""
    return (
        unicodedata.normalize("NFKC", a).strip().casefold()
        == unicodedata.normalize("NFKC", b).strip().casefold()
    )


def _reminders(r: _Reader) -> Reminders:
    return Reminders(
        footer=r.string("footer"),
        fact_check=r.string("fact_check"),
        copyright=r.string("copyright"),
        responsibility=r.string("responsibility"),
        business_use=r.string("business_use"),
    )


def _template(r: _Reader) -> Template:
    fields = tuple(
        TemplateField(
            id=f.string("id"),
            label=f.string("label"),
            placeholder=f.string("placeholder", ""),
            required=f.flag("required", True),
            multiline=f.flag("multiline", False),
            choices=f.strings("choices", ()),
        )
        for f in r.tables("fields")
    )
    template = Template(
        id=r.string("id"),
        title=r.string("title"),
        description=r.string("description"),
        prompt=r.string("prompt"),
        fields=fields,
        default_length=r.integer("default_length", 300),
    )
    known = {f.id for f in fields} | {"length"}
    try:
        template.prompt.format(**dict.fromkeys(known, ""))
    except (KeyError, IndexError, ValueError) as exc:
        raise PolicyError(
            f"{r.source}: templates.{template.id}.prompt refers to an unknown field: {exc}"
        ) from None
    return template


def _attachments(r: _Reader) -> AttachmentPolicy:
    base = AttachmentPolicy()
    if not isinstance(r.raw, Mapping):
        raise PolicyError(f"{r.source}: [attachments] must be a table")
    policy = AttachmentPolicy(
        max_files=r.integer("max_files", base.max_files),
        max_chars_per_file=r.integer("max_chars_per_file", base.max_chars_per_file),
        max_chars_per_message=r.integer("max_chars_per_message", base.max_chars_per_message),
        announce_chars=r.integer("announce_chars", base.announce_chars),
        default_instruction=r.string("default_instruction", base.default_instruction),
        templates=tuple(_file_template(t) for t in r.tables("templates")),
    )
    for key in ("max_files", "max_chars_per_file", "max_chars_per_message"):
        if getattr(policy, key) == 0:
            raise PolicyError(f"{r.source}: attachments.{key} must be a positive integer (got 0)")
    if not policy.default_instruction.strip():
        raise PolicyError(f"{r.source}: attachments.default_instruction must not be empty")
    return policy


def _file_template(r: _Reader) -> FileTemplate:
    return FileTemplate(
        id=r.string("id"),
        title=r.string("title"),
        description=r.string("description"),
        prompt=r.string("prompt"),
        aliases=r.strings("aliases", ()),
        default_argument=r.string("default_argument", ""),
    )


def _screening(raw: Any, source: str) -> ScreeningPolicy:
    if not isinstance(raw, Mapping):
        raise PolicyError(f"{source}: [screening] must be a table")
    try:
        return ScreeningPolicy.from_mapping(raw)
    except ValueError as exc:
        raise PolicyError(f"{source}: screening: {exc}") from None


class _Reader:
    """Typed access to one TOML table with errors that name the file and dotted key."""

    def __init__(self, raw: Mapping[str, Any], source: str, path: str) -> None:
        self.raw, self.source, self.path = raw, source, path

    def _name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _get(self, key: str, default: Any, kind: type | tuple[type, ...], what: str) -> Any:
        if key not in self.raw:
            if default is _MISSING:
                raise PolicyError(f"{self.source}: {self._name(key)} is required ({what})")
            return default
        value = self.raw[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise PolicyError(f"{self.source}: {self._name(key)} must be {what} (got {value!r})")
        return value

    def string(self, key: str, default: Any = None) -> str:
        value: str = self._get(key, _MISSING if default is None else default, str, "a string")
        if default is None and not value.strip():
            raise PolicyError(f"{self.source}: {self._name(key)} must not be empty")
        return value

    def integer(self, key: str, default: Any = None) -> int:
        value: int = self._get(key, _MISSING if default is None else default, int, "an integer")
        if value < 0 or (default is None and value == 0):
            raise PolicyError(f"{self.source}: {self._name(key)} must be a positive integer (got {value})")
        return value

    def number(self, key: str, default: Any = None) -> float:
        value = self._get(key, _MISSING if default is None else default, (int, float), "a number")
        return float(value)

    def flag(self, key: str, default: Any = None) -> bool:
        value: bool = self._get(key, _MISSING if default is None else default, bool, "true or false")
        return value

    def strings(self, key: str, default: Any = None) -> tuple[str, ...]:
        value = self._get(key, _MISSING if default is None else default, (list, tuple), "a list of strings")
        if not all(isinstance(v, str) for v in value):
            raise PolicyError(f"{self.source}: {self._name(key)} must be a list of strings")
        return tuple(value)

    def integers(self, key: str) -> tuple[int, ...]:
        value = self._get(key, _MISSING, list, "a list of integers")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            raise PolicyError(f"{self.source}: {self._name(key)} must be a list of integers")
        return tuple(value)

    def table(self, key: str) -> _Reader:
        value = self._get(key, _MISSING, Mapping, "a table")
        return _Reader(value, self.source, self._name(key))

    def tables(self, key: str) -> list[_Reader]:
        value = self._get(key, [], list, "an array of tables")
        if not all(isinstance(v, Mapping) for v in value):
            raise PolicyError(f"{self.source}: {self._name(key)} must be an array of tables ([[{key}]])")
        return [_Reader(v, self.source, f"{self._name(key)}[{i}]") for i, v in enumerate(value)]


_MISSING: Any = object()
