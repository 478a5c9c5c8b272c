"""The signs at a pregnancy's notification that ask for the nurse's attention (気がかりな妊婦),
each a rule on the notification's fields. Seed 004 lists what the interview learns (marriage and
family, support after the birth, history of illness, money, how she feels about the pregnancy);
the national guidance adds late notification (22 weeks or later), no prenatal check-up and a
young mother."""

from collections.abc import Callable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from .models import LATE_NOTIFICATION_WEEKS, Pregnancy

YOUNG_MOTHER_AGE = 20
# Most women are notified by 11 weeks and have their first voucher-paid check-up after it: no
# check-up yet is a sign only from the second trimester on.
NO_CHECKUP_WEEKS = 16


@dataclass(frozen=True)
class Flag:
    code: str
    label: str
    applies: Callable[[Pregnancy], bool]


def _age_at_birth(pregnancy: Pregnancy) -> int | None:
    born = pregnancy.mother.birth_date
    return relativedelta(pregnancy.expected_on, born).years if born else None


def _young(pregnancy: Pregnancy) -> bool:
    age = _age_at_birth(pregnancy)
    return age is not None and age < YOUNG_MOTHER_AGE


P = Pregnancy
FLAGS = [
    Flag(
        "late",
        f"妊娠{LATE_NOTIFICATION_WEEKS}週以降の届出",
        lambda p: p.weeks_at_notification >= LATE_NOTIFICATION_WEEKS,
    ),
    Flag(
        "no_checkups",
        f"妊娠{NO_CHECKUP_WEEKS}週以降で妊婦健診の未受診",
        lambda p: p.prenatal_checkups == 0 and p.weeks_at_notification >= NO_CHECKUP_WEEKS,
    ),
    Flag("young", f"若年の妊婦({YOUNG_MOTHER_AGE}歳未満)", _young),
    Flag(
        "no_partner",
        "パートナーの支援がない",
        lambda p: p.partner in (P.Partner.NONE, P.Partner.UNKNOWN) or not p.partner_supports,
    ),
    Flag(
        "feelings",
        "妊娠に戸惑い・困っている(望まない妊娠)",
        lambda p: p.feelings == P.Feelings.TROUBLED,
    ),
    Flag("alone", "産後の支援者がいない", lambda p: p.support_after_birth == P.Support.NONE),
    Flag("money", "経済的な困窮", lambda p: p.money == P.Money.HARDSHIP),
    Flag("mental", "精神疾患の既往・治療", lambda p: bool(p.mental_history.strip())),
    Flag("multiple", "多胎妊娠", lambda p: p.multiple),
]
LABELS = {flag.code: flag.label for flag in FLAGS}


def flags_of(pregnancy: Pregnancy) -> str:
    """The codes of the flags that apply, comma-joined (what ``Pregnancy.flags`` stores)."""
    return ",".join(flag.code for flag in FLAGS if flag.applies(pregnancy))


def labels(pregnancy: Pregnancy) -> list[str]:
    return [LABELS[code] for code in pregnancy.flag_codes if code in LABELS]
