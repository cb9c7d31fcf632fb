"""Text that can be stored (valid Unicode, as UTF-8 and a workbook's XML need) and text in traditional characters.

Tables copied from mirror sites are often in traditional characters (績效, 萬元, 產出指標). Labels,
headings and level names are recognised through :func:`simplified` (opencc's ``t2s``, the ``traditional``
extra), while the texts a table prints are kept as printed; :func:`traditional_seen` tells, without
opencc, that a text holds traditional characters, so a reader can say what it could not recognise.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any, Final

__all__ = ["lone_surrogate", "opencc_installed", "simplified", "traditional_seen"]

# Traditional forms of the characters that labels, headings, level names and units use (績 for 绩,
# 萬 for 万...): each is traditional only, so one in a text says the text is in traditional characters.
# tests/test_traditional.py checks each against opencc.
TRADITIONAL_HINTS: Final = frozenset(
    "並個備價億優內冊劃務區單噸圓執報場塊學實對張後態應戶採撥據數於時會條棟標權沒況準滿濟無環產畝當盞監確碼稱"
    "級結經編縣總績續職臺與萬處號裏裡規計設評認說課調護財責資質購車較輛轉辦週進運過達適鄉釋鍾鎮鐘門間關際響頃項須預"
    "頭額類顯體點"
)


@lru_cache(maxsize=1)
def _converter() -> Any:  # noqa: ANN401 - opencc.OpenCC, an optional dependency
    """The traditional-to-simplified converter of opencc, or ``None`` when opencc is not installed."""
    try:
        opencc = importlib.import_module("opencc")
    except ImportError:
        return None
    return opencc.OpenCC("t2s")


def opencc_installed() -> bool:
    """Whether opencc (the ``traditional`` extra) is there to read traditional characters."""
    return _converter() is not None


def simplified(text: str) -> str:
    """``text`` in simplified characters (opencc ``t2s``) for recognising it; unchanged without opencc.

    Only for comparing (a label with the labels known, a level name with the levels): a text a
    table prints is kept as printed. Short texts (labels, level names) are cached.
    """
    if text.isascii():
        return text
    return _simplified_cached(text) if len(text) <= _CACHED_LENGTH else _simplified(text)


def _simplified(text: str) -> str:
    converter = _converter()
    if converter is None:
        return text
    converted: str = converter.convert(text)
    return converted


_CACHED_LENGTH: Final = 64
_simplified_cached: Final = lru_cache(maxsize=16384)(_simplified)


# Words every such table prints in some label or heading, in their traditional spelling; none is a
# simplified word, so a simplified table (even one naming a person 於 or a place 臺) never shows one.
TRADITIONAL_MARKERS: Final = (
    "績效", "指標", "項目", "預算", "資金", "產出", "數量", "質量", "時效", "滿意度", "經濟", "單位", "計量", "萬元",
)


def traditional_seen(text: str) -> bool:
    """Whether ``text`` is in traditional characters: it holds a word of the table vocabulary so spelt (績效, 指標...).

    Told without opencc, so that a reader can say what it could not recognise.
    """
    return not TRADITIONAL_HINTS.isdisjoint(text) and any(marker in text for marker in TRADITIONAL_MARKERS)


def lone_surrogate(text: str) -> str | None:
    r"""Why ``text`` cannot be written as UTF-8 (a lone surrogate, with its place), or ``None`` when it can.

    A lone surrogate (U+D800 to U+DFFF alone) is what a broken UTF-16 conversion or a JSON escape such
    as ``"\ud800"`` leaves behind: it is not a character, and no UTF-8 file can hold it.
    """
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"holds a lone surrogate \\u{ord(text[exc.start]):04x} at character {exc.start + 1}, which is not text"
    return None
