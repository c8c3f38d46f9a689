"""Governed generative-AI assistant for Japanese municipal staff, as a Microsoft Teams bot."""

__version__ = "0.1.0"
