"""``format_number`` writes numbers with Python's own grouping (issue 20's API page
writes 3,000 of them): what it writes must be what the hand-made grouping wrote."""

import random
from decimal import Decimal, InvalidOperation

import pytest

from indicators.formatting import format_number


def format_number_before(value):
    """``format_number`` as it was written before Python's grouping replaced it."""
    if value is None:
        return ""
    number = Decimal(value).normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    sign = "-" if number < 0 else ""
    text = format(abs(number), "f")
    whole, _sep, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = ".".join(groups)
    if fraction:
        result = f"{result},{fraction}"
    return sign + result


def numbers():
    """Zero both ways, the edges of each group of three, figure columns' values (four
    decimals, trailing zeros), quotients with 28 digits, ints, floats, exponents."""
    decimals = "0 -0 0.0000 -0.0000 0E+5 0E-9 85.0000 2000000000 0.25 -1234.5 1E+3 -1E+3 1.5E-7"
    decimals += " 9999999999999999.9999 -9999999999999999.9999 12E+20 1E+27 99999999999999999999999999.99"
    decimals += " 1234567890123456789012345678.9"
    others = [None, 0, -0.0, 1, -1, 7, 999, 1000, -1000, 999999, 1000000, 10**20, -(10**20) - 1]
    others += [Decimal("0.1") / 3, Decimal(2) / 3 * 100, 0.1, 2.5, -1e15, 1e-7, 123456.789]
    fixed = [Decimal(text) for text in decimals.split()] + others
    rng = random.Random(20)
    drawn = []
    for _ in range(20_000):
        digits = rng.choice([1, 2, 3, 4, 5, 7, 10, 16, 20, 28])
        number = Decimal(rng.randrange(10**digits)).scaleb(-rng.randrange(0, digits + 6))
        drawn.append(-number if rng.random() < 0.3 else number)
        drawn.append(number.quantize(Decimal("0.0001")) if number < 10**15 else number)
        drawn.append(rng.uniform(-1e9, 1e9))
    return fixed + drawn


def test_format_number_writes_what_it_wrote_before():
    compared = 0
    for value in numbers():
        try:
            before = format_number_before(value)
        except InvalidOperation:
            continue  # 10^28 and more: the grouping by hand could not write it
        assert format_number(value) == before, value
        compared += 1
    assert compared > 60_000


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), float("inf")])
def test_format_number_refuses_what_is_not_a_number(value):
    with pytest.raises(InvalidOperation):
        format_number_before(value)
    with pytest.raises(InvalidOperation):
        format_number(value)
