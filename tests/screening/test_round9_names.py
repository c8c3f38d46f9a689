"""Names the dictionary does not know as names (rare surnames that are ordinary words, given names
the tokenizer cuts into single characters), found by the slot they stand in — `name_slots` — and
the benign words of the same shape that must stay. Every example is written here (never copied
from a red-team round); the surnames are real but rare ones the core dictionary files as nouns
(纐纈, 雲母, 四十物, 薬袋) or knows only as a surname.
"""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener


def _masked(screener: Screener, text: str) -> tuple[Action, str]:
    result = screener.screen(text)
    return result.action, result.masked_text


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        # before an honorific, after a non-kanji boundary
        ("道路課の纐纈さんから、側溝の蓋が外れているとの連絡がありました", ["纐纈"]),
        ("昨日、雲母様より騒音の苦情を受けました。回答文を作って", ["雲母"]),
        ("薬袋 颯真 様あての督促状の言い回しを柔らかくして", ["薬袋", "颯真"]),
        # after a job title and a space
        ("主査 纐纈 への引継ぎメモを箇条書きにして", ["纐纈"]),
        ("係長 雲母、主任 薬袋 の連名で依頼文を出したい", ["雲母", "薬袋"]),
        # self-introductions
        ("福祉課の四十物と申します。先日の件でお電話しました", ["四十物"]),
        ("担当の纐纈です。ご不明な点はお問い合わせください", ["纐纈"]),
        # a surname the dictionary knows and a given name it cuts up
        (
            "表彰者名簿\n・消防団長推薦　阿久津 颯真\n・自治会推薦　佐藤 花男\n上の2名の賞状文面",
            ["颯真", "花男"],
        ),
        # a word and a given name the dictionary knows
        ("入賞者：雲母 梢「秋の田」、四十物 陽菜「祭り」。講評を書いて", ["雲母 梢", "四十物 陽菜"]),
        # a one-kanji given name ending a list item
        ("・推薦　苫米地 凪\n・推薦　佐藤 律\n肩書きを揃えたい", ["苫米地 凪", "佐藤 律"]),
    ],
)
def test_a_name_unknown_to_the_dictionary_is_masked_by_its_slot(
    iwaki: Screener, text: str, gone: list[str]
) -> None:
    action, masked = _masked(iwaki, text)
    assert action is Action.MASK
    assert not [g for g in gone if g in masked], masked


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("ゆずはちゃん（4さい）が園で転んだと保護者から連絡", ["ゆずは"]),
        ("あやのちゃん 3歳 の一時預かりの申込み", ["あやの"]),
    ],
)
def test_a_hiragana_given_name_ending_like_a_particle_is_a_name(
    iwaki: Screener, text: str, gone: list[str]
) -> None:
    action, masked = _masked(iwaki, text)
    assert action is Action.MASK
    assert not [g for g in gone if g in masked], masked


@pytest.mark.parametrize(
    "text",
    [
        # a role, trade or organisation before さん/様
        "タクシーの運転手さんに領収書をもらい忘れたときの精算方法",
        "施設の利用者様へのお知らせ文を、やさしい日本語で",
        "いつもの工務店さんに見積りを頼む文面",
        "お客様アンケートの設問を5つ考えて",
        # a compound after a surname-shaped place (a housing estate, a beach, a town)
        "市営住宅の募集：中原団地と平窪団地の空き住戸のお知らせ",
        "四倉海岸の海開きの告知文を観光サイト向けに",
        # a title followed by a phrase, not a name
        "委員 防災対策について意見をまとめて",
        # a hiragana phrase ending in a particle before くん付け
        "わたしはくん付けで呼ばれるのが苦手です、という相談への返事",
    ],
)
def test_words_shaped_like_a_slot_name_are_left_alone(iwaki: Screener, text: str) -> None:
    action, masked = _masked(iwaki, text)
    assert action is Action.ALLOW, masked


def test_an_invented_name_in_a_message_about_a_specimen_is_left_alone(iwaki: Screener) -> None:
    action, masked = _masked(
        iwaki, "申込書の見本の氏名欄を「印鑑 押太」にしたら、ふざけていると言われた。別の候補を"
    )
    assert action is Action.ALLOW, masked


# --- causes seen on round 9 (examples written here) ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        # a surname the dictionary tags as one, alone after a role word or doing what staff do
        ("課内回覧：技師の間宮が現地を確認しました。報告書にまとめて", ["間宮"]),
        ("お詫び文：「先日は職員（宇津木）の説明が不十分で申し訳ありません」", ["宇津木"]),
        ("来月からは引き続き能代が担当します、という挨拶文を", ["能代"]),
        ("福祉センターの栗城より折り返しご連絡します、という文面", ["栗城"]),
        ("担当の漆原からご連絡いたします、を英語に", ["漆原"]),
        # a list: one item found, the others of the same shape follow
        ("研修の修了者：宮城 はるか／真壁 亮／一ノ瀬 航", ["宮城 はるか", "真壁 亮", "一ノ瀬 航"]),
        ("受付の当番：こばやし みく、さとう ゆい、たなか りお の3人にお礼を", ["さとう ゆい", "たなか りお"]),
        ("新任職員の紹介順：真壁 亮、鳴海 遥、名嘉 結の3名です", ["真壁 亮", "鳴海 遥", "名嘉 結"]),
        # a sentence that says it is a name
        ("窓口で「ふじさき」と名乗った方からの問い合わせ記録", ["ふじさき"]),
        ("苦情：対応した職員（名札：タカノ）の態度が悪かった", ["タカノ"]),
        ("入所通知の宛名確認：児童名：みやした こはる", ["みやした こはる"]),
        ("作品キャプション：「冬の港」作・真壁 凪（中学2年）", ["真壁 凪"]),
        ("国際交流員のアンナ・ベルクマン先生の紹介文を", ["アンナ・ベルクマン"]),
        (
            "面談記録\n相談者　マリア サントス（ブラジル）\n通訳　日下部\n内容　就学の手続き",
            ["マリア サントス", "日下部"],
        ),
        ("商店街紹介：今月は、85歳の店主、志賀 とめさん。", ["志賀", "とめ"]),
        # other scripts: Hangul names, a Latin spelling after the honorific
        ("박서준 씨에게 보낼 안내문을 한국어로 만들어 주세요", ["박서준"]),
        ("グエン・ティ・マイさん（Nguyễn Thị Mai）への案内", ["グエン・ティ・マイ", "Nguyễn Thị Mai"]),
        # English: a greeting or a colleague
        ("Please check: 'Hi Rangi, thanks for coming to the class.'", ["Rangi"]),
        ("Fix my English: 'My colleague Emi Shirase will call you tomorrow.'", ["Emi Shirase"]),
        # a real message rewritten in a medium's style keeps its people
        ("チャット風に短く：『明日、能代くんと現地に行きます』", ["能代"]),
        (
            "お礼状：「ご来庁の宇津木様より、職員の説明がわかりやすかったとのお言葉をいただきました」",
            ["宇津木"],
        ),
    ],
)
def test_round9_causes_mask_the_name(iwaki: Screener, text: str, gone: list[str]) -> None:
    action, masked = _masked(iwaki, text)
    assert action is Action.MASK
    assert not [g for g in gone if g in masked], masked


@pytest.mark.parametrize(
    "text",
    [
        # specimen names: the legal placeholders, an example screen, the English stand-ins
        "契約書のひな形にある『乙野 一郎』という表記の意味は？",
        "アプリの例の画面で表示名を「まえばし はなこ」にしてよいか",
        "英語の記入例の名前（John Doe、Jane Smith など）を日本語ではどう言い換える？",
        # a place named with a word that could be a surname
        "Please check my English: 'The market opens at Takasaki Station and Shikishima Park.'",
        # a phrase after a role word is not a name
        "学校から連絡がありました、という文を丁寧に",
        "技師の仕事の内容を求人票向けに説明して",
    ],
)
def test_round9_benign_side_is_left_alone(iwaki: Screener, text: str) -> None:
    action, masked = _masked(iwaki, text)
    assert action is Action.ALLOW, masked
