"""Extraction benchmark (a script, not a test): time and peak memory to read a 10 MB file of each type.

    python tests/benchmarks/bench_extract.py [--mb 10] [--types docx,xlsx,...] [--keep DIR]

For every supported type a file of about `--mb` megabytes (ATTACHMENT_MAX_BYTES, the most the bot
downloads) is generated with the same libraries users' files come from: mostly text, in random
Japanese so it does not compress away (a 10 MB .docx of text is about 5.9 million characters). Each
file is then read in a fresh process, twice:

- as the bot reads it: `extract(..., limit=120_000)` (4 × the policy's 30,000 characters per file,
  so the user can be told the real length); a file this large then stops early with TooLongError;
- whole: no character budget, the worst case of a file just under the limit.

Reported: CPU time of the extraction (and wall time, which depends on the machine's load), the
process's peak RSS above its peak after importing the libraries and reading the file (VmHWM on
Linux), and how many characters were extracted. The PDF is written by reportlab with its built-in
CID font (dev dependency).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import docx  # noqa: E402
import openpyxl  # noqa: E402
import pptx  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

KANJI = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
KANA = [chr(c) for c in range(0x3041, 0x3094)]
PROBE = """
import json, resource, sys, time
sys.path.insert(0, {repo!r})
from bot.core.attachments import AttachmentError, extract, TooLongError
from bot.core.attachments import office, pdf, plain  # noqa: F401
import docx, openpyxl, pptx, pypdf  # noqa: F401  imported before the baseline
def high_water_kb():
    # VmHWM starts afresh at exec; ru_maxrss would carry the forking parent's peak over
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
data = open({path!r}, "rb").read()
base = high_water_kb()
start, cpu = time.perf_counter(), time.process_time()
try:
    chars, outcome = extract(data, {kind!r}, "bench", limit={limit}).chars, "read"
except TooLongError as exc:
    chars, outcome = exc.chars, "too long"
except AttachmentError as exc:
    chars, outcome = 0, exc.kind
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = high_water_kb()
figures = {{"seconds": seconds, "cpu": cpu, "peak_mb": (peak - base) / 1024}}
figures.update(chars=chars, outcome=outcome)
print(json.dumps(figures))
"""


def words(rng: random.Random, n: int) -> str:
    """Random Japanese-looking text (kanji and kana), `n` characters."""
    return "".join(rng.choice(KANJI) if rng.random() < 0.6 else rng.choice(KANA) for _ in range(n))


def grow(make: Callable[[int], bytes], target: int) -> bytes:
    """Scale `make(units)` until the file is about `target` bytes."""
    units = 200
    data = make(units)
    while len(data) < target * 0.95:
        units = max(units + 1, int(units * target / max(len(data), 1) * 1.02))
        data = make(units)
    return data


def make_docx(units: int) -> bytes:
    rng = random.Random(1)
    document = docx.Document()
    for n in range(units):
        if n % 50 == 0:
            document.add_heading(words(rng, 20), level=2)
        document.add_paragraph(words(rng, 300))
    return _save(document)


def make_xlsx(units: int) -> bytes:
    rng = random.Random(2)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("データ")
    sheet.append(["番号", "地区", "件名", "金額", "備考"])
    for n in range(units):
        sheet.append([n, words(rng, 4), words(rng, 12), rng.randint(0, 10**7), words(rng, 20)])
    return _save(workbook)


def make_pptx(units: int) -> bytes:
    rng = random.Random(3)
    presentation = pptx.Presentation()
    for _ in range(units // 10 + 1):
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = words(rng, 20)
        slide.placeholders[1].text = "\n".join(words(rng, 80) for _ in range(12))
        slide.notes_slide.notes_text_frame.text = words(rng, 200)
    return _save(presentation)


def make_pdf(units: int) -> bytes:
    rng = random.Random(4)
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pageCompression=1)
    for _ in range(units // 10 + 1):
        pdf.setFont("HeiseiKakuGo-W5", 9)
        for line in range(70):
            pdf.drawString(40, 800 - 11 * line, words(rng, 45))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_text(units: int) -> bytes:
    rng = random.Random(5)
    return "\n".join(words(rng, 100) for _ in range(units * 10)).encode("utf-8")


def make_csv(units: int) -> bytes:
    rng = random.Random(6)
    rows = [f"{n},{words(rng, 4)},{words(rng, 12)},{rng.randint(0, 10**7)}" for n in range(units * 10)]
    return ("番号,地区,件名,金額\n" + "\n".join(rows)).encode("utf-8")


def make_vtt(units: int) -> bytes:
    rng = random.Random(7)
    speakers = [words(rng, 2) + " " + words(rng, 2) for _ in range(8)]
    cues = [
        f"c{n}\n00:{n // 60 % 60:02d}:{n % 60:02d}.000 --> 00:{n // 60 % 60:02d}:{n % 60:02d}.900\n"
        f"<v {rng.choice(speakers)}>{words(rng, 60)}</v>\n"
        for n in range(units * 10)
    ]
    return ("WEBVTT\n\n" + "\n".join(cues)).encode("utf-8")


MAKERS: dict[str, Callable[[int], bytes]] = {
    "docx": make_docx,
    "xlsx": make_xlsx,
    "pptx": make_pptx,
    "pdf": make_pdf,
    "txt": make_text,
    "md": make_text,
    "csv": make_csv,
    "vtt": make_vtt,
}


def _save(document: object) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def measure(path: Path, kind: str, limit: int) -> dict[str, object]:
    """Run one extraction in a fresh process and return its figures."""
    code = PROBE.format(repo=str(REPO), path=str(path), kind=kind, limit=limit)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--types", default=",".join(MAKERS))
    parser.add_argument("--keep", type=Path, help="write the generated files here (and reuse them next time)")
    args = parser.parse_args()
    target = int(args.mb * 1024 * 1024 * 0.98)  # just under ATTACHMENT_MAX_BYTES
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-extract-"))
    folder.mkdir(parents=True, exist_ok=True)
    print("| type | file | as the bot reads it (limit 120,000) | whole file | characters (whole) |")
    print("|---|---|---|---|---|")
    for kind in args.types.split(","):
        started = time.perf_counter()
        path = folder / f"bench.{kind}"
        if path.is_file() and len(path.read_bytes()) >= target * 0.95:
            data = path.read_bytes()  # generated by an earlier run with --keep
        else:
            data = grow(MAKERS[kind], target)
            path.write_bytes(data)
        made = time.perf_counter() - started
        bot = measure(path, kind, 120_000)
        whole = measure(path, kind, 10**9)
        as_bot = (
            f"{bot['cpu']:.2f} s ({bot['seconds']:.1f} s wall), +{bot['peak_mb']:.0f} MB ({bot['outcome']})"
        )
        in_full = f"{whole['cpu']:.2f} s ({whole['seconds']:.1f} s wall), +{whole['peak_mb']:.0f} MB"
        size = f"{len(data) / 1048576:.1f} MB"
        print(f"| {kind} | {size} | {as_bot} | {in_full} | {whole['chars']:,} |", flush=True)
        print(f"  (generated in {made:.0f} s)", file=sys.stderr)
    if args.keep is None:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
