"""Fixtures of the end-to-end suite: the bot, the Agents Playground and headless Chromium, per backend.

    e2e_requirements   skip (locally) or fail (when CI is set) if Node, the npm tools, Chromium or
                       a Japanese font is missing
    chat               module-scoped, once per storage backend (SQLite, then Azure Tables on
                       Azurite): starts the bot, the Playground and the browser, opens the page,
                       yields a `Chat`, and stops all three by pid whatever happened
    agreed             the chat after the consent card was agreed (scenarios other than consent)

Screenshots and logs go to $E2E_ARTIFACTS_DIR/<backend>/ (default .artifacts/e2e under the repo).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.e2e.browser import Browser
from tests.e2e.chat import Chat
from tests.e2e.stack import REPO, chromium_path, missing_requirement, start_bot, start_playground


def artifacts_root() -> Path:
    """Where screenshots and logs go: $E2E_ARTIFACTS_DIR, else .artifacts/e2e (git-ignored)."""
    return Path(os.environ.get("E2E_ARTIFACTS_DIR") or REPO / ".artifacts" / "e2e")


@pytest.fixture(scope="session")
def e2e_requirements() -> None:
    """Skip with the reason when the tools are missing; in CI that is a failure, never a silent skip."""
    reason = missing_requirement()
    if not reason:
        return
    message = f"end-to-end suite cannot run: {reason}"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("azure-tables", marks=pytest.mark.azurite)])
def chat(
    request: pytest.FixtureRequest, e2e_requirements: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Chat]:
    """The bot on one backend, the Playground in front of it, and a browser page on the Playground."""
    backend: str = request.param
    extra_env: dict[str, str] = {}
    if backend == "azure-tables":
        azurite = request.getfixturevalue("azurite")
        extra_env = {
            "AZURE_TABLES_CONNECTION_STRING": azurite.connection_string,
            "BOT_TABLE_PREFIX": "e2e" + uuid.uuid4().hex[:10],
        }
    artifacts = artifacts_root() / backend
    shutil.rmtree(artifacts, ignore_errors=True)  # this run's screenshots only
    artifacts.mkdir(parents=True)
    workdir = tmp_path_factory.mktemp(f"e2e-{backend}")
    with ExitStack() as stack:
        bot, bot_port = start_bot(artifacts, workdir, extra_env)
        stack.callback(bot.stop)
        playground, url = start_playground(artifacts, workdir, bot_port)
        stack.callback(playground.stop)  # it listens on every interface: stopped before the bot
        browser = Browser(artifacts=artifacts, chromium=chromium_path()).start()
        stack.callback(browser.close)
        browser.open(url)
        yield Chat(backend=backend, browser=browser, artifacts=artifacts, bot=bot, playground=playground)


@pytest.fixture
def agreed(chat: Chat) -> Chat:
    """The chat with the guideline agreed (done by the consent scenario, or here if it did not run)."""
    chat.ensure_consent()
    return chat
