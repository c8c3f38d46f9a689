"""Check digits of My Number, 法人番号, 住民票コード, payment cards and 保険者番号."""

from __future__ import annotations

import pytest

from bot.core.screening.checkdigits import (
    corporate_number_ok,
    insurer_number_ok,
    luhn_ok,
    my_number_ok,
    resident_code_ok,
)


@pytest.mark.parametrize("number", ["123456789018", "415263748595", "908172635441"])
def test_my_number_valid(number: str) -> None:
    assert my_number_ok(number)


@pytest.mark.parametrize(
    "number", ["123456789010", "123456789019", "12345678901", "1234567890180", "12345678901a"]
)
def test_my_number_invalid(number: str) -> None:
    assert not my_number_ok(number)


def test_my_number_exactly_one_check_digit_per_body() -> None:
    body = "98765432100"
    assert sum(my_number_ok(body + d) for d in "0123456789") == 1


@pytest.mark.parametrize("number", ["7123456789012", "4011001098993", "8700110005901"])
def test_corporate_number_valid(number: str) -> None:
    assert corporate_number_ok(number)


@pytest.mark.parametrize("number", ["1123456789012", "4011001098994", "401100109899"])
def test_corporate_number_invalid(number: str) -> None:
    assert not corporate_number_ok(number)


def test_resident_code_uses_the_my_number_rule_over_ten_digits() -> None:
    assert sum(resident_code_ok("6071829354" + d) for d in "0123456789") == 1


@pytest.mark.parametrize(
    "number", ["4012888888881881", "4111111111111111", "378282246310005", "5555555555554444"]
)
def test_luhn_valid(number: str) -> None:
    assert luhn_ok(number)


@pytest.mark.parametrize("number", ["4012888888881882", "1234567812345678", "", "1"])
def test_luhn_invalid(number: str) -> None:
    assert not luhn_ok(number)


def test_insurer_number() -> None:
    assert sum(insurer_number_ok("0713003" + d) for d in "0123456789") == 1
    assert not insurer_number_ok("12345")
