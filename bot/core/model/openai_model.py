"""OpenAI, Azure OpenAI and any OpenAI-compatible server (vLLM, Ollama, llama.cpp) via the openai SDK.

The SDK retries 429 and 5xx with exponential backoff and honours Retry-After (`max_retries`);
what still fails is mapped to a `ModelError` kind here, so the dialog never sees SDK types.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlparse

import httpx
import openai

from bot.core.config import ModelKind, Settings
from bot.core.model.base import ChatMessage, Chunk, ModelError, ModelErrorKind


class OpenAIChatModel:
    """Streams chat completions from an OpenAI-compatible endpoint."""

    def __init__(self, client: openai.AsyncOpenAI, model: str, deployment: str) -> None:
        self._client = client
        self.name = model
        self.deployment = deployment

    async def stream(
        self, messages: list[ChatMessage], *, max_tokens: int, temperature: float
    ) -> AsyncIterator[Chunk]:
        """Yield answer chunks; the last chunk carries usage when the server reports it."""
        try:
            stream = await self._client.chat.completions.create(  # type: ignore[call-overload]
                model=self.name,
                messages=[{"role": m.role, "content": m.content} for m in messages],
                stream=True,
                max_tokens=max_tokens,
                temperature=temperature,
                stream_options={"include_usage": True},
            )
            async for event in stream:
                chunk = _chunk(event)
                if chunk.finish_reason == "content_filter":
                    raise ModelError(ModelErrorKind.CONTENT_FILTER, "answer filtered")
                if chunk.text or chunk.tokens_out or chunk.finish_reason:
                    yield chunk
        except openai.APIError as exc:
            raise map_error(exc) from None
        except (httpx.TransportError, httpx.StreamError) as exc:
            raise ModelError(ModelErrorKind.INTERRUPTED, type(exc).__name__) from None

    async def close(self) -> None:
        """Close the HTTP client."""
        await self._client.close()


def _chunk(event: Any) -> Chunk:
    text, finish = "", ""
    if event.choices:
        choice = event.choices[0]
        text = (choice.delta.content if choice.delta else None) or ""
        finish = choice.finish_reason or ""
    usage = getattr(event, "usage", None)
    if usage is not None:
        return Chunk(text, usage.prompt_tokens or 0, usage.completion_tokens or 0, finish)
    return Chunk(text=text, finish_reason=finish)


def map_error(exc: openai.APIError) -> ModelError:
    """Map an SDK error to the kind the user's message is chosen from."""
    if isinstance(exc, openai.APITimeoutError):
        return ModelError(ModelErrorKind.TIMEOUT)
    if isinstance(exc, openai.APIConnectionError):
        return ModelError(ModelErrorKind.CONNECTION)
    if isinstance(exc, openai.APIStatusError):
        return _status_error(exc)
    return ModelError(ModelErrorKind.INTERRUPTED, type(exc).__name__)


def _status_error(exc: openai.APIStatusError) -> ModelError:
    code = str(getattr(exc, "code", "") or "")
    status = exc.status_code
    if status == 429:
        retry = exc.response.headers.get("retry-after")
        return ModelError(ModelErrorKind.RATE_LIMIT, retry_after=_float(retry))
    if status in (401, 403):
        return ModelError(ModelErrorKind.AUTH, str(status))
    if code == "content_filter" or "content_filter" in str(exc.body or ""):
        return ModelError(ModelErrorKind.CONTENT_FILTER)
    if code == "context_length_exceeded" or "maximum context length" in str(exc.message):
        return ModelError(ModelErrorKind.CONTEXT_LENGTH)
    if status >= 500:
        return ModelError(ModelErrorKind.SERVER, str(status))
    return ModelError(ModelErrorKind.BAD_REQUEST, str(status))


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def create_openai_model(settings: Settings) -> OpenAIChatModel:
    """Build the client the settings select (Azure OpenAI or OpenAI-compatible)."""
    timeout = httpx.Timeout(settings.model_timeout_s, connect=min(10.0, settings.model_timeout_s))
    if settings.model_kind is ModelKind.AZURE_OPENAI:
        client: openai.AsyncOpenAI = openai.AsyncAzureOpenAI(
            azure_endpoint=settings.azure_openai_endpoint,
            api_version=settings.azure_openai_api_version,
            timeout=timeout,
            max_retries=settings.model_max_retries,
            **_azure_auth(settings),
        )
        host = urlparse(settings.azure_openai_endpoint).hostname or ""
        return OpenAIChatModel(
            client, settings.azure_openai_deployment, f"{host}/{settings.azure_openai_deployment}"
        )
    client = openai.AsyncOpenAI(
        api_key=settings.openai_api_key or "not-needed",
        base_url=settings.openai_base_url or None,
        timeout=timeout,
        max_retries=settings.model_max_retries,
    )
    host = urlparse(settings.openai_base_url).hostname or "api.openai.com"
    return OpenAIChatModel(client, settings.openai_model, host)


def _azure_auth(settings: Settings) -> dict[str, Any]:
    if settings.azure_openai_api_key:
        return {"api_key": settings.azure_openai_api_key}
    from azure.identity.aio import DefaultAzureCredential, get_bearer_token_provider  # noqa: PLC0415

    scope = "https://cognitiveservices.azure.com/.default"
    return {"azure_ad_token_provider": get_bearer_token_provider(DefaultAzureCredential(), scope)}
