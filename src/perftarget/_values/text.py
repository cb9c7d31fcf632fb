"""Text that can be stored: valid Unicode, as UTF-8 and the XML of a workbook need."""

from __future__ import annotations

__all__ = ["lone_surrogate"]


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
