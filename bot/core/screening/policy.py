"""ScreeningPolicy: the `[screening]` table of a city policy file, parsed strictly.

Keys (all optional; `ScreeningPolicy.default()` is the empty table):

    actions               {kind = "allow"|"mask"|"confirm"|"block"} overrides per finding kind
    unlabelled_my_number  action for a 12-digit number that passes the My Number check digit
                          but carries no label: must be "block" (identifiers fail safe: a
                          confirmation could release the number to the model with one click)
    public_contacts       the city's published phone/FAX numbers, e-mail and street addresses:
                          never masked
    allow_names           people who may be named (public figures, the mayor): never masked
    block_terms           words that must never reach the model (system names, code names)
    confirm_terms         {category = [words]}: extra signal words of a non-disclosure category;
                          the pseudo-category `marking` holds generic markings (関係者限り) whose
                          category is inferred from the words around them
    benign_phrases        phrases that contain a signal word but are not one (秘書広報課)
    other_number_labels   labels that make a number something other than personal
                          (宛名番号 is personal; 工事番号 is not)
    learned_confirm       true (default) or false: also hold the confidential matters the learned
                          word-weight model recognises (learned.py), not only the lexicon's
    learned_names         true (default) or false: also mask the person names the learned token
                          model marks (learned_names.py), not only the name rules'

Every error names the key: `actions.phone must be one of allow, mask, confirm, block (got 'hide')`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from bot.core.screening.model import CATEGORIES, KINDS, Action

DEFAULT_ACTIONS: Mapping[str, Action] = MappingProxyType(
    {
        **dict.fromkeys(
            (
                "my_number",
                "resident_code",
                "pension_number",
                "health_insurance_number",
                "drivers_license",
                "passport",
                "residence_card",
                "bank_account",
                "payment_card",
                "custom_term",
            ),
            Action.BLOCK,
        ),
        **dict.fromkeys(("person_name", "phone", "email", "address", "birth_date"), Action.MASK),
        "confidential": Action.CONFIRM,
        "corporate_number": Action.ALLOW,
        "postal_code": Action.ALLOW,
    }
)

_STATUTORY = ("my_number",)
"""Kinds the 番号法 forbids handing to a third party: a policy may not weaken them below block."""

MARKING = "marking"
"""confirm_terms key for generic markings: the category is inferred from context."""

_LIST_KEYS = ("public_contacts", "allow_names", "block_terms", "benign_phrases", "other_number_labels")
_KEYS = ("actions", "unlabelled_my_number", "confirm_terms", "learned_confirm", "learned_names", *_LIST_KEYS)


@dataclass(frozen=True)
class ScreeningPolicy:
    """What screening does, for one city."""

    actions: Mapping[str, Action] = field(default_factory=lambda: DEFAULT_ACTIONS)
    unlabelled_my_number: Action = Action.BLOCK
    public_contacts: tuple[str, ...] = ()
    allow_names: tuple[str, ...] = ()
    block_terms: tuple[str, ...] = ()
    confirm_terms: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    benign_phrases: tuple[str, ...] = ()
    other_number_labels: tuple[str, ...] = ()
    learned_confirm: bool = True
    learned_names: bool = True

    @classmethod
    def default(cls) -> ScreeningPolicy:
        """The built-in defaults, as for an empty `[screening]` table."""
        return cls()

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> ScreeningPolicy:
        """Parse a `[screening]` table; raise ValueError naming the bad key."""
        if not isinstance(raw, Mapping):
            raise ValueError("[screening] must be a table")
        unknown = sorted(set(raw) - set(_KEYS))
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r} (expected one of {', '.join(_KEYS)})")
        lists = {key: _strings(raw.get(key, []), key) for key in _LIST_KEYS}
        return cls(
            actions=MappingProxyType(_actions(raw.get("actions", {}))),
            unlabelled_my_number=_unlabelled(raw.get("unlabelled_my_number", "block")),
            confirm_terms=MappingProxyType(_confirm_terms(raw.get("confirm_terms", {}))),
            learned_confirm=_flag(raw.get("learned_confirm", True), "learned_confirm"),
            learned_names=_flag(raw.get("learned_names", True), "learned_names"),
            **lists,
        )

    def action_for(self, kind: str) -> Action:
        """The action for findings of `kind`."""
        return self.actions.get(kind, Action.BLOCK)


def _action(value: Any, key: str) -> Action:
    names = ", ".join(a.value for a in Action)
    if not isinstance(value, str) or value not in {a.value for a in Action}:
        raise ValueError(f"{key} must be one of {names} (got {value!r})")
    return Action(value)


def _unlabelled(value: Any) -> Action:
    action = _action(value, "unlabelled_my_number")
    if action is not Action.BLOCK:
        raise ValueError(
            "unlabelled_my_number must be 'block' (a number with a valid My Number check digit is "
            "blocked unless another number's label is attached; confirming would send it to the model)"
        )
    return action


def _actions(raw: Any) -> dict[str, Action]:
    if not isinstance(raw, Mapping):
        raise ValueError("actions must be a table of kind = action")
    actions = dict(DEFAULT_ACTIONS)
    for kind, value in raw.items():
        if kind not in KINDS:
            raise ValueError(f"actions.{kind}: unknown kind (known kinds: {', '.join(KINDS)})")
        action = _action(value, f"actions.{kind}")
        if kind in _STATUTORY and action is not Action.BLOCK:
            raise ValueError(f"actions.{kind} must stay 'block' (特定個人情報 may not be given to the model)")
        if kind == "confidential" and action is Action.MASK:
            raise ValueError("actions.confidential cannot be 'mask' (a topic cannot be pseudonymised)")
        actions[kind] = action
    return actions


def _flag(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false (got {value!r})")
    return value


def _strings(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key} must be a list of strings")
    if any(not v.strip() for v in value):
        raise ValueError(f"{key} must not contain empty strings")
    return tuple(v.strip() for v in value)


def _confirm_terms(raw: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, Mapping):
        raise ValueError("confirm_terms must be a table of category = [words]")
    terms = {}
    for category, words in raw.items():
        if category not in (*CATEGORIES, MARKING):
            known = ", ".join((*CATEGORIES, MARKING))
            raise ValueError(f"confirm_terms.{category}: unknown category (use {known})")
        terms[category] = _strings(words, f"confirm_terms.{category}")
    return terms
