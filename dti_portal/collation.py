"""Vietnamese alphabetical order, the same in Python and in both databases.

The alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f, j, w, z
in borrowed words, at their Latin places): "Đồng Nai" comes after "Dung", not after
"Yên Bái" as the code points would put it. Tone marks weigh less than letters: two
names are compared letter by letter first, then by their tones (none, huyền, hỏi,
ngã, sắc, nặng), then by case (lower case first): CLDR's Vietnamese collation, which
PostgreSQL's ICU collation ``vietnamese`` applies (created by
indicators/migrations/0012_vietnamese_collation.py) and which ``vietnamese_key``
applies in Python and, as a collation function, in SQLite.

In a query: ``.order_by(vietnamese("name"))``; in Python:
``sorted(agencies, key=lambda a: vietnamese_key(a.name))``.
"""

import unicodedata
from functools import lru_cache

from django.db.models import F
from django.db.models.functions import Collate

VIETNAMESE = "vietnamese"

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
# Combining marks that make another letter of the alphabet (ă, â, ê, ô, ơ, ư)...
SHAPES = {"\u0306", "\u0302", "\u031b"}
# ...and the five tones, in their order.
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vietnamese(field: str) -> Collate:
    """``field`` for ``order_by`` in Vietnamese order, on PostgreSQL and SQLite."""
    return Collate(F(field), VIETNAMESE)


@lru_cache(maxsize=4096)
def vietnamese_key(text: str) -> tuple:
    """A sort key putting ``text`` in Vietnamese alphabetical order."""
    letters: list[tuple[int, int]] = []  # (group, rank): spaces and signs, digits, letters
    tones: list[int] = []
    cases: list[int] = []
    for char in unicodedata.normalize("NFC", text or ""):
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        # đ has no decomposition: it is its own letter already.
        shaped = unicodedata.normalize("NFC", base.lower() + "".join(m for m in marks if m in SHAPES))
        if shaped in LETTER_RANK:
            letters.append((2, LETTER_RANK[shaped]))
        elif shaped.isdigit():
            letters.append((1, int(shaped) if shaped.isascii() else ord(shaped)))
        elif shaped.isalpha():
            letters.append((3, ord(shaped)))  # another script's letter, after ours
        else:
            letters.append((0, ord(shaped)))
        tones.append(max((TONES.get(mark, 0) for mark in marks), default=0))
        cases.append(0 if char == char.lower() else 1)
    return (tuple(letters), tuple(tones), tuple(cases), text)


def compare(left: str, right: str) -> int:
    """SQLite's collation function: negative, zero or positive."""
    left_key, right_key = vietnamese_key(left or ""), vietnamese_key(right or "")
    return (left_key > right_key) - (left_key < right_key)


def install_on_sqlite(sender, connection, **kwargs) -> None:
    """``connection_created``: SQLite has no ICU; give it the collation in Python."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(VIETNAMESE, compare)
