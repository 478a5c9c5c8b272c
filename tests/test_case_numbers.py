"""One numbering scheme for cases, apart from intake numbers, unique per municipality and
fiscal year, and safe when two workers open cases at the same moment."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from tsunagu.cases import services

from . import factories


def test_case_and_intake_numbers_are_two_series_of_the_fiscal_year(users, family, other_town):
    _, mother, child = family
    case = factories.case(users["caseworker"], [(child, "child")])
    intake = case.intakes.get()
    # The test moment is in fiscal year 2026 (April 2026 – March 2027), or CI's other moment.
    today = timezone.localdate()
    year = today.year if today.month >= 4 else today.year - 1
    assert intake.number == f"{year}-00001"
    assert case.number == f"C{year}-00001"
    second = factories.case(users["caseworker"], [(mother, "guardian")])
    assert second.number == f"C{year}-00002"
    # Another municipality counts on its own.
    neighbours = factories.users(other_town, prefix="n-")
    _, _, n_child = factories.family(other_town)
    assert factories.case(neighbours["caseworker"], [(n_child, "child")]).number == (
        f"C{year}-00001"
    )


@pytest.mark.django_db(transaction=True)
def test_two_cases_opened_at_once_get_two_numbers(town):
    factories.ensure_code_lists()
    users = factories.users(town)
    _, mother, child = factories.family(town)
    worker = users["caseworker"]
    intakes = [
        factories.intake(worker, [(child, "child")]),
        factories.intake(worker, [(mother, "guardian")]),
    ]
    start, numbers, errors = threading.Barrier(2), [], []

    def open_one(intake):
        try:
            start.wait()
            numbers.append(
                services.open_case(intake, title="同時に開いたケース", actor=worker).number
            )
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_one, args=(i,)) for i in intakes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [], (connection.vendor, errors)
    assert len(set(numbers)) == 2 and all(n.startswith("C") for n in numbers)
