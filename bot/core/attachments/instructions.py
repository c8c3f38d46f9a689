"""What to do with attached files: the typed text, a file template named by it, or the default."""

from __future__ import annotations

import unicodedata

from bot.core.policy import AttachmentPolicy, FileTemplate


def instruction_for(policy: AttachmentPolicy, typed: str) -> tuple[str, FileTemplate | None]:
    """(instruction, template): no text → the policy's default; a template's title or alias
    (optionally followed by an argument: 翻訳 英語) → its prompt; any other text is the instruction."""
    text = typed.strip()
    if not text:
        return policy.default_instruction, None
    normal = unicodedata.normalize("NFKC", text)
    names = sorted(
        ((name, t) for t in policy.templates for name in (t.title, *t.aliases)),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    for name, template in names:
        key = unicodedata.normalize("NFKC", name)
        if normal == key or normal.startswith((key + " ", key + "\u3000")):
            return template.instruction(normal[len(key) :]), template
    return text, None
