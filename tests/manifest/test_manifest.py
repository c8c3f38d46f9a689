"""The Teams app package: schema validation offline, icon pixels, the build's checks and the CLI.

The schema check runs `validate_manifest.mjs` with Node and the npm package @microsoft/app-manifest
from .ci/node_modules. Without them the test skips, unless CI is set: then it fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from importlib import resources
from pathlib import Path

import pytest

from bot.cli.manifest import main as cli_main
from bot.core.policy import builtin_policies
from bot.ui.manifest import icons
from bot.ui.manifest.build import TEMPLATE_DIR, ManifestError, build_package

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = Path(__file__).with_name("validate_manifest.mjs")
NODE_MODULES = Path(os.environ.get("APP_MANIFEST_NODE_MODULES", ROOT / ".ci" / "node_modules"))
APP_ID = "0f3c2a4e-6b1d-4c8e-9a2f-3d5e7b9c1a20"
BOT_ID = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
DOMAIN = "app-aiassist-test.azurewebsites.net"
URLS = {"privacy_url": "https://www.example.org/privacy", "terms_url": "https://www.example.org/terms"}


# --- a PNG reader of our own (independent of the product's writer) ------------------------------


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "PNG signature"
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"CRC of {kind!r}"
        chunks.append((kind, body))
        pos += 12 + length
    return chunks


def ihdr(data: bytes) -> tuple[int, int, int, int, int]:
    """(width, height, bit depth, colour type, interlace) from the first chunk."""
    kind, body = _chunks(data)[0]
    assert kind == b"IHDR"
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
    return width, height, depth, color, interlace


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def _unfilter(kind: int, row: bytearray, prior: bytes, bpp: int) -> bytearray:
    for i in range(len(row)):
        left = row[i - bpp] if i >= bpp else 0
        up, corner = prior[i], prior[i - bpp] if i >= bpp else 0
        predictor = (0, left, up, (left + up) // 2, _paeth(left, up, corner))[kind]
        row[i] = (row[i] + predictor) & 0xFF
    return row


def rgba_pixels(data: bytes) -> list[tuple[int, int, int, int]]:
    """Decode an 8-bit RGBA non-interlaced PNG (any filter types) to a flat pixel list."""
    width, height, depth, color, interlace = ihdr(data)
    assert (depth, color, interlace) == (8, 6, 0), "expected 8-bit RGBA, not interlaced"
    raw = zlib.decompress(b"".join(body for kind, body in _chunks(data) if kind == b"IDAT"))
    stride, prior, pixels = width * 4, bytes(width * 4), []
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        row = _unfilter(line[0], bytearray(line[1:]), prior, 4)
        pixels += [tuple(row[i : i + 4]) for i in range(0, stride, 4)]
        prior = bytes(row)
    return pixels  # type: ignore[return-value]


# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Iwaki package, built and unpacked."""
    out = tmp_path_factory.mktemp("pkg")
    zip_path = build_package(
        APP_ID, **URLS, out=out / "app.zip", bot_id=BOT_ID, domain=DOMAIN, policy="iwaki"
    )
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(out / "unpacked")
    return out / "unpacked"


def _node_or_skip() -> str:
    node = shutil.which("node")
    missing = "node is not installed" if node is None else ""
    if not (NODE_MODULES / "@microsoft" / "app-manifest").is_dir():
        missing = missing or f"@microsoft/app-manifest is not installed under {NODE_MODULES}"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {missing} (npm ci --prefix .ci)")
        pytest.skip(missing)
    assert node is not None
    return node


def validate(directory: Path) -> dict[str, list[str]]:
    """Run the Node validator on an unpacked package; return {file: errors}."""
    node = _node_or_skip()
    done = subprocess.run(
        [node, str(VALIDATOR), str(directory), str(NODE_MODULES)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode in (0, 1), f"validator crashed: {done.stderr}"
    results: dict[str, list[str]] = json.loads(done.stdout)["results"]
    return results


# --- schema -------------------------------------------------------------------------------------


def test_package_has_the_files_at_the_zip_root(tmp_path: Path) -> None:
    zip_path = build_package(APP_ID, **URLS, out=tmp_path, domain=DOMAIN)
    with zipfile.ZipFile(zip_path) as archive:
        assert sorted(archive.namelist()) == ["color.png", "en.json", "manifest.json", "outline.png"]


@pytest.mark.parametrize("policy", builtin_policies())
def test_manifest_and_localisation_pass_the_official_schema_offline(tmp_path: Path, policy: str) -> None:
    zip_path = build_package(
        APP_ID, **URLS, out=tmp_path / "app.zip", bot_id=BOT_ID, domain=DOMAIN, policy=policy
    )
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(tmp_path / "unpacked")
    results = validate(tmp_path / "unpacked")
    assert set(results) == {"manifest.json", "en.json"}
    assert results == {"manifest.json": [], "en.json": []}


def test_the_validator_reports_schema_errors(package: Path, tmp_path: Path) -> None:
    """Guards against a validator that passes everything."""
    broken = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    broken["bots"][0]["scopes"].append("everywhere")
    broken["name"]["short"] = "名" * 31
    (tmp_path / "manifest.json").write_text(json.dumps(broken), encoding="utf-8")
    en = json.loads((package / "en.json").read_text(encoding="utf-8"))
    en["bots[0].commandLists[0].commands[12].description"] = "no such command"
    (tmp_path / "en.json").write_text(json.dumps(en), encoding="utf-8")
    results = validate(tmp_path)
    assert any("/name/short" in error for error in results["manifest.json"])
    assert any("/bots/0/scopes" in error for error in results["manifest.json"])
    assert any("additional properties" in error for error in results["en.json"])


def test_schema_version_is_the_newest_bundled(package: Path) -> None:
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    bundled = NODE_MODULES / "@microsoft" / "app-manifest" / "build" / "json-schemas" / "teams"
    if not bundled.is_dir():
        _node_or_skip()
    versions = [tuple(map(int, p.name[1:].split("."))) for p in bundled.glob("v1.*")]
    newest = ".".join(map(str, max(versions)))
    assert manifest["manifestVersion"] == newest
    assert manifest["$schema"].endswith(f"/v{newest}/MicrosoftTeams.schema.json")


# --- content ------------------------------------------------------------------------------------


def test_manifest_content(package: Path) -> None:
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    bot = manifest["bots"][0]
    assert manifest["id"] == APP_ID
    assert bot["botId"] == BOT_ID == manifest["webApplicationInfo"]["id"]
    assert set(bot["scopes"]) >= {"personal", "team"}
    assert bot["supportsFiles"] is True  # files in personal chat (issue 14)
    assert manifest["validDomains"] == [DOMAIN]
    assert manifest["name"]["short"] == "生成AIアシスタント"
    assert manifest["name"]["full"].startswith("いわき市")
    assert "情報公開条例第7条" in manifest["description"]["full"]
    assert manifest["localizationInfo"]["defaultLanguageTag"] == "ja-jp"
    # the bot answers channel posts only when @mentioned, so it asks for no RSC permission to read
    # every channel message (ChannelMessage.Read.Group was dropped: it would deliver, and let the bot
    # see, every post of every channel of the team)
    assert "authorization" not in manifest


def test_command_lists(package: Path) -> None:
    lists = json.loads((package / "manifest.json").read_text(encoding="utf-8"))["bots"][0]["commandLists"]
    by_scope = {tuple(item["scopes"]): [c["title"] for c in item["commands"]] for item in lists}
    personal = ["新しい会話", "テンプレート", "利用状況", "問い合わせ", "報告", "ヘルプ"]
    assert by_scope[("personal",)] == personal
    assert {"利用集計", "記録の概要"} <= set(by_scope[("team",)])
    assert "承認待ち" not in by_scope[("team",)], "Iwaki has no approval: no 承認待ち in its menu"
    assert all(c.get("description") for item in lists for c in item["commands"])
    assert "「ChatGPT」チャンネル" in json.dumps(lists, ensure_ascii=False)


def test_english_localisation_keeps_command_titles_japanese(package: Path) -> None:
    en = json.loads((package / "en.json").read_text(encoding="utf-8"))
    assert en["name.short"] == "Generative AI Assistant"
    assert en["name.full"] == "Iwaki City Generative AI Assistant"
    assert not [key for key in en if key.endswith(".title")]
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    lists = manifest["bots"][0]["commandLists"]
    for key in (k for k in en if k.startswith("bots[0]")):
        found = re.fullmatch(r"bots\[0\]\.commandLists\[(\d)\]\.commands\[(\d+)\]\.description", key)
        assert found, key
        assert int(found.group(2)) < len(lists[int(found.group(1))]["commands"]), key


def test_maebashi_mentions_approval(tmp_path: Path) -> None:
    zip_path = build_package(APP_ID, **URLS, out=tmp_path / "m.zip", domain=DOMAIN, policy="maebashi")
    with zipfile.ZipFile(zip_path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["name"]["full"].startswith("前橋市")
    assert "承認" in manifest["description"]["full"]
    assert "第6条" in manifest["description"]["full"]
    team = next(item for item in manifest["bots"][0]["commandLists"] if item["scopes"] == ["team"])
    assert "承認待ち" in [c["title"] for c in team["commands"]]


def test_privacy_and_terms_urls_are_required(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="--privacy-url"):
        build_package(APP_ID, out=tmp_path / "x.zip", domain=DOMAIN, terms_url=URLS["terms_url"])
    with pytest.raises(ManifestError, match="--terms-url"):
        build_package(APP_ID, out=tmp_path / "x.zip", domain=DOMAIN, privacy_url=URLS["privacy_url"])
    zip_path = build_package(APP_ID, **URLS, out=tmp_path / "a.zip", domain=DOMAIN)
    with zipfile.ZipFile(zip_path) as archive:
        developer = json.loads(archive.read("manifest.json"))["developer"]
    assert (developer["privacyUrl"], developer["termsOfUseUrl"]) == (URLS["privacy_url"], URLS["terms_url"])


def test_build_is_reproducible(tmp_path: Path) -> None:
    first = build_package(APP_ID, **URLS, out=tmp_path / "a.zip", domain=DOMAIN).read_bytes()
    second = build_package(APP_ID, **URLS, out=tmp_path / "b.zip", domain=DOMAIN).read_bytes()
    assert first == second


def test_without_domain_the_valid_domains_list_is_empty(tmp_path: Path) -> None:
    zip_path = build_package(APP_ID, **URLS, out=tmp_path / "a.zip", website_url="https://www.example.org/ai")
    with zipfile.ZipFile(zip_path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["validDomains"] == []
    assert manifest["developer"]["websiteUrl"] == "https://www.example.org/ai"
    assert manifest["developer"]["privacyUrl"] == URLS["privacy_url"]


# --- icons --------------------------------------------------------------------------------------


def test_color_icon_is_192_and_opaque(package: Path) -> None:
    data = (package / "color.png").read_bytes()
    assert ihdr(data)[:2] == (192, 192)
    pixels = rgba_pixels(data)
    assert all(alpha == 255 for *_, alpha in pixels), "the colour icon has a full background"
    assert len(set(pixels)) > 20, "more than a flat square"


def test_outline_icon_is_32_white_on_transparent(package: Path) -> None:
    data = (package / "outline.png").read_bytes()
    assert ihdr(data)[:2] == (32, 32)
    pixels = rgba_pixels(data)
    offenders = [p for p in pixels if p[3] != 0 and p[:3] != (255, 255, 255)]
    assert not offenders, f"non-white visible pixels: {offenders[:5]}"
    corners = [pixels[0], pixels[31], pixels[32 * 31], pixels[-1]]
    assert all(p[3] == 0 for p in corners), "background must be transparent"
    transparent = sum(1 for p in pixels if p[3] == 0)
    assert 0.3 < transparent / len(pixels) < 0.9, "a visible shape on a mostly transparent field"


def test_committed_icons_match_the_generator() -> None:
    """Pixels, not bytes: another zlib build may compress the same pixels differently."""
    assert rgba_pixels((TEMPLATE_DIR / "color.png").read_bytes()) == rgba_pixels(icons.color_icon())
    assert rgba_pixels((TEMPLATE_DIR / "outline.png").read_bytes()) == rgba_pixels(icons.outline_icon())


def test_build_refuses_an_icon_of_the_wrong_size(tmp_path: Path) -> None:
    for name in ("manifest.json", "en.json", "color.png"):
        shutil.copy(TEMPLATE_DIR / name, tmp_path / name)
    (tmp_path / "outline.png").write_bytes(icons.render(48, icons.outline_layers(), grid=1))
    with pytest.raises(ManifestError, match=r"outline\.png.*32×32"):
        build_package(APP_ID, **URLS, out=tmp_path / "x.zip", domain=DOMAIN, template_dir=tmp_path)


# --- errors and the command line ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"app_id": "not-a-guid"}, "--app-id"),
        ({"bot_id": "1234"}, "--bot-id"),
        ({"domain": "https://app.example.org/api"}, "--domain"),
        ({"version": "1.0"}, "--version"),
    ],
)
def test_build_rejects_bad_input(tmp_path: Path, kwargs: dict[str, str], match: str) -> None:
    args = {"app_id": APP_ID, "domain": DOMAIN, **URLS} | kwargs
    app_id = args.pop("app_id")
    with pytest.raises(ManifestError, match=match):
        build_package(app_id, out=tmp_path, **args)  # type: ignore[arg-type]


def test_build_with_only_the_app_id_uses_the_policy_website(tmp_path: Path) -> None:
    package = build_package(APP_ID, **URLS, out=tmp_path / "app.zip")
    with zipfile.ZipFile(package) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["developer"]["websiteUrl"] == "https://www.city.iwaki.lg.jp/"


def test_build_needs_a_developer_url_when_the_policy_has_none(tmp_path: Path) -> None:
    text = resources.files("bot.core.policies").joinpath("iwaki.toml").read_text(encoding="utf-8")
    policy = tmp_path / "nourl.toml"
    policy.write_text(text.replace('url = "https://www.city.iwaki.lg.jp/"\n', ""), encoding="utf-8")
    with pytest.raises(ManifestError, match="--domain"):
        build_package(APP_ID, **URLS, out=tmp_path, policy=str(policy))


def test_a_text_over_the_teams_limit_is_refused(tmp_path: Path) -> None:
    template = json.loads((TEMPLATE_DIR / "manifest.json").read_text(encoding="utf-8"))
    template["name"]["short"] = "{{DESCRIPTION_SHORT}}"
    (tmp_path / "manifest.json").write_text(json.dumps(template, ensure_ascii=False), encoding="utf-8")
    for name in ("en.json", "color.png", "outline.png"):
        shutil.copy(TEMPLATE_DIR / name, tmp_path / name)
    with pytest.raises(ManifestError, match=r"name\.short .* Teams allows 30"):
        build_package(APP_ID, **URLS, out=tmp_path / "x.zip", domain=DOMAIN, template_dir=tmp_path)


def test_cli_bad_app_id_exits_2_with_a_clear_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["manifest", "build", "--app-id", "xyz", "--domain", DOMAIN]) == 2
    err = capsys.readouterr().err
    assert "GUID" in err
    assert "--app-id" in err
    assert "xyz" in err


def test_cli_unknown_policy_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = cli_main(["manifest", "build", "--app-id", APP_ID, "--domain", DOMAIN, "--policy", "nowhere"])
    assert code == 2
    assert "nowhere" in capsys.readouterr().err


def test_cli_writes_the_zip(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = ["manifest", "build", "--app-id", APP_ID, "--domain", DOMAIN, "--policy", "maebashi"]
    argv += ["--privacy-url", URLS["privacy_url"], "--terms-url", URLS["terms_url"]]
    assert cli_main([*argv, "--out", str(tmp_path)]) == 0
    written = Path(capsys.readouterr().out.strip())
    assert written == tmp_path / "teams-app-maebashi-city.zip"
    assert zipfile.is_zipfile(written)


def test_cli_as_a_module_exits_2_on_a_bad_guid() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli.manifest",
            "manifest",
            "build",
            "--app-id",
            "bad",
            "--domain",
            DOMAIN,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "GUID" in done.stderr
