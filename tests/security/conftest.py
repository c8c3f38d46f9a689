"""Fixtures of the battery: the real bot on loopback with a fake Bot Connector and a fake model."""

from tests.teams.conftest import connector, fake_openai, harness

__all__ = ["connector", "fake_openai", "harness"]
