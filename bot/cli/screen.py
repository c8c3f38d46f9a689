"""`python -m bot screen`: screen texts from the command line (the scorer and the city's IT staff).

    python -m bot screen [--policy iwaki|maebashi|PATH] < cases.jsonl > results.jsonl
    python -m bot screen [--policy ...] --text "村田英樹さんの電話番号は090-1234-5678"

JSON Lines mode reads `{"id": ..., "text": ...}` per line and writes, in order and flushed,
`{"id", "action", "masked_text", "findings": [{"kind", "start", "end", "action", "category",
"label", "display", "placeholder", "signal"}], "counts"}`. Offsets are Python string indices
into the input text. No raw value of a blocked finding is ever written. A bad line gets
`{"id", "error"}` and the run goes on; the exit code is then 1. Each line gets a fresh
pseudonym table. `--text` prints a Japanese report (colours only on a terminal).

A PATH may be a whole city policy or a TOML file with only a `[screening]` table.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from bot.core.errors import PolicyError
from bot.core.screening import PseudonymTable, Screener, ScreeningPolicy, ScreeningResult
from bot.core.screening.report import render


def add_parser(subparsers: Any) -> None:
    """Register the `screen` subcommand on an argparse subparsers object."""
    parser = subparsers.add_parser(
        "screen",
        help="個人情報・非公開情報のスクリーニングを試す（JSON Lines または --text）",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_arguments(parser)
    parser.set_defaults(func=run)


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--policy", default="iwaki", help="iwaki（既定）、maebashi、またはTOMLファイルのパス")
    parser.add_argument("--text", help="この1文をスクリーニングして結果を日本語で表示する")


def run(args: argparse.Namespace) -> int:
    """Run the `screen` subcommand; returns the exit code."""
    try:
        screening, ordinance_label = _load(args.policy)
    except PolicyError as exc:
        print(f"ポリシーを読み込めません: {exc}", file=sys.stderr)
        return 2
    screener = Screener(screening)
    if args.text is not None:
        result = screener.screen(args.text)
        report = render(args.text, result, ordinance_label=ordinance_label, colour=sys.stdout.isatty())
        _write(sys.stdout, report + "\n")
        return 0
    return screen_lines(screener, sys.stdin.buffer, sys.stdout)


def screen_lines(screener: Screener, lines: Iterable[bytes], out: IO[str]) -> int:
    """Screen JSON Lines; one output line per non-blank input line; 1 if any line was bad."""
    status = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            case_id, text = _parse(raw, number)
        except ValueError as exc:
            status = 1
            record: dict[str, Any] = {"id": _id_of(raw), "error": str(exc)}
        else:
            record = _screen_record(screener, case_id, text, number)
            status = status or int("error" in record)
        try:
            _write(out, json.dumps(record, ensure_ascii=False) + "\n")
        except BrokenPipeError:  # the reader went away (… | head): stop quietly
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115  (so the interpreter's final flush does not fail)
            return 1
    return status


def _screen_record(screener: Screener, case_id: Any, text: str, number: int) -> dict[str, Any]:
    """The result record, or an error record if screening itself failed on this line.

    One line must not stop a batch (the scorer and the IT staff run hundreds); the failure is
    reported on its line and in the exit code, never as a traceback.
    """
    try:
        return {"id": case_id, **result_record(screener.screen(text, PseudonymTable()))}
    except Exception as exc:
        return {"id": case_id, "error": f"line {number}: screening failed ({type(exc).__name__})"}


def result_record(result: ScreeningResult) -> dict[str, Any]:
    """The JSON form of a result (no raw values of blocked findings)."""
    return {
        "action": result.action.value,
        "masked_text": result.masked_text,
        "findings": [
            {
                "kind": f.kind,
                "start": f.start,
                "end": f.end,
                "action": f.action.value,
                "category": f.category,
                "label": f.label,
                "display": f.display,
                "placeholder": f.placeholder,
                "signal": f.signal,
            }
            for f in result.findings
        ],
        "counts": result.counts(),
    }


def _parse(raw: bytes, number: int) -> tuple[Any, str]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"line {number}: not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"line {number}: not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise ValueError(f'line {number}: expected a JSON object with "id" and "text"')
    text = data.get("text")
    if not isinstance(text, str):
        raise ValueError(f'line {number}: "text" must be a string')
    return data.get("id"), text


def _id_of(raw: bytes) -> Any:
    """The id of a bad line when it can still be read, else None."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data.get("id") if isinstance(data, dict) else None


def _write(out: IO[str], text: str) -> None:
    """Write UTF-8 whatever the locale, and flush (callers stream results line by line)."""
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        out.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        out.write(text)
        out.flush()


def _load(name_or_path: str) -> tuple[ScreeningPolicy, Callable[[str], str] | None]:
    """The screening policy and the ordinance labeller of a built-in policy or a TOML file."""
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.is_file():
        raw = _read_toml(path)
        if "municipality" not in raw:  # a file with only the [screening] table
            return _screening_only(raw.get("screening", {}), str(path)), None
    from bot.core.policy import load_policy  # noqa: PLC0415  (only the screen command needs the whole policy)

    policy = load_policy(name_or_path)
    return policy.screening, policy.ordinance.label


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(f"{path}: cannot read TOML: {exc}") from None


def _screening_only(raw: Any, source: str) -> ScreeningPolicy:
    try:
        return ScreeningPolicy.from_mapping(raw)
    except ValueError as exc:
        raise PolicyError(f"{source}: screening: {exc}") from None


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point: `python -m bot.cli.screen ...`."""
    parser = argparse.ArgumentParser(prog="python -m bot.cli.screen", description=__doc__)
    _add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
