"""Templates written in Teams: the one-per-line field syntax and the checks before saving."""

from __future__ import annotations

import pytest

from bot.core.shared_templates import (
    SpecProblem,
    TemplateSpecError,
    build_template,
    fields_text,
    parse_fields,
)


def test_fields_round_trip() -> None:
    text = "目的\n対象（任意）\n本文（複数行）\n形式：箇条書き／文章"
    fields = parse_fields(text)
    assert [(f.id, f.required, f.multiline, f.choices) for f in fields] == [
        ("目的", True, False, ()),
        ("対象", False, False, ()),
        ("本文", True, True, ()),
        ("形式", True, False, ("箇条書き", "文章")),
    ]
    assert fields_text(fields) == text


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"title": " "}, SpecProblem.NO_TITLE),
        ({"prompt": ""}, SpecProblem.NO_PROMPT),
        ({"prompt": "あ" * 2001}, SpecProblem.PROMPT_TOO_LONG),
        ({"prompt": "{記録}を{length}字で"}, SpecProblem.UNKNOWN_FIELD),
        ({"fields": "本 文"}, SpecProblem.BAD_FIELD),
        ({"fields": "本文\n本文"}, SpecProblem.BAD_FIELD),
        ({"fields": "\n".join(f"項目{i}" for i in range(9))}, SpecProblem.TOO_MANY_FIELDS),
        ({"default_length": 10}, SpecProblem.BAD_LENGTH),
    ],
)
def test_problems_are_named(changes: dict[str, object], problem: SpecProblem) -> None:
    values: dict[str, object] = {
        "title": "要約",
        "description": "",
        "prompt": "{本文}を{length}字で",
        "fields": "本文",
        "default_length": 300,
        **changes,
    }
    with pytest.raises(TemplateSpecError) as caught:
        build_template("c1", **values)  # type: ignore[arg-type]
    assert caught.value.problem is problem
