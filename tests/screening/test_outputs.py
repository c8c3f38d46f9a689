"""Core functions issue 10 adds for the other layers: answers screened for block-class kinds,
identifiers split over recent messages, and the per-message masked counts."""

from __future__ import annotations

from bot.core.screening import Action, PseudonymTable, Screener


def test_screen_output_finds_identifiers_the_model_wrote(screener: Screener) -> None:
    found = screener.screen_output("承知しました。〔人名1〕様のマイナンバー 2468 1357 9021 を記載します。")
    assert [f.kind for f in found] == ["my_number"]
    assert all(f.action is Action.BLOCK for f in found)
    assert screener.screen_output("〔人名1〕様、〔個人番号1〕の件は窓口でご確認ください。") == ()
    assert screener.screen_output("佐藤さん（090-1111-2222）に連絡") == (), (
        "mask-class kinds are not its concern"
    )


def test_screen_recent_joins_an_identifier_split_over_messages(screener: Screener) -> None:
    previous = ["個人番号の上8桁は 2468 1357 です"]
    late = screener.screen_recent(previous, "残りは 9021 です")
    assert [f.kind for f in late] == ["my_number"]
    assert all(0 <= f.start < f.end <= len("残りは 9021 です") for f in late)
    assert screener.screen_recent(["会議は 10 時から"], "資料は 3 部") == ()
    assert screener.screen_recent([], "残りは 9021 です") == ()


def test_screen_recent_does_not_repeat_what_the_message_has_alone(screener: Screener) -> None:
    assert screener.screen_recent(["こんにちは"], "個人番号 246813579021") == ()


def test_masked_counts_are_this_messages(screener: Screener) -> None:
    table = PseudonymTable()
    screener.screen("佐藤さん（090-1111-2222）", table)
    again = screener.screen("佐藤さんにもう一度", table)
    assert again.masked_counts() == {"person_name": 1}
