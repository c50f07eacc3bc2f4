"""The one full-width → half-width table.

``０-９ Ａ-Ｚ ａ-ｚ ＋－．％＜＞…`` (U+FF01–U+FF5E) and the ideographic space (U+3000) as their
ASCII forms. Readers and the target grammar derive their own translations from it (keeping CJK
punctuation, or adding ``≧`` → ``≥``).
"""

from __future__ import annotations

FULL_WIDTH_TO_ASCII: dict[int, int] = {
    **{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)},
    0x3000: 0x20,
}
