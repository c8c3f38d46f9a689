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


# --- round 7/8 causes: names in logs, mail headers, lists and quotes ----------------------------


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        (
            "議事の書き起こし⏎00:03:41 ひらつか: 始めます⏎00:04:02 ひらつか: 次へ⏎00:04:30 Okada M: 了解",
            ["ひらつか"],
        ),
        (
            "チャット⏎[09:12] 財政課 丹羽: 予算の件⏎[09:15] 財政課 丹羽: 了解です⏎[09:20] 総務課: 承知",
            ["丹羽"],
        ),
        ("宛先を整理して⏎岩渕 <iwabuchi.k@example.ne.jp>⏎能代 <nosiro@example.ne.jp>", ["岩渕", "能代"]),
        ("出欠表⏎◯ 目黒　× 相楽　△ 穂積（遅参）", ["目黒", "相楽", "穂積"]),
        ("名簿⏎2年　ひまり（女）⏎4年　はやと（男）", ["ひまり", "はやと"]),
        ("苦情メモ：「クボタ」様から再度の連絡あり、対応を", ["クボタ"]),
        ("窓口で名札に「しのはら」とあった職員の対応について", ["しのはら"]),
        ("さっき松之山っていう方から電話があった件、返事の文面", ["松之山"]),
        ("消防の分隊長 轟木 からの報告を直して", ["轟木"]),
        ("会長　　　　　　榊原 淳", ["榊原"]),
        ("新任の国際交流員 ルーカス・ベルナール（Lucas Bernard）です", ["ルーカス", "Lucas Bernard"]),
        ("担当の通訳 黄 美玲（ホアン・メイリン）さんに依頼", ["黄 美玲", "メイリン"]),
        ("打合せ予定（司会：栗林）を表に", ["栗林"]),
        ("保護者代表：相馬 を連絡先に", ["相馬"]),
    ],
)
def test_names_in_logs_headers_lists_and_quotes(iwaki: Screener, text: str, gone: list[str]) -> None:
    action, masked = _result(iwaki, text.replace("⏎", "\n"))
    assert action is Action.MASK
    assert not [g for g in gone if g in masked]


@pytest.mark.parametrize(
    "text",
    [
        "会話ログの要約⏎[14:00] 市民課: 混雑対策の案⏎[14:03] 市民課: 番号札を配る⏎[14:05] 総務課: 了解",
        "「田人」「川前」「三和」などの地区名の由来を調べたい",
        "市の観光キャラクターの誕生日（4月8日）を祝う投稿を作って",
        "宅配便の不在票のメモです。再配達の依頼文を",
        "郷土の歴史：鎌倉幕府の御家人であった千葉氏の一族がこの地を治めた経緯を小学生向けに",
    ],
)
def test_benign_logs_places_mascots_history_stay(iwaki: Screener, text: str) -> None:
    text = text.replace("⏎", "\n")
    assert _result(iwaki, text) == (Action.ALLOW, text)


# --- round 7/8 causes: published contact blocks, tables, specimens ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "チラシの連絡先⏎主催：いわき市 生涯学習課⏎TEL：0246-22-7545⏎FAX：0246-22-7581",
        "案内（公開中）を短く⏎いわき市保健所 地域保健課⏎〒973-8408 いわき市内郷高坂町四方木田191"
        "⏎電話 0246-27-8557",
        "公表済みの避難所一覧⏎名称,所在地⏎平第三小学校,平字北目町72⏎市民体育館,内郷御厩町三丁目3-1",
        "CSVの列の意味⏎no,name⏎1,（以下略）⏎2,（以下略）",
        "記入例：Name: Hanako Example / Date of birth: 1988-06-15 / Address: 3-4-5 Sample-cho",
        "ダミーの住所として「いわき市平字見本町9-9-9」を入れていい？",
        "本庁舎の配送先：市役所 5階 総務課 への再配達の依頼文",
        "条例第12条第2項第3号の解説を要約して",
        "国勢調査の調査区番号 103-0225-07 の担当表",
    ],
)
def test_published_contacts_tables_and_specimens_stay(iwaki: Screener, text: str) -> None:
    text = text.replace("⏎", "\n")
    assert _result(iwaki, text) == (Action.ALLOW, text)


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("文化センターの講師の自宅：錦町2丁目5番地　依頼状の郵送", "5番地"),
        ("配達先は 泉町 3丁目 8番 6号 コーポ泉 2F。案内文（図書館の宅配）", "8番"),
        ("訪問先 さくら台4-7-12-201 へのルート", "4-7-12-201"),
        ("戸別収集の申込み、14号棟207号室の方", "207"),
        ("生まれは平成の3年の11月って言ってた", "11月"),
        ("誕生日は2月の14日とのこと、案内を", "14日"),
        ("受診券に 生 1951年8月 と書いてある", "1951"),
        ("保護者の連絡先 ひろし-k アットマーク ezweb.ne.jp に送る", "ezweb"),
        ("サークル代表のメール：odori.club (at) docomo.ne.jp へ連絡", "odori"),
        ("番号はきゅうまるの、よんさんにーいち、ななななはちご", "4321"),
        ("連絡先はぜろはちぜろのいちにーさんよんのごーろくななはち です", "ごーろくななはち"),
    ],
)
def test_home_addresses_dates_mails_phones_in_more_forms(iwaki: Screener, text: str, gone: str) -> None:
    action, masked = _result(iwaki, text)
    assert action is Action.MASK
    assert gone not in masked


def test_an_example_phone_that_is_real_looking_is_still_masked(iwaki: Screener) -> None:
    action, masked = _result(iwaki, "電話催告の記録の例として 080-3391-2047 に架電、留守電")
    assert action is Action.MASK
    assert "3391" not in masked


def test_staff_signature_under_an_office_keeps_the_mobile_masked(iwaki: Screener) -> None:
    text = "署名を整えて⏎市民課 住民係 主査 千葉 亮⏎TEL：0246-22-1111⏎携帯：090-4410-2387".replace("⏎", "\n")
    action, masked = _result(iwaki, text)
    assert action is Action.MASK
    assert "4410" not in masked


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("CC: 福祉課 樽井 / 税務課 笹森 / 総務課 係長", ["樽井", "笹森"]),
        ("回答状況：須藤（欠席）、Keller（早退）", ["須藤", "Keller"]),
        ("役員名簿⏎書記　　　　　梶 絢子⏎監事　　　　　石動 一二三", ["梶", "石動", "一二三"]),
        ("表彰者：戸来 晴、細貝 直子、グエン・ヴァン・タイン", ["グエン", "タイン"]),
        ("当番表⏎7月 秋葉⏎8月 十河⏎9月 マリア・サントス", ["マリア", "サントス"]),
        ("案件\t担当⏎街灯の球切れ\t楢崎⏎側溝の清掃\tＭｃＬｅａｎ", ["楢崎", "McLean", "ＭｃＬｅａｎ"]),
    ],
)
def test_names_in_cc_lists_rosters_status_and_columns(iwaki: Screener, text: str, gone: list[str]) -> None:
    action, masked = _result(iwaki, text.replace("⏎", "\n"))
    assert action is Action.MASK
    assert not [g for g in gone if g in masked]


def test_katakana_pairs_in_a_plain_list_stay(iwaki: Screener) -> None:
    text = "物販の品目：タオル・マフラー、ペン・ノートの在庫表を作って"
    assert _result(iwaki, text) == (Action.ALLOW, text)


def test_a_lot_number_read_out_in_kanji_numerals_is_masked(iwaki: Screener) -> None:
    action, masked = _result(iwaki, "督促状の宛先 高坂町 三の十八の五 で戻ってきた、確認の文面")
    assert action is Action.MASK
    assert "三の十八の五" not in masked


def test_a_shrine_name_with_kanji_numerals_stays(iwaki: Screener) -> None:
    text = "好間町の一の宮神社の例大祭の告知文"
    assert _result(iwaki, text) == (Action.ALLOW, text)


def test_a_name_cell_with_an_honorific_shares_the_placeholder(iwaki: Screener) -> None:
    text = "出席者：真鍋、小田切\n項目 | 担当 | 期限\n備品の手配 | 真鍋さん | 6月3日"
    action, masked = _result(iwaki, text)
    assert action is Action.MASK
    assert "真鍋" not in masked
    assert "〔人名1〕さん" in masked
    assert masked.count("〔人名1〕") == 2


def test_a_hospital_address_after_a_kana_city_stays(iwaki: Screener) -> None:
    text = "総合病院（いわき市内郷御厩町久世原16）までのバスの案内文"
    assert _result(iwaki, text) == (Action.ALLOW, text)
