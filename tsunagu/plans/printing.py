"""The plans app's printouts as A4 PDFs: the support plan (サポートプラン, a staff copy and a
family copy), the minutes of a conference (会議録) and the case summary of a 移管.

They share the intake sheet's fonts and helpers (tsunagu.cases.printing): IPAex Gothic with the
IPAmj Mincho fallback for the kanji of 住民記録 names, dates in 和暦 and 西暦, names with
フリガナ. Free text of any length (wishes, goals, notes, minutes) flows as paragraphs over as
many pages as it needs; a table row splits between pages when a cell is longer than a page.

What each printout leaves out is decided here, not by the caller:

- The family copy of a plan (``family_copy=True``) leaves out the staff notes, every item and
  role marked 職員用のみ, the address and phone of everyone but the guardian it is handed to,
  the case number, the drafter's and the approver's names.
- No printout reads restricted notes (閲覧制限付きメモ): they are never printed.
- The minutes print only the attendees and discussions the caller passes (already filtered for
  the viewer), with the action items of those discussions.
"""

from collections.abc import Iterable
from datetime import date, datetime
from io import BytesIO

from django.db.models import Prefetch
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, TableStyle

from tsunagu.cases.models import Case, CasePerson
from tsunagu.cases.printing import CAUTION, _font, _paragraphs, _styles, _table, _text
from tsunagu.core.models import Municipality, Organisation
from tsunagu.core.wareki import both, wareki
from tsunagu.people.models import BirthDatePrecision, HouseholdMember, Person, Sex

from .models import Conference, SupportPlan

FAMILY_CAUTION = "大切な情報が書かれています。大切に保管してください。"
WIDTH = 180 * mm  # A4 less the 15 mm margins
NONE = "—"


# --- shared ------------------------------------------------------------------------------


class _Styles:
    def __init__(self):
        self.title, self.cell = _styles()
        font = _font()
        self.heading = ParagraphStyle(
            "heading",
            fontName=font,
            fontSize=11.5,
            leading=16,
            spaceBefore=4 * mm,
            spaceAfter=1.5 * mm,
            keepWithNext=1,
        )
        self.subtitle = ParagraphStyle(
            "subtitle", fontName=font, fontSize=12, leading=17, keepWithNext=1
        )
        self.part = ParagraphStyle(
            "part",
            fontName=font,
            fontSize=13,
            leading=18,
            spaceBefore=6 * mm,
            spaceAfter=1 * mm,
            keepWithNext=1,
        )
        self.body = ParagraphStyle("body", parent=self.cell, leftIndent=2 * mm, rightIndent=2 * mm)
        self.label = ParagraphStyle("label", parent=self.cell, keepWithNext=1)


def _date(day: date | None) -> str:
    """令和8年11月24日(2026-11-24), or — for no date."""
    return both(day) or NONE


def _date_cell(day: date | None) -> str:
    """The date in both calendars on two lines, for a narrow column."""
    return f"{wareki(day)}\n({day.isoformat()})" if day else NONE


def _period(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{_date_cell(start)} 〜\n{_date_cell(end)}"
    if start:
        return f"{_date_cell(start)}\nから"
    if end:
        return f"{_date_cell(end)}\nまで"
    return NONE


def _birth(person: Person) -> str:
    if person.birth_date is None:
        return "不明"
    text = both(
        person.birth_date, month_only=person.birth_date_precision == BirthDatePrecision.MONTH
    )
    if person.birth_date_precision == BirthDatePrecision.ESTIMATED:
        text += "(推定)"
    return text


def _center(municipality: Municipality) -> str:
    """The municipality and its こども家庭センター: 三重県テスト市 こども家庭センター."""
    center = (
        Organisation.objects.filter(
            municipality=municipality,
            kind=Organisation.Kind.CENTER,
            parent=None,
            is_active=True,
        )
        .order_by("pk")
        .first()
    )
    return f"{municipality} {center.name if center else Organisation.Kind.CENTER.label}"


def _section(label: str, value, styles: _Styles) -> list:
    """A heading and free text under it, flowing over pages."""
    text = str(value or "").strip()
    return [_text(label, styles.heading), *_paragraphs(text or NONE, styles.body)]


def _facts(rows, styles: _Styles, first: float = 38 * mm):
    """Label–value rows, the labels shaded."""
    return _table(rows, [first, WIDTH - first], styles.cell, splitInRow=1)


def _list(header: list[str], rows: list[list], widths, styles: _Styles):
    """A list with a shaded header row repeated on each page; an empty list says なし."""
    if not rows:
        return _text("なし", styles.body)
    table = _table([header, *rows], widths, styles.cell, repeatRows=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 1), (0, -1), colors.white),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ]
        )
    )
    return table


def _footer(label: str, caution: str):
    printed = f"{label} 印刷 {both(timezone.localdate())} — {caution}"

    def draw(canvas, document):
        canvas.saveState()
        canvas.setFont(_font(), 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(document.leftMargin, 8 * mm, printed)
        canvas.drawRightString(
            document.pagesize[0] - document.rightMargin, 8 * mm, f"{document.page} ページ"
        )
        canvas.restoreState()

    return draw


def _build(story: list, *, title: str, footer) -> bytes:
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


# --- the support plan ----------------------------------------------------------------------

# (staff copy, family copy): the family's headings keep the plan's terms, with plain words.
PLAN_SECTIONS = (
    ("child_wishes", "子どもの思い・願い", "お子さんの思い・願い(子どもの思い・願い)"),
    ("guardian_wishes", "保護者の思い・願い", "保護者の方の思い・願い"),
    ("needs", "支援が必要なこと", "手助けが必要なこと(支援が必要なこと)"),
    ("strengths", "家族の強み", "ご家族の強み・できていること(家族の強み)"),
    ("goal_short", "短期目標", "まず目指すこと(短期目標)"),
    ("goal_long", "長期目標", "長い目で目指すこと(長期目標)"),
)
FAMILY_INTRODUCTION = (
    "このプランは、ご家族と話し合って作った支援の計画です。分からないことや変えたいことが"
    "あれば、いつでも担当者にお知らせください。"
)


def _current_household(person: Person, today: date) -> HouseholdMember | None:
    current = [
        m
        for m in person.memberships.all()
        if (m.valid_from is None or m.valid_from <= today)
        and (m.valid_to is None or m.valid_to >= today)
    ]
    current.sort(key=lambda m: (m.valid_from or date.min, m.pk), reverse=True)
    return current[0] if current else None


def _contact(person: Person, membership: HouseholdMember | None) -> str:
    """The person's address and phone; the household's where the person has none."""
    household = membership.household if membership else None
    address = person.address or (household.address if household else "")
    phone = person.phone or (household.phone if household else "")
    lines = [address, f"電話 {phone}" if phone else ""]
    return "\n".join(line for line in lines if line) or NONE


def _person_rows(plan: SupportPlan, *, family_copy: bool, recipient: Person | None) -> list:
    today = timezone.localdate()
    links = (
        plan.case.persons.select_related("person")
        .prefetch_related(
            Prefetch(
                "person__memberships",
                queryset=HouseholdMember.objects.select_related("household"),
            )
        )
        .order_by("person__birth_date", "pk")
    )
    rows = []
    for link in links:
        person = link.person
        membership = _current_household(person, today)
        relation = link.get_role_display()
        if membership:
            relation += f"\n続柄: {membership.get_relationship_display()}"
        shown = not family_copy or (recipient is not None and recipient.pk == person.pk)
        rows.append(
            [
                f"{person}\n{person.kana}" if person.kana else str(person),
                relation,
                _birth(person),
                _contact(person, membership) if shown else NONE,
            ]
        )
    return rows


def support_plan(plan: SupportPlan, *, family_copy: bool, recipient: Person | None = None) -> bytes:
    """One version of the plan as an A4 PDF (bytes), in Japanese.

    ``family_copy=False``: the staff copy, with everything — the staff notes, the items and
    roles marked 職員用のみ (flagged 【職員用】), every person's address and phone, who drafted
    and who approved it.

    ``family_copy=True``: the copy handed to the family, headed ご家族用, in plain words. It
    leaves out the staff notes, the items and roles marked 職員用のみ, the case number, the
    drafter's and approver's names, and the address and phone of everyone but ``recipient``
    (the guardian it is handed to; None: nobody's). Restricted notes are never printed."""
    styles = _Styles()
    case = plan.case
    center = _center(case.municipality)
    status = plan.get_status_display()
    copy = (
        "ご家族用"
        if family_copy
        else "職員用(職員用メモ・職員用のみの項目を含みます。ご家族に渡さないでください)"
    )
    story: list = [
        _text(center, styles.cell),
        _text(f"サポートプラン(支援計画) 第{plan.version}版", styles.title),
        _text(copy, styles.subtitle),
        Spacer(1, 2 * mm),
    ]
    facts = [["ケース名", case.title], ["状況", status]]
    if not family_copy:
        facts.insert(0, ["ケース番号", case.number])
        facts.append(["作成者", str(plan.drafted_by)])
    story.append(_facts(facts, styles))
    if family_copy:
        story += [Spacer(1, 2 * mm), _text(FAMILY_INTRODUCTION, styles.body)]

    story.append(_text("ご家族" if family_copy else "家族の構成", styles.heading))
    story.append(
        _list(
            ["氏名(フリガナ)", "立場・続柄", "生年月日", "住所・電話"],
            _person_rows(plan, family_copy=family_copy, recipient=recipient),
            [38 * mm, 28 * mm, 54 * mm, 60 * mm],
            styles,
        )
    )

    for field, staff_label, family_label in PLAN_SECTIONS:
        story += _section(
            family_label if family_copy else staff_label, getattr(plan, field), styles
        )

    items = plan.items.select_related("service", "resource", "person")
    tasks = plan.tasks.all()
    if family_copy:
        items, tasks = items.filter(staff_only=False), tasks.filter(staff_only=False)

    def flagged(text: str, staff_only: bool) -> str:
        return f"【職員用】{text}" if staff_only else text

    story.append(_text("利用する支援(支援内容)" if family_copy else "支援内容", styles.heading))
    story.append(
        _list(
            ["支援内容", "対象", "提供者", "頻度", "期間", "内容"],
            [
                [
                    flagged(item.title, item.staff_only),
                    str(item.person) if item.person_id else "家族",
                    item.provider or NONE,
                    item.frequency or NONE,
                    _period(item.starts_on, item.ends_on),
                    item.note or NONE,
                ]
                for item in items
            ],
            [34 * mm, 22 * mm, 28 * mm, 18 * mm, 33 * mm, 45 * mm],
            styles,
        )
    )
    story.append(_text("だれが何をするか(役割分担)" if family_copy else "役割分担", styles.heading))
    story.append(
        _list(
            ["担い手", "担当", "役割"],
            [
                [
                    flagged(task.get_party_display(), task.staff_only),
                    task.who or NONE,
                    task.what,
                ]
                for task in tasks
            ],
            [30 * mm, 45 * mm, 105 * mm],
            styles,
        )
    )

    story.append(_text("見直しと同意", styles.heading))
    agreement = [
        ["次に見直す日(見直し予定日)" if family_copy else "見直し予定日", _date(plan.review_on)],
        ["ご家族の同意日" if family_copy else "家族の同意日", _date(plan.agreed_on)],
        ["同意の方法", plan.get_agreement_display() or NONE],
        ["同意した人", plan.agreed_by or NONE],
    ]
    if not family_copy:
        approved = timezone.localdate(plan.approved_at) if plan.approved_at else None
        agreement += [
            ["承認者", str(plan.approved_by) if plan.approved_by_id else "(未承認)"],
            ["承認日", _date(approved)],
        ]
    story.append(_facts(agreement, styles, first=50 * mm))

    if not family_copy:
        story += _section("職員用メモ(家族用控えには印刷しません)", plan.staff_notes, styles)
        if plan.return_note:
            story += _section("差し戻しのコメント", plan.return_note, styles)

    label = (
        f"サポートプラン 第{plan.version}版 ご家族用"
        if family_copy
        else f"サポートプラン {case.number} 第{plan.version}版 職員用"
    )
    return _build(
        story,
        title=f"サポートプラン(支援計画) 第{plan.version}版",
        footer=_footer(label, FAMILY_CAUTION if family_copy else CAUTION),
    )


# --- the minutes of a conference ----------------------------------------------------------


def minutes(conference: Conference, attendees: Iterable, discussions: Iterable) -> bytes:
    """The minutes (会議録) of the conference as an A4 PDF (bytes): its kind, date, time and
    place, the ``attendees`` (Attendee rows), the general summary, then each of the
    ``discussions`` (Discussion rows) with its decision and action items.

    Prints only the attendees and discussions passed: the caller filters them for the
    viewer (a council member outside the center sees only some cases)."""
    styles = _Styles()
    held = _date(conference.held_on)
    story: list = [
        _text(_center(conference.municipality), styles.cell),
        _text(f"会議録 {conference.get_kind_display()}", styles.title),
        _facts(
            [
                ["会議の種類", conference.get_kind_display()],
                ["開催日", held],
                [
                    "開始時刻",
                    f"{conference.starts_at:%H:%M}" if conference.starts_at else NONE,
                ],
                ["場所", conference.place or NONE],
            ],
            styles,
        ),
        _text("出席者", styles.heading),
        _list(
            ["氏名", "所属"],
            [
                [
                    str(a.user) if a.user_id else a.name,
                    a.organisation or NONE,
                ]
                for a in attendees
            ],
            [70 * mm, 110 * mm],
            styles,
        ),
        *_section("全体の記録", conference.summary, styles),
    ]
    for number, discussion in enumerate(discussions, start=1):
        case = discussion.case
        story += [
            Spacer(1, 3 * mm),
            _text(f"{number}. {case.number} {case.title}", styles.subtitle),
            Spacer(1, 1 * mm),
            _facts(
                [
                    ["議題とした理由", discussion.why or NONE],
                    ["リスクランク", discussion.get_rank_display() or NONE],
                    ["主担当機関", discussion.get_lead_agency_display() or NONE],
                    ["次回の進行管理", _date(discussion.next_review_on)],
                ],
                styles,
            ),
            *_section("協議の内容", discussion.notes, styles),
            *_section("支援方針", discussion.policy, styles),
            *_section("プランの変更", discussion.plan_change, styles),
            _text("対応事項", styles.heading),
            _list(
                ["対応事項", "担当", "期限", "状況"],
                [
                    [
                        item.what,
                        item.owner_label or NONE,
                        _date_cell(item.due_on),
                        item.get_status_display(),
                    ]
                    for item in discussion.action_items.select_related("owner")
                ],
                [82 * mm, 45 * mm, 33 * mm, 20 * mm],
                styles,
            ),
        ]
    label = f"会議録 {conference.get_kind_display()} {conference.held_on.isoformat()}"
    return _build(story, title=label, footer=_footer(label, CAUTION))


# --- the case summary of a 移管 ------------------------------------------------------------


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _rows(value) -> list[dict]:
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def _str(value) -> str:
    return "" if value is None else str(value)


def _day(value) -> str:
    """An ISO date of the file in both calendars; what it cannot read, as written."""
    if not value:
        return NONE
    try:
        return both(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _moment(value) -> str:
    if not value:
        return NONE
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{both(moment.date())} {moment:%H:%M}"


def _choice(choices, value) -> str:
    """A code of the file by its label (child → 子ども); an unknown code as written."""
    labels = {code: str(label) for code, label in choices.choices}
    return labels.get(_str(value), _str(value)) or NONE


def case_summary(data: dict) -> bytes:
    """The case summary of a 移管 as an A4 PDF (bytes), from the dict made by
    ``tsunagu.plans.summary.case_summary`` (or read back by ``check_summary``): the sending
    municipality, the reason, the case, its persons, registrations, assessments, plan and
    recent activities. Missing or malformed parts print as — (a received file is not ours)."""
    styles = _Styles()
    data = _dict(data)
    sender, case = _dict(data.get("municipality")), _dict(data.get("case"))
    sending = " ".join(
        filter(
            None, [_str(sender.get("name")), f"({sender['code']})" if sender.get("code") else ""]
        )
    )
    story: list = [
        _text("ケース概要(移管)", styles.title),
        _facts(
            [
                ["送付元の市区町村", sending or NONE],
                ["作成日", _day(data.get("prepared_on"))],
                ["ケース番号", _str(case.get("number")) or NONE],
                ["ケース名", _str(case.get("title")) or NONE],
                ["受理日", _day(case.get("opened_on"))],
                ["状況", _str(case.get("status")) or NONE],
                ["リスクランク", _choice(Case.Rank, case.get("risk_rank"))],
                ["主担当機関", _str(case.get("lead_agency")) or NONE],
            ],
            styles,
        ),
        *_section("移管の理由", data.get("reason"), styles),
        _text("関係者", styles.heading),
        _list(
            ["氏名(フリガナ)", "立場", "生年月日", "性別", "住所・電話"],
            [
                [
                    "\n".join(
                        filter(
                            None,
                            [
                                f"{_str(p.get('family_name'))} {_str(p.get('given_name'))}".strip(),
                                f"{_str(p.get('family_kana'))} {_str(p.get('given_kana'))}".strip(),
                            ],
                        )
                    ),
                    _choice(CasePerson.Role, p.get("role")),
                    _day(p.get("birth_date")),
                    _choice(Sex, p.get("sex")),
                    "\n".join(
                        filter(
                            None,
                            [
                                _str(p.get("address")),
                                f"電話 {p['phone']}" if p.get("phone") else "",
                            ],
                        )
                    )
                    or NONE,
                ]
                for p in _rows(data.get("persons"))
            ],
            [40 * mm, 22 * mm, 54 * mm, 12 * mm, 52 * mm],
            styles,
        ),
        _text("要対協への登録", styles.heading),
        _list(
            ["対象者", "区分", "登録日", "終了日"],
            [
                [
                    _str(r.get("person")) or NONE,
                    _str(r.get("category")) or NONE,
                    _day(r.get("registered_on")),
                    _day(r.get("ended_on")),
                ]
                for r in _rows(data.get("registrations"))
            ],
            [36 * mm, 36 * mm, 54 * mm, 54 * mm],
            styles,
        ),
        _text("アセスメント", styles.heading),
        _list(
            ["様式", "判定", "実施日"],
            [
                [
                    _str(a.get("form")) or NONE,
                    _str(a.get("level")) or NONE,
                    _day(a.get("assessed_on")),
                ]
                for a in _rows(data.get("assessments"))
            ],
            [86 * mm, 40 * mm, 54 * mm],
            styles,
        ),
    ]
    plan = data.get("plan")
    if isinstance(plan, dict):
        version = f"第{plan['version']}版" if plan.get("version") else ""
        status = f"({plan['status']})" if plan.get("status") else ""
        story += [
            _text(f"サポートプラン {version}{status}", styles.part),
            *_section("支援が必要なこと", plan.get("needs"), styles),
            *_section("家族の強み", plan.get("strengths"), styles),
            *_section("短期目標", plan.get("goal_short"), styles),
            *_section("長期目標", plan.get("goal_long"), styles),
            _text("支援内容", styles.heading),
            _list(
                ["支援内容", "提供者", "頻度"],
                [
                    [
                        _str(i.get("title")) or NONE,
                        _str(i.get("provider")) or NONE,
                        _str(i.get("frequency")) or NONE,
                    ]
                    for i in _rows(plan.get("items"))
                ],
                [80 * mm, 60 * mm, 40 * mm],
                styles,
            ),
        ]
    else:
        story += [_text("サポートプラン", styles.part), _text("なし", styles.body)]
    story.append(_text("最近の支援記録", styles.part))
    activities = _rows(data.get("activities"))
    if not activities:
        story.append(_text("なし", styles.body))
    for activity in activities:
        story += [
            Spacer(1, 1.5 * mm),
            _text(
                f"{_moment(activity.get('occurred_at'))} {_str(activity.get('kind'))}",
                styles.label,
            ),
            *_paragraphs(_str(activity.get("content")) or NONE, styles.body),
        ]
    label = f"ケース概要(移管) {_str(case.get('number'))}".strip()
    return _build(story, title=label, footer=_footer(label, CAUTION))
