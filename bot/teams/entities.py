"""Activity entities botbuilder 4.17 cannot express: its `Entity` serializes only `type`.

Subclasses extend `_attribute_map` so msrest serializes the extra fields Teams needs.
"""

from __future__ import annotations

from typing import Any, ClassVar

from botbuilder.schema import Entity

AI_GENERATED_CONTEXT = "https://schema.org"


def feedback_channel_data() -> dict[str, Any]:
    """channelData that shows Teams' feedback buttons on an answer (votes arrive as message/submitAction)."""
    return {"feedbackLoop": {"type": "default"}}


class StreamInfo(Entity):
    """The `streaminfo` entity of Teams streaming (informative / streaming / final)."""

    _attribute_map: ClassVar[dict[str, dict[str, str]]] = {
        **Entity._attribute_map,
        "stream_id": {"key": "streamId", "type": "str"},
        "stream_type": {"key": "streamType", "type": "str"},
        "stream_sequence": {"key": "streamSequence", "type": "int"},
    }

    def __init__(
        self,
        *,
        stream_type: str,
        stream_id: str | None = None,
        stream_sequence: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(type="streaminfo", **kwargs)
        self.stream_id = stream_id
        self.stream_type = stream_type
        self.stream_sequence = stream_sequence


class AIGeneratedMessage(Entity):
    """The Teams "AI generated" label on a bot message."""

    _attribute_map: ClassVar[dict[str, dict[str, str]]] = {
        **Entity._attribute_map,
        "at_type": {"key": "@type", "type": "str"},
        "at_context": {"key": "@context", "type": "str"},
        "additional_type": {"key": "additionalType", "type": "[str]"},
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(type="https://schema.org/Message", **kwargs)
        self.at_type = "Message"
        self.at_context = AI_GENERATED_CONTEXT
        self.additional_type = ["AIGeneratedContent"]
