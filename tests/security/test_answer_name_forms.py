"""Names the model writes with no cue word but a strong form, and public names that look private
(issue 11, answer path: bot.core.screening.output_names, bot.core.exits.Gate.screen_answer).

One group per cause; the examples are written for this test (not taken from an evaluation set).
Each private example lists the names that must not survive; each public one must pass unchanged.
"""

from __future__ import annotations

import re
import time

import pytest

from bot.core import dialog
from bot.core.exits import Gate
from bot.core.policy import load_policy
from bot.core.screening import Screener
from bot.core.screening.output_names import find_names
from tests.fakes.battery import model_env
from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.teams.access_helpers import records
from tests.teams.harness import BotHarness

PRIVATE_BY_CAUSE: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "surname + space + given name": (
        ("推薦者一覧\n・石原 早苗（市民活動団体代表）\n・工藤 大輔（自治会長）", ("石原 早苗", "工藤 大輔")),
        ("次回の面談には松井 直樹が同席します。", ("松井 直樹",)),
        ("受付順：\n1 近藤 ゆうき\n2 菊地 陽菜", ("近藤 ゆうき", "菊地 陽菜")),
    ),
    "a list with names in it": (
        ("審査結果一覧\n・合格：佐野 大地、宮本 葵、北村 拓海", ("佐野 大地", "宮本 葵", "北村 拓海")),
        (
            "委員名簿（敬称略）\n会長 田村 幸雄\n副会長 松田 直子\n委員 中川 剛",
            ("田村 幸雄", "松田 直子", "中川 剛"),
        ),
    ),
    "signature: a division, then a name": (
        ("-----\n税務課 市民税係\n主事 浅野 かおり\nTEL 内線2455\n-----", ("浅野 かおり",)),
        ("以上、よろしくお願いします。\n子育て支援課 保育係\n村井 恵美\n内線3321", ("村井 恵美",)),
        ("資料を送付します。\n市民課\n竹内\n", ("竹内",)),
        ("福祉課の杉本です。先日の件でご連絡しました。", ("杉本",)),
        ("・「説明が分かりやすかった」（納税課 樋口）", ("樋口",)),
    ),
    "participants and labelled values": (
        ("参加者：堀 美和子、大野、桑原（書記）", ("堀 美和子", "大野", "桑原")),
        ("喪主：吉川 正人\n通夜は19時からです。", ("吉川 正人",)),
        ("連絡先：町内会（担当：菅原）", ("菅原",)),
    ),
    "a reading after a name": (
        ("1. 原田 千里（はらだ ちさと）70歳", ("原田 千里", "はらだ ちさと")),
        ("김민준さん（キム・ミンジュン）から転入の相談がありました。", ("김민준", "キム・ミンジュン")),
    ),
    "the same person named again": (
        ("講師：岡本 純一（○○大学教授）\n岡本先生には90分の講演をお願いしています。", ("岡本 純一", "岡本")),
    ),
    "a company's person (a word like サンプル inside a company name is no specimen cue)": (
        ("相手方：株式会社サンプル商事 総務部長 大島 弘\n聞き手：企画課 片山", ("大島 弘", "片山")),
    ),
    "children by a kana given name": (
        ("そうたくんとゆいちゃんの保護者に連絡してください。", ("そうた", "ゆい")),
    ),
    "foreign names in parts": (
        ("ブラジル出身のマリア・シルバさんから、児童手当について相談がありました。", ("マリア・シルバ",)),
    ),
    "romanised names": (
        ("Dear Ms. Tanaka,\nThank you for your inquiry.", ("Tanaka",)),
        ("Contact: Kenji Matsuda (Tourism Division)", ("Kenji Matsuda",)),
        (
            "Prepared by: NAKAMURA Yui, Planning Division\nMs. Nakamura will send the minutes.",
            ("NAKAMURA Yui", "Nakamura"),
        ),
    ),
    "a person's mobile number": (("連絡網：地区長 〔人名1〕 090-1234-5678", ("090-1234-5678",)),),
}

PUBLIC_BY_CAUSE: dict[str, tuple[str, ...]] = {
    "clans in history": (
        "鎌倉時代、北条氏が執権として幕府の実権を握りました。",
        "戦国大名の武田氏は甲斐を治め、伊達氏は奥州で勢力を広げました。",
    ),
    "famous people and characters": (
        "クレヨンしんちゃんの舞台は埼玉県春日部市です。",
        "サザエさんの家族構成は、波平さん、フネさん、カツオくん、ワカメちゃんです。",
        "大谷翔平さんの活躍を紹介するパネル展を開きます。",
        "ドラえもんのしずかちゃんのように、お風呂が好きな人も多いでしょう。",
    ),
    "famous people written with a space": (
        "高橋 是清は日本の財政家として知られています。",
        "新田 次郎の小説『八甲田山死の彷徨』を紹介します。",
    ),
    "places and things after a surname-like word": (
        "松本 城の天守は国宝です。",
        "鎌倉 大仏",
        "森 林 の整備を進めます。",
    ),
    "kana before ちゃん that is not a child": (
        "かわいいちゃんぽんの店",
        "さくらちゃんカフェ（市役所1階）は平日営業です。",
    ),
    "specimen names": (
        "記入例\n1. 山田 太郎（やまだ たろう）\n2. 山田 花子（やまだ はなこ）",
        "【記入例】\n氏名：山田 太郎\n住所：○○市△△町1-2-3",
        "記載例：鈴木 花子（すずき はなこ）のように、ふりがなを付けてください。",
    ),
    "an office's contact details": (
        "お問い合わせ：市民課 電話 0246-22-1111（平日8時30分～17時15分）",
        "所在地：福島県いわき市平字梅本21\n開庁時間：平日8時30分から17時15分まで",
        "メールの宛先は koho@city.example.jp です。",
    ),
    "spaced words that are not names": (
        "しやくしょ の まどぐち で きいて ください。",
        "会場は千葉 大学の講堂です。",
        "福島 県内の市町村では、同様の制度が導入されています。",
        "担当：総務課 文書係",
        "出席者：総務課長、企画課長、財政課長",
        "Tokyo Station is a short walk from the Central Park Hotel.",
    ),
}


@pytest.fixture(scope="module")
def gate() -> Gate:
    return Gate(Screener(load_policy("iwaki").screening))


@pytest.mark.parametrize(
    ("answer", "names"),
    [case for cases in PRIVATE_BY_CAUSE.values() for case in cases],
    ids=[f"{cause}-{i}" for cause, cases in PRIVATE_BY_CAUSE.items() for i in range(len(cases))],
)
def test_names_with_a_strong_form_are_masked(gate: Gate, answer: str, names: tuple[str, ...]) -> None:
    screened = gate.screen_answer(answer).text
    assert [n for n in names if n in screened] == [], screened
    assert "〔" in screened


@pytest.mark.parametrize(
    "answer",
    [text for texts in PUBLIC_BY_CAUSE.values() for text in texts],
    ids=[f"{cause}-{i}" for cause, texts in PUBLIC_BY_CAUSE.items() for i in range(len(texts))],
)
def test_public_names_and_office_contacts_pass_unchanged(gate: Gate, answer: str) -> None:
    assert gate.screen_answer(answer).text == answer


def test_only_the_name_is_masked_not_its_division_or_the_rest(gate: Gate) -> None:
    screened = gate.screen_answer("担当：移住推進課 石田\n電話：0246-22-1111").text
    assert screened == "担当：移住推進課 〔人名〕\n電話：0246-22-1111"
    screened = gate.screen_answer("乙の担当者：営業部 主任 今井 里奈（電話 03-1234-5678）").text
    assert screened.startswith("乙の担当者：営業部 主任 〔人名〕（電話 〔電話番号")


def test_the_name_rules_stay_cheap() -> None:
    answer = "\n".join(
        f"{i}. 会議の要点：窓口の混雑緩和のため予約制を導入し、市民課 佐藤 花子 が受付を担当します。"
        for i in range(20)
    )
    find_names(answer + "x")  # the analyser is loaded once per process
    started = time.process_time()
    for n in range(5):
        find_names(f"{answer}{n}")
    per_1000 = (time.process_time() - started) / 5 / (len(answer) / 1000)
    assert per_1000 < 0.02, f"{per_1000 * 1000:.1f} ms CPU per 1,000 characters"


async def test_a_full_name_is_never_shown_half_written_while_streaming(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    answer = (
        "ご連絡先は次のとおりです。お手数ですが、ご確認をお願いいたします。\n"
        "村井 恵美（内線3321）\nよろしくお願いします。以上です。"
    )
    # one character at a time: the stream is screened at 村井 / 村井 恵 / … whenever an update is due
    fake_openai.script(Behaviour(text=answer, chunk_chars=1, interval_s=0.06))
    await harness.start(**model_env(fake_openai))
    await harness.post(harness.message("連絡先の文案を作って"))
    [final] = await harness.connector.wait_messages(1, timeout=30)
    assert "ご確認をお願いいたします。\n〔人名〕（内線3321）\nよろしく" in final["text"]
    updates = [t.get("text") or "" for t in harness.connector.activities(type_="typing")]
    assert any("ご連絡先" in text for text in updates), "the stream did show the answer as it grew"
    assert all("村井" not in text and "恵美" not in text for text in updates), "no part of the name was shown"
    assert all("村井" not in r.answer for r in await records(harness))


@pytest.mark.parametrize(
    "answer",
    [
        "ご連絡先は次のとおりです。\n村井 恵美（内線3321）\nよろしくお願いします。",
        "相談者はブラジル出身のマリア・シルバさんです。",
        "1. 原田 千里（はらだ ちさと）70歳\n以上です。",
    ],
)
def test_no_prefix_of_a_name_is_shown_whatever_the_chunking(
    gate: Gate, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    monkeypatch.setattr(dialog, "SCREEN_AT_LEAST_EVERY_S", 0.0)  # screen at every character
    view = dialog._ScreenedView(gate, None)
    shown = [view.progress(answer[:n]) or "" for n in range(1, len(answer) + 1)]
    final, _ = view.final(answer)
    leaked = {part for part in re.split(r"[〔〕（）()\n。、 ・]", answer) if part and part not in final}
    assert leaked, "the answer has a masked name"
    assert [text for text in shown if any(part in text for part in leaked)] == []
    assert shown[-1], "the stream still shows the answer as it grows"
    assert final.startswith(shown[-1])
