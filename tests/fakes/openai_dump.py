"""A fake model that answers with everything it was sent: the worst case of a prompt injection.

If the bot ever put another user's conversation into a request, this model would show it to the
user who asked; tests assert on both what it received and what the user saw.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from tests.fakes.openai_server import Behaviour, FakeOpenAI


@dataclass
class DumpingOpenAI(FakeOpenAI):
    """FakeOpenAI whose answer, while `dump` is set, is every message of the request."""

    dump: bool = True

    async def _completions(self, request: web.Request) -> web.StreamResponse:
        if self.dump:
            body = await request.json()  # aiohttp keeps the body: the parent reads it again
            text = "\n".join(f"[{m.get('role')}] {m.get('content')}" for m in body.get("messages", []))
            self.queue.insert(0, Behaviour(text=text, chunk_chars=64))
        return await super()._completions(request)
