"""`knowledge add` as the 情報政策課 runs it over real folders: a title set by hand outlives re-adding
the folder, files it cannot read are named with the reason and what to do in Japanese, and the exit
code tells a script that something was left out."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from bot.core.knowledge.documents import MAX_FILE_BYTES
from tests.attachments import samples
from tests.knowledge.test_cli import env, run

__all__ = ["env"]  # the fixture, shared with test_cli.py

RULE = "# 公用車の使用について\n\n第一条　公用車は、総務課に予約して使用する。\n"


def _titles(env: dict[str, str]) -> dict[str, str]:
    return {Path(d["source"]).name: d["title"] for d in json.loads(run(env, "list", "--json").stdout)}


def test_a_title_given_by_hand_is_kept_when_the_folder_is_added_again(
    env: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "reiki"
    folder.mkdir()
    rule = folder / "kouyousha.md"
    rule.write_text(RULE, encoding="utf-8")
    (folder / "other.txt").write_text("庁舎管理規程\n第一条　庁舎は総務課が管理する。\n", encoding="utf-8")
    titled = run(env, "add", str(rule), "--title", "公用車管理規程")
    assert titled.returncode == 0, titled.stderr
    assert "『公用車管理規程』" in titled.stdout

    again = run(env, "add", str(folder))
    assert again.returncode == 0, again.stderr
    line = next(line for line in again.stdout.splitlines() if "kouyousha.md" in line)
    assert line.startswith("変更なし")
    assert "『公用車管理規程』" in line
    assert "以前 --title で指定したもの" in line
    assert "--title" not in next(line for line in again.stdout.splitlines() if "other.txt" in line)
    assert _titles(env) == {"kouyousha.md": "公用車管理規程", "other.txt": "庁舎管理規程"}

    rule.write_text(RULE + "第二条　鍵は使用後すぐに返す。\n", encoding="utf-8")  # the file changed
    changed = run(env, "add", str(folder))
    line = next(line for line in changed.stdout.splitlines() if "kouyousha.md" in line)
    assert line.startswith("更新しました")
    assert "『公用車管理規程』" in line
    assert _titles(env)["kouyousha.md"] == "公用車管理規程"

    renamed = run(env, "add", str(rule), "--title", "架空市公用車管理規程")
    assert renamed.stdout.startswith("更新しました")
    assert "以前 --title" not in renamed.stdout
    run(env, "add", str(folder))
    assert _titles(env)["kouyousha.md"] == "架空市公用車管理規程"


def test_a_title_given_that_equals_the_default_is_kept_too(env: dict[str, str], tmp_path: Path) -> None:
    rule = tmp_path / "kouyousha.md"
    rule.write_text(RULE, encoding="utf-8")
    run(env, "add", str(rule))
    assert run(env, "add", str(rule), "--title", "公用車の使用について").stdout.startswith("変更なし")
    rule.write_text(RULE.replace("# 公用車の使用について", "# 公用車の使い方"), encoding="utf-8")
    assert "『公用車の使用について』" in run(env, "add", str(rule)).stdout  # set by hand: kept


ALLOWED_LATIN = {"OCR", "Word", "PDF", "HTML", "Markdown", "docx", "doc", "pdf", "txt", "html", "xlsx"}
ALLOWED_LATIN |= {"htm", "python", "bot", "knowledge", "add", "MB", "md"}


def _latin_words(text: str, *paths: Path) -> set[str]:
    """The Latin-letter words of `text` other than the paths shown and the names staff know."""
    for path in paths:
        text = text.replace(str(path), "")
    return set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED_LATIN


def test_skipped_files_are_named_in_japanese_with_what_to_do_and_the_exit_code_is_4(
    env: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "reiki"
    folder.mkdir()
    (folder / "ryohi.txt").write_text("旅費規程\n第一条　旅費は実費を支給する。\n", encoding="utf-8")
    bad = {
        "scan.pdf": (samples.scanned_pdf(), "OCR", "登録してください"),
        "locked.pdf": (samples.encrypted_pdf(), "パスワードで保護", "パスワードを解除"),
        "broken.docx": (b"not a zip", "壊れているか", "保存し直して"),
        "empty.md": (b"\n\n", "読み取れる文字がありませんでした", "文字の入ったファイルか確認"),
    }
    for name, (data, _, _) in bad.items():
        (folder / name).write_bytes(data)
    huge = folder / "huge.txt"
    with huge.open("wb") as sparse:
        sparse.truncate(MAX_FILE_BYTES + 1)
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")

    result = run(env, "add", str(folder), str(old), str(tmp_path / "gone"))

    assert result.returncode == 4, result.stderr
    assert result.stdout.startswith("追加しました")
    assert "ryohi.txt" in result.stdout
    assert len(result.stdout.splitlines()) == 1
    lines = result.stderr.splitlines()
    for name, (_, what, todo) in bad.items():
        line = next(line for line in lines if f"「{folder / name}」" in line)
        assert line.startswith("スキップ（登録していません）: ")
        assert what in line
        assert todo in line
    assert any(f"「{huge}」は大きすぎます（上限 50MB）" in line and "分けて" in line for line in lines)
    assert any(f"「{old}」（.doc）の形式には対応していません" in line for line in lines)
    assert any(str(tmp_path / "gone") in line and "見つかりません" in line for line in lines)
    assert "OCR（文字認識）で文字を読み取れるPDFにしてから登録する" in result.stderr
    assert lines[-1].startswith("7件は登録していません")
    shown = [*(folder / name for name in bad), huge, old, tmp_path / "gone"]
    assert _latin_words(result.stderr, *shown) == set()
    assert [d["title"] for d in json.loads(run(env, "list", "--json").stdout)] == ["旅費規程"]


def test_nothing_readable_exits_1_and_usage_errors_exit_2(env: dict[str, str], tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(samples.scanned_pdf())
    only_bad = run(env, "add", str(scan))
    assert only_bad.returncode == 1
    assert "OCR" in only_bad.stderr
    assert "登録できる文書がありませんでした" in only_bad.stderr
    assert _latin_words(only_bad.stderr, scan) == set()
    assert run(env, "add").returncode == 2  # argparse: PATH is required
    assert run(env, "add", str(scan), "--bogus").returncode == 2


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_read_permission_says_so(env: dict[str, str], tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("規程\n第一条　本文。\n", encoding="utf-8")
    secret.chmod(0)
    try:
        result = run(env, "add", str(secret))
    finally:
        secret.chmod(0o600)
    assert result.returncode == 1
    assert "読み取りの権限" in result.stderr


def test_add_help_documents_the_exit_codes() -> None:
    shown = run({**os.environ}, "add", "--help")
    assert shown.returncode == 0
    assert "4  add で、登録はしたが一部のファイルをスキップした" in shown.stdout
    assert "--title なしで登録し直しても" in shown.stdout
