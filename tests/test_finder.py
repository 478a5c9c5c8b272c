"""Find while typing: what a worker is offered as she types a name on the intake form."""

from datetime import date

import pytest

from tsunagu.people import finder

from . import factories

EMA_BORN = [date(2015, 6, 1), date(2017, 9, 9), date(2019, 12, 24)]


@pytest.fixture
def register(town):
    """A city's register in small (factories.crowd) with three 高橋 絵馬 and one 斎藤 花子."""
    factories.crowd(town)
    emas = [
        factories.person(town, "絵馬", "エマ", born, family_name="高橋", family_kana="タカハシ")
        for born in EMA_BORN
    ]
    hanako = factories.person(
        town, "花子", "ハナコ", date(2016, 3, 3), family_name="斎藤", family_kana="サイトウ"
    )
    return emas, hanako


def _found(town, **typed) -> list[finder.Match]:
    return finder.find(town.pk, typed)


@pytest.mark.parametrize(
    "typed",
    [
        {"family_name": "ﾀｶﾊｼ", "given_name": "ｴﾏ"},
        {"family_kana": "ﾀｶﾊｼ", "given_kana": "ｴﾏ"},
        {"family_kana": "たかはし", "given_kana": "えま"},
    ],
)
def test_a_kana_only_entry_offers_everyone_whose_reading_agrees(town, register, typed):
    emas, _ = register
    found = _found(town, **typed)
    assert {m.person_id for m in found} == {p.pk for p in emas}
    assert all(m.probability < finder.OFFER_PROBABILITY for m in found)


def test_a_kana_only_entry_with_a_birth_date_puts_that_person_first(town, register):
    emas, _ = register
    found = _found(town, family_kana="ﾀｶﾊｼ", given_kana="ｴﾏ", birth_date="2017-09-09")
    assert found[0].person_id == emas[1].pk
    assert found[0].probability > found[1].probability


def test_an_old_kanji_form_scores_as_the_name_itself(town, register):
    emas, _ = register
    plain = _found(town, family_name="高橋", given_name="絵馬", birth_date="2019-12-24")
    old = _found(town, family_name="髙橋", given_name="絵馬", birth_date="2019-12-24")
    assert plain[0].person_id == old[0].person_id == emas[2].pk
    assert old[0].probability == pytest.approx(plain[0].probability)
    assert [m.person_id for m in old] == [m.person_id for m in plain]


def test_a_true_variant_never_scores_below_a_confusable_kanji(town, register):
    _, hanako = register
    variant = _found(town, family_name="齋藤", given_name="花子", family_kana="サイトウ")
    confused = _found(town, family_name="斉藤", given_name="花子", family_kana="サイトウ")
    assert variant[0].person_id == confused[0].person_id == hanako.pk
    assert variant[0].probability > confused[0].probability
