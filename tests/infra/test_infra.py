"""Static checks of infra/ that run without Azure and without the Bicep compiler.

The Bicep compiler is a separate download that these machines cannot fetch, so the checks read the
files as text: module references, parameters, the app settings against what bot/config.py reads,
role definition GUIDs and the security settings. When the Python package `pycep-parser` is
installed, every .bicep file is also parsed against its Bicep grammar (syntax only).
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from bot.cli.main import build_parser
from bot.core.config import env_names

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
MAIN = INFRA / "main.bicep"
MODULES = INFRA / "modules"

BUILT_IN_ROLES = {  # Azure built-in role definition ids (the same in every tenant)
    "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3": "Storage Table Data Contributor",
    "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd": "Cognitive Services OpenAI User",
    "4633458b-17de-408a-b874-0445c86b69e6": "Key Vault Secrets User",
    "ba92f5b4-2d11-453d-a403-e96b0029c9fe": "Storage Blob Data Contributor",
}
EXPECTED_ROLES = {  # module -> the one role it grants the bot's identity
    "storage.bicep": "Storage Table Data Contributor",
    "openai.bicep": "Cognitive Services OpenAI User",
    "keyvault.bicep": "Key Vault Secrets User",
    "anchors.bicep": "Storage Blob Data Contributor",  # on the anchors container only
}
PLATFORM_SETTINGS = {  # app settings read by the platform or a library, not by bot/config.py
    "AZURE_CLIENT_ID": "azure-identity picks the user-assigned managed identity",
    "APPLICATIONINSIGHTS_CONNECTION_STRING": "Application Insights / OpenTelemetry exporters",
    "SCM_DO_BUILD_DURING_DEPLOYMENT": "App Service installs requirements on zip deploy",
}


# --- reading Bicep as text ------------------------------------------------------------------------


def source(path: Path) -> str:
    """The file without // comments (string contents are kept)."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        in_string, cut = False, len(line)
        for i, char in enumerate(line):
            if char == "'":
                in_string = not in_string
            elif not in_string and line.startswith("//", i):
                cut = i
                break
        lines.append(line[:cut])
    return "\n".join(lines)


def block_after(text: str, start: int) -> str:
    """The balanced {...} block that opens at or after `start` (braces in strings ignored)."""
    opening = text.index("{", start)
    depth, in_string = 0, False
    for i in range(opening, len(text)):
        char = text[i]
        if char == "'":
            in_string = not in_string
        elif not in_string and char in "{}":
            depth += 1 if char == "{" else -1
            if depth == 0:
                return text[opening + 1 : i]
    raise AssertionError(f"unbalanced braces after offset {start}")


def top_level_keys(block: str) -> list[str]:
    """Keys of an object literal's first level (`key: value`, newline- or comma-separated)."""
    keys: list[str] = []
    depth, in_string, token, in_value = 0, False, "", False
    for char in block:
        if char == "'":
            in_string = not in_string
        elif not in_string and char in "{[(":
            depth += 1
        elif not in_string and char in "}])":
            depth -= 1
        if depth == 0 and not in_string and char in ",\n":
            token, in_value = "", False
        elif depth == 0 and not in_string and char == ":" and not in_value:
            keys.append(token.strip().strip("'"))
            in_value = True
        elif depth == 0 and not in_value:
            token += char
    return keys


def params(path: Path) -> dict[str, bool]:
    """Declared parameters -> whether they have a default value."""
    found = re.finditer(r"^param\s+(\w+)\s+\w+(\s*=)?", source(path), re.MULTILINE)
    return {match.group(1): bool(match.group(2)) for match in found}


def modules(path: Path) -> dict[str, tuple[Path, list[str]]]:
    """Module symbol -> (file it references, parameter names it passes)."""
    text = source(path)
    out = {}
    for match in re.finditer(r"^module\s+(\w+)\s+'([^']+)'\s*=", text, re.MULTILINE):
        body = block_after(text, match.end())
        params_at = re.search(r"^\s*params:\s*", body, re.MULTILINE)
        passed = top_level_keys(block_after(body, params_at.end())) if params_at else []
        out[match.group(1)] = (path.parent / match.group(2), passed)
    return out


def variable_keys(path: Path, name: str) -> list[str]:
    """Keys of every object literal assigned to `var name` (both branches of a conditional)."""
    text = source(path)
    match = re.search(rf"^var\s+{name}\s*=", text, re.MULTILINE)
    assert match, f"var {name} not found in {path.name}"
    following = re.search(r"^(var|param|module|resource|output)\s", text[match.end() :], re.MULTILINE)
    chunk = text[match.end() : match.end() + following.start()] if following else text[match.end() :]
    keys: list[str] = []
    blanked = re.sub(r"'[^']*'", lambda m: "'" + "_" * (len(m.group(0)) - 2) + "'", chunk)
    for opening in (m.start() for m in re.finditer(r"\{", blanked) if _depth(blanked, m.start()) == 0):
        keys += top_level_keys(block_after(chunk, opening))
    return keys


def _depth(text: str, index: int) -> int:
    return text[:index].count("{") - text[:index].count("}")


def config_env_names() -> set[str]:
    """Environment variable names the settings read (each declared once, in bot/core/config.py)."""
    return set(env_names())


def bicep_files() -> list[Path]:
    return [MAIN, *sorted(MODULES.glob("*.bicep"))]


# --- the helpers themselves -------------------------------------------------------------------------


def modules_from_text(text: str) -> list[str]:
    body = block_after(text, 0)
    params_at = re.search(r"^\s*params:\s*", body, re.MULTILINE)
    assert params_at
    return top_level_keys(block_after(body, params_at.end()))


def test_the_text_helpers_read_nested_objects() -> None:
    text = (
        "module m 'x.bicep' = {\n  name: 'm'\n"
        "  params: { a: f({ z: 1 }), 'b': 'x:y', c: [1, 2]\n  d: {\n e: 1\n }\n}\n}"
    )
    assert modules_from_text(text) == ["a", "b", "c", "d"]


def test_config_names_are_found() -> None:
    names = config_env_names()
    assert {"MicrosoftAppId", "AZURE_TABLES_ENDPOINT", "BOT_STATE_KEY", "ADMIN_AAD_OBJECT_IDS"} <= names


# --- structure -------------------------------------------------------------------------------------


def test_every_module_referenced_by_main_exists() -> None:
    found = modules(MAIN)
    assert set(found) == {
        "identity",
        "monitoring",
        "storage",
        "openai",
        "keyvault",
        "appservice",
        "bot",
        "network",  # closed network (issue 11)
        "anchors",  # the audit anchors' WORM container (issue 11)
    }
    missing = [str(path) for path, _ in found.values() if not path.is_file()]
    assert not missing


def test_module_parameters_match_the_module_files() -> None:
    for symbol, (path, passed) in modules(MAIN).items():
        declared = params(path)
        unknown = set(passed) - set(declared)
        required = {name for name, has_default in declared.items() if not has_default}
        assert not unknown, f"{symbol}: passes undeclared parameter(s) {sorted(unknown)}"
        assert required <= set(passed), (
            f"{symbol}: required parameter(s) not passed {sorted(required - set(passed))}"
        )


def test_parameters_file_matches_main() -> None:
    document = json.loads((INFRA / "main.parameters.json").read_text(encoding="utf-8"))
    given = set(document["parameters"])
    declared = params(MAIN)
    assert given <= set(declared), f"undeclared in main.bicep: {sorted(given - set(declared))}"
    required = {name for name, has_default in declared.items() if not has_default}
    assert required <= given
    assert document["parameters"]["location"]["value"] == "japaneast"


def test_no_module_is_left_unused() -> None:
    used = {path.resolve() for path, _ in modules(MAIN).values()}
    assert {p.resolve() for p in MODULES.glob("*.bicep")} == used


def test_every_bicep_file_is_syntactically_valid() -> None:
    pycep = pytest.importorskip("pycep", reason="pycep-parser not installed (pip install pycep-parser)")
    parser = pycep.BicepParser(cache=False)
    for path in bicep_files():
        parser.parse(text=path.read_text(encoding="utf-8"))


def test_brackets_balance_in_every_file() -> None:
    for path in bicep_files():
        text = re.sub(r"'(?:[^'\\]|\\.)*'", "''", source(path))
        for opening, closing in ("{}", "[]", "()"):
            assert text.count(opening) == text.count(closing), f"{path.name}: {opening}{closing} unbalanced"


# --- app settings ----------------------------------------------------------------------------------


def app_setting_names() -> tuple[list[str], list[str]]:
    """(settings for the bot, settings for the platform) as written in main.bicep."""
    bot = variable_keys(MAIN, "botSettings") + variable_keys(MAIN, "passwordSettings")
    return bot, variable_keys(MAIN, "platformSettings")


def test_app_settings_are_variables_the_bot_reads() -> None:
    bot, platform = app_setting_names()
    unknown = set(bot) - config_env_names()
    assert not unknown, f"app settings bot/config.py never reads: {sorted(unknown)}"
    assert set(platform) <= set(PLATFORM_SETTINGS), f"undocumented platform settings: {set(platform)}"
    assert "union(botSettings, passwordSettings, platformSettings)" in source(MAIN)


def test_app_settings_cover_the_production_configuration() -> None:
    bot, platform = app_setting_names()
    expected = {
        "MicrosoftAppId",
        "MicrosoftAppType",
        "MicrosoftAppTenantId",
        "MicrosoftAppPassword",
        "BOT_POLICY",
        "AZURE_TABLES_ENDPOINT",
        "AZURE_OPENAI_ENDPOINT",
        "AZURE_OPENAI_DEPLOYMENT",
        "ADMIN_AAD_OBJECT_IDS",
        "ALLOWED_TENANT_IDS",
        "BOT_STATE_KEY",
    }
    assert expected <= set(bot)
    assert "AZURE_CLIENT_ID" in platform
    assert not {"AZURE_OPENAI_API_KEY", "AZURE_TABLES_CONNECTION_STRING", "OPENAI_API_KEY"} & set(bot)


def test_secrets_are_key_vault_references() -> None:
    text = source(MAIN)
    assert re.search(r"secretRef = '@Microsoft\.KeyVault\(VaultName=\$\{names\.keyVault\};SecretName='", text)
    for name in ("BOT_STATE_KEY", "MicrosoftAppPassword"):
        assert re.search(rf"{name}: '\$\{{secretRef\}}", text), f"{name} is not a Key Vault reference"
    assert "keyVaultReferenceIdentity: identityId" in source(MODULES / "appservice.bicep")


# --- identities and roles ----------------------------------------------------------------------------


def role_assignments(path: Path) -> list[str]:
    """Role definition GUIDs assigned in a module (through a `var x = 'guid'`)."""
    text = source(path)
    guids = dict(re.findall(r"^var\s+(\w+)\s*=\s*'([0-9a-f-]{36})'", text, re.MULTILINE))
    used = re.findall(r"'Microsoft\.Authorization/roleDefinitions',\s*(\w+|'[0-9a-f-]{36}')\)", text)
    return [guids.get(ref, ref.strip("'")) for ref in used]


def test_role_definition_ids_are_the_built_in_ones() -> None:
    granted = {path.name: role_assignments(path) for path in MODULES.glob("*.bicep")}
    for name, guids in granted.items():
        for guid in guids:
            assert guid in BUILT_IN_ROLES, f"{name}: unknown role definition {guid}"
        expected = EXPECTED_ROLES.get(name)
        assert [BUILT_IN_ROLES[g] for g in guids] == ([expected] if expected else []), name
    assert "roleAssignments" not in source(MAIN), "assign roles on the resource, not the resource group"


def test_role_assignments_are_scoped_to_their_resource() -> None:
    for name in EXPECTED_ROLES:
        text = source(MODULES / name)
        body = block_after(text, text.index("Microsoft.Authorization/roleAssignments"))
        assert re.search(r"^\s*scope:\s*\w+\s*$", body, re.MULTILINE), name
        assert "principalType: 'ServicePrincipal'" in body


def test_bot_identity_modes() -> None:
    text = source(MODULES / "bot.bicep")
    assert "@allowed(['SingleTenant', 'UserAssignedMSI'])" in text
    assert "msaAppMSIResourceId" in text
    assert "MultiTenant" not in source(MAIN)


# --- security and runtime settings ---------------------------------------------------------------------


def test_web_app_security_settings() -> None:
    text = source(MODULES / "appservice.bicep")
    for setting in (
        "httpsOnly: true",
        "minTlsVersion: '1.2'",
        "scmMinTlsVersion: '1.2'",
        "ftpsState: 'Disabled'",
        "linuxFxVersion: 'PYTHON|3.11'",
        "reserved: true",
    ):
        assert setting in text, setting
    assert text.count("properties: { allow: false }") == 2, "FTP and SCM basic auth off"


def test_startup_command_is_production_safe() -> None:
    text = source(MODULES / "appservice.bicep")
    command = re.search(r"param startupCommand string = '([^']+)'", text)
    assert command
    argv = shlex.split(command.group(1))
    assert argv[:3] == ["python", "-m", "bot"]
    args = build_parser().parse_args(argv[3:])
    assert args.command == "serve"
    assert (args.host, args.port) == ("0.0.0.0", 8000)  # App Service forwards to port 8000
    assert args.allow_anonymous_on_network is False
    assert "allow-anonymous" not in "".join(p.read_text(encoding="utf-8") for p in bicep_files())


def test_storage_security_settings() -> None:
    text = source(MODULES / "storage.bicep")
    for setting in (
        "minimumTlsVersion: 'TLS1_2'",
        "allowBlobPublicAccess: false",
        "allowSharedKeyAccess: false",
        "supportsHttpsTrafficOnly: true",
    ):
        assert setting in text, setting


def test_openai_and_key_vault_use_entra_only() -> None:
    assert "disableLocalAuth: true" in source(MODULES / "openai.bicep")
    vault = source(MODULES / "keyvault.bicep")
    assert "enableRbacAuthorization: true" in vault
    assert "enablePurgeProtection: true" in vault


def test_public_network_access_reaches_every_data_service() -> None:
    for symbol in ("storage", "anchors", "openai", "keyvault"):
        _, passed = modules(MAIN)[symbol]
        assert "publicNetworkAccess" in passed, symbol
        assert "publicNetworkAccess: publicNetworkAccess" in source(MODULES / f"{symbol}.bicep")
    assert "@allowed(['Enabled', 'Disabled'])" in source(MAIN)


def test_bot_uses_the_teams_channel_and_the_web_app_endpoint() -> None:
    bot = source(MODULES / "bot.bicep")
    assert "channelName: 'MsTeamsChannel'" in bot
    assert "isEnabled: true" in bot
    assert "endpoint: 'https://${appservice.outputs.defaultHostName}/api/messages'" in source(MAIN)


def test_readme_covers_the_deployment_steps() -> None:
    readme = (INFRA / "README.md").read_text(encoding="utf-8")
    for needle in (
        "az deployment group create",
        "python -m bot manifest build",
        "ChatGPT",
        "ADMIN_AAD_OBJECT_IDS",
        "SingleTenant",
        "UserAssignedMSI",
        "publicNetworkAccess",
        "bot-state-key",
    ):
        assert needle in readme, needle


# --- closed network (publicNetworkAccess = 'Disabled', issue 11) ------------------------------------


def test_the_network_module_is_deployed_exactly_when_closed() -> None:
    main = source(MAIN)
    assert "var closed = publicNetworkAccess == 'Disabled'" in main
    assert "module network 'modules/network.bicep' = if (closed)" in main
    _, passed = modules(MAIN)["network"]
    for name in (
        "storageAccountId",
        "anchorStorageAccountId",
        "openAiAccountId",
        "keyVaultId",
        "privateLinkScopeId",
    ):
        assert name in passed, name


def test_private_endpoints_and_dns_zones_cover_every_data_service() -> None:
    network = source(MODULES / "network.bicep")
    for group in ("'table'", "'blob'", "'account'", "'vault'", "'azuremonitor'"):
        assert f"groupId: {group}" in network, group
    for zone in (
        "'privatelink.table.${environment().suffixes.storage}'",
        "'privatelink.openai.azure.com'",
        "'privatelink.vaultcore.azure.net'",
        "'privatelink.monitor.azure.com'",
        "'privatelink.oms.opinsights.azure.com'",
        "'privatelink.ods.opinsights.azure.com'",
    ):
        assert zone in network, zone
    assert "Microsoft.Network/privateDnsZones/virtualNetworkLinks" in network
    assert "privateDnsZoneGroups" in network, "endpoints register themselves in the zones"
    assert "serviceName: 'Microsoft.Web/serverFarms'" in network, "the integration subnet is delegated"


def test_the_web_app_is_integrated_and_only_the_bot_service_may_call_it() -> None:
    app = source(MODULES / "appservice.bicep")
    assert "virtualNetworkSubnetId: empty(subnetId) ? null : subnetId" in app
    assert "vnetRouteAllEnabled: !empty(subnetId)" in app, "Key Vault references and SDKs go through the VNet"
    assert "ipAddress: 'AzureBotService'" in app
    assert "tag: 'ServiceTag'" in app
    assert "ipSecurityRestrictionsDefaultAction: restrictInboundToBotService ? 'Deny' : 'Allow'" in app
    _, passed = modules(MAIN)["appservice"]
    assert {"subnetId", "restrictInboundToBotService"} <= set(passed)
    main = source(MAIN)
    assert "subnetId: closed ? network.outputs.appSubnetId : ''" in main
    assert "restrictInboundToBotService: closed" in main


def test_monitoring_ingests_through_a_private_link_scope_when_closed() -> None:
    monitoring = source(MODULES / "monitoring.bicep")
    assert "Microsoft.Insights/privateLinkScopes@" in monitoring
    assert "ingestionAccessMode: 'PrivateOnly'" in monitoring
    assert monitoring.count("publicNetworkAccessForIngestion: publicNetworkAccess") == 2
    assert monitoring.count("privateLinkScopes/scopedResources") == 2
    _, passed = modules(MAIN)["monitoring"]
    assert "publicNetworkAccess" in passed


def test_readme_documents_the_closed_network() -> None:
    readme = (INFRA / "README.md").read_text(encoding="utf-8")
    for needle in (
        "login.botframework.com",
        "login.microsoftonline.com",
        "smba.trafficmanager.net",
        "AzureBotService",
        "privatelink.table.core.windows.net",
        "プライベート リンク スコープ",
        "αモデル",
        "βモデル",
        "β′モデル",
    ):
        assert needle in readme, needle


def test_anchors_live_in_a_worm_container_the_bot_may_only_append_to() -> None:
    """The production anchor sink's container (bot/core/audit/blob_anchors.py): a storage account of
    its own with version-level immutability, protected appends, the bot's role on the container."""
    text = source(MODULES / "anchors.bicep")
    account = block_after(text, text.index("immutableStorageWithVersioning"))
    assert "enabled: true" in account
    assert "immutabilityPeriodSinceCreationInDays: retentionDays" in account
    assert "allowProtectedAppendWrites: true" in account
    assert re.search(r"state: '(Unlocked|Locked)'", account)
    container = block_after(text, text.index("blobServices/containers@"))
    assert "immutableStorageWithVersioning: { enabled: true }" in container
    assert "isVersioningEnabled: true" in text
    for setting in (
        "allowSharedKeyAccess: false",
        "allowBlobPublicAccess: false",
        "minimumTlsVersion: 'TLS1_2'",
    ):
        assert setting in text, setting
    role = block_after(text, text.index("Microsoft.Authorization/roleAssignments"))
    assert re.search(r"^\s*scope:\s*container\s*$", role, re.MULTILINE), "the role is on the container only"
    main = source(MAIN)
    assert "AUDIT_ANCHOR_BLOB_CONTAINER_URL: anchors.outputs.containerUrl" in main
    assert "name: names.anchors" in main, "its own account, not the tables' one"
    readme = (INFRA / "README.md").read_text(encoding="utf-8")
    for needle in ("audit-anchors", "immutability", "Locked", "audit verify --anchors"):
        assert needle in readme, needle
