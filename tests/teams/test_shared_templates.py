"""Templates each 課 can share, over the real HTTP endpoint: the six new policy templates, and admins
adding, editing, retiring and restoring templates from Teams with a card; stored, per 所属 first, counted."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.policy import builtin_policies, load_policy
from bot.core.shared_templates import TemplateCatalogue
from bot.ui.templates import admin
from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.teams.access_helpers import actions_of, card_of, card_text, execute, seed_consent, services_of
from tests.teams.harness import ADMIN_OID, USER_OID, BotHarness

NEW = (
    "議会答弁の想定問答",
    "メール文",
    "企画書の骨子",
    "VBA・マクロ",
    "やさしい日本語への書き換え",
    "多言語の案内文",
)
OTHER_OID = "bbbbbbbb-0000-0000-0000-0000000000b2"


def _env(fake: FakeOpenAI) -> dict[str, str]:
    return {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": fake.base_url, "MODEL_MAX_RETRIES": "0"}


async def _card(
    harness: BotHarness, verb: str, data: dict[str, Any] | None = None, user: str = ADMIN_OID
) -> Any:
    status, body = await harness.post(execute(harness, verb, data, user=user))
    assert status == 200, body
    return body["value"]


async def _list_titles(harness: BotHarness, user: str) -> list[str]:
    card = await _card(harness, "template.list", user=user)
    return [a["title"] for a in _buttons(card, "template.open")]


def _buttons(card: dict[str, Any], verb: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("verb") == verb and node.get("type") == "Action.Execute":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card.get("body", []))
    return found


@pytest.mark.parametrize("policy", builtin_policies())
def test_the_new_templates_are_in_both_policies(policy: str) -> None:
    assert set(NEW) <= {t.title for t in load_policy(policy).templates}


async def test_the_new_templates_are_listed(harness: BotHarness) -> None:
    await harness.start(BOT_POLICY="iwaki")
    await seed_consent(harness)
    assert set(NEW) <= set(await _list_titles(harness, USER_OID))


async def test_a_new_policy_template_builds_its_prompt(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    fake_openai.script(Behaviour(text="件名：資料送付のお願い"))
    await harness.start(**_env(fake_openai))
    await seed_consent(harness)
    form = await _card(harness, "template.open", {"template": "email"}, user=USER_OID)
    submit = actions_of(form)["template.submit"]
    values = {
        **submit["data"],
        "purpose": "依頼",
        "recipient": "委託事業者のご担当者さま",
        "points": "月末までに報告書を送ってほしい",
        "tone": "丁寧",
        "length": "300",
    }
    await harness.post(harness.message("", value=values))
    await harness.connector.wait_messages(1)
    prompt = fake_openai.user_texts()[-1]
    assert prompt.startswith("次の条件で業務メールの文面を300字以内で作成してください。")
    assert "用件：依頼" in prompt


async def test_admins_add_edit_retire_and_restore_templates(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Behaviour(text="要約です。"))
    await harness.start(**_env(fake_openai))
    await seed_consent(harness, department="市民課")
    await seed_consent(harness, OTHER_OID, department="税務課")
    await seed_consent(harness, ADMIN_OID, department="情報政策課")

    await harness.post(harness.message(admin.COMMAND, user=ADMIN_OID))
    [manage] = await harness.connector.wait_messages(1, f"a:personal-{ADMIN_OID}")
    assert "テンプレートの管理" in card_text(card_of(manage))
    editor = await _card(harness, admin.EDIT, {})
    assert "テンプレートの追加" in card_text(editor)

    typed = {
        "title": "窓口記録の要約",
        "description": "窓口の対応記録を要約します。",
        "fields": "本文（複数行）\n形式：箇条書き／文章",
        "prompt": "次の{記録}を{length}字以内で要約してください。",
        "default_length": "200",
        "department": "市民課",
    }
    again = await _card(harness, admin.SAVE, typed)
    assert "{記録} に当たる入力項目がありません" in card_text(again)
    assert (
        next(i for i in again["body"] if i.get("id") == "title")["value"] == "窓口記録の要約"
    )  # kept as typed

    typed["prompt"] = "次の{本文}を{length}字以内で、{形式}で要約してください。"
    saved = await _card(harness, admin.SAVE, typed)
    assert "「窓口記録の要約」を保存しました" in card_text(saved)

    assert (await _list_titles(harness, USER_OID))[0] == "窓口記録の要約", (
        "its 所属's own template comes first"
    )
    assert "窓口記録の要約" not in await _list_titles(harness, OTHER_OID)

    catalogue = TemplateCatalogue(
        services_of(harness).storage, services_of(harness).policy, services_of(harness).clock
    )
    [stored] = [i for i in await catalogue.listed("市民課") if i.template.title == "窓口記録の要約"]
    form = await _card(harness, "template.open", {"template": stored.template.id}, user=USER_OID)
    submit = actions_of(form)["template.submit"]
    await harness.post(
        harness.message(
            "",
            value={
                **submit["data"],
                "本文": "転入の手続きについて質問があった。",
                "形式": "箇条書き",
                "length": "200",
            },
        )
    )
    replies = await harness.connector.wait_messages(1, f"a:personal-{USER_OID}")
    assert fake_openai.user_texts(), replies[-1].get("text")
    assert (
        fake_openai.user_texts()[-1]
        == "次の転入の手続きについて質問があった。を200字以内で、箇条書きで要約してください。"
    )
    manage_now = card_text(await _card(harness, admin.MANAGE))
    assert "市民課向け・今月 1 回" in manage_now

    edited = {**typed, "template": stored.template.id, "title": "窓口記録の要約（改）", "department": ""}
    await _card(harness, admin.SAVE, edited)
    assert "窓口記録の要約（改）" in await _list_titles(harness, OTHER_OID)  # now for every 所属

    retired = await _card(harness, admin.RETIRE, {"template": "greeting"})
    assert "「あいさつ文・案内文の素案」を廃止しました" in card_text(retired)
    assert "あいさつ文・案内文の素案" not in await _list_titles(harness, USER_OID)
    status, body = await harness.post(
        execute(harness, "template.open", {"template": "greeting"}, user=USER_OID)
    )
    assert status == 200
    assert "あいさつ文" not in str(body)
    await _card(harness, admin.RESTORE, {"template": "greeting"})
    assert "あいさつ文・案内文の素案" in await _list_titles(harness, USER_OID)


async def test_staff_cannot_manage_templates(harness: BotHarness) -> None:
    await harness.start()
    await seed_consent(harness)
    typed = {"title": "勝手な", "fields": "本文", "prompt": "{本文}", "default_length": "200"}
    status, body = await harness.post(execute(harness, admin.SAVE, typed, user=USER_OID))
    assert status == 200
    assert "管理者" in str(body)
    services = services_of(harness)
    catalogue = TemplateCatalogue(services.storage, services.policy, services.clock)
    assert all(i.template.title != "勝手な" for i in await catalogue.listed(include_retired=True))
