"""全国地方公共団体コード (local government code): five digits plus a mod-11 check digit."""

from django.core.exceptions import ValidationError

_WEIGHTS = (6, 5, 4, 3, 2)


def check_digit(five_digits: str) -> str:
    total = sum(int(d) * w for d, w in zip(five_digits, _WEIGHTS, strict=True))
    return str((11 - total % 11) % 10)


def normalise_municipality_code(value: str) -> str:
    """Return the six-digit code; a five-digit code is completed with its check digit."""
    code = (value or "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not code.isascii() or not code.isdigit() or len(code) not in (5, 6):
        raise ValidationError(
            "地方公共団体コードは5桁または6桁の数字で入力してください。", code="format"
        )
    if not 1 <= int(code[:2]) <= 47:
        raise ValidationError(
            "地方公共団体コードの上2桁は都道府県コード(01〜47)です。", code="prefecture"
        )
    expected = check_digit(code[:5])
    if len(code) == 5:
        return code + expected
    if code[5] != expected:
        raise ValidationError(
            "地方公共団体コードの検査数字が正しくありません(%(code)s の検査数字は %(digit)s)。",
            code="check_digit",
            params={"code": code[:5], "digit": expected},
        )
    return code
