"""The decision notice (利用決定通知書) as an A4 PDF, handed or posted to the guardian.

It uses the plans printouts' fonts and helpers: IPAex Gothic with the IPAmj Mincho fallback,
dates in 和暦 and 西暦. It names the child, the service, the provider, the period, the limits
and the fee the table gave for the household's tier — never the case number, the tier's
evidence or what the decision asks of the provider (those are the staff's)."""

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from tsunagu.cases.models import CasePerson
from tsunagu.cases.printing import _text
from tsunagu.plans.printing import _birth, _build, _center, _date, _facts, _footer, _Styles

from .models import Decision, Tier, Unit

LEAD = "次のとおり、家庭支援事業の利用を決定しましたので通知します。"
APPEAL = (
    "この決定に不服があるときは、この通知を受け取った日の翌日から起算して3か月以内に、"
    "市長に対して審査請求をすることができます。"
)
CAUTION = "大切な通知です。利用が終わるまで保管してください。"


# The unit as a counter word in a sentence (1回あたり, 2時間まで).
COUNTER = {
    Unit.VISIT: "回",
    Unit.HOUR: "時間",
    Unit.DAY: "日",
    Unit.NIGHT: "泊",
    Unit.PERSON_DAY: "人日",
    Unit.SESSION: "回",
    Unit.COURSE: "クール",
}


def _yen(amount: int) -> str:
    return "無料" if amount == 0 else f"{amount:,}円"


def _number(value: Decimal) -> str:
    """2.0 → 2, 1.5 → 1.5."""
    return format(value.normalize(), "f")


def fee_text(decision: Decision) -> str:
    """The fee as the notice says it: 1時間あたり 150円(1回2時間で 300円)."""
    if decision.fee_per_unit == 0:
        return "無料"
    text = f"1{COUNTER[decision.offering.unit]}あたり {_yen(decision.fee_per_unit)}"
    if decision.per_use_limit is not None and decision.offering.unit == Unit.HOUR:
        text += f"(1回{_number(decision.per_use_limit)}時間で {_yen(decision.fee_per_use)})"
    return text


def limits_text(decision: Decision) -> str:
    unit = COUNTER[decision.offering.unit]
    parts = []
    if decision.per_use_limit is not None:
        parts.append(f"1回あたり {_number(decision.per_use_limit)}{unit}まで")
    if decision.uses_limit is not None:
        parts.append(f"期間中 {decision.uses_limit}回まで")
    return "、".join(parts) or "定めなし"


def _guardian(decision: Decision) -> str:
    link = (
        CasePerson.objects.filter(case=decision.case_id, role=CasePerson.Role.GUARDIAN)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    return f"{link.person} 様" if link else "保護者 様"


def decision_notice(decision: Decision) -> bytes:
    """The 利用決定通知書 of ``decision`` (bytes of an A4 PDF)."""
    styles = _Styles()
    offering = decision.offering
    child = decision.child
    rows = [
        ["決定番号", decision.number],
        ["決定日", _date(decision.decided_on)],
        ["お子さん", f"{child}({_birth(child)}生)"],
        ["事業", f"{offering.public_name}({offering.get_legal_category_display()})"],
        ["提供事業者", str(decision.provider)],
        ["利用期間", f"{_date(decision.starts_on)} 〜 {_date(decision.ends_on)}"],
        ["利用の上限", limits_text(decision)],
        ["世帯区分", Tier(decision.tier).label],
        ["利用者負担額", fee_text(decision)],
    ]
    if decision.over_limit_rate:
        unit = COUNTER[offering.unit]
        rows.append(["基準を超える利用", f"1{unit}あたり {_yen(decision.over_limit_rate)}"])
    story = [
        _text(_guardian(decision), styles.subtitle),
        Spacer(1, 2 * mm),
        _text(_center(decision.municipality), styles.cell),
        _text("家庭支援事業 利用決定通知書", styles.title),
        _text(LEAD, styles.body),
        Spacer(1, 3 * mm),
        _facts(rows, styles),
        Spacer(1, 4 * mm),
        _text(
            "利用の日時は、提供事業者と相談して決めてください。変更や中止のときは、"
            "こども家庭センターの担当者にお知らせください。",
            styles.body,
        ),
        Spacer(1, 2 * mm),
        _text(f"(教示){APPEAL}", styles.body),
    ]
    return _build(story, title="利用決定通知書", footer=_footer("利用決定通知書", CAUTION))
