"""Route names and turn-state keys that a stage sets and a feature reads (so neither imports the other)."""

THREAD_ANSWER = "support.thread_answer"
"""The route an admin's reply in a question thread is dispatched to."""
THREAD_NOTE = "support.thread_note"
"""The route anyone else's reply in a question thread is dispatched to."""
ANSWER_TEXT = "support.thread_answer_text"
"""turn_state key of the thread reply's text (never logged)."""
