"""Card builders of access, templates and the summary: pure functions from domain data to card dicts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.access import Application, Status
from bot.core.audit import AuditSummary
from bot.core.policy import load_policy
from bot.ui.access import cards
from bot.ui.summary.cards import summary_card
from bot.ui.templates.cards import form_card, list_card

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
IWAKI, MAEBASHI = load_policy("iwaki"), load_policy("maebashi")
PENDING = Application(
    "a" * 32, "u1", "市役所 太郎", "総務課", "正規職員", "文書作成", NOW - timedelta(days=9)
)


def _executes(card: dict) -> list[dict]:
    found: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Execute":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found


def test_consent_points_cover_every_topic_once() -> None:
    iwaki = cards.consent_points(IWAKI)
    assert iwaki[: len(IWAKI.guideline.summary)] == list(IWAKI.guideline.summary)
    assert iwaki[len(IWAKI.guideline.summary) :] == [IWAKI.reminders.responsibility]
    assert cards.consent_points(MAEBASHI) == list(MAEBASHI.guideline.summary)


def test_consent_card_asks_for_the_department_and_carries_the_version() -> None:
    card = cards.consent_card(IWAKI, department="総務課")
    assert card["version"] == "1.5"
    [agree] = _executes(card)
    assert agree["verb"] == cards.AGREE
    assert agree["data"] == {"version": IWAKI.guideline.version}
    [department] = [b for b in card["body"] if b.get("id") == "department"]
    assert department["isRequired"] is True
    assert department["value"] == "総務課"


def test_approval_card_actions_follow_the_status() -> None:
    pending = cards.approval_card(PENDING, admin_account_ids=[f"29:{i}" for i in range(70)])
    assert [a["verb"] for a in pending["actions"]] == [cards.APPROVE, cards.REJECT]
    assert all(a["data"] == {"application_id": "a" * 32, "user_id": "u1"} for a in pending["actions"])
    assert len(pending["refresh"]["userIds"]) == 60
    assert pending["refresh"]["action"]["verb"] == cards.VIEW
    approved = cards.approval_card(PENDING.decided(Status.APPROVED, "管理者", "x", NOW), admin_account_ids=[])
    assert [a["verb"] for a in approved["actions"]] == [cards.REVOKE]
    assert "refresh" not in approved
    rejected = cards.approval_card(
        PENDING.decided(Status.REJECTED, "管理者", "x", NOW, "理由"), admin_account_ids=[]
    )
    assert "actions" not in rejected


def test_pending_list_gives_each_application_its_own_reason_input() -> None:
    other = Application("b" * 32, "u2", "市役所 花子", "税務課", "会計年度任用職員", "要約", NOW)
    card = cards.pending_card([PENDING, other], NOW, view="list")
    ids = [b["id"] for c in card["body"][1:] for b in c["items"][3]["actions"][1]["card"]["body"]]
    assert ids == [f"reason_{'a' * 32}", f"reason_{'b' * 32}"]
    assert all(a["data"]["view"] == "list" for a in _executes(card))
    assert "9日経過" in str(card)


def test_template_cards() -> None:
    listing = list_card(IWAKI)
    assert {a["data"]["template"] for a in _executes(listing)} == {t.id for t in IWAKI.templates}
    template = IWAKI.template("ideas")
    assert template is not None
    form = form_card(IWAKI, template)
    inputs = {b["id"]: b for b in form["body"] if "id" in b}
    assert inputs["count"]["type"] == "Input.ChoiceSet"
    assert inputs["length"]["value"] == template.default_length
    submit = form["actions"][0]
    assert submit["type"] == "Action.Submit"
    assert submit["data"] == {"verb": "template.submit", "template": "ideas"}


def test_summary_card_labels_categories_and_templates() -> None:
    summary = AuditSummary(
        month="2026-11",
        turns=3,
        users=2,
        incomplete=0,
        chars_in=120,
        chars_out=300,
        by_department=(("総務課", 2), ("-", 1)),
        outcomes=(("answered", 2), ("blocked", 1)),
        blocked_by_category=(("personal", 1),),
        held_by_category=(),
        uses=(("template:summary", 2), ("chat", 1)),
        events=(("feedback", 1),),
    )
    text = str(summary_card(IWAKI, summary))
    for expected in (
        "2026年11月",
        "総務課",
        "（所属未登録）",
        "第7条イ（個人識別情報）",
        "テンプレート：要約",
        "回答への評価",
    ):
        assert expected in text
