"""Built-in word lists: non-disclosure signals, benign look-alikes, public figures, name context.

Signals are regular expressions over the base view (NFKC: ASCII letters and digits, "-"
for dashes). Each has the canonical ordinance category it points to; "" means a generic marking
(部外秘, 非公開…) whose category is inferred from nearby words. A city adds words with
`confirm_terms` and exceptions with `benign_phrases`.
"""

from __future__ import annotations

from typing import NamedTuple


def words(text: str) -> tuple[str, ...]:
    """The space-separated words of `text` (keeps long word lists compact)."""
    return tuple(text.split())


class Signal(NamedTuple):
    """A non-disclosure signal: its name (shown to users), category and pattern."""

    name: str
    category: str
    pattern: str


_KANJI = r"\u3400-\u9fff\uf900-\ufaff々"

SIGNALS: tuple[Signal, ...] = (
    # Generic markings: the category comes from the context.
    Signal("秘", "", rf"(?<![{_KANJI}])秘(?:(?![{_KANJI}めすしそ])|(?=扱|文書|情報|区分|指定|資料))"),
    Signal("極秘", "", r"極秘|厳秘|ゴクヒ|ごくひ"),
    Signal("秘密", "", r"秘密"),
    Signal(
        "部外秘",
        "",
        r"(?:部|庁|課|局|室|係|所属|関係者|組織)外秘|(?:ブガイ|チョウガイ|ぶがい|ちょうがい)(?:ヒ|ひ)",
    ),
    Signal("社外秘", "corporate", r"社外秘|企業秘密|営業秘密"),
    Signal("取扱注意", "", r"取り?扱い?注意|トリアツカイチュウイ|とりあつかいちゅうい"),
    Signal("機密", "", r"機密"),
    Signal("配布先限定", "", r"配布先限定|限定配布|配布限定|(?:幹部|関係者|課内|部内)(?:限り|のみ配布)"),
    # the same markings on an English document, in capitals as they are stamped (CONFIDENTIAL — Draft MOU)
    Signal(
        "機密（英語の表示）",
        "",
        r"(?<![A-Za-z])(?:STRICTLY |HIGHLY )?CONFIDENTIAL(?![A-Za-z])|(?:FOR )?INTERNAL USE ONLY"
        r"|NOT FOR (?:DISTRIBUTION|RELEASE|PUBLICATION)|(?<![A-Za-z])Confidential(?= ?[—\-–:])",
    ),
    Signal("非公開", "", r"非公開|非公表|未公表|未発表|不開示|非開示|(?:公表|公開|開示)(?:不可|禁止)"),
    Signal("持ち出し禁止", "", r"(?:外部)?持ち?出し?禁止|外部提供禁止"),
    Signal("複製禁止", "", r"複製禁止|複写禁止|コピー禁止"),
    Signal("閲覧制限", "", r"閲覧制限|閲覧者?限定"),
    Signal(
        "公表前",
        "",
        r"(?:公表|発表|報道発表|記者発表|プレス発表|解禁|報道解禁|公開|パブリックコメント|パブコメ)前",
    ),
    Signal(
        "内部資料",
        "",
        r"(?:内部|庁内|部内|課内|所内)(?:限り|資料|情報|文書)|内部(?:用|向け)資料|外部(?:提供|公開)不可",
    ),
    # Deliberation (意思形成・意思決定過程).
    Signal(
        "内部検討",
        "deliberation",
        rf"内部検討|内部協議|(?:検討|協議|調整)中の[{_KANJI}\u30a1-\u30fa\u30fc]{{0,8}}?"
        r"(?:案(?![内件外])|方針|計画|内容|事案|資料|事項|構想)"
        r"|(?:内部|庁内)の?(?:素案|原案|検討案|調整案)",
    ),
    Signal("未定稿", "deliberation", r"未定稿|未確定稿|(?:素案|原案|たたき台|試案)(?:段階|の段階)"),
    Signal(
        "方針案",
        "deliberation",
        r"(?:方針|答弁|再編|統廃合|廃止|移転|組織改正|機構改革|人員削減|民営化|査定)(?:案|の素案|の原案)",
    ),
    Signal("査定", "deliberation", r"(?:予算)?査定(?:の)?(?:方針|結果|内容|状況|資料)"),
    Signal(
        "会議資料",
        "deliberation",
        r"(?:庁議|政策会議|幹部会議|経営会議|部長会議|調整会議)(?:の)?(?:資料|議事録|記録|内容|結果)",
    ),
    Signal("議会提出前", "deliberation", r"議会(?:への)?提出前|審議中の|協議中の"),
    # Operations (監査, 検査, 取締り, 争訟, 交渉, 契約, 入札, 試験, 用地買収, 人事…).
    Signal("予定価格", "operations", r"予定価格|最低制限価格|低入札調査基準価格|設計(?:金額|価格)|落札予定"),
    Signal("入札", "operations", r"入札予定者|入札参加者(?:名簿|一覧)|指名(?:業者|業者選定)(?:案|予定)|談合"),
    Signal(
        "人事異動案",
        "operations",
        r"人事(?:異動)?案|異動(?:案|の?内示|予定者|候補)|内示(?:の?前|内容|の内容)|昇(?:任|格)(?:予定|候補|内定)",
    ),
    Signal(
        "懲戒",
        "operations",
        r"(?:懲戒|分限)(?:処分)?(?:案|予定|対象|事案|の内容|の検討|を受け|した職員|者|歴|審査|委員会)",
    ),
    Signal(
        "人事評価",
        "operations",
        r"(?:人事評価|勤務評定|業績評価|能力評価)(?:の)?(?:結果|シート|記録|一覧|点数|評語|データ|票|面談記録)",
    ),
    Signal(
        "試験問題",
        "operations",
        r"(?:試験|検定|テスト)(?:の)?(?:問題|解答|正答|答案|採点基準)|正答(?:表|例)|採点基準|模範解答|出題予定",
    ),
    Signal(
        "監査結果",
        "operations",
        r"監査(?:の)?(?:結果|報告書?案|意見案|指摘(?:事項)?|調書)|(?:立入|抜き打ち|実地)(?:検査|監査|調査)"
        r"|(?<!完成)(?<!竣工)(?<!しゅん工)(?<!中間)(?<!完了)(?<!出来形)検査(?:の)?(?:結果|予定日|日程|対象先|調書)|取締り?(?:の)?(?:予定|計画|対象|日程)",
    ),
    Signal(
        "交渉方針",
        "operations",
        r"交渉(?:の)?(?:方針|経過|記録|状況|内容|相手|材料|戦略)|(?:用地|土地)(?:買収|取得)|買収(?:価格|予定地|交渉|計画)"
        r"|補償(?:額|金額|交渉)",
    ),
    Signal(
        "訴訟",
        "operations",
        r"訴訟|係争|争訟|和解(?:方針|案|交渉|条件)|答弁書|準備書面|訴状|(?:反論書|弁明書|裁決案)",
    ),
    # Lists of people and whistle-blowing (the people in them are identifiable together).
    Signal(
        "個人の一覧",
        "personal",
        r"(?:受給者|対象者|滞納者|相談者|利用者|入居者|申請者|被保険者|患者|児童|生徒|要支援者|要介護者)"
        r"(?:の)?(?:一覧|名簿|リスト|台帳)",
    ),
    Signal("公益通報", "personal", r"(?:公益|内部)通報(?:者|の内容|の記録|の調査|事案)|内部告発"),
    Signal(
        "ハラスメント事案",
        "personal",
        r"(?:パワハラ|セクハラ|マタハラ|カスハラ|ハラスメント)(?:の)?(?:相談|申立て?|事案|調査|被害|加害|行為者)",
    ),
    # Law-protected secrets (税・戸籍…).
    Signal("課税情報", "law_secret", r"(?:課税|税務|滞納|所得)(?:情報|台帳|状況|記録|資料)|守秘義務の対象"),
    # Public safety.
    Signal(
        "捜査関係事項照会",
        "public_safety",
        r"捜査関係事項照会|捜査(?:照会|協力依頼|資料|中の)|警察(?:署|本部)?(?:から|より|への|に)の?"
        r"(?:照会|提供|依頼|情報提供|通報)",
    ),
    Signal("警備計画", "public_safety", r"警備(?:計画|体制案|配置)|爆破予告|犯行予告"),
    Signal(
        "DV・虐待",
        "public_safety",
        r"(?:児童)?虐待(?:の)?(?:通告|通報)|(?:DV|配偶者(?:からの)?暴力|ストーカー)(?:被害者)?(?:の)?"
        r"(?:避難先|居所|転居先|支援措置)|避難先(?:の)?(?:住所|居所)",
    ),
    # Intergovernmental (国・県との協力関係).
    Signal(
        "国等からの非公開の依頼",
        "intergovernmental",
        r"内々(?:の|に)(?:依頼|打診|照会|協議|連絡)|(?:国|県|省|庁)との(?:協議|調整)(?:中|内容|経過)",
    ),
    # Information given voluntarily on condition of confidence.
    Signal(
        "任意提供情報",
        "voluntary",
        r"任意(?:に)?(?:提供|提出)(?:された|を受けた|いただいた)|匿名(?:を)?条件|オフレコ",
    ),
)
"""The built-in signal words of the ordinances' non-disclosure categories."""

TOPIC_AFTER = (
    r"^(?:[」』\"'])?(?:[、・]?[「『][^」』\n]{1,10}[」』])*(?:など|等|や|といった)の?(?:表示|表記|区分|用語|言葉|マーク|記載|押印|スタンプ)"
    r"|^(?:[」』】\"'])?(?:情報|資料)?(?:とは|って(?:何|なに)|という(?:言葉|用語|表示|単語)"
    r"|の(?:意味|定義|一般的|一般論|種類|作り方|作成方法|コツ|ポイント|仕組み|考え方|書き方|読み方|例|ひな形|雛形|テンプレート|様式"
    r"|基準|指針|表示|制度|歴史|由来|研修|注意点|留意点|決め方|フォーマット|書式|フォント|算定方法|算出方法|設定方法|公表(?:時期|方法)"
    r"|事前公表"
    r"|取り?扱い|扱い方)"
    r"|制度|研修|規程|規定|要綱|要領|マニュアル|リスク|(?:を|の)?事前公表"
    r"|に関する(?:一般|研修|規程|規定|ルール|法令|説明|ガイドライン|条文|条例|注意)"
    r"|について(?:の)?(?:一般|説明|解説|教え|研修|学|分かりやすく|わかりやすく)"
    r"|ではな[いく]|にしない|にならない|扱いにしない|を(?:防ぐ|避け|守る)|に該当(?:する|しない)?(?:か|かどうか)"
    r"|(?:や|・|、)?(?:個人情報)?(?:は|を)?(?:入力|送信|記載|掲載|共有)(?:しない|禁止|不可|できない)"
    r"|(?:性)? ?[0-9IV]+ ?(?:以上|相当)"
    # the ordinance's own categories discussed (不開示情報のうち…, 不開示になる典型例, …に当たる例)
    r"|(?:情報)?の(?:うち|類型|典型例|具体例|範囲)|(?:情報)?(?:に|と)(?:なる|当たる|あたる|該当する)(?:典型例|例|場合|ケース|もの))"
)
"""Text right after a signal word that makes it a topic (予定価格とは何か) rather than content."""

TOPIC_SENTENCE_END = (
    r"(?:規定|規程|要綱|要領|ルール|手続き?|仕組み|制度|の意味|の定義)(?:の(?:解説|説明|概要))?$"
    r"|(?:ひな形|雛形|ひながた|テンプレート|書式|様式)(?:を|の)?(?:作|用意|下さ|くださ|お願い)[^。\n]*$"
    r"|(?:典型例|具体例|典型的な例)(?:は|を(?:教えて|挙げて)(?:ください)?)?$"
)
"""A sentence that ends like this is about rules (…の開催の手続きに関する規定), not content."""

PUBLISHED = (
    r"(?:公表|公開|掲載|発表|周知|配布|答弁)(?:済み|済|されている|されました|された|しています|しました|して(?:いる|ある)|した(?![いら]))"
    r"|(?:決定後|落札後)に(?:公表|公開)される"
    r"|(?:ホームページ|HP|広報誌?|報道発表)(?:に|で)(?:掲載|公開|公表)"
)
"""The writer says the content is already public: signals in that sentence are not held."""

NO_SPECIFIC_CASE = (
    r"(?:具体的な|特定の|個別の|実際の|現在の|進行中の)(?:案件|事案|ケース|事例|相手|対象者?|事件)(?:は|が|も|では|じゃ)?(?:特に)?"
    r"(?:あり(?:ません|ませんが|ませんので)|ない(?:です|けど|けれど|ので|が|。|$)|なし|ございません"
    r"|(?<=では)なく|(?<=じゃ)なく)"
    r"|(?:案件|事案)(?:は|が)(?:特に)?(?:ありません|ない)(?:です)?(?:が|けど|ので)?[、。]? ?(?:一般(?:論|的))"
    r"|(?i:no (?:specific|actual|particular|real) case|hypothetical(?:ly)?"
    r"|not about (?:a|any) (?:specific|particular|real) case)"
)
"""The writer says there is no particular case (（具体的な案件はありません）, 特定の事案ではない): the
topic words in the message are a general question, not a matter to hold."""

DEFINITION_BEFORE = (
    r"(?i:\b(?:explain|define|describe)\b[^.?!\n]{0,40}\bwhat\b|\bwhat(?: exactly)? (?:is|are|does)\b"
    r"|\bwhat (?:a|an|the) [^.?!\n]{0,60}$|\bthe (?:meaning|definition) of\b)"
)
"""An English question about what the word means, earlier in its sentence (Explain in plain English
what a 'minimum bid price' (最低制限価格) is): a topic."""

TOPIC_BEFORE = (
    r"(?:一般的な|一般論として|そもそも|定める|定められた|規定する|いわゆる|第[0-9]+条(?:第[0-9]+号)?の"
    r"|個人情報(?:や|・|及び|および|、|と|又は|または))$"
)

ENUMERATION_WORDS = (
    r"監査|立入検査|検査|取締り?|争訟|訴訟|交渉|契約|試験|用地買収|人事(?:管理)?|許可|認可|監視|徴税|渉外|入札"
    r"|非公開|機密性?|法令秘|個人情報|法人情報"
)
"""Ordinance items: three of them in a list (監査、検査、争訟、交渉) describe the rules, not content."""

BENIGN_PHRASES: tuple[str, ...] = words(
    "秘書 秘訣 神秘 便秘 黙秘 秘湯 秘境 秘伝 秘蔵 守秘義務 秘密保持 "
    "秘密の保持 秘密保護 秘密鍵 秘密厳守 秘密を守 秘密基地 非公開設定 "
    "公開前に確認 機密性の分類 訴訟リスク"
)
"""Phrases that contain a signal word without being one."""

CATEGORY_CUES: tuple[tuple[str, str], ...] = (
    ("public_safety", r"警察|不審者|防犯|犯罪|捜査|避難先|虐待|DV"),
    ("intergovernmental", r"(?:国|県|都|府|省|庁|他市|他自治体)(?:から|より|の依頼|との)"),
    ("corporate", r"[A-Za-z]社|社の|法人|企業|事業者|業者|会社|取引先"),
    ("operations", r"入札|契約|予定価格|人事|異動|懲戒|評価|試験|監査|検査|交渉|用地|訴訟|係争"),
    ("deliberation", r"審議|検討|方針|素案|原案|答弁|会議|予算|計画案|協議|構想"),
)
"""Words near a generic marking (部外秘, 非公開…) that tell its ordinance category."""

PUBLIC_FIGURES: tuple[str, ...] = words(
    "宮沢賢治 宮澤賢治 夏目漱石 森鴎外 森鷗外 芥川龍之介 太宰治 川端康成 "
    "三島由紀夫 樋口一葉 与謝野晶子 石川啄木 正岡子規 松尾芭蕉 小林一茶 紫式部 "
    "清少納言 谷崎潤一郎 島崎藤村 志賀直哉 中原中也 北原白秋 萩原朔太郎 "
    "草野心平 山村暮鳥 野口雨情 金子みすゞ 小泉八雲 新美南吉 江戸川乱歩 "
    "司馬遼太郎 村上春樹 聖徳太子 徳川家康 織田信長 豊臣秀吉 坂本龍馬 西郷隆盛 ジョン万次郎 中浜万次郎 "
    "大久保利通 勝海舟 吉田松陰 伊藤博文 福沢諭吉 福澤諭吉 野口英世 北里柴三郎 "
    "渋沢栄一 津田梅子 新渡戸稲造 伊達政宗 武田信玄 上杉謙信 源頼朝 足利尊氏 "
    "真田幸村 新島襄 塙保己一 二宮尊徳 二宮金次郎 杉田玄白 伊能忠敬 平賀源内 "
    "葛飾北斎 歌川広重 湯川秀樹 手塚治虫 黒澤明 美空ひばり ナイチンゲール "
    "アインシュタイン エジソン シェイクスピア ベートーヴェン モーツァルト "
    "ガンジー リンカーン ヘレン・ケラー 吉田茂 田中角栄 佐藤栄作 山本五十六 "
    "大谷翔平 羽生結弦 イチロー 長嶋茂雄 王貞治 新島八重 やなせたかし ヘレン・ケラー Helen Keller "
    # the two cities' regions: 福島・いわき, 群馬・前橋
    "古関裕而 松平容保 内村鑑三 田山花袋 萩原恭次郎 伊藤信吉 中曽根康弘 福田赳夫 小渕恵三 福田康夫 "
    # figures of the history textbooks and of the regions around the two cities
    "卑弥呼 推古天皇 中大兄皇子 中臣鎌足 藤原鎌足 天智天皇 天武天皇 聖武天皇 行基 鑑真 空海 最澄 "
    "桓武天皇 坂上田村麻呂 菅原道真 平将門 藤原道長 藤原頼通 平清盛 源義経 源義朝 北条政子 北条時宗 "
    "北条泰時 法然 親鸞 日蓮 道元 一遍 栄西 後醍醐天皇 楠木正成 新田義貞 足利義満 足利義政 雪舟 "
    "世阿弥 観阿弥 千利休 今川義元 毛利元就 明智光秀 石田三成 加藤清正 前田利家 黒田官兵衛 直江兼続 "
    "上杉景勝 上杉鷹山 支倉常長 真田昌幸 真田信繁 徳川家光 徳川吉宗 徳川綱吉 徳川慶喜 大石内蔵助 "
    "井原西鶴 近松門左衛門 本居宣長 前野良沢 滝沢馬琴 曲亭馬琴 十返舎一九 喜多川歌麿 "
    "東洲斎写楽 大塩平八郎 水野忠邦 井伊直弼 高杉晋作 桂小五郎 木戸孝允 岩倉具視 板垣退助 大隈重信 "
    "陸奥宗光 小村寿太郎 東郷平八郎 乃木希典 平塚らいてう 市川房枝 原敬 犬養毅 "
    "高橋是清 吉野作造 幸徳秋水 田中正造 与謝蕪村 小林多喜二 宮本武蔵 牧野富太郎 南方熊楠 "
    "保科正之 相馬師常 内藤政長 安藤信正 "
    "新田義重 小栗忠順 小栗上野介 高山彦九郎 国定忠治 関孝和 船津伝次平 新井白石 "
    "ペリー ザビエル フランシスコ・ザビエル シーボルト マッカーサー クラーク ナポレオン "
    "コロンブス ガリレオ ダーウィン ニュートン キュリー マリー・キュリー ゴッホ ピカソ "
    "ドラえもん のび太 野比のび太 しずか ジャイアン スネ夫 江戸川コナン コナン サザエ 波平 カツオ"
    " ワカメ タラオ 磯野波平 磯野フネ 磯野カツオ 磯野ワカメ フグ田サザエ フグ田マスオ フグ田タラオ 伊佐坂 "
    "マスオ フネ まる子 さくらももこ アンパンマン ハリー・ポッター ハリーポッター 桃太郎 浦島太郎"
    " 金太郎 かぐや姫 "
    "一寸法師 シンデレラ 白雪姫 ピノキオ ピーターパン トトロ 孫悟空 ルフィ"
)
PUBLIC_FIGURES += (
    "William Shakespeare",
    "Shakespeare",
    "Albert Einstein",
    "Einstein",
    "Marie Curie",
    "Curie",
    "Isaac Newton",
    "Newton",
    "Thomas Edison",
    "Edison",
    "Charles Darwin",
    "Darwin",
    "Galileo Galilei",
    "Galileo",
    "Leonardo da Vinci",
    "Wolfgang Amadeus Mozart",
    "Mozart",
    "Ludwig van Beethoven",
    "Beethoven",
    "Johann Sebastian Bach",
    "Vincent van Gogh",
    "Pablo Picasso",
    "Picasso",
    "Claude Monet",
    "Monet",
    "Florence Nightingale",
    "Nightingale",
    "Abraham Lincoln",
    "Lincoln",
    "George Washington",
    "Mahatma Gandhi",
    "Gandhi",
    "Martin Luther King",
    "Nelson Mandela",
    "Mandela",
    "Napoleon Bonaparte",
    "Napoleon",
    "Christopher Columbus",
    "Columbus",
    "Jane Austen",
    "Charles Dickens",
    "Mark Twain",
    "Ernest Hemingway",
    "Agatha Christie",
    "Sherlock Holmes",
    "Harry Potter",
    "Mother Teresa",
    "Anne Frank",
    "Walt Disney",
    "Steve Jobs",
    "Lafcadio Hearn",
    "Natsume Soseki",
    "Soseki Natsume",
    "Miyazawa Kenji",
    "Kenji Miyazawa",
    "Noguchi Hideyo",
    "Hideyo Noguchi",
    "Matsuo Basho",
    "Basho",
    "Murakami Haruki",
    "Haruki Murakami",
    "Shohei Ohtani",
    "Ohtani Shohei",
    "Yuzuru Hanyu",
    "Hanyu Yuzuru",
    "Ichiro Suzuki",
    "Tokugawa Ieyasu",
    "Oda Nobunaga",
    "Sakamoto Ryoma",
    "Niijima Yae",
    "Yae Niijima",
    "Koseki Yuji",
    "Yuji Koseki",
)
"""…and the famous as written in English (a poster for the English club, a science fair flyer)."""
FICTION_CUES = (
    r"(?<!LINE)(?<!SNS)(?<!メール)(?<!チャット)(?<!ビジネス)(?<!社内)(?<!手紙)(?<!ブログ)(?<!新聞)(?<!ニュース)(?<!報告書)"
    r"(?<!公文書)(?<!口語)(?<!会話)(?<!箇条書き)(?<!敬語)(?<!丁寧)(?<!やさしい)(?<!チラシ)(?<!広報)(?<!お知らせ)(?<!案内)"
    r"(?<!議事録)(?<!日報)(?<!メモ)(?<!Slack)(?<!Teams)(?<!ツイート)風に|のような|みたいな|キャラ|作者|主人公|登場人物|アニメ|漫画|マンガ|童話|昔話|絵本|小説|映画|紙芝居|名言|(?<!お)(?<!ご)(?<!歓迎の)(?<!お礼の)(?<!挨拶の)(?<!感謝の)(?<!お祝いの)(?<!お詫びの)言葉を"
    r"|探偵|架空の人物|架空の名前|架空のキャラ|セリフ|台詞|マスコット|着ぐるみ"
    r"|(?i:quote|character|novel|cartoon|fairy tale|fictional|detective|mystery)"
)
"""A sentence about a story, a quotation or a mascot: the people in it are characters and authors. X風に
is a style only after a story's person or work, not after a medium (LINE風に, 社内チャット風に,
メール風に: a real message rewritten, its people real)."""
"""People named as subjects (宮沢賢治の作品): never masked. Cities add theirs with allow_names."""

# Whom a letter or a greeting is addressed to when it is not a person (Dear Residents, Hi all).
ADDRESSEES = (
    r"(?:Sir|Madam|All|Team|Customers?|Colleagues|Residents?|Citizens|Everyone|Everybody|Friends|Members"
    r"|Partners|Sirs|Staff|Parents|Guardians|Applicants|Users|Visitors|Neighbou?rs|Volunteers)\b"
)
HONORIFICS: tuple[str, ...] = ("さん", "様", "さま", "氏", "くん", "君", "ちゃん", "殿", "先生", "님", "씨")
"""Honorifics after a name (Korean 님/씨 too: LEE MIN-JUN 님)."""

ROLES: tuple[str, ...] = words(
    "課長補佐 課長 係長 部長 次長 局長 室長 所長 館長 園長 校長 教頭 主任 "
    "主査 主事 主幹 参事 専門員 技師 保健師 看護師 相談員 支援員 指導員 "
    "調査員 教諭 委員長 委員 理事 係員 民生委員"
)
"""Job titles that follow a staff member's name (原口係長)."""

PERSON_LABELS: tuple[str, ...] = words(
    "申請者 相談者 保護者 氏名 担当者 担当 名前 利用者 被保険者 受給者 "
    "世帯主 届出人 依頼者 本人 患者 児童 生徒 入居者 請求者 宛名 契約者 "
    "加入者 対象者 当事者 代理人 申出人 通報者 要望者 受験者 宛先 送付先 "
    "連絡者 記入者 作成者 差出人 来庁者 来所者 同行者 配偶者 妻 夫 長男 "
    "長女 次男 次女 父 母 祖父 祖母 被相続人 相続人 故人 参加者 出席者 欠席者 "
    "回答者 発言者 質問者 受講者 応募者 名義人 口座名義 名義 Name name"
)
"""Words that introduce a person's name (相談者 石井美加)."""

ROMAN_SURNAMES: frozenset[str] = frozenset(
    words(
        "Sato Satou Suzuki Takahashi Tanaka Watanabe Ito Itou Yamamoto Nakamura Kobayashi Kato Katou "
        "Yoshida Yamada Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Yamazaki Mori Abe "
        "Ikeda Hashimoto Yamashita Ishikawa Nakajima Maeda Fujita Ogawa Goto Okada Hasegawa Murakami "
        "Kondo Ishii Saito Sakamoto Endo Aoki Fujii Nishimura Fukuda Ota Miura Okamoto Matsuda Nakagawa "
        "Nguyen Tran Pham Hoang Huynh Phan Dang Bui Duong Kim Park Choi Jung Kang Yoon Wang Zhang Liu "
        "Chen Yang Huang Zhao Zhou Silva Santos Oliveira Souza Pereira Costa Rodrigues Ferreira Garcia "
        "Martinez Lopez Gonzalez Perez Reyes Ramos Smith Johnson Williams Jones Miller Davis Wilson "
        "Anderson Taylor Thomas"
    )
)
"""Common surnames in Latin letters: two or three capitalised words with one of these are a name."""
