"""`python -m bot manifest build`: write the Teams app package a Teams administrator uploads.

    python -m bot manifest build --app-id GUID [--bot-id GUID] [--domain HOST] [--policy NAME]
                                 --privacy-url URL --terms-url URL
                                 [--website-url URL] [--version X.Y.Z] [--out PATH]

`add_parser(subparsers)` registers the command on the main CLI; `run(args)` returns the exit code:
0 with the zip's path on stdout, 2 with a message (Japanese, then English) on bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.core.errors import PolicyError
from bot.ui.manifest.build import ManifestError, build_package

DEFAULT_OUT = Path("build")
"""Where the zip goes when --out is not given (ignored by git)."""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Register `manifest build` on the main command line."""
    manifest = subparsers.add_parser("manifest", help="Teams アプリ パッケージ / Teams app package")
    commands = manifest.add_subparsers(dest="manifest_command", required=True)
    build = commands.add_parser(
        "build", help="アップロード用の zip を作る / write the zip to upload to Teams"
    )
    build.add_argument("--app-id", required=True, help="Teams アプリの ID (GUID) / Teams app id")
    build.add_argument("--bot-id", help="ボットの Microsoft App ID (GUID、既定は --app-id) / bot app id")
    build.add_argument("--domain", help="Web アプリのホスト名 / web app host, e.g. app-x.azurewebsites.net")
    build.add_argument("--policy", default="iwaki", help="iwaki, maebashi またはポリシー TOML のパス")
    build.add_argument("--website-url", help="開発者情報の URL（既定はガイドライン）")
    build.add_argument("--privacy-url", help="プライバシーポリシーの URL (https://) / privacy page")
    build.add_argument("--terms-url", help="利用規約の URL (https://) / terms of use page")
    build.add_argument("--version", help="アプリのバージョン X.Y.Z（既定はボットのバージョン）")
    build.add_argument("--out", type=Path, default=DEFAULT_OUT, help="出力先の .zip かディレクトリ")
    build.set_defaults(func=run)
    return manifest


def run(args: argparse.Namespace) -> int:
    """Build the package; 0 on success, 2 on bad input (message on stderr)."""
    try:
        path = build_package(
            args.app_id,
            out=args.out,
            bot_id=args.bot_id,
            domain=args.domain,
            policy=args.policy,
            version=args.version,
            website_url=args.website_url,
            privacy_url=args.privacy_url,
            terms_url=args.terms_url,
        )
    except (ManifestError, PolicyError) as exc:
        sys.stderr.write(f"エラー / error: {exc}\n")
        return 2
    sys.stdout.write(f"{path}\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry point until the main CLI registers this command."""
    parser = argparse.ArgumentParser(prog="python -m bot.cli.manifest")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
