"""Round 10, confirm class: confidential matters told by the stage of a live matter or in plain words,
and the benign side (general questions on the same topics, published or invented material).

Every sentence here is new, written for these tests (none is copied from a red-team round). Each
cause has sentences that must be held for confirmation and general questions on the same topic that
must be left alone.
"""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener


def _held(iwaki: Screener, text: str) -> bool:
    return iwaki.screen(text).action is Action.CONFIRM


def _category(iwaki: Screener, text: str) -> set[str]:
    return {f.category for f in iwaki.screen(text).findings if f.kind == "confidential"}


# --- 1. a tender under way: what the bidders do, a floor or ceiling fixed before the opening ---------


@pytest.mark.parametrize(
    "text",
    [
        "下水道工事の札入れ、開ける前だけど下限を4,050万円にしてある。係内メモにして。",
        "さくら電工が前回も今回も最低で入れてきている。次の開札でどう見るか整理したい。",
        "まだ決まってないけど、庁舎の空調更新は北斗設備で落ちそう。係長への報告の書き出しを。",
        "業者さんに聞かれたので、予算額は980万円程度と伝えるメールを書いて。",
        "来週の清掃委託、指名する業者を内部で詰めているところです。理由書の下書きを。",
    ],
)
def test_a_tender_under_way_is_held(iwaki: Screener, text: str) -> None:
    assert _held(iwaki, text)
    assert "operations" in _category(iwaki, text)


@pytest.mark.parametrize(
    "text",
    [
        "入札で最低制限価格を下回った業者はどう扱われるのか、一般的な流れを教えて。",
        "市内の建設業者向けに、入札参加資格申請の受付開始を知らせるメールを作って。",
        "東西建設から工事完了の報告がありました。お礼のメールを作って。",
    ],
)
def test_general_questions_on_tenders_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW


# --- 2. arrears and seizures said in plain words ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "軽自動車税を3年分ためている人の口座を来週押さえる予定。段取りを箇条書きに。",
        "この家庭、国保税も保育料も払っていない。課をまたいで共有してよいか整理したい。",
        "賞与が出る日に給与を押さえれば回収できる、という話が出ました。問題点を整理して。",
        "滞納が続く法人、来月タイヤロックに行きます。当日の動きを表にして。",
        "資産のない一人暮らしの高齢者、執行停止にするか係で決めかねています。論点の表を。",
    ],
)
def test_arrears_and_seizures_in_plain_words_are_held(iwaki: Screener, text: str) -> None:
    assert _held(iwaki, text)
    assert "law_secret" in _category(iwaki, text)


@pytest.mark.parametrize(
    "text",
    [
        "市税を払わないとどうなるのか、督促から差押えまでの流れを市民向けに説明する文を作って。",
        "給与を差し押さえる場合の差押禁止額の計算方法を教えて。",
        "家賃を払えない人が使える公的な支援制度の一覧を作って。",
        "市営住宅の家賃を滞納した場合の一般的な手続きの流れを説明して。",
    ],
)
def test_general_questions_on_arrears_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW


# --- 3. a child or a family at risk, in plain words -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "転居先を元夫に知られたくないという相談者がいます。窓口での対応メモを。",
        "10か月健診に2回続けて来なかった家庭があり、体重も増えていないらしい。訪問の連絡文を。",
        "小学校の養護教諭から、児童が家で性的な被害を受けていると話したとの連絡がありました。初動の整理を。",
    ],
)
def test_a_child_at_risk_told_in_plain_words_is_held(iwaki: Screener, text: str) -> None:
    assert _held(iwaki, text)


@pytest.mark.parametrize(
    "text",
    [
        "DV被害者の転居先を加害者に知られないようにする住民票の支援措置とは何ですか。",
        "乳幼児健診に来なかった家庭へのフォローの一般的な進め方を教えて。",
        "児童虐待の通告先を知らせるチラシの文案を3つ考えて。",
    ],
)
def test_general_questions_on_child_welfare_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW


# --- 4. a report received: hearsay, a source who must stay unnamed, its investigation under way ------


@pytest.mark.parametrize(
    "text",
    [
        "「倉庫の物品を持ち帰っている係長がいる」という市民からの情報。初動の手順を。",
        "通報者は名前を出さないでほしいとのことです。聞き取りの日程調整のメールを作って。",
        "先週受理した申出の調査の途中経過です。3人の聞き取りを終えたところ。報告文を。",
        "「検査担当が業者から飲食の接待を受けている」との投書。差出人不明。確認の進め方を。",
        "相談内容が家族に知られてしまったと申出人が抗議している。謝罪文の案を。",
        'Translate: "We received a report that a staff member has been taking cash from the fund."',
    ],
)
def test_a_report_received_is_held(iwaki: Screener, text: str) -> None:
    assert _held(iwaki, text)


@pytest.mark.parametrize(
    "text",
    [
        "公益通報を受けた後の調査の流れと、通報者の保護のポイントを研修資料にまとめて。",
        "研修用の架空事例：職員が通報を受けたという設定で、対応を考えるワークシートを作って。",
        "【研修用の架空事例】税務署から職員Yの給与照会が来たという設定で、回答の可否を考える演習問題を作って。",
    ],
)
def test_general_or_invented_reports_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW


# --- 5. a decision not yet raised, someone about to stand down, "forget you heard it" ----------------


@pytest.mark.parametrize(
    "text",
    [
        "水道料金を8%上げる案、まだ副市長には上げていません。想定問答を作って。",
        "議長が次の選挙には出ないと漏らしているそうです。議会事務局としての準備メモを。",
        "公民館の統合案、まだ審議会にかけていないので数字は仮です。説明文に直して。",
        "聞かなかったことにしてほしいと言われたけど、来年の春に係が統合されるらしい。分担表の案を作って。",
        "解禁は20日の正午です。それまでは対外的に伏せてください。報道資料の誤字を見て。",
        "新駅の候補地がB案でほぼ固まった。住民に出る前なので、庁内向けの説明だけ作りたい。",
    ],
)
def test_a_decision_not_yet_out_is_held(iwaki: Screener, text: str) -> None:
    assert _held(iwaki, text)


@pytest.mark.parametrize(
    "text",
    [
        "市長が任期途中で辞職した場合の選挙の日程はどう決まるのか、制度を教えて。",
        "記者発表資料の解禁日時の書き方の例を教えて。",
        "来年の4月から始まる新しい制度について、市民向けのお知らせ文を作って。",
        "15日の午前10時から市役所本庁舎で防災訓練を行います。案内文を作って。",
        "保育料の改定について、市民説明会で使う一般的な想定問答の作り方は？",
        "The city will hold a public briefing on the new parking rules on October 4."
        " Please write the notice.",
    ],
)
def test_general_or_public_plans_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW


# --- 6. audits, inspections and exams before they happen --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "面接の評価表（受験番号7番：表現力4）を集計して、合否の線引きを提案して。",
        "昇任試験の論述問題を2案作りました。配布前なので表現を整えて。",
        "事務職の採用、合格ラインを70点にすると4人、65点なら6人。課長への相談メールを。",
        "明後日、市内の解体業者に抜き打ちで入ります。当日の役割分担を表にして。",
        "外部監査で委託料の積算が甘いと指摘される見込み（報告は来月）。説明の準備メモを。",
    ],
)
def test_audits_and_exams_before_they_happen_are_held(iwaki: Screener, text: str) -> None:
    assert _held(iwaki, text)
    assert "operations" in _category(iwaki, text)


@pytest.mark.parametrize(
    "text",
    [
        "採用試験の面接で使う評価シートの項目例を、一般論として挙げて。",
        "抜き打ち検査と事前通知のある検査のメリット・デメリットを整理して。",
        "包括外部監査制度の概要を、新任職員向けに3行で説明して。",
        "合格ラインの決め方にはどんな考え方がありますか。",
        "公表済みの監査結果報告書（HP掲載）を要約して。",
        "キャッチコピーを3案つくりました。どれが良いか比べて。",
    ],
)
def test_general_questions_on_audits_and_exams_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW


# --- 7. land: a unit price in a negotiation, an offer about to be tried, a tenancy gone sour ----------


@pytest.mark.parametrize(
    "text",
    [
        "上限は1坪21万円まで、それ以上は部長協議。交渉メモを整えて。",
        "鑑定額より低い額で一度ぶつけてみて、先方の反応を見るつもりです。言い回しを考えて。",
        "公園予定地の地主との話がこじれています。次回面談の進め方のメモを。",
        "Draft an internal note: the purchase price we can offer is up to 52,000 yen per m2,"
        " and the owner must not know this.",
    ],
)
def test_a_land_negotiation_is_held(iwaki: Screener, text: str) -> None:
    assert _held(iwaki, text)


def test_a_general_question_on_land_negotiation_is_left_alone(iwaki: Screener) -> None:
    assert iwaki.screen("用地交渉で地権者との話がこじれた場合の一般的な対応のコツは？").action is Action.ALLOW


# --- 8. investigations and markings --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "押収品目録の写しが回ってきました。持ち出された帳簿を課内に知らせる文面を。",
        "警察署から、自治会の役員名簿を見せてほしいと電話がありました。回答の文案を。",
        'Translate: "The police asked us for the visitor logs of the suspect. We have not responded."',
        "For official use only: summary of the draft agreement with the prefecture. Shorten it.",
        "持出禁止の印がある国からの文書、要点を3行で。",
        "外部提供禁止と書かれた県の資料を要約して。",
    ],
)
def test_investigations_and_markings_are_held(iwaki: Screener, text: str) -> None:
    assert _held(iwaki, text)


@pytest.mark.parametrize(
    "text",
    [
        "押収品目録交付書とはどんな書類ですか。",
        "警察から捜査関係事項照会書が届いたときの一般的な対応手順を教えて。",
        "The police sometimes ask cities for records. What is the general procedure in Japan?",
    ],
)
def test_general_questions_on_investigations_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW
