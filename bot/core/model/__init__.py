"""Model backends behind one small protocol."""

from bot.core.config import ModelKind, Settings
from bot.core.model.base import ChatMessage, ChatModel, Chunk, ModelError, ModelErrorKind, max_tokens_for
from bot.core.model.dry_run import DryRunModel

__all__ = [
    "ChatMessage",
    "ChatModel",
    "Chunk",
    "DryRunModel",
    "ModelError",
    "ModelErrorKind",
    "create_model",
    "max_tokens_for",
]


def create_model(settings: Settings) -> ChatModel:
    """The model the settings select: Azure OpenAI, OpenAI-compatible, or the dry-run model."""
    if settings.model_kind is ModelKind.DRY_RUN:
        return DryRunModel(pace=settings.dry_run_pace)
    from bot.core.model.openai_model import create_openai_model  # noqa: PLC0415  (imports the SDK only when used)

    return create_openai_model(settings)
