"""`python -m bot`: serve the bot, and the operations commands of the information policy division.

serve      run the bot (POST /api/messages, GET /healthz)
screen     try the screening on texts (JSON Lines in, JSON Lines out; or --text)
usage      this month's character usage
audit      verify, export and purge the exchange records
manifest   build the Teams app package
knowledge  the city's documents: add, list, remove, search
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from bot import __version__
from bot.cli import audit, knowledge, manifest, screen, usage
from bot.core.config import Settings, is_loopback
from bot.core.errors import BotError

SUBCOMMANDS = (screen, usage, audit, manifest, knowledge)
"""Each module adds its own subparser (`add_parser`)."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="自治体職員向け 生成AIアシスタント（Microsoft Teams ボット）",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = sub.add_parser("serve", help="ボットを起動する（POST /api/messages, GET /healthz）")
    serve.add_argument("--host", default="127.0.0.1", help="待ち受けるアドレス（既定 127.0.0.1）")
    serve.add_argument("--port", type=int, default=3978, help="待ち受けるポート（既定 3978）")
    serve.add_argument(
        "--allow-anonymous-on-network",
        action="store_true",
        help="DANGEROUS: MicrosoftAppId なし（認証なし）でループバック以外でも待ち受ける",
    )
    serve.set_defaults(func=run_serve)
    for module in SUBCOMMANDS:
        module.add_parser(sub)
    return parser


def configure_logging(level: str) -> None:
    """One line per event on stderr; never user text (the code logs ids, kinds and counts only)."""
    logging.basicConfig(
        level=getattr(logging, level),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("azure").setLevel(logging.WARNING)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)


def run_serve(args: argparse.Namespace) -> int:
    """Start the HTTP server."""
    from aiohttp import web  # noqa: PLC0415

    from bot.teams.app import create_app  # noqa: PLC0415

    settings = Settings.from_env()
    configure_logging(settings.log_level)
    if settings.anonymous and not is_loopback(args.host) and not args.allow_anonymous_on_network:
        print(
            f"エラー: MicrosoftAppId が未設定（認証なし）のため、{args.host} では待ち受けません。"
            "ローカルで試すなら --host 127.0.0.1、本番では MicrosoftAppId などを設定してください"
            "（どうしても必要な場合のみ --allow-anonymous-on-network）。",
            file=sys.stderr,
        )
        return 2
    web.run_app(create_app(settings), host=args.host, port=args.port, print=_announce(args, settings))
    return 0


def _announce(args: argparse.Namespace, settings: Settings) -> Callable[[str], None]:
    def show(_: str) -> None:
        print(
            f"Bot listening on http://{args.host}:{args.port}/api/messages "
            f"(policy={settings.policy}, storage={settings.storage_kind.value}, "
            f"model={settings.model_kind.value})",
            flush=True,
        )

    return show


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the subcommand; configuration errors exit 2 with a clear message."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except BotError as exc:
        print(f"エラー: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
