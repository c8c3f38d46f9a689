"""The `python -m bot knowledge` contract, run as the operator runs it (a process, serve's configuration)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from tests.knowledge.conftest import FIXTURES


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "knowledge", *args],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "OPENAI_", "BOT_"))}
    return {**clean, "BOT_DATA_DIR": str(tmp_path / "data")}


def test_add_list_search_remove(env: dict[str, str], tmp_path: Path) -> None:
    added = run(env, "add", str(FIXTURES))
    assert added.returncode == 0, added.stderr
    assert added.stdout.count("追加しました") == 3
    word = tmp_path / "kitei.docx"
    document = docx.Document()
    document.core_properties.title = "公用車管理規程"
    document.add_paragraph("第一条　公用車は、総務課が管理する。")
    document.add_paragraph("第二条　公用車の鍵は、使用後ただちに返却する。")
    document.save(str(word))
    assert "『公用車管理規程』" in run(env, "add", str(word)).stdout  # Word's metadata title

    listed = json.loads(run(env, "list", "--json").stdout)
    assert {d["title"] for d in listed} == {
        "架空市職員等の旅費に関する規程",
        "架空市文書管理マニュアル",
        "架空市テレワーク実施要綱",
        "公用車管理規程",
    }
    found = run(env, "search", "出張でグリーン車は使えますか", "--top", "2", "--json")
    rows = json.loads(found.stdout)
    assert len(rows) == 2
    assert set(rows[0]) >= {"doc_id", "title", "source", "passage", "score"}
    assert rows[0]["title"] == "架空市職員等の旅費に関する規程"
    assert "特別車両料金" in rows[0]["passage"]
    assert rows[0]["score"] >= rows[1]["score"]
    key = json.loads(run(env, "search", "公用車の鍵", "--json").stdout)[0]
    assert key["title"] == "公用車管理規程"

    removed = run(env, "remove", key["doc_id"])
    assert removed.returncode == 0
    assert "削除しました" in removed.stdout
    assert run(env, "remove", key["doc_id"]).returncode == 1
    assert all(
        r["doc_id"] != key["doc_id"] for r in json.loads(run(env, "search", "公用車の鍵", "--json").stdout)
    )


def test_readding_a_changed_file_replaces_it(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "memo.md"
    path.write_text("# 来庁者駐車場の案内\n\n駐車場は午前8時から使える。\n", encoding="utf-8")
    first = run(env, "add", str(path))
    assert "追加しました" in first.stdout
    assert "『来庁者駐車場の案内』" in first.stdout  # first non-empty line of a .md
    assert "変更なし" in run(env, "add", str(path)).stdout
    path.write_text("# 来庁者駐車場の案内\n\n駐車場は午前7時から使える。\n", encoding="utf-8")
    assert "更新しました" in run(env, "add", str(path), "--title", "駐車場案内").stdout
    listed = json.loads(run(env, "list", "--json").stdout)
    assert [d["title"] for d in listed] == ["駐車場案内"]
    passage = json.loads(run(env, "search", "駐車場は何時から", "--json").stdout)[0]["passage"]
    assert "午前7時" in passage


def test_bad_input_is_refused_with_a_clear_message(env: dict[str, str], tmp_path: Path) -> None:
    missing = run(env, "add", str(tmp_path / "nothing.txt"))
    assert missing.returncode == 1
    assert "見つかりません" in missing.stderr
    (tmp_path / "a.xlsx").write_bytes(b"PK")
    unsupported = run(env, "add", str(tmp_path / "a.xlsx"))
    assert unsupported.returncode == 1
    assert "（.xlsx）の形式には対応していません" in unsupported.stderr
    assert run(env, "search", "x", "--top", "0").returncode == 2
    assert run(env, "add", str(FIXTURES), "--title", "一つだけ").returncode == 2
