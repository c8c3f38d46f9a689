"""The screening vocabulary: actions, finding kinds, findings and the result of one screening.

Kinds and their Japanese labels live here so that the detectors, the pseudonym table, the
report and the CLI all name a kind the same way.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


class Action(enum.StrEnum):
    """What screening does with a finding; ordered ALLOW < MASK < CONFIRM < BLOCK."""

    ALLOW = "allow"
    MASK = "mask"
    CONFIRM = "confirm"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        """Strength of the action: 0 (allow) to 3 (block)."""
        return _RANK[self.value]

    # str's own comparison would order the values alphabetically; compare by strength instead.
    def __lt__(self, other: str) -> bool:
        return self.rank < Action(other).rank

    def __le__(self, other: str) -> bool:
        return self.rank <= Action(other).rank

    def __gt__(self, other: str) -> bool:
        return self.rank > Action(other).rank

    def __ge__(self, other: str) -> bool:
        return self.rank >= Action(other).rank

    @classmethod
    def strongest(cls, actions: Iterable[Action]) -> Action:
        """The strongest of `actions`, ALLOW when there are none."""
        return max(actions, key=lambda a: a.rank, default=cls.ALLOW)


_RANK = {"allow": 0, "mask": 1, "confirm": 2, "block": 3}

KIND_LABELS: dict[str, str] = {
    "my_number": "マイナンバー（個人番号）",
    "resident_code": "住民票コード",
    "pension_number": "基礎年金番号",
    "health_insurance_number": "健康保険の被保険者番号",
    "drivers_license": "運転免許証番号",
    "passport": "旅券番号",
    "residence_card": "在留カード番号",
    "bank_account": "口座番号",
    "payment_card": "クレジットカード番号",
    "corporate_number": "法人番号",
    "phone": "電話番号",
    "email": "メールアドレス",
    "address": "住所",
    "postal_code": "郵便番号",
    "birth_date": "生年月日",
    "person_name": "人名",
    "confidential": "非公開情報の可能性",
    "custom_term": "入力禁止の語",
}
"""Every finding kind and its name for users."""

KINDS: tuple[str, ...] = tuple(KIND_LABELS)

PLACEHOLDER_NAMES: dict[str, str] = {
    **KIND_LABELS,
    "my_number": "個人番号",
    "health_insurance_number": "被保険者番号",
    "payment_card": "カード番号",
}
"""The word inside a placeholder: 〔人名1〕, 〔電話番号1〕, 〔個人番号1〕…"""

CATEGORIES: tuple[str, ...] = (
    "law_secret",
    "personal",
    "corporate",
    "public_safety",
    "intergovernmental",
    "deliberation",
    "operations",
    "voluntary",
)
"""Canonical ordinance category keys; each city policy maps them to its own article labels."""

PERSONAL_KINDS = frozenset(KINDS) - {"confidential", "custom_term", "corporate_number"}


@dataclass(frozen=True)
class Finding:
    """One thing screening found, with offsets into the original text."""

    kind: str
    start: int
    end: int
    action: Action
    category: str
    label: str
    display: str
    placeholder: str | None
    signal: str = ""


@dataclass(frozen=True)
class ScreeningResult:
    """The outcome of screening one text."""

    action: Action
    findings: tuple[Finding, ...]
    masked_text: str

    def counts(self) -> dict[str, int]:
        """Number of findings per kind, for audit records (no values)."""
        return dict(Counter(f.kind for f in self.findings))

    def masked_counts(self) -> dict[str, int]:
        """Distinct masked values per kind in THIS text (the answer footer: what this message hid)."""
        placeholders = {(f.kind, f.placeholder) for f in self.findings if f.placeholder}
        return dict(Counter(kind for kind, _ in placeholders))

    def with_action(self, action: Action) -> tuple[Finding, ...]:
        """The findings whose action is `action`."""
        return tuple(f for f in self.findings if f.action is action)
