"""Filling a policy template's form into a concise prompt (pure).

Iwaki's guideline advises short, explicit instructions ("○○字以内で", "箇条書きで"), so every
template carries a length the user can change within [MIN_LENGTH, the policy's answer limit].
Values are checked against the form (required, choices, size) before anything is built; the
prompt then goes through screening and quota like any typed text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.policy import Template, TemplateField

MIN_LENGTH = 50
MAX_SHORT_FIELD_CHARS = 200


@dataclass(frozen=True)
class Filled:
    """The built prompt, or the problems that stopped it (Japanese, one per line)."""

    prompt: str = ""
    problems: tuple[str, ...] = ()


def fill(template: Template, values: Mapping[str, Any], *, max_length: int, max_input_chars: int) -> Filled:
    """Check the submitted values and build `template.prompt`; problems instead when invalid."""
    problems: list[str] = []
    fields: dict[str, str] = {}
    for spec in template.fields:
        value, problem = _field_value(spec, values.get(spec.id), max_input_chars)
        fields[spec.id] = value
        if problem:
            problems.append(problem)
    length, problem = _length(values.get("length"), template.default_length, max_length)
    if problem:
        problems.append(problem)
    if problems:
        return Filled(problems=tuple(problems))
    prompt = template.prompt.format(**fields, length=length)
    if len(prompt) > max_input_chars:
        return Filled(
            problems=(
                f"入力が長すぎます（{len(prompt):,}文字）。{max_input_chars:,}文字以内にしてください。",
            )
        )
    return Filled(prompt=prompt)


def _field_value(spec: TemplateField, raw: Any, max_input_chars: int) -> tuple[str, str]:
    value = raw.strip() if isinstance(raw, str) else ""
    limit = max_input_chars if spec.multiline else MAX_SHORT_FIELD_CHARS
    if not value:
        return ("", f"「{spec.label}」を入力してください。") if spec.required else ("（指定なし）", "")
    if spec.choices and value not in spec.choices:
        return "", f"「{spec.label}」は選択肢から選んでください。"
    if len(value) > limit:
        return "", f"「{spec.label}」は{limit:,}文字以内で入力してください（現在{len(value):,}文字）。"
    return value, ""


def _length(raw: Any, default: int, max_length: int) -> tuple[int, str]:
    """The answer length: the default when empty; a whole number within the limits otherwise."""
    text = unicodedata.normalize("NFKC", str(raw)).strip() if raw is not None else ""
    if text.endswith(".0"):  # numbers may come back from the card as 300.0
        text = text[:-2]
    if not text:
        return default, ""
    if not text.isdecimal() or not MIN_LENGTH <= int(text) <= max_length:
        return 0, f"回答の長さは{MIN_LENGTH}〜{max_length:,}字の整数で指定してください。"
    return int(text), ""
