"""`python -m bot audit verify|anchor|export|purge`: the records, for the information policy division.

    audit verify [--month YYYY-MM] [--anchors FILE…]    check the hash chains (all months by default)
                                                        and every anchor (the configured sinks:
                                                        AUDIT_ANCHOR_FILE, the Blob container; and FILEs)
    audit anchor [--month YYYY-MM…] [--out FILE]        print the chain heads (this month and the last
                                                        by default) to file in the division's own
                                                        document system; appended to the configured
                                                        sinks, and to FILE with --out
    audit export --month YYYY-MM [--format csv|jsonl]   one month, to stdout or --out PATH
                 [--user ID] [--out PATH]
    audit purge --before YYYY-MM [--yes]                delete months before YYYY-MM (outside the
                                                        policy's retention only); without --yes,
                                                        only shows what would be deleted

Exit codes: 0 done (verify: every chain intact), 1 verify found a broken link, 2 bad arguments,
configuration or policy, or a purge inside the retention period, 3 storage failed or unavailable.
Messages are Japanese and name the problem; there is never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from bot.core.audit import AuditLog, PurgeReport, RetentionError, VerifyReport
from bot.core.audit.anchors import Anchor, AnchorSink, FileAnchorSink
from bot.core.audit.months import add_months, check_month, jst_month, utc_iso
from bot.core.audit.sinks import configured_sinks
from bot.core.clock import system_clock
from bot.core.config import Settings
from bot.core.errors import BotError, PolicyError, StorageError
from bot.core.policy import load_policy
from bot.ui.audit.export import FORMATS, export_month
from bot.ui.audit.texts import problem_text, retention_refused
from bot.ui.common import month_ja

OK, BROKEN, USAGE, FAILED = 0, 1, 2, 3


def add_parser(subparsers: Any) -> None:
    """Register `audit` and its subcommands."""
    audit = subparsers.add_parser(
        "audit",
        help="利用記録の検証・書き出し・削除",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = audit.add_subparsers(dest="audit_command", metavar="SUBCOMMAND", required=True)
    verify = sub.add_parser("verify", help="記録の改ざん・欠落を検証する（問題なし 0 / あり 1）")
    verify.add_argument("--month", type=_month, help="検証する月 YYYY-MM（既定: すべての月）")
    verify.add_argument(
        "--anchors", type=Path, nargs="*", default=[], help="照合する控え（audit anchor の出力）のファイル"
    )
    anchor = sub.add_parser("anchor", help="記録の控え（区画ごとの末尾の連番とハッシュ）を出力する")
    anchor.add_argument(
        "--month", type=_month, action="append", help="控えを取る月 YYYY-MM（既定: 今月と前月）"
    )
    anchor.add_argument("--out", type=Path, help="控えを追記するファイル（既定: 標準出力のみ）")
    export = sub.add_parser("export", help="1か月分の記録を CSV（BOM付き UTF-8）または JSON Lines で書き出す")
    export.add_argument("--month", type=_month, required=True, help="書き出す月 YYYY-MM（日本時間）")
    export.add_argument("--format", choices=FORMATS, default="csv", help="csv（既定、Excel 用）または jsonl")
    export.add_argument("--user", help="この利用者ID（Entra オブジェクトID）の記録だけ")
    export.add_argument("--out", type=Path, help="書き出すファイル（既定: 標準出力）")
    purge = sub.add_parser("purge", help="保存期間を過ぎた月の記録を削除する")
    purge.add_argument("--before", type=_month, required=True, help="この月より前（この月は含まない）を削除")
    purge.add_argument(
        "--yes", action="store_true", help="実際に削除する（指定しなければ対象を表示するだけ）"
    )
    audit.set_defaults(func=run)


def _month(value: str) -> str:
    try:
        return check_month(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"月は YYYY-MM の形で指定してください（例: 2026-11、指定: {value!r}）"
        ) from None


def run(args: argparse.Namespace) -> int:
    """Run one audit subcommand; return the exit code."""
    try:
        settings = Settings.from_env()
    except BotError as exc:
        return _fail(USAGE, f"設定エラー: {exc}")
    action = _ACTIONS.get(args.audit_command)
    if action is None:
        return _fail(USAGE, "audit の後に verify / anchor / export / purge のいずれかを指定してください。")
    return asyncio.run(_with_storage(settings, args, action))


Action = Callable[[AuditLog, Settings, argparse.Namespace], Awaitable[int]]


async def _with_storage(settings: Settings, args: argparse.Namespace, action: Action) -> int:
    try:
        from bot.core.storage import open_storage  # noqa: PLC0415  (its backends load their SDKs lazily)
    except ImportError as exc:
        return _fail(FAILED, f"記録の保存先を開けません（ストレージの実装が未完成です: {exc.name}）。")
    try:
        storage = await open_storage(settings)
    except BotError as exc:
        return _fail(FAILED, f"記録の保存先を開けません: {exc}")
    try:
        return await action(AuditLog(storage, clock=system_clock), settings, args)
    except StorageError as exc:
        return _fail(FAILED, f"記録の保存先でエラーが発生しました: {exc}")
    finally:
        await storage.close()


async def _verify(audit: AuditLog, settings: Settings, args: argparse.Namespace) -> int:
    try:
        anchors = await _read_anchors(settings, args.anchors)
    except (OSError, ValueError) as exc:
        return _fail(USAGE, f"控え（アンカー）を読み込めません: {exc}")
    except StorageError as exc:
        return _fail(FAILED, f"控え（アンカー）の保存先を読めません: {exc}")
    report = await audit.verify(args.month, anchors)
    print(verify_text(report))
    return OK if report.ok else BROKEN


async def _read_anchors(settings: Settings, files: list[Path]) -> list[Anchor]:
    sinks: list[AnchorSink] = [FileAnchorSink(path) for path in files]
    sinks += configured_sinks(settings)
    for path in files:
        if not path.is_file():
            raise OSError(f"{path} がありません")
    return [anchor for sink in sinks for anchor in await sink.read()]


async def _anchor(audit: AuditLog, settings: Settings, args: argparse.Namespace) -> int:
    now = system_clock()
    months = args.month or [add_months(jst_month(now), -1), jst_month(now)]
    anchor = await audit.anchor(sorted(set(months)), now)
    sinks = configured_sinks(settings)
    if args.out is not None and args.out != settings.audit_anchor_file:
        sinks.insert(0, FileAnchorSink(args.out))
    try:
        for sink in sinks:
            await sink.append(anchor)
    except OSError as exc:
        return _fail(USAGE, f"控えを書き込めません: {exc.strerror}")
    except StorageError as exc:
        return _fail(FAILED, f"控えを保存先に書き込めません: {exc}")
    print(anchor_text(anchor, load_policy(settings.policy).municipality.division))
    for sink in sinks:
        print(f"控えを追記しました: {sink.name}", file=sys.stderr)
    return OK


def anchor_text(anchor: Anchor, division: str) -> str:
    """What `audit anchor` prints: a statement to file, then the machine-readable line."""
    lines = [
        f"記録の控え（アンカー） 作成日時 {anchor.time}（UTC）",
        f"指紋（SHA-256）: {anchor.fingerprint}",
        "区画ごとの末尾の連番とハッシュ:",
        *(f"  {pk} {seq} {digest}" for pk, (seq, digest) in sorted(anchor.heads.items())),
        f"この控えを{division}の文書管理システムに保存してください。`audit verify --anchors ファイル` で、"
        "この時点までの記録が削除・書き換えされていないかを確かめられます。",
        "",
        anchor.to_json(),
    ]
    return "\n".join(lines)


PARTITION_NOTE = (
    "（区画：同時に書き込めるよう、記録は月ごとにいくつかの区画に分け、区画ごとに連番とハッシュで"
    "つないでいます。区画名は「年-月.番号」です）"
)


def verify_text(report: VerifyReport) -> str:
    """What `audit verify` prints: the verdict, broken links, incomplete turns, and the anchors."""
    scope = month_ja(report.month) if report.month else "すべての月"
    lines = [
        f"{scope}: {len(report.partitions)} 区画、{report.records:,} 件の記録を検証しました。",
        PARTITION_NOTE,
    ]
    if report.anchors:
        lines.append(f"控え（アンカー） {report.anchors} 件と照合しました。")
    if report.ok:
        lines.append("改ざん・欠落は見つかりませんでした。")
    for problem in report.problems:
        text = problem_text(problem.kind, problem.seq)
        lines.append(f"NG {problem.partition} 連番 {problem.seq}: {text} [{problem.kind}]")
    if report.pending:
        lines.append(
            f"まだ連結されていない記録が {report.pending:,} 件あります（保存済み。数秒後に連結されます）。"
        )
    for turn_id in report.incomplete_turns:
        lines.append(f"未完了のやりとり（開始のみ・終了の記録なし）: ターンID {turn_id}")
    if report.partitions:
        lines.append("区画ごとの最後の連番とハッシュ（控えておくと区画ごとの書き換えも検出できます）:")
    lines.extend(f"  {p.partition} {p.last_seq} {p.head_hash or '-'}" for p in report.partitions)
    return "\n".join(lines)


async def _export(audit: AuditLog, _settings: Settings, args: argparse.Namespace) -> int:
    try:
        with _output(args.out) as out:
            count = await export_month(audit, args.month, args.format, args.user, out)
    except OSError as exc:
        return _fail(USAGE, f"書き出し先 {args.out} に書き込めません: {exc.strerror}")
    print(f"{args.month}: {count:,} 件を書き出しました。", file=sys.stderr)
    return OK


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """The export target: a UTF-8 file, or stdout as UTF-8 whatever the console encoding."""
    if path is not None:
        with path.open("w", encoding="utf-8", newline="") as file:
            yield file
        return
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # stdout replaced by a text-only stream (embedding, some test runners)
        yield sys.stdout
        return
    sys.stdout.flush()
    wrapper = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)
    try:
        yield wrapper
    finally:
        wrapper.flush()
        wrapper.detach()  # leave stdout itself open


async def _purge(audit: AuditLog, settings: Settings, args: argparse.Namespace) -> int:
    try:
        retention = load_policy(settings.policy).records.retention_months
    except PolicyError as exc:
        return _fail(USAGE, f"ポリシーを読み込めません: {exc}")
    except ImportError as exc:
        return _fail(USAGE, f"ポリシーを読み込めません（{exc.name} がまだ実装されていないため）。")
    try:
        report = await audit.purge(args.before, retention, system_clock(), dry_run=not args.yes)
    except RetentionError as exc:
        return _fail(USAGE, retention_refused(exc.before_month, exc.oldest_kept, exc.retention_months))
    if not report.dry_run and report.records:
        purged = Anchor(utc_iso(system_clock()), purged_before=report.before)
        for sink in configured_sinks(settings):  # so verify does not report the months as lost
            try:
                await sink.append(purged)
            except (OSError, StorageError) as exc:
                print(f"警告: 削除の控えを {sink.name} に書き込めません: {exc}", file=sys.stderr)
    print(purge_text(report, retention))
    return OK


def purge_text(report: PurgeReport, retention_months: int) -> str:
    """What `audit purge` prints."""
    months = "、".join(report.months) or "なし"
    if not report.records and not report.partitions:
        return f"{report.before} より前の記録はありません（保存期間 {retention_months}か月）。"
    if report.dry_run:
        return (
            f"{report.before} より前の記録 {report.records:,} 件（対象月: {months}）を削除できます。"
            "削除するには --yes を付けて実行してください。"
        )
    return (
        f"{report.before} より前の記録 {report.records:,} 件（対象月: {months}）を削除しました。"
        "削除したことも記録しました。"
    )


def _fail(code: int, message: str) -> int:
    print(f"エラー: {message}", file=sys.stderr)
    return code


_ACTIONS: dict[str, Action] = {"verify": _verify, "anchor": _anchor, "export": _export, "purge": _purge}
