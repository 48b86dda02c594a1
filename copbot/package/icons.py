"""Teams' rules for the two app icons, which the JSON schema cannot see.

- colour icon: a PNG of exactly 192×192 pixels;
- outline icon: a PNG of exactly 32×32 pixels, white on a transparent background: every pixel is
  white (#FFFFFF) and only its alpha varies, some pixels are fully transparent, some are drawn.
"""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from copbot.package.problems import PackageProblem

COLOR_SIZE = (192, 192)
OUTLINE_SIZE = (32, 32)


def _open(data: bytes, file: str, path: str) -> tuple[Image.Image | None, list[PackageProblem]]:
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError):
        return None, [PackageProblem(file, path, f"{file} is not an image Teams can read (PNG)")]
    if image.format != "PNG":
        return image, [PackageProblem(file, path, f"{file} is {image.format}, Teams needs a PNG")]
    return image, []


def _size_problem(
    image: Image.Image, want: tuple[int, int], file: str, path: str
) -> list[PackageProblem]:
    if image.size == want:
        return []
    return [
        PackageProblem(
            file,
            path,
            f"{file} is {image.size[0]}×{image.size[1]} pixels; Teams needs {want[0]}×{want[1]}",
        )
    ]


def check_color_icon(data: bytes, file: str, path: str = "$.icons.color") -> list[PackageProblem]:
    image, problems = _open(data, file, path)
    if image is None:
        return problems
    return problems + _size_problem(image, COLOR_SIZE, file, path)


def check_outline_icon(
    data: bytes, file: str, path: str = "$.icons.outline"
) -> list[PackageProblem]:
    image, problems = _open(data, file, path)
    if image is None:
        return problems
    problems += _size_problem(image, OUTLINE_SIZE, file, path)
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or (
        image.mode == "P" and "transparency" in image.info
    )
    if not has_alpha:
        problems.append(
            PackageProblem(
                file, path, f"{file} has no transparency: the outline icon is white on transparent"
            )
        )
        return problems
    rgba = image.convert("RGBA")
    # an RGBA image's pixels are 4-tuples (Pillow types them as any mode's: a number or a tuple)
    pixels = [p for p in rgba.get_flattened_data() if isinstance(p, tuple)]
    drawn = [p for p in pixels if p[3] > 0]
    not_white = sum(1 for p in drawn if p[:3] != (255, 255, 255))
    if not_white:
        problems.append(
            PackageProblem(
                file,
                path,
                f"{file} has {not_white} pixel(s) that are not white: the outline icon is white "
                "(#FFFFFF) on transparent, only the alpha may vary",
            )
        )
    if len(drawn) == len(pixels):
        problems.append(
            PackageProblem(
                file, path, f"{file} has no transparent pixel: its background must be transparent"
            )
        )
    elif not drawn:
        problems.append(
            PackageProblem(file, path, f"{file} is fully transparent: nothing is drawn")
        )
    return problems
