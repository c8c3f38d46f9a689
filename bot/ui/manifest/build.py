"""Build the Teams app package (the zip a Teams administrator uploads) from `manifest/`.

The templates in the repository's `manifest/` directory hold `{{NAME}}` placeholders inside JSON
strings. They are parsed as JSON first and filled value by value, so a name containing a quote
cannot break the document. The build then checks what Teams would reject but the tests' schema
run would only catch later (GUIDs, text limits, icon sizes, leftover placeholders) and writes a
deterministic zip: same inputs, same bytes.

Localisation: Japanese is the default language (strings in manifest.json); `en.json` carries the
English names and command descriptions. Command *titles* stay Japanese in every language on
purpose: Teams sends the title as the message text, and the bot recognises the Japanese words.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot import __version__
from bot.core.errors import BotError
from bot.core.policy import Policy, load_policy
from bot.ui import commands
from bot.ui.manifest import icons, texts
from bot.ui.manifest.png import COLOR_TYPE_RGBA, read_header

TEMPLATE_DIR = Path(__file__).resolve().parents[3] / "manifest"
"""The repository's `manifest/` directory: manifest.json, en.json and the two icons."""

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_HOST = re.compile(r"^(?=.{1,253}$)(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
_PLACEHOLDER = re.compile(r"\{\{([A-Z0-9_]+)\}\}")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_LIMITS = {  # dotted key -> maximum length, from the manifest and localisation schemas
    "name.short": 30,
    "name.full": 100,
    "description.short": 80,
    "description.full": 4000,
    "developer.name": 32,
}
_ICONS = {"color.png": icons.COLOR_SIZE, "outline.png": icons.OUTLINE_SIZE}


class ManifestError(BotError):
    """The package cannot be built from these inputs (the message says which and why)."""


def build_package(
    app_id: str,
    *,
    out: Path,
    bot_id: str | None = None,
    domain: str | None = None,
    policy: str = "iwaki",
    version: str | None = None,
    website_url: str | None = None,
    privacy_url: str | None = None,
    terms_url: str | None = None,
    template_dir: Path = TEMPLATE_DIR,
) -> Path:
    """Write the Teams app package to `out` (a .zip path or a directory) and return the zip's path."""
    app_id, bot_id = _guid("--app-id", app_id), _guid("--bot-id", bot_id or app_id)
    host = _host(domain) if domain else ""
    version = _semver(version or __version__)
    city = load_policy(policy)
    legal = {"PRIVACY_URL": _url("--privacy-url", privacy_url), "TERMS_URL": _url("--terms-url", terms_url)}
    values = _values(city, app_id=app_id, bot_id=bot_id, host=host, version=version, website=website_url)
    values |= legal
    manifest = _drop_empty_domains(fill(_read_json(template_dir / "manifest.json"), values))
    manifest["bots"][0]["commandLists"] = _command_lists(city)
    files = {"manifest.json": manifest} | _localisations(manifest, template_dir, values)
    for name, document in files.items():
        if name != "manifest.json" and _language(manifest, name).startswith("en"):
            document.update(_english_commands(city))
    for name, document in files.items():
        check_limits(name, document)
    return _write_zip(_zip_path(out, city), files, _icon_bytes(template_dir))


def _values(
    city: Policy, *, app_id: str, bot_id: str, host: str, version: str, website: str | None
) -> dict[str, str]:
    """Every placeholder the templates may use, filled from the arguments and the policy."""
    ja, en = texts.japanese(city), texts.english(city)
    url = website or city.guideline.url or (f"https://{host}/" if host else "")
    if not url.lower().startswith(("https://", "http://")):
        raise ManifestError(
            "--website-url: 開発者情報の URL がありません。"
            "--domain（Web アプリのホスト名）か --website-url を指定してください"
            " / no developer URL: pass --domain (the web app's host name) or --website-url"
        )
    return {
        "APP_ID": app_id,
        "BOT_ID": bot_id,
        "VERSION": version,
        "VALID_DOMAIN": host,
        "ACCENT_COLOR": icons.ACCENT_COLOR,
        "DEVELOPER_NAME": f"{city.municipality.name} {city.municipality.division}",
        "WEBSITE_URL": url,
        "DIVISION": city.municipality.division,
        "SUPPORT_CHANNEL": city.support.channel_name,
        "NAME_SHORT": ja.name_short,
        "NAME_FULL": ja.name_full,
        "DESCRIPTION_SHORT": ja.description_short,
        "DESCRIPTION_FULL": ja.description_full,
        "NAME_SHORT_EN": en.name_short,
        "NAME_FULL_EN": en.name_full,
        "DESCRIPTION_SHORT_EN": en.description_short,
        "DESCRIPTION_FULL_EN": en.description_full,
    }


def _url(option: str, value: str | None) -> str:
    """A required https URL (Teams shows the privacy and terms links to every user who adds the app)."""
    url = (value or "").strip()
    if not url.lower().startswith("https://"):
        raise ManifestError(
            f"{option}: https:// で始まる URL を指定してください。プライバシーポリシーと利用規約のページは"
            "アプリの詳細画面で職員に表示されます（市のトップページで代用しないでください）"
            f" / {option} is required: an https:// URL of the city's page (got {value!r})"
        )
    return url


def _command_lists(city: Policy) -> list[dict[str, Any]]:
    """The bot's command menus (personal chat, team) from the table of commands (bot.ui.commands)."""
    lists = []
    for scope in commands.MENUS:
        entries = commands.menu(city, scope)
        if entries:
            lists.append(
                {
                    "scopes": [scope],
                    "commands": [
                        {"title": c.title, "description": commands.fill(c.menu_ja, city)} for c in entries
                    ],
                }
            )
    return lists


def _english_commands(city: Policy) -> dict[str, str]:
    """The English localisation's keys for the command descriptions (titles stay Japanese)."""
    found = {}
    for i, scope in enumerate(s for s in commands.MENUS if commands.menu(city, s)):
        for j, command in enumerate(commands.menu(city, scope)):
            key = f"bots[0].commandLists[{i}].commands[{j}].description"
            found[key] = commands.fill(command.menu_en, city)
    return found


def _language(manifest: Mapping[str, Any], file_name: str) -> str:
    for language in manifest.get("localizationInfo", {}).get("additionalLanguages", []):
        if language.get("file") == file_name:
            return str(language.get("languageTag", ""))
    return ""


def fill(document: Any, values: Mapping[str, str]) -> Any:
    """Replace `{{NAME}}` in every string of a parsed JSON document; unknown names are an error."""
    if isinstance(document, dict):
        return {fill(key, values): fill(item, values) for key, item in document.items()}
    if isinstance(document, list):
        return [fill(item, values) for item in document]
    if isinstance(document, str):
        return _PLACEHOLDER.sub(lambda match: _lookup(match.group(1), values), document)
    return document


def _lookup(name: str, values: Mapping[str, str]) -> str:
    if name not in values:
        raise ManifestError(f"template placeholder {{{{{name}}}}} has no value")
    return values[name]


def _drop_empty_domains(manifest: dict[str, Any]) -> dict[str, Any]:
    """Without --domain there is no web content to allow; an empty entry would be invalid."""
    manifest["validDomains"] = [d for d in manifest.get("validDomains", []) if d]
    return manifest


def _localisations(
    manifest: Mapping[str, Any], template_dir: Path, values: Mapping[str, str]
) -> dict[str, Any]:
    """The localisation files named in localizationInfo, filled, with a matching schema version."""
    info = manifest.get("localizationInfo", {})
    names = [info.get("defaultLanguageFile")] + [lang["file"] for lang in info.get("additionalLanguages", [])]
    files = {name: fill(_read_json(template_dir / name), values) for name in names if name}
    expected = f"/v{manifest['manifestVersion']}/"
    for name, document in files.items():
        if expected not in document.get("$schema", expected):
            raise ManifestError(f"{name}: $schema must use manifest version {manifest['manifestVersion']}")
    return files


def check_limits(name: str, document: Mapping[str, Any]) -> None:
    """Raise ManifestError on a text longer than Teams allows or an unfilled placeholder."""
    text = json.dumps(document, ensure_ascii=False)
    if leftover := _PLACEHOLDER.search(text):
        raise ManifestError(f"{name}: placeholder {leftover.group(0)} was not filled")
    for key, limit in _LIMITS.items():
        value = document.get(key) if key in document else _dotted(document, key)
        if isinstance(value, str) and len(value) > limit:
            raise ManifestError(f"{name}: {key} is {len(value)} characters; Teams allows {limit}")


def _dotted(document: Mapping[str, Any], key: str) -> Any:
    node: Any = document
    for part in key.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return node


def _icon_bytes(template_dir: Path) -> dict[str, bytes]:
    """The two icons, checked for size and RGBA format."""
    out: dict[str, bytes] = {}
    for name, size in _ICONS.items():
        path = template_dir / name
        if not path.is_file():
            raise ManifestError(f"{path} is missing; run `python -m bot.ui.manifest.icons` to draw it")
        header = read_header(path.read_bytes())
        if (header.width, header.height) != (size, size) or header.color_type != COLOR_TYPE_RGBA:
            raise ManifestError(f"{path}: must be a {size}×{size} RGBA PNG")
        out[name] = path.read_bytes()
    return out


def _zip_path(out: Path, city: Policy) -> Path:
    if out.suffix.lower() == ".zip":
        return out
    slug = re.sub(r"[^a-z0-9]+", "-", city.municipality.name_en.lower()).strip("-") or "city"
    return out / f"teams-app-{slug}.zip"


def _write_zip(path: Path, documents: Mapping[str, Any], images: Mapping[str, bytes]) -> Path:
    """Files at the zip root with a fixed timestamp, so rebuilding gives identical bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = {
        name: (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()
        for name, doc in documents.items()
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in {**entries, **images}.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return path


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path} is missing (template directory {path.parent})") from None
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{path}: not valid JSON: {exc}") from None


def _guid(option: str, value: str) -> str:
    if not _GUID.match(value.strip()):
        raise ManifestError(
            f"{option}: GUID で指定してください（例 00000000-0000-0000-0000-000000000000、値 {value!r}）"
            f" / must be a GUID like 00000000-0000-0000-0000-000000000000 (got {value!r})"
        )
    return value.strip().lower()


def _host(value: str) -> str:
    host = value.strip().lower()
    if not _HOST.match(host):
        raise ManifestError(
            "--domain: https:// やパスを付けないホスト名で指定してください"
            f"（例 app-city.azurewebsites.net、値 {value!r}）"
            f" / must be a bare host name such as app-city.azurewebsites.net (got {value!r})"
        )
    return host


def _semver(value: str) -> str:
    if not _SEMVER.match(value):
        raise ManifestError(
            f"--version: 1.2.3 の形式で指定してください / must look like 1.2.3 (got {value!r})"
        )
    return value
