"""What a question asks, and the relevance decision built on it: a work request, the kind of answer
(何日, いくら, いつ, 何回), and a topic the documents never speak of."""

from __future__ import annotations

from bot.core.knowledge import Knowledge
from bot.core.knowledge.analysis import Analyzer, Unit
from bot.core.knowledge.index import Hit
from bot.core.knowledge.question import (
    REQUEST_COVERAGE,
    TOPIC_SHARE,
    UNFAMILIAR_COVERAGE,
    WEAK_TOPIC_COVERAGE,
    Asked,
    asked,
)
from bot.core.knowledge.service import MIN_COVERAGE, answers


def test_work_requests_are_told_from_questions() -> None:
    for request in (
        "来月の研修の案内メールの文案を作ってください。日時は5月20日です。",
        "「引き続きよろしくお願いいたします」を英語に訳して",
        "敬老会のあいさつの原稿を下書きしてほしい",
        "「ご査収ください」ってどういう意味？",
    ):
        assert asked(request).request, request
    for question in (
        "特命随意契約の理由書を書いても大丈夫ですか",  # 書いて, but asking whether it is allowed
        "出張の申請はいつまでに出せばいいですか",
        "委託先に直接指示を出してもいい？",
    ):
        assert not asked(question).request, question


def test_the_kind_of_answer_a_question_asks_for() -> None:
    assert asked("有給は何日付くの？").time_units == ("日",)
    assert asked("保存期間は何年ですか").time_units == ("年",)
    assert asked("見積もりは何社からとればいい？").count
    assert asked("ホテル代はいくらまで出ますか").amount
    assert asked("申請はいつまで？").when
    assert asked("いつも来る人に渡していい？") == Asked()  # いつも is not いつ
    assert asked("退職届はだれに出しますか") == Asked()


def test_a_passage_answers_only_when_it_states_that_kind_of_fact() -> None:
    days = asked("支給日は何日ですか")
    assert days.answered_by("申請の日から5日以内に支給する。")
    assert not days.answered_by("第10条　任用期間が6月以上の職員には期末手当を支給する。"), "months, not days"
    assert not days.answered_by("2　前項の手当は、第5条に定める職員に支給する。"), "numbering is no figure"
    assert asked("週に何回までできますか").answered_by("1週当たり2日を上限とする。")
    amount = asked("ホテル代はいくらまで出ますか")
    assert amount.answered_by("宿泊料は、一夜当たり一万千円を上限とする。")
    assert amount.answered_by("駐車場の料金は、実費を支給する。")
    assert not amount.answered_by("宿泊料は、所属長の承認を得て支給する。")
    assert asked("いつまでに出せばいい？").answered_by("発表日の2日前までに提出する。")
    assert Asked().answered_by("何も数字のない文。")
    share = asked("休職中の給料って何割出るんですか")
    assert share.rate
    assert not share.count
    assert asked("契約額の何パーセントですか").rate
    assert asked("金利は何％？").rate
    assert share.answered_by("給与の100分の80を支給する。")
    assert share.answered_by("給料の8割を支給する。")
    assert not share.answered_by("休職の期間は3年以内とする。"), "a figure, but no share"


def test_the_topic_of_a_question() -> None:
    analyzer = Analyzer()
    assert set(analyzer.topic("職員互助会の旅行補助っていくらまで出るの")) >= {"互助会", "旅行", "補助"}
    assert analyzer.topic("昇給って毎年何月にあるんですか") == ["昇給"]  # 毎年 is an adverb here
    assert set(analyzer.topic("住民票を自分でコンビニで取るにはどうすればいいですか")) >= {
        "コンビニ",
        "住民票",
    }
    assert analyzer.topic("退職届を出したい") == []


def _hit(coverage: float, text: str = "第一条　職員は、所属長に届け出る。") -> Hit:
    return Hit(1, "d", "規程", "/r.txt", "第一条", "", text, 10.0, coverage, 1)


def test_a_work_request_or_an_unfamiliar_topic_needs_strong_coverage() -> None:
    between = _hit((MIN_COVERAGE + UNFAMILIAR_COVERAGE) / 2)
    assert answers(between, Asked())
    assert not answers(between, Asked(unfamiliar=True))
    assert not answers(between, Asked(request=True))
    assert answers(_hit(UNFAMILIAR_COVERAGE), Asked(unfamiliar=True))
    assert answers(_hit(REQUEST_COVERAGE), Asked(request=True))
    assert not answers(_hit(0.9), asked("何日までですか")), "shares the words, states no day"


async def test_unfamiliar_topics_are_judged_against_the_documents(knowledge: Knowledge) -> None:
    await knowledge.sync(force=True)
    assert knowledge.index.asked("互助会の宿泊補助って").unfamiliar  # 互助会: no passage has it
    assert not knowledge.index.asked("宿泊料の上限って").unfamiliar
    assert not knowledge.index.asked("宿泊費って").unfamiliar, "a compound whose part (宿泊) the rules use"
    assert not knowledge.index.asked("グリーン車って使える？").unfamiliar, "a synonym the rules use"


async def test_relevance_over_the_fixtures(knowledge: Knowledge) -> None:
    assert [h.label for h in await knowledge.relevant("宿泊料はいくらまで出ますか")][:1] == ["第八条"]
    assert await knowledge.relevant("宿泊料の支給日は何日ですか") == [], "第八条 states no day"
    assert await knowledge.relevant("出張報告のメールを作ってください") == []
    quoted = (
        "「特別車両料金は片道百キロメートル以上の区間を特別急行列車で旅行する場合に限り支給する」"
        "を英語に訳して"
    )
    assert (await knowledge.search(quoted))[0].coverage >= REQUEST_COVERAGE, "the material is the rule…"
    assert await knowledge.relevant(quoted) == [], "…but the request (訳して) asks for no rule"


def test_a_compound_is_not_its_part_s_synonym() -> None:
    """ホテル代 means what ホテル means (one multi-character part), but 単身赴任手当 is not any 手当:
    it takes no group from a part when it has several; its parts still count, halved, in coverage."""
    units = {u.word: u for u in Analyzer().units("単身赴任手当とホテル代と家族手当")}
    assert units["単身赴任手当"].groups == ()
    assert units["ホテル代"].groups, "ホテル's group (宿泊料)"
    assert units["家族手当"].groups, "a member of a group itself (扶養手当)"


def test_the_compound_a_question_asks_about() -> None:
    analyzer = Analyzer()
    (allowance,) = analyzer.focus("係長になったら管理職手当ってつくの？つくなら額は？")
    assert [e.word for e in allowance.elements] == ["管理職", "手当"]  # the head last
    (leave,) = analyzer.focus("育児休業って子どもが何歳まで取れますか")
    assert [e.word for e in leave.elements] == ["育児", "休業"]  # one word, two parts
    assert analyzer.focus("利用料っていくらですか") == []  # a lone noun names no one thing of a kind
    assert analyzer.focus("戸籍謄本の手数料っていくら？") == []  # の-modifiers are not the compound
    assert analyzer.focus("住民票をコンビニで取るにはどうすればいいですか") == []  # a clause


def test_a_passage_must_name_the_compound_not_another_of_its_kind() -> None:
    analyzer = Analyzer()
    question = asked("管理職手当っていくら？", focus=tuple(analyzer.focus("管理職手当っていくら？")))

    def names(text: str) -> bool:
        return question.names_focus(set(analyzer.terms(text)), text, analyzer.terms)

    assert names("第5条　管理職手当の月額は、給料月額に100分の10を乗じて得た額とする。")
    assert not names("第3条　住居手当の月額は、28,000円を限度とする。"), "another 手当"
    assert not names(
        "第3条　住居手当の月額は、28,000円を限度とする。\n2　この規則は、管理職の職員にも適用する。"
    ), "管理職 and 手当 only in separate sentences"
    assert not names("第1条　この規程は、職員の服務について定める。"), "not about it at all"
    attachment = asked("添付資料ってPDFでいい？", focus=tuple(analyzer.focus("添付資料ってPDFでいい？")))
    text = "第3条　起案文書に添付するファイルは、原則としてPDF形式とする。"
    assert attachment.names_focus(set(analyzer.terms(text)), text, analyzer.terms), "head put otherwise"
    assert Asked().names_focus(set(), "")


async def test_a_rule_on_another_allowance_is_not_given(knowledge: Knowledge) -> None:
    await knowledge.add(
        "/teate.md",
        "架空市住居手当支給規則",
        "第3条（手当の額）\n住居手当の月額は、家賃の額から12,000円を控除した額とし、28,000円を限度とする。\n"
        "2　前項の規定は、管理職の職員にも適用する。\n",
        "md",
    )
    await knowledge.sync(force=True)
    assert await knowledge.relevant("住居手当っていくらもらえますか"), "the allowance the rule is about"
    assert await knowledge.relevant("管理職手当っていくらもらえますか") == []


def test_a_passage_that_holds_little_of_the_topic_needs_more_coverage() -> None:
    question = Asked(topic=(Unit("予防接種"), Unit("補助")), idf=(("予防接種", 3.0), ("補助", 1.0)))
    assert question.floor_for(TOPIC_SHARE - 0.1) == WEAK_TOPIC_COVERAGE
    assert question.floor_for(TOPIC_SHARE) == 0.0
    assert Asked().floor_for(0.0) == 0.0, "no topic phrase: nothing to hold"
    assert Asked(topic=question.topic, unfamiliar=True).floor_for(0.0) == UNFAMILIAR_COVERAGE
    coverage = (MIN_COVERAGE + WEAK_TOPIC_COVERAGE) / 2
    circumstances = Hit(
        1, "d", "規程", "/r.txt", "", "", "補助する。", 10.0, coverage, 1, frozenset({"補助"})
    )
    assert not answers(circumstances, question), "holds 補助 (a quarter of the topic's weight), not 予防接種"
    about = Hit(1, "d", "規程", "/r.txt", "", "", "予防接種の…", 10.0, coverage, 1, frozenset({"予防接種"}))
    assert answers(about, question)
