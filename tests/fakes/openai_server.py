"""A fake OpenAI-compatible server over real HTTP (SSE streaming), scriptable per request.

Serves `/v1/chat/completions` (OpenAI, vLLM, Ollama style) and
`/openai/deployments/{name}/chat/completions` (Azure OpenAI), and `/v1/embeddings` (and the Azure
path) with deterministic vectors: `embedder(text)` chooses them (default: bag of characters).
Every request body is recorded so tests can assert what the model received (never unscreened
text). Behaviours are queued with `script(...)`; with nothing queued it streams an echo-like answer.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Behaviour:
    """What the next request gets."""

    text: str = "承知しました。ご依頼の内容について回答します。"
    chunk_chars: int = 8
    first_delay_s: float = 0.0
    interval_s: float = 0.0
    status: int = 200
    error_code: str = ""
    retry_after: str = ""
    hang: bool = False  # never answer (client timeout)
    cut_after_chunks: int = -1  # close the connection after N chunks (stream cut off half-way)
    finish_reason: str = "stop"  # "content_filter" to filter mid-answer
    echo: bool = False  # answer with the last user message (to test placeholder restore)
    # keep talking after `text` — `trailer` every interval (at least 50 ms), at most 400 times —
    # until this condition holds (e.g. "the connector has refused an update"): a test then waits
    # on what the bot did, not on how fast a loaded machine runs
    trail_until: Callable[[], bool] | None = None
    trailer: str = "。"


@dataclass
class FakeOpenAI:
    """The server and what it received."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    queue: list[Behaviour] = field(default_factory=list)
    default: Behaviour = field(default_factory=Behaviour)
    in_flight: int = 0  # requests being answered right now
    peak_in_flight: int = 0  # the most requests answered at once so far
    embedding_requests: list[dict[str, Any]] = field(default_factory=list)
    embedder: Any = None  # Callable[[str], list[float]]; None = counts of a few characters
    embeddings_status: int = 200
    _server: TestServer | None = None

    @property
    def base_url(self) -> str:
        """OPENAI_BASE_URL for the bot."""
        assert self._server is not None
        return str(self._server.make_url("/v1"))

    @property
    def azure_endpoint(self) -> str:
        """AZURE_OPENAI_ENDPOINT for the bot."""
        assert self._server is not None
        return str(self._server.make_url("/")).rstrip("/")

    def script(self, *behaviours: Behaviour) -> None:
        """Queue behaviours for the next requests."""
        self.queue.extend(behaviours)

    def user_texts(self) -> list[str]:
        """Every user message content the model received."""
        return [m["content"] for r in self.requests for m in r.get("messages", []) if m.get("role") == "user"]

    async def start(self) -> None:
        """Listen on a free loopback port."""
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._completions)
        app.router.add_post("/openai/deployments/{name}/chat/completions", self._completions)
        app.router.add_post("/v1/embeddings", self._embeddings)
        app.router.add_post("/openai/deployments/{name}/embeddings", self._embeddings)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()

    async def close(self) -> None:
        """Stop listening."""
        if self._server is not None:
            await self._server.close()

    async def _embeddings(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.embedding_requests.append(body)
        if self.embeddings_status != 200:
            return web.json_response({"error": {"message": "error", "type": "server_error"}}, status=500)
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        embed = self.embedder or _bag_of_characters
        data = [{"object": "embedding", "index": i, "embedding": embed(t)} for i, t in enumerate(inputs)]
        usage = {"prompt_tokens": sum(len(t) for t in inputs), "total_tokens": sum(len(t) for t in inputs)}
        return web.json_response({"object": "list", "data": data, "model": body.get("model"), "usage": usage})

    async def _completions(self, request: web.Request) -> web.StreamResponse:
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            return await self._answer(request)
        finally:
            self.in_flight -= 1

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append(body)
        b = self.queue.pop(0) if self.queue else self.default
        if b.hang:
            await asyncio.sleep(3600)
        if b.status != 200:
            return _error(b)
        text = body["messages"][-1]["content"] if b.echo else b.text
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        await asyncio.sleep(b.first_delay_s)
        for index, start in enumerate(range(0, len(text), b.chunk_chars)):
            if index == b.cut_after_chunks:
                assert request.transport is not None
                request.transport.close()
                return response
            await response.write(_event(body, {"content": text[start : start + b.chunk_chars]}, None))
            await asyncio.sleep(b.interval_s)
        for _ in range(400 if b.trail_until is not None else 0):
            if b.trail_until is not None and b.trail_until():
                break
            await response.write(_event(body, {"content": b.trailer}, None))
            await asyncio.sleep(max(b.interval_s, 0.05))
        await response.write(_event(body, {}, b.finish_reason))
        if body.get("stream_options", {}).get("include_usage"):
            usage = {"prompt_tokens": 100, "completion_tokens": len(text), "total_tokens": 100 + len(text)}
            await response.write(
                _sse(
                    {
                        "id": "x",
                        "object": "chat.completion.chunk",
                        "created": int(time.time()),
                        "model": body.get("model", "m"),
                        "choices": [],
                        "usage": usage,
                    }
                )
            )
        await response.write(b"data: [DONE]\n\n")
        return response


def _bag_of_characters(text: str) -> list[float]:
    return [float(text.count(c)) for c in "車料休暇文書鍵会議費"]


def _sse(payload: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()


def _event(body: dict[str, Any], delta: dict[str, Any], finish: str | None) -> bytes:
    return _sse(
        {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
    )


def _error(b: Behaviour) -> web.Response:
    headers = {"Retry-After": b.retry_after} if b.retry_after else {}
    messages = {
        "content_filter": (
            "The response was filtered due to the prompt triggering Azure OpenAI's content management policy."
        ),
        "context_length_exceeded": "This model's maximum context length is 8192 tokens.",
    }
    error = {
        "message": messages.get(b.error_code, "error"),
        "type": "invalid_request_error",
        "code": b.error_code or None,
    }
    return web.json_response({"error": error}, status=b.status, headers=headers)
