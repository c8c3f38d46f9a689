"""Adaptive Card builders: pure functions from domain data to card dicts (version 1.5)."""
