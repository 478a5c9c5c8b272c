import pytest
from django.core.exceptions import ValidationError

from tsunagu.core.codes import normalise_municipality_code
from tsunagu.core.models import Municipality


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("131016", "131016"),  # 千代田区
        ("13101", "131016"),
        ("242055", "242055"),  # 桑名市
        ("01100", "011002"),  # 札幌市
        ("１３１０１", "131016"),  # full-width digits, as typed on a Japanese keyboard
    ],
)
def test_valid_codes(given, expected):
    assert normalise_municipality_code(given) == expected


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("131017", "検査数字が正しくありません"),
        ("1310", "5桁または6桁"),
        ("13a01", "5桁または6桁"),
        ("99101", "都道府県コード"),
        ("", "5桁または6桁"),
    ],
)
def test_invalid_codes_are_explained_in_japanese(given, message):
    with pytest.raises(ValidationError) as error:
        normalise_municipality_code(given)
    assert message in " ".join(error.value.messages)


def test_municipality_stores_the_six_digit_code(db):
    town = Municipality.objects.create(code="24205", name="桑名市", prefecture="三重県")
    town.refresh_from_db()
    assert town.code == "242055"
    with pytest.raises(ValidationError):
        Municipality.objects.create(code="242056", name="誤り市", prefecture="三重県")
    assert Municipality.objects.count() == 1
