import pytest

from roman import to_roman


@pytest.mark.parametrize(
    "number, numeral",
    [(1, "I"), (3, "III"), (4, "IV"), (9, "IX"), (14, "XIV"), (40, "XL"), (90, "XC"),
     (400, "CD"), (944, "CMXLIV"), (1994, "MCMXCIV"), (3999, "MMMCMXCIX")],
)
def test_converts(number, numeral):
    assert to_roman(number) == numeral


@pytest.mark.parametrize("number", [0, -1, 4000])
def test_rejects_out_of_range(number):
    with pytest.raises(ValueError):
        to_roman(number)
