"""End to end in a Teams-like client: a person chats with the bot in the Microsoft 365 Agents Playground.

Each scenario types into the Playground's message box or presses card buttons in headless Chromium,
waits for what the bot shows, and saves screenshots (see conftest.py for where). They run in this
order once per storage backend, in one personal chat, as the same member of staff:

    consent      first contact shows the consent card; a question before agreeing is not answered
    streaming    a question's answer streams (informative → growing text → final with the AI label)
    blocked      a My Number is not sent; the explanation does not repeat the number
    confirm      a confidential request asks first (naming what is confirmed); 取り消す cancels it
    rewrite      書き直す gives the text back in an edit card; the edited text is answered
    template     テンプレート → a template's form → filled and sent → the answer
    usage        利用状況 → the usage card (the month written 2026年12月)
    help         ヘルプ → the title on a line of its own, then the commands
    records      afterwards: the records verify, and hold no trace of the blocked number
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.chat import CONSENT_BUTTON, Chat
from tests.e2e.stack import run_bot_cli

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

AI_FOOTER = "AIが生成した回答です"
QUESTION = (
    "市民課の窓口で使う案内文の素案を作ってください。対象は転入の手続きに来た市民の方です。"
    "必要な持ち物、受付時間、混雑する時間帯、オンラインでできる手続きを、やさしい言葉で、"
    "箇条書きを交えて説明してください。窓口の番号札の取り方と、待ち時間の目安も入れてください。"
    "最後に、分からないことがあれば職員に声をかけてほしいという一文を添えてください。"
)  # long enough that the dry-run answer streams for about two seconds
MY_NUMBER = "123456789018"


def squeeze(text: str) -> str:
    """Text without whitespace or the streaming cursor, to compare what the page showed over time."""
    return re.sub(r"[\s|▌]+", "", text)


def charged(text: str) -> int:
    """The characters an answer says it used: 「今回 474 文字／今月の残り …」."""
    found = re.search(r"今回\s*([\d,]+)\s*文字", text)
    assert found, f"no 「今回 N 文字」 line in the answer: {text!r}"
    return int(found.group(1).replace(",", ""))


def test_consent_card_on_first_contact(chat: Chat) -> None:
    browser = chat.browser
    card = browser.wait_bot("ご利用の前に", CONSENT_BUTTON)
    chat.expect(
        card.card and CONSENT_BUTTON in card.buttons, f"the consent card has no agree button: {card.buttons}"
    )
    chat.expect(
        any("所属" in i["label"] for i in card.inputs), f"the consent card asks no department: {card.inputs}"
    )
    chat.shot("consent-card", card)

    before = browser.send("住民向けの窓口案内の文案を作って")
    again = browser.wait_bot(CONSENT_BUTTON, after=before)
    chat.shot("consent-required", again)
    answers = chat.answers_after(before)
    chat.expect(
        not any(m.ai_label for m in answers), "a question was answered before the guideline was agreed"
    )
    chat.outcomes.add("not_allowed")

    done = chat.agree(again)
    chat.expect("ガイドライン" in done.text, f"the confirmation does not name the guideline: {done.text!r}")
    chat.expect("同意の前に送られた質問" in done.text, f"no line about the kept question: {done.text!r}")
    chat.shot("consent-agreed", done)
    kept = browser.wait_bot(AI_FOOTER, after=again.index)  # the question sent before agreeing
    chat.expect("窓口案内" in kept.text, f"the kept question was not answered: {kept.text!r}")
    chat.shot("consent-kept-question-answered", kept)
    chat.outcomes.add("answered")
    chat.charged += charged(kept.text)


def test_streamed_answer_with_ai_label(agreed: Chat) -> None:
    browser = agreed.browser
    before = browser.send(QUESTION)
    states = agreed.stream(AI_FOOTER, after=before, name="streaming")
    final = states[-1]
    partial = [s for s in states[:-1] if not s["final"]]
    seen = "\n".join(f"  {s['t_ms']:>5} ms  {s['text'][:70]!r}" for s in states)
    agreed.expect(partial, f"no intermediate state was shown before the final answer:\n{seen}")
    grown = [
        s for s in partial if squeeze(s["text"]) and squeeze(final["text"]).startswith(squeeze(s["text"]))
    ]
    agreed.expect(
        grown, f"no partial answer that the final answer continues (the stream did not grow):\n{seen}"
    )
    agreed.expect(
        all(len(squeeze(a["text"])) <= len(squeeze(b["text"])) for a, b in itertools.pairwise(grown)),
        f"the streamed text shrank:\n{seen}",
    )
    answer = browser.messages()[final["index"]]
    agreed.shot("streamed-answer", answer)
    agreed.expect(answer.ai_label, "the final answer has no 'AI generated' label")
    agreed.expect(answer.feedback, "the final answer has no feedback (like / dislike) buttons")
    agreed.expect(
        AI_FOOTER in answer.text and "今回" in answer.text, f"no AI footer / usage line: {answer.text!r}"
    )
    agreed.expect("窓口の番号札" in answer.text, "the answer does not carry the question (dry-run echoes it)")
    agreed.outcomes.add("answered")
    agreed.charged += charged(answer.text)


def test_my_number_is_blocked_and_not_echoed(agreed: Chat) -> None:
    browser = agreed.browser
    before = browser.send(f"個人番号 {MY_NUMBER} の方への通知文")
    blocked = browser.wait_bot("送信しませんでした", after=before)
    agreed.shot("blocked-my-number", blocked)
    agreed.expect(
        "マイナンバー" in blocked.text, f"the explanation does not say what was found: {blocked.text!r}"
    )
    digits = re.sub(r"\D", "", blocked.text)
    agreed.expect(MY_NUMBER not in digits, f"the bot repeated the My Number: {blocked.text!r}")
    agreed.expect(not blocked.ai_label, "a blocked message got an AI answer")
    agreed.expect(
        not any(m.ai_label for m in agreed.answers_after(before)), "something was answered by the model"
    )
    agreed.outcomes.add("blocked")


def test_confidential_asks_first_and_can_be_cancelled(agreed: Chat) -> None:
    browser = agreed.browser
    before = browser.send("部外秘：次年度予算の査定方針案を要約して")
    card = browser.wait_bot("送信前の確認", "取り消す", after=before)
    agreed.expect(
        {"AIに送ってよいと確認したので送信", "書き直す", "取り消す"} <= set(card.buttons),
        f"the confirm card lacks send / edit / cancel: {card.buttons}",
    )
    agreed.shot("confirm-card", card)
    agreed.expect(
        "ガイドラインに沿ってAIのサービス" in card.text and "送ってよい" in card.text,
        f"the confirm card does not say what is confirmed (sending it to the AI service): {card.text!r}",
    )
    agreed.expect("公開済み" not in card.text, f"a 部外秘 text is called 公開済み: {card.text!r}")
    browser.click(card.index, "取り消す")
    cancelled = browser.wait_bot("取り消しました", after=card.index)
    agreed.shot("confirm-cancelled", cancelled)
    agreed.expect(
        not any(m.ai_label for m in agreed.answers_after(before)), "the cancelled request was answered"
    )
    agreed.outcomes.update({"held", "cancelled"})


def test_rewrite_gives_the_text_back_for_editing(agreed: Chat) -> None:
    browser = agreed.browser
    before = browser.send("部外秘：次年度予算の査定方針案を要約して")
    card = browser.wait_bot("送信前の確認", "書き直す", after=before)
    browser.click(card.index, "書き直す")
    edit = browser.wait_bot("書き直して送信", after=card.index)
    values = [i.get("value", "") for i in edit.inputs]
    agreed.expect(any("次年度予算の査定方針案" in v for v in values), f"the text is not given back: {values}")
    agreed.shot("rewrite-card", edit)
    browser.fill(edit.index, "依頼の内容", "予算査定の一般的な考え方を3行で説明して")
    count = len(browser.messages())
    browser.click(edit.index, "送信")
    states = agreed.stream(AI_FOOTER, after=count, name="rewrite-streaming")
    answer = browser.messages()[states[-1]["index"]]
    agreed.shot("rewrite-answer", answer)
    agreed.expect("予算査定の一般的な考え方" in answer.text, f"the edited text was not sent: {answer.text!r}")
    agreed.outcomes.update({"held", "cancelled", "answered"})
    agreed.charged += charged(answer.text)


def test_template_card_filled_and_submitted(agreed: Chat) -> None:
    browser = agreed.browser
    before = browser.send("テンプレート")
    listing = browser.wait_bot("使いたいひな形を選んでください", after=before)
    agreed.expect("あいさつ文・案内文の素案" in listing.buttons, f"no greeting template: {listing.buttons}")
    agreed.shot("template-list", listing)

    browser.click(listing.index, "あいさつ文・案内文の素案")
    form = browser.wait_bot("この内容で依頼する", after=before)  # the list is replaced in place
    browser.select(form.index, "文書の種類", "案内文")
    browser.fill(form.index, "目的・行事", "市民まつりの開催")
    browser.fill(form.index, "読み手", "市民の皆さま")
    browser.fill(form.index, "盛り込む事項", "雨天の場合は翌日に順延します")
    browser.fill(form.index, "回答の長さ", 200)
    agreed.shot("template-form", form)

    count = len(browser.messages())
    browser.click(form.index, "この内容で依頼する")
    states = agreed.stream(AI_FOOTER, after=count, name="template-streaming")
    answer = browser.messages()[states[-1]["index"]]
    agreed.shot("template-answer", answer)
    agreed.expect(answer.ai_label, "the template's answer has no 'AI generated' label")
    for value in ("案内文", "市民まつりの開催", "市民の皆さま", "翌日に順延", "200字以内"):
        agreed.expect(value in answer.text, f"the form's {value!r} did not reach the model: {answer.text!r}")
    agreed.outcomes.add("answered")
    agreed.charged += charged(answer.text)


def test_usage_card(agreed: Chat) -> None:
    browser = agreed.browser
    before = browser.send("利用状況")
    card = browser.wait_bot("利用状況（", "あなたの利用", "市全体の利用", after=before)
    agreed.shot("usage-card", card)
    agreed.expect(card.card, "利用状況 was not answered with a card")
    agreed.expect(not card.ai_label, "利用状況 went to the model")
    agreed.expect("今月の残り日数" in card.text, f"the usage card does not say the days left: {card.text!r}")
    now = datetime.now(ZoneInfo("Asia/Tokyo"))
    agreed.expect(
        f"利用状況（{now.year}年{now.month}月）" in card.text,
        f"the usage card's month is not written 「{now.year}年{now.month}月」: {card.text!r}",
    )
    agreed.expect(
        not re.search(r"\d{4}-\d{2}", card.text) and "（JST）" not in card.text,
        f"an ISO date or 「（JST）」 in the usage card: {card.text!r}",
    )
    mine = re.search(r"あなたの利用\s*利用済み\s*([\d,]+)\s*文字", card.text)
    agreed.expect(mine, f"the usage card does not show my usage: {card.text!r}")
    assert mine is not None
    used = int(mine.group(1).replace(",", ""))
    agreed.expect(
        used == agreed.charged,
        f"the usage card says {used:,} characters, the answers of this session said {agreed.charged:,}",
    )


def test_help_title_on_its_own_line(agreed: Chat) -> None:
    browser = agreed.browser
    before = browser.send("ヘルプ")
    shown = browser.wait_bot("使えるコマンド", after=before)
    agreed.shot("help", shown)
    lines = [line.strip() for line in shown.text.splitlines() if line.strip()]
    agreed.expect(
        bool(lines) and lines[0].endswith("生成AIアシスタント"),
        f"the help title is not on a line of its own: {lines[:2]!r}",
    )
    agreed.expect("（JST）" not in shown.text, f"「（JST）」 in the help: {shown.text!r}")
    agreed.expect(not shown.ai_label, "ヘルプ went to the model")


def test_records_verify_and_keep_no_my_number(agreed: Chat) -> None:
    """After the session: every scenario left its record, the hash chains verify, no trace of the number."""
    verify = run_bot_cli(agreed.bot, "audit", "verify")
    assert verify.returncode == 0, (
        f"audit verify failed ({verify.returncode}):\n{verify.stdout}{verify.stderr}"
    )
    month = datetime.now(ZoneInfo("Asia/Tokyo")).strftime("%Y-%m")
    export = run_bot_cli(agreed.bot, "audit", "export", "--month", month, "--format", "jsonl")
    assert export.returncode == 0, f"audit export failed ({export.returncode}):\n{export.stderr}"
    assert export.stdout.strip(), f"no records for {month} after the session"
    assert MY_NUMBER not in export.stdout, "the blocked My Number is in the records"
    recorded = {json.loads(line).get("outcome") for line in export.stdout.splitlines() if line.strip()}
    missing = agreed.outcomes - recorded
    assert not missing, (
        f"the session left no record with outcome {sorted(missing)} (recorded: {sorted(recorded)})"
    )
    log = agreed.bot.log_path.read_text(encoding="utf-8", errors="replace")
    assert MY_NUMBER not in log, f"the blocked My Number is in the bot's log {agreed.bot.log_path}"
    errors = [line for line in log.splitlines() if " ERROR " in line or line.startswith("Traceback")]
    assert not errors, f"the bot logged errors during the session ({agreed.bot.log_path}):\n" + "\n".join(
        errors
    )
