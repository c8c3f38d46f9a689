"""The composed text, its marks read back, the instruction chosen, and the settings and policy parsed."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from bot.core.attachments import (
    Extracted,
    FileRef,
    TooLongError,
    compose,
    instruction_for,
    section_of,
    sections,
    speakers_in,
)
from bot.core.config import Settings
from bot.core.errors import ConfigError, PolicyError
from bot.core.policy import builtin_policies, load_policy, parse_policy

POLICY = load_policy("iwaki").attachments


def ref(name: str, file_type: str = "txt") -> FileRef:
    return FileRef(name=name, file_type=file_type, url="http://127.0.0.1/x")


def test_files_are_marked_by_name_and_found_again() -> None:
    text = compose(
        "要約して",
        [
            (ref("a「1」.txt"), Extracted("本文A")),
            (ref("会議.vtt", "vtt"), Extracted("発言者 山田 太郎：はい")),
        ],
        per_message=100,
    )
    assert text.startswith("要約して\n\n【添付ファイル「a_1_.txt」（テキスト）の内容】\n本文A\n")
    found = sections(text)
    assert [s.name for s in found] == ["a_1_.txt", "会議.vtt"]
    assert section_of(found, text.index("本文A")) == "a_1_.txt"
    assert section_of(found, 0) == ""  # the typed instruction
    assert speakers_in(text) == {"山田 太郎"}
    assert speakers_in("発言者 山田 太郎：typed, not in a file") == set()


def test_the_message_limit_counts_every_file() -> None:
    with pytest.raises(TooLongError) as raised:
        compose(
            "x", [(ref("a.txt"), Extracted("あ" * 60)), (ref("b.txt"), Extracted("い" * 60))], per_message=100
        )
    assert (raised.value.chars, raised.value.limit, raised.value.per_message) == (120, 100, True)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", "添付のファイルの内容を"),
        ("議事録の要約", "添付の会議の記録を要約してください。"),
        ("ＦＡＱにまとめて", "ＦＡＱにまとめて"),
        ("翻訳", "添付の文書を英語に翻訳"),
        ("翻訳　ベトナム語", "添付の文書をベトナム語に翻訳"),
        ("やさしい日本語で", "添付の文書を「やさしい日本語」に"),
        ("校正してから要約して", "校正してから要約して"),  # not the template: the text is the instruction
    ],
)
def test_the_instruction_is_the_text_a_template_or_the_default(typed: str, expected: str) -> None:
    instruction, _ = instruction_for(POLICY, typed)
    assert instruction.startswith(expected)


def test_both_policies_ship_the_file_templates() -> None:
    for city in builtin_policies():
        titles = [t.title for t in load_policy(city).attachments.templates]
        assert titles == ["議事録の要約", "校正", "やさしい日本語", "翻訳"]
        assert load_policy(city).attachments.max_chars_per_file == 30_000


def test_a_policy_without_the_section_gets_the_defaults_and_bad_limits_are_refused() -> None:
    raw = tomllib.loads(
        resources.files("bot.core.policies").joinpath("iwaki.toml").read_text(encoding="utf-8")
    )
    raw.pop("attachments")
    assert parse_policy(raw, "x.toml").attachments.max_chars_per_message == 30_000
    raw["attachments"] = {"max_files": 0}
    with pytest.raises(PolicyError, match=r"attachments\.max_files"):
        parse_policy(raw, "x.toml")


def test_settings_read_hosts_size_and_timeout_strictly() -> None:
    settings = Settings.from_env({}, env_file=None)
    assert settings.attachment_download_hosts == ("*.sharepoint.com",)
    assert settings.attachment_max_bytes == 10 * 1024 * 1024
    custom = Settings.from_env(
        {
            "ATTACHMENT_DOWNLOAD_HOSTS": "*.SharePoint.com, files.city.example.jp",
            "ATTACHMENT_MAX_BYTES": "1_000",
        },
        env_file=None,
    )
    assert custom.attachment_download_hosts == ("*.sharepoint.com", "files.city.example.jp")
    assert custom.attachment_max_bytes == 1000
    for bad in ("https://x.sharepoint.com", "*", "*.com", "a/b", "*.*.example.jp"):
        with pytest.raises(ConfigError, match="ATTACHMENT_DOWNLOAD_HOSTS"):
            Settings.from_env({"ATTACHMENT_DOWNLOAD_HOSTS": bad}, env_file=None)
