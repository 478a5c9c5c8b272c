"""The forms as a worker types into them: a year alone for a birth date, kana however typed,
no visit in the future, a date-only entry after that day's timed ones."""

from datetime import date, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tsunagu.cases import services
from tsunagu.cases.models import Registration
from tsunagu.people.models import BirthDatePrecision, Person

from . import factories


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_birth_year_alone_is_accepted_as_estimated_and_kana_is_stored_full_width(users):
    form = {
        "family_name": "森",
        "given_name": "さくら",
        "family_kana": "ﾓﾘ",
        "given_kana": "さくら",
        "birth": "２００７",
        "sex": "female",
    }
    response = _client(users["nurse"]).post(reverse("people:person_create"), form)
    assert response.status_code == 302, response.content.decode()[-2000:]
    person = Person.objects.get()
    assert (person.family_kana, person.given_kana) == ("モリ", "サクラ")
    assert person.birth_date == date(2007, 7, 1)
    assert person.birth_date_precision == BirthDatePrecision.ESTIMATED


def test_a_visit_in_the_future_is_refused(users, family):
    _, mother, child = family
    case = factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    tomorrow = timezone.localtime() + timedelta(days=1)
    form = {
        "kind": "visit",
        "occurred_at": tomorrow.strftime("%Y-%m-%dT%H:%M"),
        "content": "訪問予定",
        "child_seen": "unknown",
    }
    url = reverse("cases:activity_create", kwargs={"pk": case.pk})
    response = _client(users["caseworker"]).post(url, form)
    assert "未来の日時は記録できません" in response.content.decode()
    assert not case.activities.exists()


def test_a_date_only_entry_follows_that_days_timed_entries_and_shows_no_time(users, family):
    _, mother, child = family
    worker = users["caseworker"]
    case = factories.case(worker, [(child, "child"), (mother, "guardian")])
    services.register_with_council(
        case, child, Registration.Category.SUPPORT, on=timezone.localdate(), actor=worker
    )
    page = _client(worker).get(reverse("cases:case_detail", kwargs={"pk": case.pk}))
    timeline = page.context["timeline"]
    today = [e for e in timeline if timezone.localtime(e.at).date() == timezone.localdate()]
    assert today[-1].kind == "registration" and today[-1].dated_only
    html = page.content.decode()
    assert f"<time>{timezone.localdate():%Y-%m-%d}</time> <strong>要対協登録" in html


def test_organisation_choices_are_sorted_and_told_apart(users, town):
    from tsunagu.cases.forms import IntakeForm
    from tsunagu.core.models import Organisation

    Organisation.objects.create(
        municipality=town, kind=Organisation.Kind.SCHOOL, name="本町小学校", name_kana="ホンマチ"
    )
    Organisation.objects.create(
        municipality=town, kind=Organisation.Kind.OTHER, name="本町小学校", name_kana="ホンマチ"
    )
    field = IntakeForm(municipality_id=town.pk).fields["source_organisation"]
    labels = [label for value, label in field.choices if value]
    readings = list(field.queryset.values_list("name_kana", flat=True))
    assert readings == sorted(readings)  # by reading, as a worker looks them up
    assert "本町小学校(学校)" in labels and "本町小学校(その他)" in labels
    assert len(labels) == len(set(labels))
