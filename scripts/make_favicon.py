"""
Draw the site's emblem (`static/img/emblem.svg`) as the icons asked for at the
root: `site_root/favicon.ico`, `site_root/apple-touch-icon.png` and
`site_root/share-card.png`.

    python scripts/make_favicon.py

Pages name the SVG as their icon; browsers that do not read SVG icons, and
crawlers, ask for `/favicon.ico` at the root. The icon holds the emblem at 16,
32 and 48 pixels, each drawn from a copy twenty times as large, so that its
edges are smooth. iPhones and iPads ask for `/apple-touch-icon.png` and
`/apple-touch-icon-precomposed.png` (the same file under both names) for a
page added to the home screen: 180 pixels, opaque, since iOS rounds the
corners itself and shows transparency black, so the emblem stands inside a
margin of its own background colour. `site_root/share-card.png` is the
picture of link previews (og:image) for pages without one of their own, and
the touch icon is the publisher's logo in search engines' structured data
(a raster image, as they ask). Run it after changing the emblem and commit the
images (a test compares them).

It draws the SVG that the emblem is, not any SVG: rectangles (with `rx`) and
paths made of straight lines and cubic curves, filled or stroked with round
ends. Anything else stops it with a message.
"""

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image, ImageDraw

BASE_DIR = Path(__file__).resolve().parent.parent
EMBLEM = BASE_DIR / "static" / "img" / "emblem.svg"
SITE_ROOT = BASE_DIR / "site_root"
SIZES = (16, 32, 48)
TOUCH_ICON_NAMES = ("apple-touch-icon.png", "apple-touch-icon-precomposed.png")
TOUCH_ICON_SIZE = 180
TOUCH_ICON_PADDING = 18  # on each side, of the 180 pixels
# Link previews (og:image) of pages without a picture of their own: the
# 1.91:1 card messengers and social networks show in full.
SHARE_CARD_NAME = "share-card.png"
SHARE_CARD_SIZE = (1200, 630)
SHARE_CARD_EMBLEM = 360
OVERSAMPLING = 20
CURVE_STEPS = 32

SVG = "{http://www.w3.org/2000/svg}"
_TOKEN = re.compile(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARGUMENTS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "Z": 0}


def subpaths(d: str) -> list[list[tuple[float, float]]]:
    """The points of each subpath of the path data `d`, curves cut into straight steps."""
    tokens = _TOKEN.findall(d)
    shapes: list[list[tuple[float, float]]] = []
    x = y = 0.0
    command = None
    position = 0
    while position < len(tokens):
        if tokens[position].isalpha():
            command = tokens[position]
            position += 1
        if command is None:
            raise SystemExit(f"{EMBLEM.name}: a path has numbers that follow no command")
        if command.upper() not in _ARGUMENTS:
            raise SystemExit(f"{EMBLEM.name}: path command {command!r} is not drawn here")
        count = _ARGUMENTS[command.upper()]
        values = [float(value) for value in tokens[position : position + count]]
        position += count
        relative = command.islower()
        upper = command.upper()
        if upper == "Z":
            x, y = shapes[-1][0]
            command = None  # numbers right after it are no path
            continue
        if upper == "M":
            x, y = (x + values[0], y + values[1]) if relative else values
            shapes.append([(x, y)])
            # Pairs after a moveto are linetos.
            command = "l" if relative else "L"
        elif upper == "L":
            x, y = (x + values[0], y + values[1]) if relative else values
            shapes[-1].append((x, y))
        elif upper == "H":
            x = x + values[0] if relative else values[0]
            shapes[-1].append((x, y))
        elif upper == "V":
            y = y + values[0] if relative else values[0]
            shapes[-1].append((x, y))
        else:  # C
            if relative:
                values = [value + (x, y)[index % 2] for index, value in enumerate(values)]
            x1, y1, x2, y2, x3, y3 = values
            for step in range(1, CURVE_STEPS + 1):
                t = step / CURVE_STEPS
                a, b, c, e = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
                shapes[-1].append(
                    (a * x + b * x1 + c * x2 + e * x3, a * y + b * y1 + c * y2 + e * y3)
                )
            x, y = x3, y3
    return shapes


def draw(svg: Path, size: int, oversampling: int = OVERSAMPLING) -> Image.Image:
    """The emblem `size` pixels square, drawn `oversampling` times as large first."""
    root = ET.parse(svg).getroot()
    _, _, width, height = (float(value) for value in root.get("viewBox").split())
    big = size * oversampling
    scale = big / width
    if width != height:
        raise SystemExit(f"{svg.name}: the emblem is not square")
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    canvas = ImageDraw.Draw(image)
    for element in root:
        fill, stroke = element.get("fill"), element.get("stroke")
        if element.tag == f"{SVG}rect":
            left, top = float(element.get("x", 0)) * scale, float(element.get("y", 0)) * scale
            right = left + float(element.get("width")) * scale - 1
            bottom = top + float(element.get("height")) * scale - 1
            radius = float(element.get("rx", 0)) * scale
            canvas.rounded_rectangle((left, top, right, bottom), radius=radius, fill=fill)
        elif element.tag == f"{SVG}path" and fill and not stroke:
            for shape in subpaths(element.get("d")):
                canvas.polygon([(x * scale, y * scale) for x, y in shape], fill=fill)
        elif element.tag == f"{SVG}path" and stroke and element.get("stroke-linecap") == "round":
            line_width = float(element.get("stroke-width", 1)) * scale
            for shape in subpaths(element.get("d")):
                points = [(x * scale, y * scale) for x, y in shape]
                canvas.line(points, fill=stroke, width=round(line_width), joint="curve")
                for x, y in (points[0], points[-1]):
                    r = line_width / 2
                    canvas.ellipse((x - r, y - r, x + r, y + r), fill=stroke)
        else:
            raise SystemExit(f"{svg.name}: <{element.tag.removeprefix(SVG)}> is not drawn here")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def touch_icon(svg: Path) -> Image.Image:
    """The emblem on an opaque square of its own background colour (its first rectangle's)."""
    background = ET.parse(svg).getroot().find(f"{SVG}rect").get("fill")
    icon = Image.new("RGB", (TOUCH_ICON_SIZE, TOUCH_ICON_SIZE), background)
    emblem = draw(svg, TOUCH_ICON_SIZE - 2 * TOUCH_ICON_PADDING)
    icon.paste(emblem, (TOUCH_ICON_PADDING, TOUCH_ICON_PADDING), emblem)
    return icon


def share_card(svg: Path) -> Image.Image:
    """
    The picture of link previews for pages without one of their own: the emblem
    in the middle of SHARE_CARD_SIZE, on its background colour.
    """
    background = ET.parse(svg).getroot().find(f"{SVG}rect").get("fill")
    # Drawn four times as large, on the background, then made smaller whole: an
    # emblem made smaller alone gets a dark rim where it meets the transparency.
    scale = 4
    width, height = (length * scale for length in SHARE_CARD_SIZE)
    side = SHARE_CARD_EMBLEM * scale
    card = Image.new("RGB", (width, height), background)
    emblem = draw(svg, side, oversampling=1)
    card.paste(emblem, ((width - side) // 2, (height - side) // 2), emblem)
    return card.resize(SHARE_CARD_SIZE, Image.Resampling.LANCZOS)


def main(folder: Path = SITE_ROOT) -> None:
    folder.mkdir(exist_ok=True)
    images = [draw(EMBLEM, size) for size in SIZES]
    favicon = folder / "favicon.ico"
    # The largest is the one saved; the others go beside it as they were drawn.
    images[-1].save(favicon, sizes=[image.size for image in images], append_images=images[:-1])
    written = [favicon]
    icon = touch_icon(EMBLEM)
    for name in TOUCH_ICON_NAMES:
        icon.save(folder / name, optimize=True)
        written.append(folder / name)
    share_card(EMBLEM).save(folder / SHARE_CARD_NAME, optimize=True)
    written.append(folder / SHARE_CARD_NAME)
    for path in written:
        print(f"{path}: {path.stat().st_size} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
