"""The demo city's maternal line (母子保健, issue 20): five years of births with their
pregnancies, companion-support contacts, benefits, newborn visits and infant check-ups, and the
women expecting now.

About 1,000 births a year at scale 1 (a city of 139,000 people), about 700 women expecting at
any time. The mothers and children are the population's own: a child under five of a household
with its mother, and women of the population for the current pregnancies, so that the maternal
records sit on the families, addresses and siblings the rest of the demo already shows (the
population holds more young children than 1,000 a year: the others moved in, without a birth
recorded here). The proportions follow seed 004 and the national figures: notification at 8–11
weeks for most, 2–3 % at 22 weeks or later; births at 39±1.5 weeks, 5 % under 2,500 g; ≈95 %
of families visited by 4 months, EPDS 9 or more in ≈10 %; ≈95 % attending each check-up, the
missed ones followed up by letter, call, visit and the nursery until the child is seen.

Every record is the maternal-health nurse's (hoken): the loader has no staff without a login,
so she is the whole unit. Three children nobody has seen: two already raised to child welfare
through ``services.raise_unseen``, one still waiting on the missed-check-up list. One current
pregnancy is registered as a specified expectant mother (特定妊婦) through the service, and the
expectant mothers the casework registered get their pregnancy, on their case."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from random import Random

from dateutil.relativedelta import relativedelta

from tsunagu.cases.models import Registration
from tsunagu.core.history import bulk_create_as
from tsunagu.maternal import flags, questionnaires, schedule, services
from tsunagu.maternal.models import (
    Benefit,
    Birth,
    Checkup,
    Contact,
    FollowStep,
    FollowUp,
    NewbornVisit,
    Pregnancy,
)
from tsunagu.people.models import HouseholdMember, KnownTo, Person, Sex

BIRTHS_PER_YEAR = 1000
EXPECTING = 700
YEARS = 5
# 妊婦のための支援給付 (出産・子育て応援給付金): for pregnancies and births from April 2022.
BENEFITS_FROM = date(2022, 4, 1)
Rel = HouseholdMember.Relationship
WOMEN = (Rel.MOTHER, Rel.HEAD, Rel.SPOUSE, Rel.OTHER)

P = Pregnancy
PARTNER = {P.Partner.MARRIED: 88, P.Partner.UNMARRIED: 6, P.Partner.NONE: 4, P.Partner.UNKNOWN: 2}
FEELINGS = {P.Feelings.GLAD: 85, P.Feelings.MIXED: 12, P.Feelings.TROUBLED: 2.5}
FEELINGS[P.Feelings.UNKNOWN] = 0.5
SUPPORT = {P.Support.ENOUGH: 75, P.Support.SOME: 22, P.Support.NONE: 3}
MONEY = {P.Money.STABLE: 82, P.Money.WORRIED: 15, P.Money.HARDSHIP: 3}
PLACES = {
    Birth.Place.HOSPITAL: 54,
    Birth.Place.CLINIC: 44,
    Birth.Place.MIDWIFE: 1.5,
    Birth.Place.HOME: 0.2,
    Birth.Place.OTHER: 0.3,
}
PHYSICAL = ["甲状腺疾患", "気管支喘息", "子宮筋腫", "妊娠糖尿病の既往", "高血圧"]
MENTAL = ["うつ病の治療歴あり", "不安障害で通院中", "前回産後にうつ状態", "適応障害の既往"]
INTERVIEW_NOTES = [
    "体調は安定。つわりが少しある。",
    "里帰り出産の予定。実母の支援あり。",
    "仕事を続ける予定。産休の手続き中。",
]
EIGHT_MONTH_NOTES = [
    "アンケート回答。困りごとなし。",
    "出産の準備は順調。入院先の確認済み。",
    "産後ケア事業を案内。",
    "上の子の預け先について相談あり。一時預かりを案内。",
    "夜眠れないことがあると話す。出産後の訪問で様子を見る。",
]
VISIT_NOTES = [
    "授乳は順調。体重増加良好。",
    "母の表情明るく、育児に自信がついてきた様子。",
    "混合栄養。夜間の授乳で母が疲れている。父が家事を分担。",
    "上の子の赤ちゃん返りがある。",
    "乳房トラブルあり。助産師外来を案内。",
]
REFUSED = [
    "里帰り先で訪問を受けたため不要と辞退",
    "家族の意向で訪問を希望しない",
    "体調がすぐれないため辞退(電話で状況を確認)",
]
NOT_POSSIBLE = ["不在が続き、連絡が取れない", "電話がつながらず訪問日を調整できない"]
FINDINGS = {
    "growth": ["体重増加がゆるやか。1か月後に再計測。", "低身長の疑い。小児科へ紹介。"],
    "development": [
        "言葉の遅れ(有意語なし)。発達相談を案内。",
        "視線が合いにくい。発達相談室で経過を見る。",
        "股関節開排制限の疑い。整形外科へ紹介。",
    ],
}
# (height cm, its sd, weight g, its sd) at the check-ups of schedule.STANDARD.
MEASURES = {
    3: (62.5, 2.2, 6800, 750),
    9: (71.5, 2.5, 8700, 900),
    18: (80.5, 3.0, 10500, 1000),
    36: (93.5, 3.5, 13900, 1400),
}
# How a missed check-up was followed up until the child was seen: the index of the step that
# saw the child in STEPS (None: a letter and a call unanswered, the visit not made yet), and
# its weight.
SEEN_AT = {1: 40, 2: 35, 3: 17, None: 8}
STEPS = [FollowStep.Kind.LETTER, FollowStep.Kind.CALL, FollowStep.Kind.VISIT]
STEPS.append(FollowStep.Kind.AGENCY)
STEP_NOTES = {
    (FollowStep.Kind.LETTER, FollowStep.Result.NOT_REACHED): "受診勧奨の通知を送付。返信なし。",
    (FollowStep.Kind.CALL, FollowStep.Result.NOT_REACHED): "電話に応答なし。",
    (FollowStep.Kind.CALL, FollowStep.Result.SEEN): "母と電話で話し、次回の健診を予約。",
    (FollowStep.Kind.VISIT, FollowStep.Result.NOT_REACHED): "家庭訪問。不在のため連絡票を投函。",
    (FollowStep.Kind.VISIT, FollowStep.Result.SEEN): "家庭訪問で子どもに会い、発育を確認。",
    (FollowStep.Kind.AGENCY, FollowStep.Result.NOT_REACHED): "保育所・関係機関とも在籍・利用なし。",
    (FollowStep.Kind.AGENCY, FollowStep.Result.SEEN): "保育園で元気に登園していることを確認。",
}


def _weighted(rng: Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# Follow-ups and missed check-ups older than this are all settled in the demo city.
RECENT_DAYS = 120


@dataclass
class _Child:
    """A child of the population born here, and what the maternal line did for it."""

    person: int
    born_on: date
    sex: str
    mother: int
    mother_born: date
    parity: int
    pregnancy: Pregnancy | None = None
    birth: Birth | None = None
    visit: NewbornVisit | None = None
    recorded: date | None = None  # when the birth's notice (出生連絡票) reached the unit
    never_seen: str = ""  # "raised" or "waiting"
    late_visit: bool = False
    checkups: list = field(default_factory=list)


class _Builder:
    def __init__(self, rng: Random, municipality, organisations, users, today: date, scale):
        self.rng, self.municipality, self.today, self.scale = rng, municipality, today, scale
        self.nurse = users["hoken"]
        self.unit = organisations["unit_maternal_health"]
        self.made: Counter = Counter()
        self.pregnancies: list[Pregnancy] = []
        self.contacts: list[Contact] = []
        self.benefits: list[Benefit] = []
        self.births: list[Birth] = []
        self.visits: list[NewbornVisit] = []
        self.checkups: list[Checkup] = []
        self.steps: list[tuple[Checkup, FollowStep]] = []
        self.follow_ups: list[FollowUp] = []
        self.known: set[int] = set()

    # --- who ---------------------------------------------------------------------------

    def families(self) -> tuple[list[_Child], list[tuple[int, date, int]]]:
        """The children under five with their mother (a household's), at most ~1,000 a year,
        and the women who may be expecting now (person, birth date, children)."""
        rows = (
            HouseholdMember.objects.filter(household__municipality=self.municipality, valid_to=None)
            .values_list(
                "household_id", "person_id", "relationship", "person__birth_date", "person__sex"
            )
            .order_by("household_id", "person_id")
        )
        households: dict[int, list] = {}
        for household, *member in rows:
            households.setdefault(household, []).append(member)
        since = self.today - timedelta(days=YEARS * 365)
        by_year: dict[int, list[_Child]] = {}
        women = []
        for members in households.values():
            mothers = [m for m in members if m[1] == Rel.MOTHER and m[2] and m[3] == Sex.FEMALE]
            children = sorted(
                (m for m in members if m[1] == Rel.CHILD and m[2]), key=lambda m: m[2]
            )
            mother = mothers[0] if mothers else None
            last_born = None
            for parity, (person, _, born, sex) in enumerate(children):
                if mother is None or born <= since:
                    last_born = born
                    continue
                age = relativedelta(born, mother[2]).years
                if not 16 <= age <= 45 or (last_born and (born - last_born).days < 300):
                    continue
                child = _Child(person, born, sex, mother[0], mother[2], parity)
                by_year.setdefault((self.today - born).days // 365, []).append(child)
                last_born = born
            youngest = children[-1][2] if children else None
            if youngest and (self.today - youngest).days < 400:
                continue  # a baby at home: not expecting again yet
            for person, relationship, born, sex in members:
                age = relativedelta(self.today, born).years if born else 0
                if sex == Sex.FEMALE and 17 <= age <= 43 and relationship in WOMEN:
                    women.append((person, born, len(children) if mothers else 0))
        per_year = max(1, round(BIRTHS_PER_YEAR * self.scale))
        chosen = []
        for year in sorted(by_year):
            cohort = by_year[year]
            chosen += self.rng.sample(cohort, min(per_year, len(cohort)))
        chosen.sort(key=lambda c: (c.born_on, c.person))
        return chosen, women

    # --- pregnancies -------------------------------------------------------------------

    def notification_weeks(self) -> int:
        r = self.rng.random()
        if r < 0.85:
            return self.rng.randint(8, 11)
        if r < 0.90:
            return self.rng.randint(6, 7)
        if r < 0.975:
            return self.rng.randint(12, 21)
        return self.rng.randint(22, 30)

    def pregnancy(
        self, mother: int, mother_born: date, parity: int, notified_on, weeks, due, twins=False
    ):
        rng = self.rng
        partner = _weighted(rng, PARTNER)
        late = weeks >= 22
        pregnancy = Pregnancy(
            municipality=self.municipality,
            mother=Person(pk=mother, birth_date=mother_born),
            notified_on=notified_on,
            weeks_at_notification=weeks,
            expected_on=due,
            parity=parity,
            multiple=twins and rng.random() < 0.01,  # the population has no twins born
            prenatal_checkups=0 if (late and rng.random() < 0.5) or rng.random() < 0.02 else 1,
            partner=partner,
            partner_supports=partner in (P.Partner.MARRIED, P.Partner.UNMARRIED)
            and rng.random() < 0.96,
            feelings=_weighted(rng, FEELINGS),
            support_after_birth=_weighted(rng, SUPPORT),
            money=_weighted(rng, MONEY),
            physical_history=rng.choice(PHYSICAL) if rng.random() < 0.05 else "",
            mental_history=rng.choice(MENTAL) if rng.random() < 0.04 else "",
            interviewed_by=self.nurse,
            unit=self.unit,
            nurse=self.nurse,
            interview_minutes=rng.choice((20, 30, 30, 30, 40, 60)),
            interview_notes=_interview_note(rng, parity, partner),
        )
        if late:
            pregnancy.interview_notes = "妊娠22週以降の届出。受診が遅れた理由を確認。"
        pregnancy.flags = flags.flags_of(pregnancy)
        self.pregnancies.append(pregnancy)
        self.known.add(mother)
        self.contacts.append(
            Contact(
                pregnancy=pregnancy,
                kind=Contact.Kind.NOTIFICATION,
                method=Contact.Method.INTERVIEW,
                on=notified_on,
                by=self.nurse,
                notes=pregnancy.interview_notes,
            )
        )
        self.pay(pregnancy, Benefit.Kind.PREGNANCY, notified_on + timedelta(rng.randint(14, 45)))
        return pregnancy

    def eight_months(self, pregnancy: Pregnancy, ends: date | None) -> None:
        """The ~8-month contact and its follow-up: done for most once its day has passed, open
        while it is ahead (or missed lately); closed by the birth when it came first."""
        rng = self.rng
        due = max(pregnancy.expected_on - services.EIGHT_MONTHS_BEFORE_DUE, pregnancy.notified_on)
        follow_up = self.follow_up(
            pregnancy.mother_id,
            FollowUp.Kind.EIGHT_MONTHS,
            "妊娠8か月頃のアンケートと面談・電話",
            due,
        )
        on = due + timedelta(days=rng.randint(0, 14))
        if on <= self.today and (ends is None or on < ends) and rng.random() < 0.93:
            method = _weighted(rng, {"questionnaire": 45, "phone": 30, "interview": 20})
            self.contacts.append(
                Contact(
                    pregnancy=pregnancy,
                    kind=Contact.Kind.EIGHT_MONTHS,
                    method=Contact.Method(method) if rng.random() > 0.05 else "online",
                    on=on,
                    by=self.nurse,
                    notes=rng.choice(EIGHT_MONTH_NOTES),
                )
            )
            follow_up.done_on, follow_up.done_note = on, "実施"
        elif ends is not None and ends <= self.today:
            follow_up.done_on, follow_up.done_note = ends, "出産のため未実施"

    def pay(self, pregnancy: Pregnancy, kind: str, on: date) -> None:
        if on <= self.today and on - timedelta(days=45) >= BENEFITS_FROM:
            self.benefits.append(
                Benefit(
                    pregnancy=pregnancy,
                    kind=kind,
                    amount_yen=services.BENEFIT_YEN,
                    paid_on=on,
                    recorded_by=self.nurse,
                )
            )

    def follow_up(self, person: int, kind: str, reason: str, due: date) -> FollowUp:
        follow_up = FollowUp(
            municipality=self.municipality,
            person_id=person,
            kind=kind,
            reason=reason[:300],
            due_on=due,
            owner=self.nurse,
            unit=self.unit,
        )
        self.follow_ups.append(follow_up)
        return follow_up

    def close(self, follow_up: FollowUp, after: tuple[int, int], note: str, chance=0.95):
        """Done some days after its due date, when that day has passed (most of them)."""
        on = follow_up.due_on + timedelta(days=self.rng.randint(*after))
        # A few of the last weeks' are still open; nothing older is left undone.
        long_ago = follow_up.due_on < self.today - timedelta(days=RECENT_DAYS)
        if on <= self.today - timedelta(days=3) and (long_ago or self.rng.random() < chance):
            follow_up.done_on, follow_up.done_note = on, note

    # --- the births --------------------------------------------------------------------

    def born(self, child: _Child) -> None:
        rng = self.rng
        weeks = max(28, min(42, round(rng.gauss(39, 1.5))))
        due = child.born_on + timedelta(days=(40 - weeks) * 7 + rng.randint(-3, 3))
        at = min(self.notification_weeks(), weeks - 2)
        notified = due - timedelta(weeks=40 - at) + timedelta(days=rng.randint(0, 6))
        pregnancy = self.pregnancy(child.mother, child.mother_born, child.parity, notified, at, due)
        child.pregnancy = pregnancy
        # The birth is recorded when its notice (出生連絡票) reaches the unit.
        recorded = child.born_on + timedelta(days=rng.randint(5, 16))
        if recorded > self.today:
            pregnancy.status = Pregnancy.Status.EXPECTING
            self.eight_months(pregnancy, None)
            return
        pregnancy.status = Pregnancy.Status.BORN
        self.eight_months(pregnancy, child.born_on)
        weight = max(900, min(4800, round(rng.gauss(3080, 330) + (weeks - 39) * 80)))
        birth = Birth(
            pregnancy=pregnancy,
            child_id=child.person,
            born_on=child.born_on,
            weeks=weeks,
            weight_g=weight,
            place=_weighted(rng, PLACES),
            recorded_by=self.nurse,
        )
        child.birth = birth
        self.births.append(birth)
        self.known.add(child.person)
        child.visit = NewbornVisit(
            birth=birth,
            due_on=child.born_on + services.NEWBORN_VISIT_BY,
            nurse=self.nurse,
            unit=self.unit,
        )
        child.recorded = recorded
        self.visits.append(child.visit)

    def visit(self, child: _Child) -> None:
        """The newborn visit: most within a month of the notice, a few late (the mother back
        from her parents' home), refused or not possible."""
        rng, visit = self.rng, child.visit
        r = rng.random()
        if child.never_seen:
            self.not_visited(child, NewbornVisit.Status.NOT_POSSIBLE, NOT_POSSIBLE[0], 20)
            return
        if child.late_visit or 0.035 <= r < 0.065:
            on = child.born_on + timedelta(days=rng.randint(70, 140))
            if child.late_visit:
                on = max(on, self.today + timedelta(days=rng.randint(1, 6)))
                visit.notes = "里帰り中。戻り次第訪問予定。"
        elif r < 0.02:
            self.not_visited(child, NewbornVisit.Status.REFUSED, rng.choice(REFUSED), 10)
            return
        elif r < 0.035:
            self.not_visited(child, NewbornVisit.Status.NOT_POSSIBLE, rng.choice(NOT_POSSIBLE), 30)
            return
        else:
            on = child.recorded + timedelta(days=rng.randint(3, 16))
        if on > self.today:
            return
        mother = child.pregnancy
        worried = bool(mother.mental_history) or mother.feelings == P.Feelings.TROUBLED
        visit.status, visit.visited_on = NewbornVisit.Status.VISITED, on
        visit.weight_g = child.birth.weight_g + 30 * max(0, (on - child.born_on).days - 7)
        visit.notes = rng.choice(VISIT_NOTES)
        self.answer(child, "epds", _epds(rng, rng.random() < (0.3 if worried else 0.1)))
        self.answer(child, "bonding", _bonding(rng))

    def answer(self, child: _Child, code: str, items: list[int]) -> None:
        """A questionnaire's scores kept with its version; over its threshold, the mother goes
        on the nurse's due list (as ``services.record_visit`` does)."""
        visit, on = child.visit, child.visit.visited_on
        questionnaire = questionnaires.SETS[code]
        total = questionnaire.score(items)
        visit.answers[code] = {"version": questionnaire.version, "items": items, "total": total}
        setattr(visit, f"{code}_score", total)
        if questionnaire.needs_follow_up(items):
            kind = FollowUp.Kind.EPDS if code == "epds" else FollowUp.Kind.BONDING
            follow_up = self.follow_up(
                child.mother,
                kind,
                f"{questionnaire.title} {total}点(訪問 {on:%Y-%m-%d})",
                on + timedelta(days=services.FOLLOW_UP_DAYS),
            )
            if on < self.today - timedelta(days=21):  # the latest stay on the due list
                self.close(follow_up, (0, 10), "電話・再訪問で様子を確認。産後ケアを案内。", 0.97)

    def ensure_epds(self, children: list[_Child], want: int) -> None:
        """At least ``want`` EPDS follow-ups open (a small city may have none by chance): the
        latest visits answered with a high score."""
        open_ones = [
            f for f in self.follow_ups if f.kind == FollowUp.Kind.EPDS and f.done_on is None
        ]
        visited = [c for c in children if c.visit and c.visit.visited_on]
        visited.sort(key=lambda c: (c.visit.visited_on, c.person), reverse=True)
        for child in visited[: max(0, want - len(open_ones)) * 3]:
            if len(open_ones) >= want:
                return
            if (child.visit.epds_score or 0) >= questionnaires.EPDS.follow_from:
                continue
            self.answer(child, "epds", _epds(self.rng, True))
            open_ones.append(self.follow_ups[-1])

    def not_visited(self, child: _Child, status: str, reason: str, days: int) -> None:
        on = child.recorded + timedelta(days=days + self.rng.randint(0, 20))
        if on > self.today:
            return
        child.visit.status, child.visit.reason = status, reason
        follow_up = self.follow_up(
            child.person,
            FollowUp.Kind.VISIT_NOT_DONE,
            f"{NewbornVisit.Status(status).label}: {reason}",
            on + timedelta(days=services.FOLLOW_UP_DAYS),
        )
        if child.never_seen:
            follow_up.done_on, follow_up.done_note = follow_up.due_on, "4か月児健診で確認する"
        else:
            self.close(follow_up, (0, 40), "電話で母と話し、子どもの様子を確認。", 0.97)

    def child_benefit(self, child: _Child) -> None:
        paid = (child.visit.visited_on or child.recorded) + timedelta(self.rng.randint(14, 40))
        self.pay(child.pregnancy, Benefit.Kind.CHILD, paid)

    # --- check-ups ---------------------------------------------------------------------

    def checkups_of(self, child: _Child, kinds) -> None:
        rng = self.rng
        for kind in kinds:
            invited = child.born_on + relativedelta(months=kind.invite_months)
            if invited > self.today:
                continue
            checkup = Checkup(
                municipality=self.municipality,
                child_id=child.person,
                kind=kind,
                invited_on=invited,
                due_on=child.born_on + relativedelta(months=kind.due_months),
            )
            self.checkups.append(checkup)
            child.checkups.append(checkup)
            r = rng.random()
            if child.never_seen:
                self.missed(checkup, child.never_seen)
            elif r < 0.95:
                self.attended(checkup, invited + timedelta(days=rng.randint(5, 70)))
            elif r < 0.96:
                if invited + timedelta(days=30) <= self.today:
                    checkup.status = Checkup.Status.ELSEWHERE
                    checkup.notes = rng.choice(("医療機関で個別に受診", "転出予定"))
                    checkup.resolved = True
            else:
                self.missed(checkup, "")

    def attended(self, checkup: Checkup, on: date) -> None:
        rng = self.rng
        if on > self.today or on >= checkup.due_on:
            return
        checkup.status, checkup.attended_on, checkup.resolved = Checkup.Status.ATTENDED, on, True
        months = min(MEASURES, key=lambda m: abs(m - checkup.kind.invite_months))
        height, height_sd, weight, weight_sd = MEASURES[months]
        checkup.height_cm = Decimal(str(round(rng.gauss(height, height_sd), 1)))
        checkup.weight_g = max(3000, round(rng.gauss(weight, weight_sd)))
        notes = []
        for aspect in ("growth", "development"):
            finding = _weighted(rng, {"none": 93, "watch": 5.5, "refer": 1.5})
            setattr(checkup, aspect, finding)
            if finding != "none":
                notes.append(rng.choice(FINDINGS[aspect]))
                if finding == "refer" or rng.random() < 0.4:
                    checkup.follow_up_needed = True
        checkup.notes = " ".join(notes)
        if checkup.follow_up_needed:
            follow_up = self.follow_up(
                checkup.child_id,
                FollowUp.Kind.CHECKUP_FINDING,
                f"{checkup.kind}の結果: {checkup.notes or '要フォロー'}",
                on + timedelta(days=30),
            )
            self.close(follow_up, (-5, 20), "再計測・紹介先の受診を確認。", 0.99)

    def missed(self, checkup: Checkup, never_seen: str) -> None:
        """Past its deadline unseen: followed up step by step until someone sees the child."""
        rng = self.rng
        if checkup.due_on >= self.today:
            return
        checkup.status = Checkup.Status.MISSED
        seen_at = _weighted(rng, SEEN_AT)
        steps = STEPS[:3] if never_seen == "waiting" else STEPS
        if never_seen:
            seen_at = None
        elif seen_at is None and checkup.due_on < self.today - timedelta(days=RECENT_DAYS):
            seen_at = len(STEPS) - 1  # an old miss: someone saw the child in the end
        elif seen_at is None:
            steps = STEPS[:2]
        on = checkup.due_on
        for index, kind in enumerate(steps):
            on += timedelta(days=rng.randint(5, 12) if never_seen else rng.randint(5, 21))
            if on > self.today:
                return
            seen = index == seen_at
            result = FollowStep.Result.SEEN if seen else FollowStep.Result.NOT_REACHED
            step = FollowStep(
                kind=kind, result=result, on=on, by=self.nurse, notes=STEP_NOTES[(kind, result)]
            )
            self.steps.append((checkup, step))
            if seen:
                checkup.resolved = True
                return

    # --- the women expecting now ---------------------------------------------------------

    def expecting(self, women: list, taken: set[int], count: int) -> list[Pregnancy]:
        rng = self.rng
        # The likeliest ages first (most births at 25–39), without replacement.
        keyed = []
        for person, born, children in women:
            if person in taken:
                continue
            age = relativedelta(self.today, born).years
            weight = 4 if 25 <= age <= 38 else 1
            keyed.append((rng.random() ** (1 / weight), person, born, children))
        keyed.sort(reverse=True)
        made = []
        for _, person, born, children in keyed[:count]:
            at = self.notification_weeks()
            since = rng.randrange((40 - at) * 7)
            notified = self.today - timedelta(days=since)
            due = notified + timedelta(weeks=40 - at) - timedelta(days=rng.randint(0, 6))
            pregnancy = self.pregnancy(person, born, children, notified, at, due, twins=True)
            self.eight_months(pregnancy, None)
            made.append(pregnancy)
        return made


def _interview_note(rng: Random, parity: int, partner: str) -> str:
    notes = [*INTERVIEW_NOTES]
    if parity:
        notes.append("上の子の保育園の送迎が心配と話す。")
    else:
        notes.append("初めての妊娠で不安もあるが、楽しみにしている。")
    if partner == P.Partner.MARRIED:
        notes.append("夫の育児休業を検討中。")
    return rng.choice(notes)


def _epds(rng: Random, high: bool) -> list[int]:
    """EPDS item scores whose total is 9 or more when ``high`` (item 10 rarely above 0)."""
    total = (
        rng.randint(9, 18)
        if high
        else _weighted(rng, dict(enumerate((6, 9, 12, 13, 13, 12, 11, 9, 8), 0)))
    )
    items = [0] * 10
    last = 10 if high and rng.random() < 0.1 else 9
    while sum(items) < total:
        i = rng.randrange(last)
        if items[i] < 3:
            items[i] += 1
    return items


def _bonding(rng: Random) -> list[int]:
    items = [0] * 10
    for _ in range(_weighted(rng, {0: 40, 1: 25, 2: 15, 3: 10, 4: 6, 5: 2, 6: 1.5, 8: 0.5})):
        i = rng.randrange(10)
        items[i] = min(3, items[i] + 1)
    return items


def build_maternal(rng: Random, municipality, organisations, users, today, scale, progress):
    """The maternal line of the past five years and of today. Returns counts by kind."""
    builder = _Builder(rng, municipality, organisations, users, today, scale)
    nurse = builder.nurse
    children, women = builder.families()
    kinds = schedule.load(municipality)
    _choose_never_seen(rng, children, today)
    _choose_late_visits(children, today, max(2, round(6 * scale)))
    for child in children:
        builder.born(child)
        if child.birth is None:
            continue
        builder.visit(child)
        if not child.never_seen:
            builder.child_benefit(child)
        builder.checkups_of(child, kinds)
    builder.ensure_epds(children, 2)
    pending = sum(1 for c in children if c.birth is None)
    registered = list(
        Registration.objects.filter(
            case__municipality=municipality,
            category=Registration.Category.EXPECTANT_MOTHER,
            ended_on=None,
            person__sex=Sex.FEMALE,
        ).select_related("person")
    )
    taken = {c.mother for c in children if c.birth is None or c.born_on > today - timedelta(400)}
    on_cases = [
        (r.person_id, r.person.birth_date, 0, r.case_id)
        for r in registered
        if r.person.birth_date and 16 <= relativedelta(today, r.person.birth_date).years <= 45
    ]
    # The casework's expectant mothers first, on their case.
    current = builder.expecting([w[:3] for w in on_cases], taken, len(on_cases))
    cases = {person: case for person, _, _, case in on_cases}
    for pregnancy in current:
        pregnancy.case_id = cases[pregnancy.mother_id]
        if not pregnancy.flags:  # registered for a reason the interview heard too
            pregnancy.support_after_birth = P.Support.NONE
            pregnancy.money = rng.choice((P.Money.WORRIED, P.Money.HARDSHIP))
            pregnancy.interview_notes = "産後に頼れる人がいない。経済的な不安もある。"
            pregnancy.flags = flags.flags_of(pregnancy)
    taken |= {p.mother_id for p in current}
    count = max(2, round(EXPECTING * scale) - pending - len(current))
    others = builder.expecting(women, taken, count)
    current += others
    registered_now = set(
        Registration.objects.filter(
            person__in=[p.mother_id for p in others], ended_on=None
        ).values_list("person_id", flat=True)
    )
    # Registered as 特定妊婦 through the service, below.
    special = next(p for p in reversed(others) if p.mother_id not in registered_now)
    special.partner, special.partner_supports = P.Partner.NONE, False
    special.money, special.feelings = P.Money.HARDSHIP, P.Feelings.TROUBLED
    special.interview_notes = "パートナーと別れ、経済的に困っている。妊娠を迷っていた。"
    special.flags = flags.flags_of(special)

    progress(f"  生成: 妊娠 {len(builder.pregnancies):,} / 出生 {len(builder.births):,}")
    for model, objects in (
        (Pregnancy, builder.pregnancies),
        (Contact, builder.contacts),
        (Benefit, builder.benefits),
        (Birth, builder.births),
        (NewbornVisit, builder.visits),
        (Checkup, builder.checkups),
    ):
        _relink(objects)
        bulk_create_as(nurse, model, objects)
        progress(f"  保存: {model._meta.verbose_name} {len(objects):,}")
    steps = []
    for checkup, step in builder.steps:
        step.checkup = checkup
        steps.append(step)
    bulk_create_as(nurse, FollowStep, steps)
    bulk_create_as(nurse, FollowUp, builder.follow_ups)
    existing = set(
        KnownTo.objects.filter(organisation=builder.unit).values_list("person_id", flat=True)
    )
    bulk_create_as(
        nurse,
        KnownTo,
        [
            KnownTo(person_id=p, organisation=builder.unit, added_by=nurse)
            for p in sorted(builder.known - existing)
        ],
    )
    progress(f"  保存: 未受診フォロー {len(steps):,} / 要フォロー {len(builder.follow_ups):,}")

    services.register_expectant_mother(special, actor=nurse, on=today)
    raised = 0
    for child in children:
        if child.never_seen == "raised":
            last = max(
                step.on for checkup, step in builder.steps if checkup.child_id == child.person
            )
            services.raise_unseen(Person.objects.get(pk=child.person), actor=nurse, on=last)
            raised += 1

    made = builder.made
    made["妊娠届出"] = len(builder.pregnancies)
    made["妊娠中"] = sum(1 for p in builder.pregnancies if p.status == P.Status.EXPECTING)
    made["出生"] = len(builder.births)
    made["全戸訪問(訪問済)"] = sum(1 for v in builder.visits if v.status == "visited")
    made["乳幼児健診"] = len(builder.checkups)
    made["未受診フォロー"] = len(steps)
    made["要フォロー(未対応)"] = sum(1 for f in builder.follow_ups if f.done_on is None)
    made["居住実態が把握できない児童"] = raised
    return made


def _relink(objects: list) -> None:
    """Point each row's foreign keys at the keys its parents got when they were inserted
    (a parent assigned before it had a key left its ``_id`` empty)."""
    for obj in objects:
        for name, parent in list(obj._state.fields_cache.items()):
            field = obj._meta.get_field(name)
            if field.concrete and parent is not None and getattr(obj, field.attname) is None:
                setattr(obj, field.attname, parent.pk)


def _choose_never_seen(rng: Random, children: list[_Child], today: date) -> None:
    """Three children of 2 years 3 months to 2 years 10 months nobody has seen since birth:
    two raised to child welfare, one still followed up."""
    pool = [c for c in children if 27 * 30 <= (today - c.born_on).days <= 34 * 30]
    for child, state in zip(
        rng.sample(pool, min(3, len(pool))), ("raised", "waiting", "raised"), strict=False
    ):
        child.never_seen = state


def _choose_late_visits(children: list[_Child], today: date, count: int) -> None:
    """A few families whose newborn visit falls due this week, not yet visited (mothers still
    at their parents' home after the birth): the top of the nurse's visit list."""
    target = today + timedelta(days=3)
    near = sorted(
        (c for c in children if not c.never_seen),
        key=lambda c: abs((c.born_on + services.NEWBORN_VISIT_BY - target).days),
    )
    for child in near[:count]:
        child.late_visit = True
