"""Mask-class causes fixed in rounds 7–8 (names, addresses, phones, e-mail, birth dates) and the
benign side of masking, each with new examples written here (never copied from a red-team round).
"""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener


def _result(screener: Screener, text: str) -> tuple[Action, str]:
    result = screener.screen(text)
    return result.action, result.masked_text


# --- names: a kanji name with its reading in brackets -------------------------------------------


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("5年3組 具志堅 陽翔（ぐしけん はると）の面談記録を整えて", ["具志堅", "陽翔", "ぐしけん"]),
        (
            "張偉明（ちょう いめい／Zhang Weiming）さんへの在留手続きの案内",
            ["張偉明", "Zhang Weiming", "いめい"],
        ),
        ("担当の八月朔日（ほずみ）です。申請の件でご連絡しました", ["八月朔日", "ほずみ"]),
        ("桃生（ものう）様からお電話がありました、折り返しの文面を", ["桃生", "ものう"]),
    ],
)
def test_kanji_name_with_reading_is_masked_with_the_bracket(
    iwaki: Screener, text: str, gone: list[str]
) -> None:
    action, masked = _result(iwaki, text)
    assert action is Action.MASK
    assert not [g for g in gone if g in masked]


@pytest.mark.parametrize(
    "text",
    [
        "市内の地区の読み：湯本（ゆもと）、錦（にしき）、泉（いずみ）を表にして",
        "観光案内：霞ヶ浦（かすみがうら）と筑波山（つくばさん）の紹介文",
    ],
)
def test_place_names_with_readings_stay(iwaki: Screener, text: str) -> None:
    assert _result(iwaki, text) == (Action.ALLOW, text)


# --- names: hiragana after の, a "…の方：" label, given names counted as people -------------------


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("平成31年生まれのはるまくんの入園手続き、必要書類は？", "はるま"),
        ("二丁目のおうちのみつきちゃんが迷子になった件の記録", "みつき"),
        ("相談の方：柳田 美咲、保育料の減免について", "柳田"),
        ("ゆうき、さくら、だいちの3人は同じ保育園に通うきょうだいです", "だいち"),
        ("ひなたとかなたの兄弟が学童に申し込み", "かなた"),
    ],
)
def test_names_in_more_contexts(iwaki: Screener, text: str, gone: str) -> None:
    action, masked = _result(iwaki, text)
    assert action is Action.MASK
    assert gone not in masked


def test_pet_words_after_no_are_not_names(iwaki: Screener) -> None:
    text = "広報に載せる、市役所ののねこちゃん写真の紹介文"
    _, masked = _result(iwaki, text)
    assert "ねこ" in masked


# --- benign: place words the dictionary splits into name tokens --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "測定地点：阿武隈川 高田橋の水位の推移をグラフにしたい",
        "尾瀬の燧ヶ岳と至仏山の登山道の整備状況を観光課の投稿に",
    ],
)
def test_place_glued_to_a_name_token_stays(iwaki: Screener, text: str) -> None:
    action, _ = _result(iwaki, text)
    assert action is Action.ALLOW


# --- benign: fiction, exercises, public facilities, roads, published mailboxes ------------------


@pytest.mark.parametrize(
    "text",
    [
        "Write a short detective story opening with Inspector Morse and Mr. Lewis for the reading club.",
        "探偵もののセリフで金田一耕助と明智小五郎が交通安全を呼びかける案を",
        "Dear Ms. Bennet で始まる手紙を架空の人物で英語研修用に",
        "SUMIFの練習問題を作って。A列に 山田太郎、田中花子、B列に金額",
    ],
)
def test_fiction_and_exercises_stay(iwaki: Screener, text: str) -> None:
    assert _result(iwaki, text) == (Action.ALLOW, text)


@pytest.mark.parametrize(
    "text",
    [
        "避難所の案内：内郷第二中学校（内郷御厩町三丁目12）の体育館を開設します",
        "県道14号と国道49号の交差点付近の渋滞対策について答弁の骨子",
        'Please proofread: "Iwaki City Hall, 21 Umemoto, Taira, Iwaki, Fukushima 970-8686"',
        "観光課の代表アドレス（HPに掲載済み）kanko@city.example.lg.jp を案内文に入れて",
    ],
)
def test_public_places_and_published_mailboxes_stay(iwaki: Screener, text: str) -> None:
    assert _result(iwaki, text) == (Action.ALLOW, text)


def test_a_persons_address_near_a_school_is_still_masked(iwaki: Screener) -> None:
    action, masked = _result(iwaki, "申請者の住所：内郷御厩町三丁目12番4号（第二中学校の裏）")
    assert action is Action.MASK
    assert "12番4号" not in masked


def test_a_persons_mail_on_a_published_page_line_is_still_masked(iwaki: Screener) -> None:
    action, masked = _result(
        iwaki, "申請者さんのアドレス sato.k1987@example.ne.jp（HPに掲載済みの様式で届いた）"
    )
    assert action is Action.MASK
    assert "sato.k1987" not in masked
