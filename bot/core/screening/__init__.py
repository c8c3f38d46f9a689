"""Screening: nothing personal or non-disclosable reaches the model.

Every text bound for the model goes through `Screener.screen()`, which returns a
`ScreeningResult`: the strongest `Action` over its `Finding`s (block > confirm > mask > allow)
and the masked text the model would receive. Masked values become placeholders (〔人名1〕) kept
in the conversation's `PseudonymTable`; `Restorer` puts them back into the streamed answer.

Pure domain code: no botbuilder import anywhere in this package.
"""

from bot.core.screening.analyser import load_analyser
from bot.core.screening.engine import Screener
from bot.core.screening.model import CATEGORIES, KIND_LABELS, KINDS, Action, Finding, ScreeningResult
from bot.core.screening.policy import ScreeningPolicy
from bot.core.screening.pseudonyms import PseudonymTable, masked_summary
from bot.core.screening.restore import Restorer

__all__ = [
    "CATEGORIES",
    "KINDS",
    "KIND_LABELS",
    "Action",
    "Finding",
    "PseudonymTable",
    "Restorer",
    "Screener",
    "ScreeningPolicy",
    "ScreeningResult",
    "load_analyser",
    "masked_summary",
]
