"""Check digits of Japanese identifiers and payment cards (all take a string of ASCII digits)."""

from __future__ import annotations


def _weighted_mod11(body: str) -> int:
    """The My Number style check digit over `body` (weights 2..7 repeating from the right)."""
    total = 0
    for n, ch in enumerate(reversed(body), start=1):
        weight = n + 1 if n <= 6 else n - 5
        total += int(ch) * weight
    r = total % 11
    return 0 if r <= 1 else 11 - r


def my_number_ok(digits: str) -> bool:
    """True if a 12-digit string has a valid 個人番号 check digit (the last digit)."""
    return len(digits) == 12 and digits.isdigit() and _weighted_mod11(digits[:11]) == int(digits[11])


def resident_code_ok(digits: str) -> bool:
    """True if an 11-digit 住民票コード passes the My Number style rule (a hint, not proof)."""
    return len(digits) == 11 and digits.isdigit() and _weighted_mod11(digits[:10]) == int(digits[10])


def corporate_number_ok(digits: str) -> bool:
    """True if a 13-digit 法人番号 has a valid check digit (the FIRST digit)."""
    if len(digits) != 13 or not digits.isdigit():
        return False
    total = sum(int(ch) * (1 if n % 2 else 2) for n, ch in enumerate(reversed(digits[1:]), start=1))
    return 9 - total % 9 == int(digits[0])


def luhn_ok(digits: str) -> bool:
    """True if `digits` passes the Luhn check used by payment cards."""
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for n, ch in enumerate(reversed(digits)):
        d = int(ch)
        if n % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def insurer_number_ok(digits: str) -> bool:
    """True if a 保険者番号 (6 or 8 digits) has a valid check digit (the last digit)."""
    if len(digits) not in (6, 8) or not digits.isdigit():
        return False
    total = 0
    for n, ch in enumerate(reversed(digits[:-1])):
        product = int(ch) * (2 if n % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10 == int(digits[-1])
