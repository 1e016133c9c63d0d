"""Rebuild the shipped CJK font subset (a dev-time tool; needs `pip install fonttools`).

    python resources/fonts/make_subset.py [/usr/share/fonts/truetype/wqy/wqy-microhei.ttc]

Keeps: ASCII, Latin-1, general punctuation, CJK symbols and punctuation,
full-width forms, all 6,763 GB2312 hanzi, and every character in the bundled
catalog and translations (so catalog names and guidance always print). The
result is marked as modified in its name table (Apache-2.0, section 4b).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESOURCES = HERE.parent
SOURCE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
TARGET = HERE / "WenQuanYiMicroHei-MedShareSubset.ttf"


def characters() -> str:
    chars: set[str] = set()
    for start, end in ((0x20, 0x7F), (0xA0, 0x100), (0x2010, 0x2040), (0x3000, 0x3040),
                       (0xFF01, 0xFF5F)):
        chars.update(chr(code) for code in range(start, end))
    chars.update("€→←↑↓×÷±°℃№·✓✗")
    for high in range(0xB0, 0xF8):  # GB2312 levels 1 and 2
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    catalog = json.loads((RESOURCES / "catalog" / "catalog.json").read_text("utf-8"))
    chars.update(json.dumps(catalog, ensure_ascii=False))
    for path in sorted((RESOURCES / "translations").glob("*.ts")):
        chars.update(path.read_text("utf-8"))
    return "".join(sorted(char for char in chars if char.isprintable()))


def main() -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    options = subset.Options()
    options.font_number = 0  # WenQuanYi Micro Hei (not the Mono face)
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.drop_tables += ["FFTM"]
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters())
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID == 5:
            names.setName(f"{record.toUnicode()}; subset for MedShare Kiosk", 5,
                          record.platformID, record.platEncID, record.langID)
    names.setName("Modified by MedShare Kiosk: subset to GB2312, Latin-1 and the catalog's "
                  "characters.", 10, 3, 1, 0x409)
    font.save(str(TARGET))
    print(f"{TARGET} {TARGET.stat().st_size:,} bytes")
    TTFont(str(TARGET))  # it reads back


if __name__ == "__main__":
    main()
