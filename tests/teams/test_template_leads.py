"""Each 所属's template lead, over the real HTTP endpoint (strict fake connector as the Teams roster):
admins name leads where the policy allows it; a lead adds, edits and retires only their own 所属's
templates, decided on the server whatever the card says; everyone else is refused and recorded."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from bot.core.policy import PolicyError, builtin_policies, load_policy
from bot.core.shared_templates import TemplateCatalogue
from bot.core.template_leads import TemplateLeads
from bot.ui.templates import admin
from bot.ui.templates import leads as lead_texts
from tests.teams.access_helpers import card_of, card_text, events, execute, services_of
from tests.teams.harness import ADMIN_OID, USER_OID, BotHarness, policy_without_consent

LEAD_OID = "cccccccc-0000-0000-0000-0000000000c1"
TEMPLATE = {
    "title": "窓口記録の要約",
    "description": "窓口の対応記録を要約します。",
    "fields": "本文（複数行）",
    "prompt": "次の{本文}を{length}字以内で要約してください。",
    "default_length": "200",
}


async def start(harness: BotHarness, tmp_path: Path, *, allowed: bool) -> None:
    text = policy_without_consent(tmp_path).read_text(encoding="utf-8")
    assert "template_leads = false" in text
    policy = tmp_path / "leads.toml"
    policy.write_text(text.replace("template_leads = false", f"template_leads = {str(allowed).lower()}"))
    await harness.start(BOT_POLICY=str(policy))


async def act(harness: BotHarness, verb: str, data: dict[str, Any] | None = None, **how: Any) -> Any:
    """Click a card button; the replaced card, or the toast's text."""
    user = how.pop("user", ADMIN_OID)
    status, body = await harness.post(execute(harness, verb, data, user=user), **how)
    assert status == 200, body
    return body["value"]


async def stored(harness: BotHarness) -> dict[str, tuple[str, bool]]:
    """Every template's title → (its 所属, retired)."""
    services = services_of(harness)
    catalogue = TemplateCatalogue(services.storage, services.policy, services.clock)
    return {i.template.title: (i.department, i.retired) for i in await catalogue.listed(include_retired=True)}


async def test_a_lead_manages_only_their_own_departments_templates(
    harness: BotHarness, tmp_path: Path
) -> None:
    await start(harness, tmp_path, allowed=True)
    await harness.post(harness.message(admin.COMMAND, user=ADMIN_OID))
    [manage] = await harness.connector.wait_messages(1, f"a:personal-{ADMIN_OID}")
    assert lead_texts.LEADS_HEADER in card_text(card_of(manage))
    named = await act(
        harness,
        lead_texts.LEAD_SAVE,
        {"lead": LEAD_OID.upper(), "lead_department": "市民課", "lead_name": "市民 花子"},
    )
    assert "市民 花子さんを市民課のテンプレート担当者に指定しました" in card_text(named)
    [event] = await events(harness, "template.lead_named")
    assert event.details == {"lead": LEAD_OID, "department": "市民課"}
    taxes = await act(harness, admin.SAVE, {**TEMPLATE, "title": "税務課の定型文", "department": "税務課"})
    assert "保存しました" in card_text(taxes)

    await harness.post(harness.message(admin.COMMAND, user=LEAD_OID))
    [own] = await harness.connector.wait_messages(1, f"a:personal-{LEAD_OID}")
    seen = card_text(card_of(own))
    assert "テンプレートの管理（市民課）" in seen
    assert "あいさつ文" not in seen, "a policy template is not the lead's"
    assert "税務課の定型文" not in seen
    assert lead_texts.LEADS_HEADER not in seen, "only admins name leads"

    saved = await act(harness, admin.SAVE, {**TEMPLATE, "department": ""}, user=LEAD_OID)
    assert "「窓口記録の要約」を保存しました" in card_text(saved)
    assert (await stored(harness))["窓口記録の要約"] == ("市民課", False), (
        "a lead's template is for their 所属"
    )

    other = await act(
        harness, admin.SAVE, {**TEMPLATE, "title": "他課の", "department": "税務課"}, user=LEAD_OID
    )
    assert "市民課のものではないため、変更できません" in other
    assert "他課の" not in await stored(harness)
    ids = {i.template.title: i.template.id for i in await _listed(harness)}
    assert "変更できません" in await act(harness, admin.RETIRE, {"template": "greeting"}, user=LEAD_OID)
    assert "変更できません" in await act(
        harness, admin.EDIT, {"template": ids["税務課の定型文"]}, user=LEAD_OID
    )
    overwrite = {**TEMPLATE, "template": ids["税務課の定型文"], "title": "乗っ取り", "department": "市民課"}
    assert "変更できません" in await act(harness, admin.SAVE, overwrite, user=LEAD_OID)
    after = await stored(harness)
    assert after["あいさつ文・案内文の素案"] == ("", False)
    assert after["税務課の定型文"] == ("税務課", False)
    assert "乗っ取り" not in after
    assert len(await events(harness, "admin.refused")) == 4

    retired = await act(harness, admin.RETIRE, {"template": ids["窓口記録の要約"]}, user=LEAD_OID)
    assert "「窓口記録の要約」を廃止しました" in card_text(retired)
    await act(harness, admin.RESTORE, {"template": ids["窓口記録の要約"]}, user=LEAD_OID)
    assert (await stored(harness))["窓口記録の要約"] == ("市民課", False)

    itself = {"lead": LEAD_OID, "lead_department": "税務課"}
    assert "管理者" in await act(harness, lead_texts.LEAD_SAVE, itself, user=LEAD_OID)
    lead = await TemplateLeads(services_of(harness).storage, services_of(harness).clock).lead_of(LEAD_OID)
    assert lead is not None
    assert lead.department == "市民課", "a lead cannot name themselves elsewhere"


async def test_others_are_refused_a_forged_lead_too_and_a_removed_lead_is_no_longer_one(
    harness: BotHarness, tmp_path: Path
) -> None:
    await start(harness, tmp_path, allowed=True)
    await act(harness, lead_texts.LEAD_SAVE, {"lead": LEAD_OID, "lead_department": "市民課"})
    assert lead_texts.not_allowed(services_of(harness).policy) in await act(
        harness, admin.SAVE, TEMPLATE, user=USER_OID
    )
    forged = await act(harness, admin.SAVE, TEMPLATE, user=LEAD_OID, on_roster=False)
    assert forged == lead_texts.not_allowed(services_of(harness).policy), (
        "the roster does not confirm the claimed lead"
    )
    assert "窓口記録の要約" not in await stored(harness)
    removed = await act(harness, lead_texts.LEAD_REMOVE, {"lead": LEAD_OID})
    assert "指定を解除しました" in card_text(removed)
    assert await act(harness, admin.SAVE, TEMPLATE, user=LEAD_OID) == lead_texts.not_allowed(
        services_of(harness).policy
    )
    problem = await act(harness, lead_texts.LEAD_SAVE, {"lead": "", "lead_department": "市民課"})
    assert lead_texts.LEAD_PROBLEMS["person"] in card_text(problem)


async def test_without_the_policy_only_admins_manage_templates(harness: BotHarness, tmp_path: Path) -> None:
    await start(harness, tmp_path, allowed=False)
    services = services_of(harness)
    await TemplateLeads(services.storage, services.clock).name(LEAD_OID, "市民課", "", by=ADMIN_OID)
    assert await act(harness, lead_texts.LEAD_SAVE, {"lead": LEAD_OID, "lead_department": "市民課"}) == (
        lead_texts.LEADS_DISABLED
    )
    assert await act(harness, admin.SAVE, TEMPLATE, user=LEAD_OID) == lead_texts.not_allowed(
        services_of(harness).policy
    )
    assert "窓口記録の要約" not in await stored(harness)
    assert lead_texts.LEADS_HEADER not in card_text(await act(harness, admin.MANAGE))


@pytest.mark.parametrize("city", builtin_policies())
def test_both_policies_say_whether_leads_are_allowed(city: str) -> None:
    raw = tomllib.loads(
        resources.files("bot.core.policies").joinpath(f"{city}.toml").read_text(encoding="utf-8")
    )
    assert isinstance(raw["access"]["template_leads"], bool)
    assert load_policy(city).access.template_leads is raw["access"]["template_leads"]


def test_a_policy_with_a_wrong_value_is_refused_naming_the_key(tmp_path: Path) -> None:
    text = policy_without_consent(tmp_path).read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("template_leads = false", 'template_leads = "yes"'), encoding="utf-8")
    with pytest.raises(PolicyError, match=r"access\.template_leads must be true or false"):
        load_policy(str(bad))


async def _listed(harness: BotHarness) -> list[Any]:
    services = services_of(harness)
    return await TemplateCatalogue(services.storage, services.policy, services.clock).listed(
        include_retired=True
    )
