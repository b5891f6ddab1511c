"""The CJK font every chart uses, so Chinese renders the same on any machine: Noto Sans CJK SC
(SIL Open Font License), installed with the project by the mplfonts package. Only its font file
is used; a machine's own fonts are never relied on (a server usually has none with Chinese)."""

from __future__ import annotations

import functools
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no screen on a server: draw to PNG only

from matplotlib import font_manager

FONT_FILE = "NotoSansCJKsc-Regular.otf"


def font_path() -> Path:
    import mplfonts  # type: ignore[import-untyped]  # a font carrier, not typed

    path = Path(mplfonts.__file__).resolve().parent / "fonts" / FONT_FILE
    if not path.is_file():
        raise RuntimeError(f"the CJK font {FONT_FILE} is missing: reinstall the project "
                           "(pip install -e .) so mplfonts brings it")
    return path


@functools.cache
def cjk_family() -> str:
    """Register the font with matplotlib once and make it the default; returns its family name
    (a test checks that the family a chart actually used is this one)."""
    path = font_path()
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = [family]
    matplotlib.rcParams["axes.unicode_minus"] = False  # the CJK font lacks U+2212
    return family
