"""Words for people: partly hidden values, action names and the human-readable report.

`display` never returns the full value of an identifier; the report shows identifiers only in
that form, so it is safe on a shared screen.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from bot.core.screening.defaults import words
from bot.core.screening.model import Action, Finding, ScreeningResult

ACTION_NAMES = {
    Action.BLOCK: "送信できません（ブロック）",
    Action.CONFIRM: "確認が必要です",
    Action.MASK: "個人情報を記号に置き換えて送信します",
    Action.ALLOW: "そのまま送信できます",
}
ACTION_SHORT = {Action.BLOCK: "ブロック", Action.CONFIRM: "確認", Action.MASK: "マスク", Action.ALLOW: "許可"}
_COLOURS = {
    Action.BLOCK: "\033[1;31m",
    Action.CONFIRM: "\033[1;33m",
    Action.MASK: "\033[1;36m",
    Action.ALLOW: "\033[2m",
}
_RESET = "\033[0m"
_NUMBER_KINDS = frozenset(
    words(
        "my_number resident_code pension_number health_insurance_number drivers_license passport "
        "residence_card bank_account payment_card corporate_number phone postal_code"
    )
)


def display(kind: str, value: str, signal: str = "") -> str:
    """`value` partly hidden for messages: "1234 **** **18", "村＊＊＊", "a***@example.org"."""
    if kind == "confidential":
        return signal or value
    if kind in _NUMBER_KINDS:
        return _hide_number(kind, value)
    if kind == "email" and "@" in value:
        local, domain = value.split("@", 1)
        return f"{local[:1]}***@{domain}"
    if kind == "birth_date":
        return "".join("*" if c.isdigit() else c for c in value)
    if kind == "address":
        return value[:3] + "…"
    return value[:1] + "＊" * max(1, min(len(value) - 1, 4))


def _hide_number(kind: str, value: str) -> str:
    if kind in ("phone", "postal_code"):
        return _hide_in_place(value, head=3, tail=2)
    # ASCII letters and digits only: a number given in pieces spans the words between them
    chars = [c for c in unicodedata.normalize("NFKC", value) if c.isascii() and c.isalnum()]
    if not chars:
        return "****"
    keep_tail = 4 if kind == "payment_card" else 2
    keep_head = 4 if len(chars) >= 10 and "".join(chars).isdigit() else (0 if chars[0].isdigit() else 2)
    if kind == "corporate_number":
        keep_head, keep_tail = len(chars), 0  # public by definition
    hidden = [c if i < keep_head or i >= len(chars) - keep_tail else "*" for i, c in enumerate(chars)]
    if all(c.isdigit() or c == "*" for c in hidden) and len(hidden) >= 10:
        return " ".join("".join(hidden[i : i + 4]) for i in range(0, len(hidden), 4))
    return "".join(hidden)


def _hide_in_place(value: str, *, head: int, tail: int) -> str:
    """Digits hidden except the first `head` and last `tail`, separators kept: 080-****-**57."""
    total = sum(c.isdigit() for c in value)
    out, seen = [], 0
    for c in value:
        if c.isdigit():
            out.append(c if seen < head or seen >= total - tail else "*")
            seen += 1
        else:
            out.append(c)
    return "".join(out)


def finding_line(finding: Finding, ordinance_label: Callable[[str], str] | None = None) -> str:
    """One line about a finding: label, hidden value, action, placeholder and ordinance item."""
    text = f"{finding.label} {finding.display} → {ACTION_SHORT[finding.action]}"
    if finding.placeholder:
        text += f" {finding.placeholder}"
    if finding.category and ordinance_label is not None and finding.action is not Action.ALLOW:
        text += f"（{ordinance_label(finding.category)}）"
    return text


def render(
    text: str,
    result: ScreeningResult,
    *,
    ordinance_label: Callable[[str], str] | None = None,
    colour: bool = False,
) -> str:
    """The human-readable Japanese report of one screening (for `bot screen --text`)."""
    lines = [f"判定: {ACTION_NAMES[result.action]}", "", "本文:", "  " + _highlight(text, result, colour), ""]
    if result.findings:
        lines.append("検出:")
        lines += [
            f"  {i}. {finding_line(f, ordinance_label)}" for i, f in enumerate(result.findings, start=1)
        ]
    else:
        lines.append("検出: なし")
    if result.action in (Action.MASK, Action.ALLOW):
        lines += ["", "モデルに送られる文:", "  " + result.masked_text]
    return "\n".join(lines)


def _highlight(text: str, result: ScreeningResult, colour: bool) -> str:
    """The text with findings marked (identifiers shown only partly)."""
    out, pos = [], 0
    for f in sorted(result.findings, key=lambda f: f.start):
        if f.start < pos:
            continue
        shown = f.display if f.action is Action.BLOCK else text[f.start : f.end]
        out.append(text[pos : f.start])
        out.append(f"{_COLOURS[f.action]}{shown}{_RESET}" if colour else f"【{shown}】")
        pos = f.end
    out.append(text[pos:])
    return "".join(out).replace("\n", "\n  ")
