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


# --- the same causes in other words (a second set written for these tests) -------------------------


@pytest.mark.parametrize(
    "text",
    [
        "今回の測量委託、見積もりを出してきた3社のうち一番安い所が辞退しそう。次の手を考えたい。",
        "舗装工事の予定価格、業者に漏れていないか心配です。確認の手順を整理して。",
        "入札の前に、ある業者から「だいたいの金額を教えて」と電話があった。断り方の文面を。",
        "開札は金曜。見込みでは平成土木が2,800万円前後で取りそう。部長に一言で報告したい。",
        "住民税を5期分納めていない事業主、売掛金を押さえられないか検討中です。論点を。",
        "督促しても反応のない世帯、来月から給与照会に入ります。事前の確認リストを。",
        "あの滞納者、実は別の名義で不動産を持っているらしい。調べ方の手順を。",
        "保育園から、3歳児の腕に何度もあざがあると連絡がありました。児相への連絡メモを。",
        "夜になっても小学生の兄弟だけで過ごしている家があると民生委員から聞いた。対応の流れを整理して。",
        "妊娠後期なのに一度も健診を受けていない妊婦さんがいます。訪問の声かけ文を。",
        "職員が出張旅費を水増ししていると匿名の電話がありました。事実確認の段取りを。",
        "課長が特定の業者とゴルフに行っているという話が職員から寄せられた。初動の整理を。",
        "告発してきた職員の名前が上司に伝わってしまった。今後の対応を考えたい。",
        "来年度に2つの図書館を1つにまとめる方向で、まだ議会には説明していません。説明資料の構成を。",
        "ごみ袋の値上げ、実は4月からで内定しているけど発表は来月。問い合わせ対応の想定問答を。",
        "副市長が年度末で辞める意向らしい。まだ本人からは正式な話はない。挨拶文の準備だけしたい。",
        "次の定期監査で、備品台帳と現物が合わない件が指摘されそう。説明の準備を。",
        "来週月曜に、飲食店3軒へ予告なしで衛生検査に入ります。班分けの表を。",
        "採用面接の質問と評価基準、受験者に渡る前に表現を見直して。",
        "今年の昇任試験の問題を作りました。実施は来月なので誤字だけ見てください。",
        "地権者の一人がまだ判を押してくれない。相場より上乗せする額の上限は1㎡あたり3万円。説得の言い方を。",
        "借地の更新で、地主側が賃料の3割アップを言ってきています。こちらの落としどころのメモを。",
        "道路拡幅で、あの家だけ立ち退きに同意していない。次回の訪問で話す内容を整理して。",
        "警察から、ある職員の勤務記録を見せてほしいと言われた。どう返事すればいいか文案を。",
        "税務署から、市内の事業者の課税資料を出してほしいと連絡。回答の文案を。",
        "家庭裁判所の調査官から、児童の通学状況について問い合わせがありました。回答の文面を。",
        "この資料は「関係者外秘」と書いてあります。要点を3行で。",
        "まだ内緒だけど、来年4月に課が2つに分かれる。新体制の事務分担を考えたい。",
        "オフレコでお願いしますが、市長は新庁舎の建設を延期する気です。説明の順番を整理して。",
        'Translate: "Please keep this confidential until the mayor announces it next Tuesday."',
        'Translate: "The child\'s teacher noticed bruises on her arms again this week."',
        'Translate: "Our maximum offer to the landowner is 45,000 yen per square meter."',
    ],
)
def test_live_matters_in_other_words_are_held(iwaki: Screener, text: str) -> None:
    assert _held(iwaki, text)


@pytest.mark.parametrize(
    "text",
    [
        "予定価格を事前に公表するか事後に公表するか、それぞれの考え方を教えて。",
        "住民税を滞納するとどんな手続きが進むのか、市民向けのQ&Aを作って。",
        "児童虐待を疑ったときに保育士が取るべき行動を、研修資料として整理して。",
        "公益通報者保護法の改正ポイントを箇条書きにして。",
        "用地買収における補償の種類を一覧表にして。",
        "昇任試験の勉強方法のコツを新人向けに教えて。",
        "監査委員監査と外部監査の違いを教えて。",
        "記者発表のスケジュールの立て方を教えて。",
        "税務署からの照会に市が回答できる法的根拠は？",
        "警察官立寄所のステッカーを貼る店舗を募集するチラシの文案を作って。",
        "地権者説明会の開催案内を作って。日時は6月8日19時、会場は公民館。",
        "来月の市報に載せる、固定資産税の納期のお知らせ文を作って。",
        "入札結果（公表済み）の一覧を表にまとめて。",
        "健診の予約を忘れた人へのリマインドメールの一般的な文例を教えて。",
        "市長の定例記者会見の発言要旨（公開済み）を300字にまとめて。",
        "面接官向けに、採用面接でしてはいけない質問の例をまとめて。",
        "町内会から、防犯カメラの設置について相談がありました。補助制度の案内文を作って。",
        "ALTの先生に渡す、運動会の日程（10月5日）のお知らせを英訳して。",
        'Please translate: "The library will be closed on Monday for maintenance."',
        "家庭訪問の日程調整のお知らせ（小学校、5月の第2週）の文面を作って。",
        "差押えと仮差押えの違いを教えて。",
        "滞納整理の研修で使うクイズを5問作って。",
        "学校の統廃合について、他の自治体の検討の進め方の例を教えて。",
        "市議会の一般質問の通告の締切はいつが一般的ですか。",
        "税の公平性について、市民向けにやさしく説明する文章を作って。",
    ],
)
def test_topic_questions_and_notices_in_other_words_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW


# --- a third set: personnel, intergovernmental and benefit cases; topic questions that carry a date,
# an intention or a past mishap (the new specific details must not turn them into cases) -------------


@pytest.mark.parametrize(
    "text",
    [
        "A主査の懲戒、停職1か月で調整していると人事課から聞いた。本人への伝え方を考えたい。",
        "4月の異動で田中係長を出先に出す案があるそうです。本人にはまだ。課内調整のメモを。",
        "国から、まだ公表されていない補助金の配分額の案が来た。市の取り分を計算して。",
        "県警から不審者の目撃情報について、通学路の防犯カメラ映像を出してほしいと依頼。回答の文案を。",
        "来月の定例会で出す予定の条例案、議員にはまだ配っていません。概要を3行で。",
        "この資料は内部限りです。要点をまとめて。",
        "部長から、例の統合の件は来週まで誰にも言うなと言われた。資料の体裁だけ整えたい。",
        "選考委員会の採点表（A社82点、B社79点）を見やすくして。結果はまだ出していません。",
        "保護者から、担任の先生に子どもが叩かれたと訴えがありました。事実確認のメモを。",
        "生活保護の受給者の方が、実は働いて収入があるらしいと近所の人から連絡があった。調査の段取りを。",
    ],
)
def test_a_third_set_of_live_matters_is_held(iwaki: Screener, text: str) -> None:
    assert _held(iwaki, text)


@pytest.mark.parametrize(
    "text",
    [
        "懲戒処分の種類と量定の考え方を教えて。",
        "来年の人事異動の時期は一般的にいつ頃ですか。",
        "予定価格の決め方を教えて。来年から担当になるつもりです。",
        "差押えをしてしまった後に誤りがわかった場合、どう対応するのが一般的ですか。",
        "虐待の通告を受けたら48時間以内に安全確認をするそうですが、その根拠は？",
        "情報公開請求で不開示になる情報の類型を教えて。",
        "監査委員の選任方法を教えて。",
        "内部通報窓口を外部の弁護士に委託するメリットは？",
        "用地買収の補償基準の概要を説明して。",
        "滞納者への催告書の一般的な文例を作って。",
        "警察と市の連携協定のよくある内容を教えて。",
        "昇任試験の過去問（公開済み）の傾向を分析して。",
        "ハラスメント相談窓口の周知文を作って。",
        "児童相談所と市の役割の違いを教えて。",
        "入札制度の改正ポイントを新任向けに解説して。",
        "前回の審議会（公開）の議事録を要約して。",
        "5日の午後2時から市民会館で成人式の説明会を行います。案内文を作って。",
        "図書館の休館日を12番目の項目に追加して表を直して。",
        "税務調査とは何ですか。",
        "立ち退きを求められた借家人が使える相談窓口を案内する文を作って。",
        "公売の参加方法を市民向けに説明して。",
        "家庭訪問のときのマナーを新任保健師向けにまとめて。",
        "ケース会議の進行役のコツを教えて。",
        "来年度の予算編成の一般的なスケジュールは？",
        "選挙に出馬する職員は辞職しなければならないのですか。",
    ],
)
def test_a_third_set_of_topic_questions_is_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW


# --- fourth and fifth sets, written after the fixes above to see whether they carry over (9 of 22
# live matters were held; the rest were fixed by the same kinds of mechanism: a panel that decides,
# deceit by a firm, violence at home told by the one who suffers it, relief drawn while the facts
# differ, school money not brought, the city's figure told to a bidder, water to be cut off, a child
# heard in distress, a candidate turned down, consent to a post obtained before the decision) -----


@pytest.mark.parametrize(
    "text",
    [
        "清掃センターの焼却炉補修、技術点の配点表（A社45点、B社41点）を審査会前に整えたい。",
        "保健センターに来ている母親が、夫から毎日怒鳴られていると打ち明けた。記録の書き方を整理して。",
        "市内の介護施設で入所者がベッドに縛られていると職員から匿名で電話。立入の段取りを。",
        "固定資産税の減免を受けている法人、実際は営業しているらしいと情報が入った。確認方法を。",
        "ふるさと納税の返礼品業者の一つが産地を偽っている疑い。調べる手順を考えたい。",
        "議会の委員会で、来年度の市民病院の赤字額が想定より膨らむと報告する予定。まだ資料は確定していない。要点メモを。",
        "市の土地を隣地の所有者に売る話、価格は坪12万円で内々に合意しています。契約書の前文を。",
        "教育委員会の内部で、中学校の部活動を地域に移す時期を2年早める案が出ています。論点の整理を。",
        "選挙管理委員会に、特定の候補者の陣営が有権者に金品を配っているという情報提供があった。対応メモを。",
        "小学校で、同じ児童が何度も給食費を持ってこない。家庭に事情がありそう。担任との相談メモを。",
        "今度の委託の見積もり、前回の業者にだけこっそり予算の額を伝えてしまった。どうリカバリーするか考えたい。",
        "下水道使用料を1年以上払っていないアパートのオーナー、水道を止める前に最後の通知を出したい。文面を。",
        "市営住宅の入居者から、隣の部屋の子どもが夜中に泣き叫んでいると何度も連絡がある。関係機関への共有メモを。",
        "上司が部下の残業代を勝手に削っていると、同じ係の職員から相談を受けました。聞き取りの質問項目を。",
        "来年度の保育所の民営化、対象の3園はもう決まっているが保護者にはまだ話していない。説明会の進行表を。",
        "新しい給食センターの建設地、候補は2か所に絞ったがまだ地元には伝えていない。比較表を作って。",
        "面接で落とした受験者から理由を聞かれた。本当の理由（協調性の評価が低い）は言わずに返す文面を。",
        "警察から、市営駐車場の防犯カメラの映像を任意で提出してほしいと言われました。手続きのメモを。",
        "市の補助金を受けた団体の会計に使途不明金が50万円あると監査で見つかった。報告の文案を。",
        "道路用地の買収で、相続人の一人が海外にいて連絡が取れない。次の手を整理したい。",
        "副市長人事、議会の同意を得る前に本人の内諾だけ取ってある。挨拶文の下書きを。",
        "来週の入札、参加予定の業者が1社しかいないと聞いた。延期するかの判断材料を整理して。",
    ],
)
def test_later_sets_of_live_matters_are_held(iwaki: Screener, text: str) -> None:
    assert _held(iwaki, text)


@pytest.mark.parametrize(
    "text",
    [
        "ふるさと納税の返礼品の基準を教えて。",
        "市民病院の経営改善の一般的な手法を教えて。",
        "市有地を売却する際の一般競争入札の流れを説明して。",
        "部活動の地域移行について、国の方針の概要を教えて。",
        "介護施設での身体拘束が原則禁止される理由を研修用にまとめて。",
        "選挙運動で禁止されている行為の例を一覧にして。",
        "下水道使用料の減免制度の概要を市民向けに説明して。",
        "市営住宅の騒音トラブルの一般的な対応例を教えて。",
        "保育所の民営化のメリット・デメリットを整理して。",
        "副市長の選任に議会の同意が必要な理由を教えて。",
        "相続人が海外にいる場合の相続登記の一般的な手続きを教えて。",
        "入札の参加者が少ないときに考えられる原因を一般論で挙げて。",
        "防犯カメラの映像を警察に提供する際の個人情報保護上の注意点を教えて。",
        "補助金の使途の確認方法について、一般的なチェックポイントを教えて。",
    ],
)
def test_later_sets_of_topic_questions_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW
