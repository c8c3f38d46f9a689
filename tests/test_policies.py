"""Every built-in city policy (bot/core/policies/*.toml, discovered, not listed) loads and is complete;
a third city is one file, and nothing shown to staff names a division the policy did not."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import json
import pkgutil
import re
from pathlib import Path

import pytest

from bot.core.policy import builtin_policies, load_policy
from bot.ui import commands
from bot.ui.common import admin_only, help_text
from bot.ui.exits import texts as exit_texts
from bot.ui.manifest import texts as manifest_texts
from tests._source import string_constants


def test_builtin_policies_are_discovered_from_the_package() -> None:
    found = builtin_policies()
    assert {"iwaki", "maebashi"} <= set(found)
    assert found == tuple(sorted(found))


@pytest.mark.parametrize("city", builtin_policies())
def test_every_builtin_policy_loads_and_names_its_city(city: str) -> None:
    policy = load_policy(city)
    assert policy.municipality.name
    assert policy.municipality.division
    assert policy.guideline.version
    assert policy.guideline.summary
    assert policy.quota.org_monthly_chars > 0
    assert policy.support.channel_name
    ids = [t.id for t in policy.templates]
    assert len(ids) == len(set(ids)), "template ids are unique"


def _third_city(tmp_path: Path) -> Path:
    """A new city written as one file: Iwaki's policy with another city, division and contact."""
    text = (Path(__file__).resolve().parents[1] / "bot/core/policies/iwaki.toml").read_text(encoding="utf-8")
    text = text.replace("いわき市", "架空市").replace("Iwaki City", "Kaku City")
    text = re.sub(r'division = ".*"', 'division = "デジタル推進課"', text)
    text = re.sub(r'contact = ".*"', 'contact = "デジタル推進課（内線 1234）"', text)
    text = text.replace("情報政策課", "デジタル推進課")
    path = tmp_path / "kaku.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_third_city_is_one_file_and_its_division_is_named_everywhere(tmp_path: Path) -> None:
    policy = load_policy(str(_third_city(tmp_path)))
    shown = "\n".join(
        [
            help_text(policy, is_admin=False),
            help_text(policy, is_admin=True),
            admin_only(policy),
            manifest_texts.japanese(policy).description_full,
            *(commands.fill(c.menu_ja, policy) for c in commands.COMMANDS),
        ]
    )
    assert "情報政策課" not in shown
    assert "いわき" not in shown
    assert "デジタル推進課" in shown


def _renders_from_policy_alone(function: object) -> bool:
    """A public text function of bot.ui whose only required parameter is the policy."""
    try:
        parameters = list(inspect.signature(function).parameters.values())  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    required = [p for p in parameters if p.default is inspect.Parameter.empty]
    return len(required) == 1 and required[0].name == "policy"


def _fields(value: object) -> object:
    """A rendered dataclass (the app package's texts) as its fields."""
    assert dataclasses.is_dataclass(value), type(value)
    assert not isinstance(value, type)
    return dataclasses.asdict(value)


def test_no_text_of_the_ui_names_another_citys_division(tmp_path: Path) -> None:
    """Every bot.ui text rendered from the policy alone, for the third city: its own division only
    (a hard-coded 情報政策課 in a refusal or a notice fails here, wherever it was written)."""
    import bot.ui  # noqa: PLC0415

    policy = load_policy(str(_third_city(tmp_path)))
    rendered: dict[str, str] = {}
    for info in pkgutil.walk_packages(bot.ui.__path__, "bot.ui."):
        module = importlib.import_module(info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            public = function.__module__ == module.__name__ and not name.startswith("_")
            if public and _renders_from_policy_alone(function):
                text = json.dumps(function(policy), ensure_ascii=False, default=_fields)
                rendered[f"{info.name}.{name}"] = text
    assert len(rendered) > 10, sorted(rendered)
    rendered["pinned"] = exit_texts.pinned(policy, "全庁", ["生成AI管理"])  # takes more than the policy
    leaks = {name for name, text in rendered.items() if "情報政策課" in text or "いわき" in text}
    assert leaks == set()
    assert any("デジタル推進課" in text for text in rendered.values())


def test_no_fixed_text_of_the_ui_or_teams_layers_names_a_builtin_city() -> None:
    """The fixed strings of bot/ui and bot/teams (constants, not only texts made from the policy) name
    no built-in city or division: those come from the policy (`{division}`), else a third city's staff
    would be sent to another city's 情報政策課."""
    names = set()
    for city in builtin_policies():
        municipality = load_policy(city).municipality
        names |= {municipality.division, municipality.name}
    bot = Path(__file__).resolve().parents[1] / "bot"
    found = []
    for path in sorted([*(bot / "ui").rglob("*.py"), *(bot / "teams").rglob("*.py")]):
        found += [
            f"{path.relative_to(bot)}:{node.lineno}"
            for node in string_constants(path)
            if any(name in node.value for name in names)
        ]
    assert names >= {"情報政策課", "いわき市", "前橋市"}
    assert found == []


def test_policy_tests_run_over_the_discovered_cities_not_a_list() -> None:
    """A test that loops or parametrizes over the built-in cities takes `builtin_policies()`, so a city
    added as one file is tested too (a literal ("iwaki", "maebashi") would skip it)."""
    cities = set(builtin_policies())
    tests = Path(__file__).resolve().parent
    listed = [
        f"{path.relative_to(tests)}:{node.lineno}"
        for path in sorted(tests.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.List | ast.Tuple)
        and len(node.elts) > 1
        and all(isinstance(e, ast.Constant) and e.value in cities for e in node.elts)
    ]
    assert listed == []
