"""The two app icons, drawn in code so anyone can regenerate them: `python -m bot.ui.manifest.icons [DIR]`.

The motif is a speech bubble (the assistant) carrying a shield with a check mark (the guideline
it enforces), in a municipal blue. Shapes are described in unit coordinates (0..1, y downwards)
as predicates; each pixel averages a grid of sub-samples, which gives smooth edges without any
imaging library. The outline icon uses only white with varying alpha on a transparent
background, as Teams requires.

Output is deterministic: the committed `manifest/*.png` files must hold the pixels this module draws
(a test checks it), so a change to the drawing is a change to this file.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.ui.manifest.png import encode_rgba

COLOR_SIZE = 192
OUTLINE_SIZE = 32
ACCENT_COLOR = "#1F5AA6"
"""Municipal blue: the manifest's accentColor and the colour icon's main colour."""

Point = tuple[float, float]
Rgb = tuple[int, int, int]
Inside = Callable[[float, float], bool]
Paint = Callable[[float, float], Rgb]

WHITE: Rgb = (255, 255, 255)
BLUE: Rgb = (0x1F, 0x5A, 0xA6)
SKY: Rgb = (0xBF, 0xE3, 0xFF)


@dataclass(frozen=True)
class Layer:
    """A shape and its paint; later layers cover earlier ones."""

    inside: Inside
    paint: Paint


# --- geometry ---------------------------------------------------------------------------------


def _segment_distance(x: float, y: float, a: Point, b: Point) -> float:
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - ax - t * dx, y - ay - t * dy)


def _inside_polygon(x: float, y: float, pts: Sequence[Point]) -> bool:
    """Even-odd rule."""
    inside = False
    for (x1, y1), (x2, y2) in zip(pts, [*pts[1:], pts[0]], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def polygon_sdf(x: float, y: float, pts: Sequence[Point]) -> float:
    """Signed distance to a polygon: negative inside."""
    edges = zip(pts, [*pts[1:], pts[0]], strict=True)
    distance = min(_segment_distance(x, y, a, b) for a, b in edges)
    return -distance if _inside_polygon(x, y, pts) else distance


def rounded_rect_sdf(x: float, y: float, box: tuple[float, float, float, float], radius: float) -> float:
    """Signed distance to a rectangle (left, top, right, bottom) with rounded corners."""
    left, top, right, bottom = box
    cx, cy = (left + right) / 2, (top + bottom) / 2
    qx = abs(x - cx) - ((right - left) / 2 - radius)
    qy = abs(y - cy) - ((bottom - top) / 2 - radius)
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return outside + min(max(qx, qy), 0.0) - radius


# --- the motif ----------------------------------------------------------------------------------

BUBBLE_BOX = (0.19, 0.25, 0.81, 0.71)
BUBBLE_RADIUS = 0.13
BUBBLE_TAIL: tuple[Point, ...] = ((0.29, 0.62), (0.46, 0.66), (0.25, 0.84))
CHECK: tuple[Point, ...] = ((0.435, 0.455), (0.488, 0.51), (0.578, 0.392))


def bubble_sdf(x: float, y: float) -> float:
    """The speech bubble: a rounded rectangle with a tail at the lower left."""
    return min(rounded_rect_sdf(x, y, BUBBLE_BOX, BUBBLE_RADIUS), polygon_sdf(x, y, BUBBLE_TAIL))


def in_shield(x: float, y: float, scale: float = 1.0) -> bool:
    """A shield centred in the bubble: straight sides, then curving in to a point."""
    cx, top, shoulder, tip, half = 0.5, 0.315, 0.45, 0.65, 0.135 * scale
    top, tip = 0.48 - (0.48 - top) * scale, 0.48 + (tip - 0.48) * scale
    if not top <= y <= tip:
        return False
    if y <= shoulder:
        return abs(x - cx) <= half
    t = (y - shoulder) / (tip - shoulder)
    return abs(x - cx) <= half * (1.0 - t * t)


def in_check(x: float, y: float) -> bool:
    """The check mark inside the shield."""
    return (
        min(_segment_distance(x, y, CHECK[0], CHECK[1]), _segment_distance(x, y, CHECK[1], CHECK[2])) <= 0.026
    )


def in_sparkle(x: float, y: float, cx: float = 0.81, cy: float = 0.18, r: float = 0.08) -> bool:
    """A four-pointed star: the 'generative AI' hint at the upper right."""
    return math.sqrt(abs(x - cx) / r) + math.sqrt(abs(y - cy) / r) <= 1.0


def _solid(rgb: Rgb) -> Paint:
    return lambda _x, _y: rgb


def _gradient(x: float, y: float) -> Rgb:
    """Slightly lighter at the top left, darker at the bottom right."""
    t = max(0.0, min(1.0, (x + y) / 2))
    top, bottom = (0x2A, 0x6B, 0xBD), (0x15, 0x46, 0x86)
    r, g, b = (round(a + (c - a) * t) for a, c in zip(top, bottom, strict=True))
    return (r, g, b)


def color_layers() -> list[Layer]:
    """Full-colour icon: blue field, white bubble, blue shield, white check, light sparkle."""
    return [
        Layer(lambda _x, _y: True, _gradient),
        Layer(lambda x, y: bubble_sdf(x, y) <= 0, _solid(WHITE)),
        Layer(in_shield, _solid(BLUE)),
        Layer(in_check, _solid(WHITE)),
        Layer(in_sparkle, _solid(SKY)),
    ]


def _zoomed(inside: Inside, factor: float, centre: Point = (0.5, 0.54)) -> Inside:
    """The same shape drawn `factor` times larger around `centre`."""
    cx, cy = centre
    return lambda x, y: inside(cx + (x - cx) / factor, cy + (y - cy) / factor)


def outline_layers() -> list[Layer]:
    """Outline icon: the bubble's border around a small solid shield, white on transparent.

    At 32 pixels the colour icon's details would blur, so the motif is drawn larger, with a
    border instead of a fill and a gap between border and shield.
    """
    stroke, zoom = 0.07, 1.25
    return [
        Layer(_zoomed(lambda x, y: -stroke <= bubble_sdf(x, y) <= 0, zoom), _solid(WHITE)),
        Layer(_zoomed(lambda x, y: in_shield(x, y, scale=0.68), zoom), _solid(WHITE)),
    ]


# --- rendering ----------------------------------------------------------------------------------


def _pixel(px: int, py: int, size: int, layers: Sequence[Layer], grid: int) -> bytes:
    """Average `grid`×`grid` sub-samples; premultiplied sums keep edge colours exact."""
    red = green = blue = alpha = 0
    for sy in range(grid):
        for sx in range(grid):
            x, y = (px + (sx + 0.5) / grid) / size, (py + (sy + 0.5) / grid) / size
            top = next((layer for layer in reversed(layers) if layer.inside(x, y)), None)
            if top is None:
                continue
            r, g, b = top.paint(x, y)
            red, green, blue, alpha = red + r, green + g, blue + b, alpha + 1
    if alpha == 0:
        return b"\x00\x00\x00\x00"
    count = grid * grid
    return bytes((round(red / alpha), round(green / alpha), round(blue / alpha), round(255 * alpha / count)))


def render(size: int, layers: Sequence[Layer], grid: int = 4) -> bytes:
    """Draw the layers into a `size`×`size` RGBA PNG."""
    rows = [b"".join(_pixel(px, py, size, layers, grid) for px in range(size)) for py in range(size)]
    return encode_rgba(size, size, rows)


def color_icon() -> bytes:
    """The 192×192 full-colour icon as PNG bytes."""
    return render(COLOR_SIZE, color_layers())


def outline_icon() -> bytes:
    """The 32×32 white-on-transparent outline icon as PNG bytes."""
    return render(OUTLINE_SIZE, outline_layers(), grid=8)


def write_icons(directory: Path) -> tuple[Path, Path]:
    """Write color.png and outline.png into `directory`; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    color, outline = directory / "color.png", directory / "outline.png"
    color.write_bytes(color_icon())
    outline.write_bytes(outline_icon())
    return color, outline


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the icons (default: the repository's manifest/ directory)."""
    args = list(sys.argv[1:] if argv is None else argv)
    directory = Path(args[0]) if args else Path(__file__).resolve().parents[3] / "manifest"
    for path in write_icons(directory):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
