"""Draws CoP Bot's Teams icons: `color.png` (192×192) and `outline.png` (32×32, white on transparent).

The mark is a small network: a community (the centre) linked to six members around it, with a
ring joining the members, i.e. a Community of Practice. Teams asks for:
- the colour icon: 192×192 PNG, the symbol inside the central 120×120 "safe" area on a solid
  background (the app's accent colour, `accentColor` in the manifest);
- the outline icon: 32×32 PNG, white (#FFFFFF) where drawn and transparent elsewhere: only the
  alpha channel varies.

Run it after changing the drawing and commit the PNGs (`copbot package` checks both):

    .venv/bin/python manifest/make_icons.py
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
ACCENT = (0, 94, 184)  # #005EB8, the manifest's accentColor
SCALE = 8  # drawn 8× larger, then reduced: smooth edges without a font or an SVG library


def _network(
    draw: ImageDraw.ImageDraw,
    size: int,
    fill: int | tuple[int, ...],
    *,
    extent: float,
    node: float,
    hub: float,
    line: float,
) -> None:
    """The mark, centred in a `size` square; `extent` is the radius of the outer ring (0..0.5)."""
    cx = cy = size / 2
    radius = size * extent
    members = [
        (
            cx + radius * math.cos(math.radians(-90 + 60 * i)),
            cy + radius * math.sin(math.radians(-90 + 60 * i)),
        )
        for i in range(6)
    ]
    width = max(1, round(size * line))
    for i, (x, y) in enumerate(members):
        draw.line([(cx, cy), (x, y)], fill=fill, width=width)
        nx, ny = members[(i + 1) % 6]
        draw.line([(x, y), (nx, ny)], fill=fill, width=width)
    r = size * node
    for x, y in members:
        draw.ellipse([x - r, y - r, x + r, y + r], fill=fill)
    h = size * hub
    draw.ellipse([cx - h, cy - h, cx + h, cy + h], fill=fill)


def color_icon() -> Image.Image:
    big = 192 * SCALE
    image = Image.new("RGB", (big, big), ACCENT)
    draw = ImageDraw.Draw(image)
    # Inside the 120×120 safe area: outer ring radius 0.29 × 192 ≈ 56 px, nodes included.
    _network(draw, big, (255, 255, 255), extent=0.27, node=0.055, hub=0.085, line=0.022)
    return image.resize((192, 192), Image.Resampling.LANCZOS)


def outline_icon() -> Image.Image:
    big = 32 * SCALE
    mask = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(mask)
    _network(draw, big, 255, extent=0.36, node=0.085, hub=0.12, line=0.05)
    alpha = mask.resize((32, 32), Image.Resampling.LANCZOS)
    white = Image.new("L", (32, 32), 255)
    return Image.merge("RGBA", (white, white, white, alpha))


def main() -> None:
    color_icon().save(HERE / "color.png", optimize=True)
    outline_icon().save(HERE / "outline.png", optimize=True)
    print(f"wrote {HERE / 'color.png'} and {HERE / 'outline.png'}")


if __name__ == "__main__":
    main()
