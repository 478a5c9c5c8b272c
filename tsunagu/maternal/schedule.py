"""The check-up schedule (乳幼児健診) a city starts from, as data: the statutory 1 year 6 months
and 3 years (母子保健法 第12条) and the 4-month and others most cities hold (第13条).

Each row: code, name, the month of age the child is invited at, the month of age by which a
child not seen counts as missing it, statutory."""

from .models import CheckupKind

STANDARD = [
    ("4m", "4か月児健診", 3, 6, False),
    ("10m", "10か月児健診", 9, 12, False),
    ("1y6m", "1歳6か月児健診", 18, 24, True),
    ("3y", "3歳児健診", 36, 48, True),
]


def load(municipality) -> list[CheckupKind]:
    """The city's schedule, created from STANDARD the first time (kept as the city edits it)."""
    for code, name, invite, due, statutory in STANDARD:
        CheckupKind.objects.get_or_create(
            municipality=municipality,
            code=code,
            defaults={
                "name": name,
                "invite_months": invite,
                "due_months": due,
                "statutory": statutory,
            },
        )
    return list(CheckupKind.objects.filter(municipality=municipality, active=True))
