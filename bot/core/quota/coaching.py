"""The concise-prompt coaching tip (Iwaki's guideline: 「○○字以内で」「箇条書きで」 save characters).

Rule: a prompt WITHOUT a length or format instruction that is long (≥ the policy's
`long_prompt_chars`), or that produced a long answer (≥ three quarters of the maximum answer), earns
the policy's tip, at most once a day per user. The dialog calls `coaching_tip` before it renders
the final message and, when it returns text, adds it to the footer.
"""

from __future__ import annotations

import logging
import re

from bot.core.errors import StorageError
from bot.core.policy import QuotaPolicy
from bot.core.quota.service import QuotaService
from bot.core.quota.types import QuotaBusy

log = logging.getLogger(__name__)

_NUMBER = r"[0-9０-９〇一二三四五六七八九十百千]+"
LENGTH_INSTRUCTION = re.compile(
    rf"{_NUMBER}\s*(?:字|文字|行|文|項目|点|個|つ|語|words?|characters?)"
    r"|箇条書き|簡潔|簡単に|短く|手短|要点|一言|ひとこと|端的|要約|以内",
    re.IGNORECASE,
)


def has_length_instruction(text: str) -> bool:
    """True when the prompt already asks for a length or a compact format."""
    return bool(LENGTH_INSTRUCTION.search(text))


def long_answer_chars(policy: QuotaPolicy) -> int:
    """From this many characters on, an answer counts as long."""
    return max(1, policy.max_answer_chars * 3 // 4)


def needs_coaching(prompt: str, answer_chars: int, policy: QuotaPolicy) -> bool:
    """The rule alone (no storage): long prompt or long answer, and no length instruction."""
    if has_length_instruction(prompt):
        return False
    return len(prompt) >= policy.long_prompt_chars or answer_chars >= long_answer_chars(policy)


async def coaching_tip(
    quota: QuotaService, user_id: str, prompt: str, answer_chars: int, policy: QuotaPolicy
) -> str | None:
    """The policy's tip if the rule applies and the user has not seen it today, else None.

    A storage failure here only costs the tip (the answer is already on its way), so it is logged
    and None is returned instead of failing the turn."""
    if not needs_coaching(prompt, answer_chars, policy):
        return None
    try:
        due = await quota.coaching_due(user_id)
    except (StorageError, QuotaBusy) as exc:
        log.warning("quota: coaching marker not written (%s)", type(exc).__name__)
        return None
    return policy.coaching_tip if due else None
