"""Identifier labels typed in forms the label list did not spell out: the long-vowel mark of a
katakana label typed as a dash (U+2015, U+2500, U+2212, a hyphen), a label letter-spaced as on a
printed form (旅 券 番 号), and romanised labels written with macrons (bangō, pasupōto)."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener, ScreeningPolicy

SCREENER = Screener(ScreeningPolicy.default())


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("住民票コ\u2015ドは 30582917463 です。転入届の書き方を教えて", "resident_code"),
        ("住民票コ\u2500ド：40851236972 の写しを添付します", "resident_code"),
        ("マイナンバ\u2212カードの番号 123456789018 を控えました", "my_number"),
        ("パスポ\u2015ト番号 MZ4827150 の方の渡航日程", "passport"),
        ("旅 券 番 号 ＫＲ３８１９０４６ 申請者の控え", "passport"),
        ("pasupōto bangō: XL7390218 — 名簿を英訳して", "passport"),
        ("kojin bangō 123456789018 (staff list)", "my_number"),
        ("nenkin bangō 1234-567890 の照会文を作って", "pension_number"),
    ],
)
def test_a_label_in_an_unlisted_form_still_labels_its_number(text: str, kind: str) -> None:
    result = SCREENER.screen(text)
    assert result.action is Action.BLOCK
    assert kind in {f.kind for f in result.findings}


@pytest.mark.parametrize(
    "text",
    [
        "パスポ\u2015トの申請窓口の案内文を、やさしい日本語で書き直して",
        "旅 券 の 申 請 に 必 要 な 書 類 の一覧を表にして",
        "住民票コ\u2015ドとは何か、市民向けに三行で説明して",
        "pasupōto no shinsei ni hitsuyō na mono (英語の案内を作りたい)",
    ],
)
def test_the_same_label_forms_without_a_number_are_left_alone(text: str) -> None:
    result = SCREENER.screen(text)
    assert result.action is Action.ALLOW, result.findings
