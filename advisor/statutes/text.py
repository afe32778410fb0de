"""Text keys for matching: lower case, no accents, one kind of quote and dash, single spaces; and a
variant with spelled-out numbers as digits ("negen leden" -> "9 leden", by text2num)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
                         "\u00ab": '"', "\u00bb": '"', "\u2013": "-", "\u2014": "-", "\u2212": "-",
                         "\u00a0": " "})


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    text = text.translate(_QUOTES).replace("\\", "")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return re.sub(r"\s+", " ", plain).strip()


@lru_cache(maxsize=8192)
def with_digits(text: str, spelled: tuple[tuple[str, str], ...] = ()) -> str:
    """The normalised text with numbers in digits; `spelled` rewrites words text2num does not know
    ("tweemaal" -> "2 maal")."""
    from text_to_num import alpha2digit

    lowered = text.translate(_QUOTES).replace("\\", "").casefold()
    for word, digits in spelled:
        lowered = re.sub(rf"\b{word}\b", digits, lowered)
    try:
        converted = alpha2digit(lowered, "nl", threshold=1)
    except Exception:  # noqa: BLE001 - a number the parser trips over: keep the words
        converted = lowered
    return normalise(converted)
