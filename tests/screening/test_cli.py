"""`python -m bot.cli.screen` (wired as `python -m bot screen`): the JSON Lines and --text contracts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def _run(args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli.screen", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "LANG": "C"},  # no UTF-8 locale: output must still be UTF-8
    )


@pytest.fixture(scope="module")
def jsonl() -> subprocess.CompletedProcess[str]:
    lines = [
        json.dumps({"id": 1, "text": "マイナンバー 1234 5678 9018 の件"}, ensure_ascii=False),
        json.dumps({"id": "b", "text": "村田英樹さんに電話 090-1234-5678"}, ensure_ascii=False),
        "not json",
        "",
        json.dumps({"id": 3, "text": 42}),
        json.dumps({"id": 4, "text": "部外秘の資料"}, ensure_ascii=False),
        json.dumps({"id": 5, "text": "村田英樹さん"}, ensure_ascii=False),
    ]
    return _run([], "\n".join(lines) + "\n")


def test_one_line_per_input_in_order(jsonl: subprocess.CompletedProcess[str]) -> None:
    out = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert [r.get("id") for r in out] == [1, "b", None, 3, 4, 5]
    assert [r.get("action") for r in out] == ["block", "mask", None, None, "confirm", "mask"]


def test_records_follow_the_contract(jsonl: subprocess.CompletedProcess[str]) -> None:
    first, second = (json.loads(line) for line in jsonl.stdout.splitlines()[:2])
    assert "5678" not in jsonl.stdout.splitlines()[0]
    assert second["masked_text"] == "〔人名1〕さんに電話 〔電話番号1〕"
    finding = second["findings"][0]
    assert {"kind", "start", "end", "action", "category"} <= set(finding)
    assert (finding["kind"], finding["start"], finding["end"], finding["category"]) == (
        "person_name",
        0,
        4,
        "personal",
    )
    assert first["findings"][0]["display"] == "1234 **** **18"


def test_each_line_gets_a_fresh_table(jsonl: subprocess.CompletedProcess[str]) -> None:
    last = json.loads(jsonl.stdout.splitlines()[-1])
    assert last["masked_text"] == "〔人名1〕さん"


def test_bad_lines_are_reported_and_exit_code_is_1(jsonl: subprocess.CompletedProcess[str]) -> None:
    errors = [json.loads(line) for line in jsonl.stdout.splitlines() if "error" in json.loads(line)]
    assert len(errors) == 2
    assert "line 3: not JSON" in errors[0]["error"]
    assert 'line 5: "text" must be a string' in errors[1]["error"]
    assert jsonl.returncode == 1
    assert "Traceback" not in jsonl.stderr


def test_clean_input_exits_0() -> None:
    proc = _run(["--policy", "maebashi"], json.dumps({"id": 1, "text": "こんにちは"}) + "\n")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["action"] == "allow"


def test_text_report_is_japanese_and_hides_identifiers() -> None:
    proc = _run(["--text", "村田英樹さん（マイナンバー 123456789018）"])
    assert proc.returncode == 0
    assert "判定: 送信できません" in proc.stdout
    assert "1234 **** **18" in proc.stdout
    assert "123456789018" not in proc.stdout
    assert "\033[" not in proc.stdout  # not a terminal: no colours
    assert "いわき市情報公開条例第7条イ" in proc.stdout


def test_policy_path_with_only_a_screening_table(tmp_path: Path) -> None:
    path = tmp_path / "test.toml"
    path.write_text('[screening]\nblock_terms = ["極秘プロジェクトA"]\n', encoding="utf-8")
    proc = _run(
        ["--policy", str(path)], json.dumps({"id": 1, "text": "極秘プロジェクトAの件"}, ensure_ascii=False)
    )
    assert json.loads(proc.stdout)["action"] == "block"


def test_bad_policy_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[screening]\ncolour = 1\n", encoding="utf-8")
    proc = _run(["--policy", str(path)], "")
    assert proc.returncode == 2
    assert "unknown key 'colour'" in proc.stderr
    assert "Traceback" not in proc.stderr
    missing = _run(["--policy", "nagoya"], "")
    assert missing.returncode == 2
    assert "Traceback" not in missing.stderr
