"""Support plans, a year of conferences and the hand-offs with the child guidance center for
the demo city, in seed 003's rhythm.

Seed 003: maternal health and child welfare meet every week over their new and shared cases
(合同ケース会議); the council's 実務者会議 reviews the registered cases every month, each case
about every three months, with the cgc at the table; the アセスメント力向上委員会 takes one case
a month in depth (the parents' own upbringing included), with the child psychiatrist a few
times a year; the 代表者会議 meets once a year. The protection cases (about 80) are ranked and
managed with the cgc: referred to it (送致), worked on together (援助依頼), or handed back to
the city (指導委託). About two thirds of the registered cases have a support plan made with
the family. Rows are made in Python and inserted in bulk, each with its history row, like the
casework; changes to the casework's rows go through ``bulk_update_with_history``.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from random import Random

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from tsunagu.cases.models import (
    Activity,
    Assignment,
    Case,
    CaseOrganisation,
    CasePerson,
    CaseStatusChange,
    ClosureRequest,
    ConsultationCategory,
    Intake,
    IntakePerson,
    Registration,
    RiskRankChange,
)
from tsunagu.core.fiscal import fiscal_year_of
from tsunagu.core.models import Area, Organisation
from tsunagu.people.models import HouseholdMember, Person
from tsunagu.plans.models import (
    ActionItem,
    Attendee,
    Conference,
    Discussion,
    HandOff,
    HandOffDocument,
    PlanItem,
    PlanTask,
    ServiceKind,
    SupportPlan,
)
from tsunagu.plans.summary import FORMAT
from tsunagu.resources.models import Service, Visibility

from . import names
from .casework import REVIEW_INTERVAL

HISTORY_REASON = "デモデータの作成"  # as the loader's
AGENDA_AHEAD_DAYS = 14  # the review agenda takes what falls due in the next two weeks
PLAN_SHARE = 0.67
OVERDUE_SHARE = 0.035  # 10–20 of the ~400 registered cases left past their review date

Kind = Organisation.Kind
Party = PlanTask.Party

# --- wording ---------------------------------------------------------------------------------

CHILD_WISHES = {
    "small": [
        "子ども「ママとこうえんにいきたい」",
        "子ども「おこられるのいや。ぎゅってしてほしい」",
        "子ども「ほいくえんでもっとあそびたい」",
        "子ども「よるはパパとママといっしょにねたい」",
    ],
    "school": [
        "子ども「お母さんとけんかしないで暮らしたい」",
        "子ども「学校に行けるようになりたい」",
        "子ども「夜はちゃんとごはんが食べたい」",
        "子ども「家でどなられるのがこわい。静かに暮らしたい」",
        "子ども「友だちと放課後に遊びたい」",
    ],
    "teen": [
        "子ども「家にいるのがしんどい時に行ける場所がほしい」",
        "子ども「高校に行きたい。勉強を見てくれる人がいたらいい」",
        "子ども「弟の世話ばかりじゃなくて部活もしたい」",
        "子ども「親にわかってほしい。でも家を出たいわけじゃない」",
    ],
}
GUARDIAN_WISHES = [
    "「一人で抱え込まずに子育てしたい」",
    "「子どもにきつく当たってしまうのをやめたい」",
    "「仕事と子育てを両立させたい。夕方だけでも助けがほしい」",
    "「生活を立て直して、子どもに不自由させたくない」",
    "「子どもとの関わり方を教えてほしい」",
    "「夜眠れるようになりたい。体調を整えてから子どもに向き合いたい」",
]
EXPECTANT_WISHES = [
    "本人「無事に産みたい。でも一人で育てられるか不安」",
    "本人「お金のことが心配。出産の準備を手伝ってほしい」",
    "本人「親にはまだ言えていない。どうしたらいいか一緒に考えてほしい」",
]
NEEDS = {
    "protection": [
        "面前DVによる子どもの心理的な負担が大きい。夜間の養育が不安定。",
        "父の体罰が続いている。叩かないしつけの方法を一緒に身につける必要がある。",
        "食事・入浴・通院など基本的な養育が不十分(ネグレクトの傾向)。",
        "母の精神的な不調で養育が不安定。通院と服薬が途切れがち。",
    ],
    "support": [
        "母の育児負担が大きく、身近に相談できる人がいない(実家が遠方)。",
        "家計が苦しく、食事の確保と滞納の整理が必要。",
        "子どもの発達の遅れについて、保護者の受け止めに時間がかかっている。",
        "不登校が続き、日中に過ごせる場所がない。",
        "ひとり親で就労時間が長く、放課後の見守りが手薄。",
        "子どもがきょうだいの世話と家事を担っている(ヤングケアラー)。",
    ],
    "expectant_mother": [
        "妊婦健診が未受診で、出産の準備が整っていない。",
        "経済的に困窮しており、パートナーの協力も得にくい。",
        "若年での妊娠で、家族に打ち明けられていない。",
    ],
}
STRENGTHS = [
    "母は子どもへの愛情が深く、支援者の訪問を受け入れている。",
    "子どもは保育園に毎日通えている。",
    "母方祖母が近くに住み、週末は手伝ってくれる。",
    "困ったときに自分から相談の電話をかけられる。",
    "子どもは担任の先生を信頼している。",
    "父は仕事を続けており、生活の基盤がある。",
    "子どもは絵を描くことが好きで、気持ちを絵で表せる。",
]
GOALS_SHORT = [
    "家庭訪問を月2回受け、生活の困りごとを一緒に整理する。",
    "子どもが週3日以上登校できる。",
    "母が一人の時間を月2回持てる(一時預かり・ショートステイの利用)。",
    "夜9時までに子どもが寝られる生活リズムをつくる。",
    "乳幼児健診を受診し、発達の経過を確認する。",
    "家計を見直し、滞納を解消する計画を立てる。",
    "叩かずに伝える方法を練習し、怒鳴る回数を減らす。",
]
GOALS_LONG = [
    "子どもが安心して家庭で暮らし続けられる。",
    "保護者が地域の支援を自分で使いながら子育てできる。",
    "子どもが自分の気持ちを言葉で伝えられ、家族がそれを受け止められる。",
    "子どもが自分の将来を考え、進路を選べる。",
]
EXPECTANT_GOALS = (
    "妊婦健診を受診し、出産の準備(入院・育児用品)を整える。",
    "母子ともに健康に出産・育児の時期を過ごせる。",
)
STAFF_NOTES = [
    "父の来所時は職員1人で対応しない(過去に窓口で大声)。",
    "母の精神科の通院先は家族用控えに載せない。",
    "児童相談所と月1回情報共有。次回の合同訪問は児相と日程調整。",
    "DV避難中。転居先の住所は関係機関にも伝えない。",
    "きょうだい(中学生)の登校状況も学校から聞き取ること。",
]
# catalogue code → (provider, frequency, note); a provider of None is the city's own unit.
CATALOGUE = {
    "nurturing_visit": ("家庭支援係", "月2回", "養育についての助言と家事の援助。"),
    "home_visit_support": ("子育てヘルパーステーション ひだまり", "週1回", "家事・育児の援助。"),
    "short_stay": ("社会福祉法人 わかば学園(児童養護施設)", "必要時(年数回)", "母の通院時など。"),
    "twilight_stay": ("社会福祉法人 わかば学園(児童養護施設)", "週1回", "夕食と入浴。"),
    "parenting_program": ("NPO法人 親子のひろば", "全8回(週1回)", "ペアレント・トレーニング。"),
    "temporary_care": ("わかば保育園", "月2回", "母のレスパイト。"),
    "watch_program": ("NPO法人 子育て応援わかば", "週1回", "食事の宅配と見守り。"),
    "child_hub": ("児童育成支援拠点 わかばベース", "週3回", "放課後の居場所と学習支援。"),
    "pregnant_life_support": ("母子生活支援施設 わかば荘", "出産前後", "住まいと生活の援助。"),
    "postnatal_care": ("わかば産婦人科クリニック", "産後4か月まで必要時", "宿泊型の産後ケア。"),
    "companion_support": ("母子保健係", "月1回", "妊娠期からの面談。"),
    "newborn_visit": ("母子保健係", "生後4か月までに1回", "保健師の訪問。"),
    "checkup_follow_up": ("母子保健係", "健診ごと", "未受診時は電話と訪問。"),
    "family_support_center": ("若葉市ファミリー・サポート・センター", "週2回", "保育園の送迎。"),
    "nursery": ("保育課", "平日毎日", "入所の調整。"),
    "after_school_club": ("放課後児童クラブ", "平日放課後", "利用料の減免も申請。"),
    "development_support": ("子ども発達支援室", "週2回", "言語聴覚士によることばの相談。"),
    "livelihood_consultation": ("若葉市 生活支援相談窓口", "月1回", "家計の見直し。"),
    "public_assistance": ("若葉市 福祉事務所", "継続", "ケースワーカーと連携。"),
    "single_parent_support": ("若葉市 子育て支援課", "月1回", "就労と手当の相談。"),
}
CATALOGUE_BY_CATEGORY = {
    "protection": [
        "nurturing_visit",
        "watch_program",
        "short_stay",
        "parenting_program",
        "home_visit_support",
        "child_hub",
    ],
    "support": [
        "home_visit_support",
        "temporary_care",
        "family_support_center",
        "after_school_club",
        "child_hub",
        "livelihood_consultation",
        "development_support",
        "single_parent_support",
        "twilight_stay",
    ],
    "expectant_mother": [
        "pregnant_life_support",
        "companion_support",
        "postnatal_care",
        "newborn_visit",
    ],
}
# Other local supports by name: (name, provider, frequency, staff only); "{school}" is the
# child's school or nursery.
OTHER_SUPPORTS = [
    ("民生委員・児童委員の見守り訪問", "担当の主任児童委員", "月1回", False),
    ("スクールカウンセラーとの面談", "{school}", "月2回", False),
    ("登校・登園の確認と欠席時の連絡", "{school}", "毎日", False),
    ("フードバンクの食料支援", "若葉市社会福祉協議会", "月1回", False),
    ("母方祖母による送迎と見守り", "母方祖母", "週末", False),
    ("精神科への通院同行", "若葉市民病院", "月1回", True),
    ("DV相談(女性相談)", "若葉市 女性相談員", "必要時", True),
]
DIRECTORY_FREQUENCIES = ["週1回", "月2回", "月1回", "開いている日に"]
TASKS = {
    Party.MATERNAL_HEALTH: [
        "乳幼児健診の受診を勧め、月1回の家庭訪問で発達と母の体調を確認する。",
        "妊婦健診の受診状況を確認し、出産後は新生児訪問を行う。",
    ],
    Party.CHILD_WELFARE: [
        "月2回の家庭訪問で子どもの様子を確認し、学校・保育園と情報を共有する。",
        "家計と手続きの整理を手伝い、必要なサービスの申請に同行する。",
    ],
    Party.PARTNER: [
        "出席状況と子どもの様子を毎週センターへ連絡する。欠席が3日続いたら即日連絡。",
        "登園時にけが・服装・食事の様子を確認し、気になることがあればセンターへ連絡する。",
    ],
    Party.FAMILY: [
        "困ったときは一人で抱えずにセンターへ電話する。",
        "毎朝子どもを起こして、朝ごはんを食べさせてから送り出す。",
        "イライラしたときは子どもから離れて深呼吸する(プログラムで練習した方法)。",
    ],
}
REVIEW_NOTES = [
    "登校状況は安定。母の表情も明るくなってきている。",
    "家庭訪問で室内の片付けが進んでいることを確認。子どもの体重も増えている。",
    "保育園から、月曜日に疲れた様子で登園することが多いと報告あり。",
    "父との面接を実施。叩かないと約束したが、怒鳴ることはまだあるとのこと。",
    "母の通院が再開し、服薬も続いている。",
    "学校で友だちとのトラブルが続いている。担任と面談を予定。",
]
REVIEW_POLICIES = {
    "protection": [
        "現行の支援を継続。児相と月1回情報共有し、合同で家庭訪問を行う。",
        "父への指導を児相と検討。子どもの安全確認は週1回継続。",
        "見守りを継続し、学校から毎週の出席状況の報告を受ける。",
    ],
    "support": [
        "現行の支援を継続。3か月後に再評価。",
        "見守りを継続し、学校と月1回情報共有する。",
        "終結に向けて、こども食堂など地域資源へのつなぎを進める。",
        "家計の相談を優先し、生活支援相談窓口に同行する。",
    ],
    "expectant_mother": [
        "出産に向けて産科と連携。出産後は新生児訪問と産後ケアにつなぐ。",
        "妊婦健診の受診を確認し、入院準備を一緒に進める。",
    ],
}
PLAN_CHANGES = [
    "短期目標を見直し、子育て短期支援事業(ショートステイ)を追加する。",
    "登校が安定したため、学校の見守り中心に切り替える。",
    "母の就労開始に合わせて、ファミリー・サポート・センターの送迎を追加する。",
]
JOINT_WHY = [
    "新規ケースの共有(母子保健・児童福祉)",
    "乳幼児健診の未受診",
    "合同家庭訪問の結果の共有",
    "発達の心配(ことばの遅れ)",
    "特定妊婦の出産前後の支援",
]
JOINT_POLICIES = [
    "保健師とケースワーカーで合同家庭訪問を行い、養育状況を確認する。",
    "母子保健で経過を見守り、必要時に家庭支援係へつなぐ。",
    "要支援児童として要保護児童対策地域協議会への登録を検討する。",
    "子ども発達支援室の言語聴覚士が発達の評価を行う。",
    "助言で終了。次回の健診で状況を確認する。",
]
ASSESSMENT_NOTES = [
    "ジェノグラムとエコマップを作成。母自身も幼少期に父からの暴力を受けて育ち、"
    "頼れる大人がいなかったことが、現在の孤立と支援への警戒につながっていると整理した。",
    "母方の祖父母の代から経済的な困窮が続いている。母は中学生のころから家事を担っており、"
    "子どもに同じ役割を求めてしまう場面がある。",
    "父は児童養護施設で育った。子どもが泣くと強い不安を感じると話しており、"
    "怒鳴る背景に父自身の被養育体験があると見立てた。",
]
ASSESSMENT_POLICIES = [
    "母の頑張りを認める関わりを続け、叱責しない。母の通院先と連携する。",
    "子どもをヤングケアラーとして捉え、家事の負担を減らす支援を先に入れる。",
    "父の不安に焦点を当てた面接を児相と分担して行う。",
]
ACTIONS = [
    ("学校に出席状況を確認", "child_welfare"),
    ("保育園に登園状況と様子を確認", "child_welfare"),
    ("乳幼児健診の受診状況を確認", "maternal_health"),
    ("合同家庭訪問の日程を調整", "maternal_health"),
    ("サポートプランの見直し案を作成", "child_welfare"),
    ("児相と合同家庭訪問の日程を調整", "cgc"),
    ("登校の様子を毎週報告", "school"),
    ("見守り訪問を実施し報告", "volunteer"),
]
ACTION_RESULTS = [
    "確認済み。欠席なし。",
    "確認済み。遅刻が週1回程度ある。",
    "実施済み。大きな変化なし。",
    "日程調整済み。訪問を実施した。",
]
TRANSFER_CITIES = ["愛知県名古屋市", "静岡県浜松市", "大阪府堺市", "岐阜県岐阜市"]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _weekday_on_or_before(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _monthly(last: date, count: int) -> list[date]:
    """``count`` monthly dates (weekdays) ending on or before ``last``, oldest first."""
    return sorted(_weekday_on_or_before(last - relativedelta(months=k)) for k in range(count))


def _head_of(school: str) -> str:
    """Who comes to a meeting for a school or nursery: its deputy head or its head."""
    return f"{school} {'園長' if school.endswith('園') else '教頭'}"


def _person_name(rng: Random) -> str:
    family, _ = names.family_name(rng)
    given, _ = names.given_name(rng, rng.choice(("female", "male")))
    return f"{family} {given}"


# --- the register as the builder sees it ------------------------------------------------------


@dataclass
class _Registered:
    case: Case
    registrations: list
    category: str
    registered_on: date
    worker_id: int
    child: tuple | None  # (pk, family, given, birth_date, sex, town_id)
    guardian: tuple | None
    last_reviewed: date | None = None
    closes_on: date | None = None  # a 移管 out closes the case
    transfer_reason: str = ""
    reviews: list = field(default_factory=list)  # (held_on, Discussion)

    def due(self) -> date:
        return (self.last_reviewed or self.registered_on) + REVIEW_INTERVAL

    def open_on(self, day: date) -> bool:
        return self.registered_on < day and (self.closes_on is None or day < self.closes_on)


class _Builder:
    def __init__(self, rng, municipality, organisations, users, today, scale, bulk, progress):
        self.rng, self.municipality, self.today, self.scale = rng, municipality, today, scale
        self.bulk, self.progress = bulk, progress
        self.users = users
        self.supervisor, self.worker, self.nurse = users["tokatsu"], users["katei"], users["hoken"]
        self.development, self.liaison = users["hattatsu"], users["jiso"]
        self.cgc = organisations["cgc"]
        self.made: Counter = Counter()
        self.conferences, self.attendees, self.discussions = [], [], []
        self.actions, self.timeline, self.rank_changes = [], [], []
        self.organisation_names = defaultdict(list)
        self.elementary_of_district = {}
        for name, kind, area in Organisation.objects.filter(
            municipality=municipality, kind__in=(Kind.SCHOOL, Kind.NURSERY)
        ).values_list("name", "kind", "area_id"):
            if kind == Kind.NURSERY:
                self.organisation_names["nursery"].append(name)
            elif name.endswith("中学校"):
                self.organisation_names["junior"].append(name)
            else:
                self.organisation_names["elementary"].append(name)
                self.elementary_of_district[area] = name
        self.district_of_town = dict(
            Area.objects.filter(municipality=municipality, kind=Area.Kind.TOWN).values_list(
                "pk", "parent_id"
            )
        )

    # --- whom the builder works with ----------------------------------------------------------

    def load_register(self) -> list[_Registered]:
        open_registrations = defaultdict(list)
        for registration in Registration.objects.filter(
            case__municipality=self.municipality, ended_on=None
        ).order_by("case_id", "pk"):
            open_registrations[registration.case_id].append(registration)
        cases = Case.objects.filter(pk__in=list(open_registrations)).exclude(
            status=Case.Status.CLOSED
        )
        people = defaultdict(dict)
        for case_id, role, *person in CasePerson.objects.filter(
            case_id__in=list(open_registrations)
        ).values_list(
            "case_id",
            "role",
            "person_id",
            "person__family_name",
            "person__given_name",
            "person__birth_date",
            "person__sex",
            "person__town_id",
        ):
            people[case_id].setdefault("child" if role == "child" else "guardian", tuple(person))
        workers = {}
        for case_id, worker_id in Assignment.objects.filter(
            case_id__in=list(open_registrations), is_key_person=True
        ).values_list("case_id", "worker_id"):
            workers.setdefault(case_id, worker_id)
        register = []
        for case in cases.order_by("pk"):
            registrations = open_registrations[case.pk]
            register.append(
                _Registered(
                    case=case,
                    registrations=registrations,
                    category=registrations[-1].category,
                    registered_on=min(r.registered_on for r in registrations),
                    worker_id=workers.get(case.pk, self.worker.pk),
                    child=people[case.pk].get("child"),
                    guardian=people[case.pk].get("guardian"),
                )
            )
        return register

    def age(self, person: tuple | None) -> int | None:
        if not person or not person[3]:
            return None
        return (self.today - person[3]).days // 365

    def school_of(self, child: tuple | None) -> str:
        age = self.age(child)
        if age is not None and age >= 12 and self.organisation_names["junior"]:
            return self.rng.choice(self.organisation_names["junior"])
        if age is not None and age >= 6:
            district = self.district_of_town.get(child[5])
            if district in self.elementary_of_district:
                return self.elementary_of_district[district]
            if self.organisation_names["elementary"]:
                return self.rng.choice(self.organisation_names["elementary"])
        return self.rng.choice(self.organisation_names["nursery"] or ["わかば保育園"])

    @staticmethod
    def guardian_label(guardian: tuple | None, category: str) -> str:
        if category == Registration.Category.EXPECTANT_MOTHER:
            return "本人"
        return "父" if guardian and guardian[4] == "male" else "母"

    # --- conferences --------------------------------------------------------------------------

    def conference(self, kind, held_on, hour, place, organiser, summary="") -> Conference:
        conference = Conference(
            municipality=self.municipality,
            kind=kind,
            held_on=held_on,
            starts_at=time(hour),
            place=place,
            summary=summary,
            organised_by=organiser,
        )
        self.conferences.append(conference)
        return conference

    def attend(self, conference, users=(), outsiders=()) -> None:
        for user in dict.fromkeys([conference.organised_by, *users]):
            self.attendees.append(Attendee(conference=conference, user=user))
        for name, organisation in outsiders:
            self.attendees.append(
                Attendee(conference=conference, name=name, organisation=organisation)
            )

    def discuss(self, conference, case_id, order, why, notes, policy, **decided) -> Discussion:
        held = _at(conference.held_on, conference.starts_at.hour + 2)
        discussion = Discussion(
            conference=conference,
            case_id=case_id,
            order=order,
            why=why,
            notes=notes,
            policy=policy,
            decided_at=held,
            decided_by=conference.organised_by,
            **decided,
        )
        self.discussions.append(discussion)
        lines = [f"{conference}で協議しました。", f"支援方針: {policy}"]
        if decided.get("plan_change"):
            lines.append(f"プランの変更: {decided['plan_change']}")
        self.timeline.append(
            Activity(
                case_id=case_id,
                kind=Activity.Kind.MEETING,
                occurred_at=_at(conference.held_on, conference.starts_at.hour),
                author=conference.organised_by,
                content="\n".join(lines),
            )
        )
        return discussion

    def maybe_action(self, discussion, held_on, unit_user, school, chance) -> None:
        rng = self.rng
        if rng.random() >= chance:
            return
        what, who = rng.choice(ACTIONS)
        owner, owner_name = None, ""
        if who == "child_welfare":
            owner = self.worker
        elif who == "maternal_health":
            owner = self.nurse
        elif who == "cgc":
            owner = self.liaison
        elif who == "school":
            owner_name = _head_of(school)
        else:
            owner_name = f"主任児童委員 {_person_name(rng)}"
        owner = owner or (None if owner_name else unit_user)
        due = held_on + timedelta(days=rng.randrange(10, 35))
        item = ActionItem(
            discussion=discussion,
            case_id=discussion.case_id,
            what=what,
            owner=owner,
            owner_name=owner_name,
            due_on=due,
        )
        if due < self.today and rng.random() < 0.92:
            item.status = ActionItem.Status.DONE
            item.done_on = max(held_on + timedelta(days=1), due - timedelta(days=rng.randrange(8)))
            item.result = rng.choice(ACTION_RESULTS)
        self.actions.append(item)

    def practitioners(self, register: list[_Registered]) -> None:
        """Monthly reviews of the register: what falls due in the next two weeks is on the
        agenda; at the last meeting a few due cases were carried over, and are overdue now."""
        rng, today = self.rng, self.today
        held = _monthly(today - timedelta(days=7), 12)
        members = [
            (_person_name(rng), "若葉市教育委員会 学校教育課 指導主事"),
            (_person_name(rng), "若葉警察署 生活安全課 係長"),
            (_person_name(rng), "若葉市民生委員児童委員協議会 主任児童委員"),
            (_person_name(rng), "若葉市 保育課 係長"),
            (_person_name(rng), "若葉市社会福祉協議会 地域福祉係"),
        ]
        target = max(1, round(len(register) * OVERDUE_SHARE)) if register else 0
        deferred_total = 0
        for index, day in enumerate(held):
            previous = held[index - 1] if index else day - relativedelta(months=1)
            ahead = day + timedelta(days=AGENDA_AHEAD_DAYS)
            fresh = [
                r
                for r in register
                if r.open_on(day) and r.last_reviewed is None and previous <= r.registered_on
            ]
            new_ids = {r.case.pk for r in fresh}
            due = [
                r
                for r in register
                if r.open_on(day) and r.due() <= ahead and r.case.pk not in new_ids
            ]
            agenda = sorted(fresh, key=lambda r: (r.registered_on, r.case.pk))
            agenda += sorted(due, key=lambda r: (r.due(), r.case.pk))
            if not agenda:
                continue
            deferred = set()
            if index == len(held) - 1:
                late = [r.case.pk for r in due if r.due() < today]
                deferred = set(rng.sample(late, min(target, len(late))))
                deferred_total = len(deferred)
            summary = (
                f"新規登録{len(fresh)}件の確認と、登録ケース{len(due) - len(deferred)}件の"
                "進行管理を行った。"
            )
            if deferred:
                summary += f"時間の都合により{len(deferred)}件は次回へ持ち越し。"
            conference = self.conference(
                Conference.Kind.PRACTITIONERS,
                day,
                14,
                "市役所本館 第3会議室",
                self.supervisor,
                summary,
            )
            schools = []
            order = 0
            for r in agenda:
                if r.case.pk in deferred:
                    continue
                order += 1
                if r.case.pk in new_ids:
                    why = f"新規登録の確認(登録日 {r.registered_on:%Y-%m-%d})"
                else:
                    why = f"進行管理(期限 {r.due():%Y-%m-%d})"
                school = self.school_of(r.child)
                schools.append(school)
                rank = r.case.risk_rank
                if rank and rng.random() < 0.06:
                    rank = {"A": "B", "B": "A", "C": "D", "D": "C"}[rank]
                    if r.category == Registration.Category.EXPECTANT_MOTHER:
                        rank = r.case.risk_rank
                if rank != r.case.risk_rank:
                    r.case.risk_rank = rank
                    self.rank_changes.append(
                        RiskRankChange(
                            case=r.case,
                            rank=rank,
                            reason=f"{conference}の決定",
                            changed_at=_at(day, 16, 30),
                            changed_by=self.supervisor,
                        )
                    )
                protection = r.category == Registration.Category.PROTECTION
                discussion = self.discuss(
                    conference,
                    r.case.pk,
                    order,
                    why,
                    rng.choice(REVIEW_NOTES),
                    rng.choice(REVIEW_POLICIES[r.category]),
                    rank=rank,
                    lead_agency=r.case.lead_agency if protection else "",
                    next_review_on=day + REVIEW_INTERVAL,
                )
                r.last_reviewed = day
                r.reviews.append((day, discussion))
                unit_user = self.nurse if r.category == "expectant_mother" else self.worker
                self.maybe_action(discussion, day, unit_user, school, 0.15)
            visitors = [(_person_name(rng), _head_of(s)) for s in dict.fromkeys(schools[:40])]
            outsiders = members + rng.sample(visitors, min(2, len(visitors)))
            self.attend(
                conference, [self.worker, self.nurse, self.development, self.liaison], outsiders
            )
        self.made["実務者会議"] = sum(1 for c in self.conferences if c.kind == "practitioners")
        self.made["進行管理の期限切れ"] = deferred_total

    def joint(self, cases: list[tuple]) -> None:
        """Weekly: maternal health and child welfare over new and shared cases."""
        rng, today = self.rng, self.today
        first = today - timedelta(days=(today.weekday() - 2) % 7 or 7)  # last Wednesday
        for week in range(52):
            day = first - timedelta(weeks=week)
            fresh = [c for c in cases if day - timedelta(days=21) < c[1] <= day and _open(c, day)]
            others = [c for c in cases if c[1] <= day - timedelta(days=21) and _open(c, day)]
            wanted = rng.randrange(3, 7)
            chosen = rng.sample(fresh, min(wanted, len(fresh)))
            if len(chosen) < wanted and others:
                chosen += rng.sample(others, min(wanted - len(chosen), len(others)))
            if not chosen:
                continue
            conference = self.conference(
                Conference.Kind.JOINT,
                day,
                15,
                "センター 相談室1",
                self.worker,
                "母子保健係と家庭支援係の合同(ミニ)ケース会議。",
            )
            users = [self.nurse, self.supervisor]
            if rng.random() < 0.5:
                users.append(self.development)
            self.attend(conference, users)
            for order, (case_id, opened, _closed) in enumerate(chosen, start=1):
                why = JOINT_WHY[0] if opened > day - timedelta(days=21) else rng.choice(JOINT_WHY)
                discussion = self.discuss(
                    conference,
                    case_id,
                    order,
                    why,
                    "保健師が把握している乳幼児健診・訪問の記録と、家庭支援係の相談記録を突き合わせた。",
                    rng.choice(JOINT_POLICIES),
                )
                if rng.random() < 0.3:
                    self.actions.append(
                        _joint_visit(rng, discussion, day, today, self.nurse, self.worker)
                    )
        self.made["合同ケース会議"] = sum(1 for c in self.conferences if c.kind == "joint")

    def assessment(self, register: list[_Registered]) -> None:
        """Monthly: one case in depth, the parents' upbringing included; the psychiatrist
        supervises a few times a year."""
        rng = self.rng
        seen = set()
        for index, day in enumerate(_monthly(self.today - timedelta(days=18), 12)):
            pool = [r for r in register if r.open_on(day) and r.case.pk not in seen]
            serious = [r for r in pool if r.case.risk_rank in ("A", "B", "C")] or pool
            if not serious:
                continue
            r = rng.choice(serious)
            seen.add(r.case.pk)
            psychiatrist = index % 3 == 0
            summary = "1事例を2時間かけて検討。保護者の生育歴を含め、世代をさかのぼって検討した。"
            if psychiatrist:
                summary += "児童精神科医(嘱託医)がスーパーバイズ。"
            conference = self.conference(
                Conference.Kind.ASSESSMENT, day, 13, "センター 研修室", self.supervisor, summary
            )
            outsiders = [(_person_name(rng), "社会福祉法人 わかば学園 派遣職員")]
            if psychiatrist:
                outsiders.append((_person_name(rng), "若葉市 嘱託医(児童精神科医)"))
            self.attend(conference, [self.worker, self.nurse, self.development], outsiders)
            self.discuss(
                conference,
                r.case.pk,
                1,
                "事例検討(世代をさかのぼったアセスメント)",
                rng.choice(ASSESSMENT_NOTES),
                rng.choice(ASSESSMENT_POLICIES),
            )
        self.made["アセスメント力向上委員会"] = sum(
            1 for c in self.conferences if c.kind == "assessment"
        )

    def representatives(self, register: list[_Registered]) -> None:
        """Once a year, in July: the council's heads, no cases."""
        rng, today = self.rng, self.today
        year = today.year if today >= date(today.year, 7, 20) else today.year - 1
        day = _weekday_on_or_before(date(year, 7, 15))
        categories = Counter(r.category for r in register)
        abuse = Intake.objects.filter(
            municipality=self.municipality, is_abuse_report=True, received_at__date__lte=day
        ).count()
        summary = (
            f"令和{fiscal_year_of(day) - 2018}年度 要保護児童対策地域協議会 代表者会議。"
            f"登録ケース{sum(categories.values())}件(要保護 {categories['protection']}件・"
            f"要支援 {categories['support']}件・特定妊婦 {categories['expectant_mother']}件)、"
            f"この1年の虐待通告{abuse}件の傾向を報告。児童相談所との共同管理(ランク付け)と、"
            "こども家庭センターのサポートプランの実施状況を共有し、今年度の運営方針を承認した。"
        )
        conference = self.conference(
            Conference.Kind.REPRESENTATIVES,
            day,
            10,
            "市役所本館 大会議室",
            self.supervisor,
            summary,
        )
        heads = [
            "若葉市 こども未来部 部長",
            "三重県中部児童相談所 所長",
            "若葉警察署 生活安全課 課長",
            "若葉市教育委員会 学校教育課 課長",
            "若葉市医師会 理事(小児科)",
            "若葉市民生委員児童委員協議会 会長",
            "若葉市社会福祉協議会 事務局長",
            "若葉市私立保育園連盟 会長",
        ]
        self.attend(conference, [], [(_person_name(rng), head) for head in heads])
        self.made["代表者会議"] = 1

    # --- support plans ------------------------------------------------------------------------

    def plans(self, register: list[_Registered], transfers: set[int]) -> None:
        rng, today = self.rng, self.today
        catalogue = {s.code: s for s in ServiceKind.objects.filter(is_current=True)}
        directory = list(
            Service.objects.filter(
                municipality=self.municipality,
                visibility=Visibility.PUBLIC,
                status=Service.Status.ACTIVE,
            ).values_list("pk", "name", "organisation__name")
        )
        versions: dict[int, list] = defaultdict(list)  # by version number
        items, tasks = [], []
        for r in register:
            if r.case.pk not in transfers and rng.random() >= PLAN_SHARE:
                continue
            end = r.closes_on or today
            drafted = r.registered_on + timedelta(days=rng.randrange(3, 21))
            if drafted >= end:
                continue
            content = self.plan_content(r)
            lines = self.plan_lines(r, catalogue, directory)
            chain = []  # (version, its services)
            agreed = drafted + timedelta(days=rng.randrange(4, 15))
            if agreed + timedelta(days=4) > end or (r.closes_on is None and rng.random() < 0.05):
                chain.append((self.open_version(r, 1, None, drafted, agreed, content), lines))
            else:
                chain.append((self.approved_version(r, 1, None, drafted, agreed, content), lines))
                first = chain[0][0]
                revision = [
                    (day, d)
                    for day, d in r.reviews
                    if day > first.approved_at.date() + timedelta(days=60)
                    and day + timedelta(days=20) <= end
                ]
                if revision and rng.random() < 0.35:
                    # A 実務者会議 asked for a change: the next version, agreed and approved.
                    day, discussion = rng.choice(revision)
                    discussion.plan_change = rng.choice(PLAN_CHANGES)
                    content = dict(content, goal_short=rng.choice(GOALS_SHORT))
                    lines = lines[:3] + self.plan_lines(r, catalogue, directory)[:1]
                    agreed = day + timedelta(days=rng.randrange(5, 12))
                    second = self.approved_version(
                        r, 2, first, day + timedelta(days=1), agreed, content
                    )
                    first.status = SupportPlan.Status.SUPERSEDED
                    first.ended_on = second.approved_at.date()
                    first.review_on = first.agreed_on + timedelta(days=182)
                    chain.append((second, lines))
                recent = [d for day, d in r.reviews if day > today - timedelta(days=40)]
                if r.closes_on is None and recent and rng.random() < 0.12:
                    # The latest meeting asked for a change: a version being drafted.
                    discussion = recent[-1]
                    discussion.plan_change = discussion.plan_change or rng.choice(PLAN_CHANGES)
                    start = min(today, discussion.conference.held_on + timedelta(days=2))
                    agreed = start + timedelta(days=rng.randrange(2, 8))
                    content = dict(content, goal_short=rng.choice(GOALS_SHORT))
                    version = len(chain) + 1
                    chain.append(
                        (self.open_version(r, version, chain[-1][0], start, agreed, content), lines)
                    )
            for plan, plan_lines in chain:
                if r.closes_on and plan.status != SupportPlan.Status.SUPERSEDED:
                    plan.status, plan.ended_on = SupportPlan.Status.CLOSED, r.closes_on
                versions[plan.version].append(plan)
                for order, line in enumerate(plan_lines, start=1):
                    items.append(self.item(plan, order, line))
                for order, (party, who, what, staff_only) in enumerate(self.plan_tasks(r), start=1):
                    tasks.append(
                        PlanTask(
                            plan=plan,
                            order=order,
                            party=party,
                            who=who,
                            what=what,
                            staff_only=staff_only,
                        )
                    )
        for version in sorted(versions):  # a version's based_on is saved before it
            self.bulk(SupportPlan, versions[version], f"サポートプラン 第{version}版")
        self.bulk(PlanItem, items, "プランの支援内容")
        self.bulk(PlanTask, tasks, "役割分担")
        self.made["サポートプラン"] = sum(len(v) for v in versions.values())
        self.made["プランの支援内容"] = len(items)

    def plan_content(self, r: _Registered) -> dict:
        rng = self.rng
        label = self.guardian_label(r.guardian, r.category)
        expectant = r.category == Registration.Category.EXPECTANT_MOTHER
        age = self.age(r.child)
        if expectant or age is None or age < 3:
            child_wishes = ""
        else:
            child_wishes = rng.choice(
                CHILD_WISHES["small" if age < 6 else "school" if age < 12 else "teen"]
            )
        if expectant:
            guardian_wishes = rng.choice(EXPECTANT_WISHES)
            goal_short, goal_long = EXPECTANT_GOALS
        else:
            guardian_wishes = label + rng.choice(GUARDIAN_WISHES)
            goal_short, goal_long = rng.choice(GOALS_SHORT), rng.choice(GOALS_LONG)
        agreed_by = ""
        if r.guardian:
            agreed_by = f"{label} {r.guardian[1]} {r.guardian[2]}"
        return {
            "child_wishes": child_wishes,
            "guardian_wishes": guardian_wishes,
            "needs": rng.choice(NEEDS[r.category]),
            "strengths": "\n".join(rng.sample(STRENGTHS, 2)),
            "goal_short": goal_short,
            "goal_long": goal_long,
            "staff_notes": rng.choice(STAFF_NOTES) if rng.random() < 0.3 else "",
            "agreed_by": agreed_by,
            "agreement": rng.choices(SupportPlan.Agreement.values, weights=[35, 45, 10, 10])[0],
        }

    def plan_lines(self, r: _Registered, catalogue: dict, directory: list) -> list[dict]:
        """2–4 services: from the catalogue, the community directory, or local ones by name."""
        rng = self.rng
        lines = []
        codes = [c for c in CATALOGUE_BY_CATEGORY[r.category] if c in catalogue]
        for code in rng.sample(codes, min(len(codes), rng.randrange(1, 3))):
            provider, frequency, note = CATALOGUE[code]
            lines.append(
                {
                    "kind": PlanItem.Kind.CATALOGUE,
                    "service": catalogue[code],
                    "provider": provider,
                    "frequency": frequency,
                    "note": note,
                }
            )
        if directory and r.category != "expectant_mother" and rng.random() < 0.5:
            pk, name, operator = rng.choice(directory)
            lines.append(
                {
                    "kind": PlanItem.Kind.DIRECTORY,
                    "resource_id": pk,
                    "provider": operator,
                    "frequency": rng.choice(DIRECTORY_FREQUENCIES),
                    "note": "スタッフが子どもの様子を見守り、気になることはセンターへ連絡。",
                }
            )
        while len(lines) < 2 or (len(lines) < 4 and rng.random() < 0.35):
            name, provider, frequency, staff_only = rng.choice(OTHER_SUPPORTS)
            lines.append(
                {
                    "kind": PlanItem.Kind.OTHER,
                    "name": name,
                    "provider": provider.format(school=self.school_of(r.child)),
                    "frequency": frequency,
                    "staff_only": staff_only,
                    "person_id": r.child[0] if r.child and not staff_only else None,
                }
            )
        return lines

    def item(self, plan: SupportPlan, order: int, line: dict) -> PlanItem:
        start = plan.agreed_on or plan.drafted_on
        return PlanItem(
            plan=plan,
            order=order,
            kind=line["kind"],
            service=line.get("service"),
            resource_id=line.get("resource_id"),
            name=line.get("name", ""),
            person_id=line.get("person_id"),
            provider=line["provider"],
            frequency=line["frequency"],
            starts_on=start,
            ends_on=plan.review_on or start + timedelta(days=182),
            note=line.get("note", ""),
            staff_only=line.get("staff_only", False),
        )

    def plan_tasks(self, r: _Registered) -> list[tuple]:
        rng = self.rng
        expectant = r.category == Registration.Category.EXPECTANT_MOTHER
        first = Party.MATERNAL_HEALTH if expectant else Party.CHILD_WELFARE
        who = "母子保健係 保健師" if expectant else "家庭支援係 ケースワーカー"
        rows = [(first, who, rng.choice(TASKS[first]), False)]
        school = self.school_of(r.child)
        if expectant:
            rows.append(
                (
                    Party.PARTNER,
                    "わかば産婦人科クリニック",
                    "妊婦健診の受診状況をセンターへ連絡する。",
                    False,
                )
            )
        else:
            rows.append((Party.PARTNER, school, rng.choice(TASKS[Party.PARTNER]), False))
        if rng.random() < 0.6:
            label = self.guardian_label(r.guardian, r.category)
            rows.append((Party.FAMILY, label, rng.choice(TASKS[Party.FAMILY]), False))
        elif rng.random() < 0.3:
            rows.append(
                (
                    Party.PARTNER,
                    "若葉警察署 生活安全課",
                    "父の来訪で通報があれば臨場し、センターと児童相談所に連絡する。",
                    True,
                )
            )
        return rows

    def approved_version(self, r, version, based_on, drafted, agreed, content) -> SupportPlan:
        rng = self.rng
        submitted = _at(agreed + timedelta(days=rng.randrange(0, 3)), 16)
        approved = submitted + timedelta(days=rng.randrange(1, 4), hours=1)
        plan = self._version(r, version, based_on, drafted, content)
        plan.status = SupportPlan.Status.APPROVED
        plan.agreed_on, plan.agreement = agreed, content["agreement"]
        plan.agreed_by = content["agreed_by"]
        plan.submitted_at, plan.approved_at = submitted, approved
        plan.approved_by = self.supervisor
        review = agreed + timedelta(days=182)
        if review < self.today:
            review = r.due()
        plan.review_on = review
        return plan

    def open_version(self, r, version, based_on, drafted, agreed, content) -> SupportPlan:
        """A draft, or a version waiting for the supervisor (agreed with the family)."""
        plan = self._version(r, version, based_on, drafted, content)
        plan.review_on = drafted + timedelta(days=182)
        if agreed < self.today and self.rng.random() < 0.5:
            plan.status = SupportPlan.Status.SUBMITTED
            plan.agreed_on, plan.agreement = agreed, content["agreement"]
            plan.agreed_by = content["agreed_by"]
            plan.submitted_at = _at(min(agreed + timedelta(days=1), self.today), 16)
        return plan

    def _version(self, r, version, based_on, drafted, content) -> SupportPlan:
        plan = SupportPlan(
            case=r.case,
            version=version,
            based_on=based_on,
            status=SupportPlan.Status.DRAFT,
            drafted_by_id=r.worker_id,
            **{k: v for k, v in content.items() if k not in ("agreement", "agreed_by")},
        )
        plan.drafted_on = drafted
        return plan

    # --- hand-offs ----------------------------------------------------------------------------

    def choose_transfers(self, register: list[_Registered]) -> set[int]:
        """Two or three families moved away during the year: their cases went to the new
        city (移管) and closed."""
        rng, today = self.rng, self.today
        count = 3 if self.scale >= 0.5 else 2 if self.scale >= 0.2 else 1
        pool = [
            r
            for r in register
            if r.category == Registration.Category.SUPPORT
            and r.registered_on < today - timedelta(days=130)
        ]
        chosen = rng.sample(pool, min(count, len(pool)))
        for r in chosen:
            r.closes_on = today - timedelta(days=rng.randrange(20, 90))
        return {r.case.pk for r in chosen}

    def handoffs(self, register: list[_Registered]) -> None:
        rng, today = self.rng, self.today
        made, documents, links = [], [], []
        linked = set(
            CaseOrganisation.objects.filter(
                case__municipality=self.municipality, organisation=self.cgc, until=None
            ).values_list("case_id", "role")
        )
        protection = [r for r in register if r.category == Registration.Category.PROTECTION]
        city_led = [r for r in protection if r.case.lead_agency == Case.LeadAgency.CITY]
        rng.shuffle(city_led)
        share = max(len(protection), 1) / 80
        pending = city_led[: max(1, round(4 * share))]
        returned = city_led[len(pending) :][: max(1, round(2 * share))]
        delegated = city_led[len(pending) + len(returned) :]

        def handoff(r, kind, direction, requested, by, **answer):
            h = HandOff(
                municipality=self.municipality,
                kind=kind,
                direction=direction,
                case=r.case,
                counterpart=self.cgc,
                reason=answer.pop("reason"),
                requested_on=requested,
                requested_by=by,
                **answer,
            )
            made.append(h)
            title = {
                HandOff.Kind.REFERRAL: "送致書",
                HandOff.Kind.ASSISTANCE: "援助依頼書",
                HandOff.Kind.DELEGATION: "指導委託書",
            }[kind]
            documents.append(HandOffDocument(handoff=h, title=title, dated=requested))
            return h

        def asked(r, earliest_days=1):
            start = r.case.opened_on + timedelta(days=earliest_days)
            span = max(1, (min(today, r.registered_on + timedelta(days=60)) - start).days)
            return min(today - timedelta(days=8), start + timedelta(days=rng.randrange(span)))

        for r in protection:
            lead = r.case.lead_agency
            if lead == Case.LeadAgency.CGC:
                requested = asked(r)
                handoff(
                    r,
                    HandOff.Kind.REFERRAL,
                    HandOff.Direction.OUT,
                    requested,
                    self.worker,
                    reason=rng.choice(
                        [
                            "身体的虐待が繰り返されており、一時保護を含む対応が必要と判断。送致します。",
                            "保護者が支援を拒否し、子どもの安全が確認できない状況が続いているため送致します。",
                            "性的虐待の疑いがあり、専門的な調査と司法面接が必要なため送致します。",
                        ]
                    ),
                    status=HandOff.Status.ACCEPTED,
                    answered_on=requested + timedelta(days=rng.randrange(1, 5)),
                    answered_by=self.liaison,
                    answer="受理します。児童相談所が主担当として対応します。"
                    "市は家庭訪問と学校との連絡で協働をお願いします。",
                )
                if (r.case.pk, CaseOrganisation.Role.LEAD) not in linked:
                    links.append(
                        CaseOrganisation(
                            case=r.case,
                            organisation=self.cgc,
                            role=CaseOrganisation.Role.LEAD,
                            since=requested,
                        )
                    )
            elif lead == Case.LeadAgency.JOINT:
                requested = asked(r)
                done = rng.random() < 0.4
                answered = requested + timedelta(days=rng.randrange(2, 8))
                handoff(
                    r,
                    HandOff.Kind.ASSISTANCE,
                    HandOff.Direction.OUT,
                    requested,
                    self.worker,
                    reason=rng.choice(
                        [
                            "子どもの心理検査(発達・心理状態の評価)の実施をお願いします。",
                            "父への指導について、児童福祉司との合同面接をお願いします。",
                            "夜間の見守り体制について、一時保護の要否を含めて助言をお願いします。",
                        ]
                    ),
                    status=HandOff.Status.DONE if done else HandOff.Status.ACCEPTED,
                    answered_on=answered,
                    answered_by=self.liaison,
                    answer="受理します。担当の児童福祉司が市と協働して対応します。",
                    done_on=min(today, answered + timedelta(days=30)) if done else None,
                )
        for r in delegated:
            if rng.random() >= 0.7:
                continue
            requested = asked(r)
            handoff(
                r,
                HandOff.Kind.DELEGATION,
                HandOff.Direction.IN,
                requested,
                self.liaison,
                reason="児童福祉司指導の解除に伴い、地域での継続的な見守りと家庭支援を市に委託します。",
                status=HandOff.Status.ACCEPTED,
                answered_on=requested + timedelta(days=rng.randrange(2, 8)),
                answered_by=self.supervisor,
                answer="受理します。家庭支援係が主担当となり、実務者会議で進行管理します。",
            )
        for r in returned:
            requested = asked(r)
            handoff(
                r,
                HandOff.Kind.ASSISTANCE,
                HandOff.Direction.OUT,
                requested,
                self.worker,
                reason="母の養育拒否の発言が続いており、一時保護の要否について判断をお願いします。",
                status=HandOff.Status.RETURNED,
                answered_on=requested + timedelta(days=rng.randrange(2, 6)),
                answered_by=self.liaison,
                answer="現時点では一時保護の要件に当たらないと判断しました。"
                "市での見守りを継続し、状況が変われば再度ご連絡ください。",
            )
        for r in pending:
            handoff(
                r,
                HandOff.Kind.REFERRAL,
                HandOff.Direction.OUT,
                today - timedelta(days=rng.randrange(1, 7)),
                self.worker,
                reason="登校時に顔のあざを確認。父からの身体的虐待が疑われ、"
                "市の支援では安全が確保できないと判断したため送致します。",
            )
        self.transfers_out(register, made, documents)
        self.transfer_in(made, documents)
        self.bulk(HandOff, made, "引継ぎ")
        HandOffDocument.objects.bulk_create(documents, batch_size=2000)
        self.bulk(CaseOrganisation, links, "関係機関(児童相談所)")
        self.made["引継ぎ"] = len(made)
        self.made["児童相談所との引継ぎ"] = sum(1 for h in made if h.counterpart_id)

    def transfers_out(self, register, made, documents) -> None:
        rng = self.rng
        for r in register:
            if not r.closes_on:
                continue
            city = rng.choice(TRANSFER_CITIES)
            moved = r.closes_on
            made.append(
                h := HandOff(
                    municipality=self.municipality,
                    kind=HandOff.Kind.TRANSFER_OUT,
                    direction=HandOff.Direction.OUT,
                    case=r.case,
                    counterpart_municipality=city,
                    status=HandOff.Status.DONE,
                    reason=f"{city}への転出に伴い、要支援児童として支援を継続するため移管します。",
                    requested_on=moved - timedelta(days=14),
                    requested_by_id=r.worker_id,
                    answered_on=moved - timedelta(days=7),
                    answered_by_id=r.worker_id,
                    answer=f"{city}こども家庭センターが受理(電話で確認)。",
                    done_on=moved,
                )
            )
            documents.append(
                HandOffDocument(
                    handoff=h, title="ケース概要(移管用)", dated=moved - timedelta(days=14)
                )
            )
            r.transfer_reason = f"移管({city}へ転出)"

    def transfer_in(self, made, documents) -> None:
        """A family moved in from another city: its summary arrived as an intake, waiting for
        the center to open a case."""
        rng, today = self.rng, self.today
        on_cases = set(
            CasePerson.objects.filter(case__municipality=self.municipality).values_list(
                "person_id", flat=True
            )
        )
        adult_from = today - timedelta(days=18 * 365 + 4)
        families = defaultdict(dict)
        for household, person, relationship, born in (
            HouseholdMember.objects.filter(household__municipality=self.municipality, valid_to=None)
            .order_by("household_id", "pk")
            .values_list("household_id", "person_id", "relationship", "person__birth_date")[:4000]
        ):
            if relationship == "child" and born and born > adult_from:
                families[household].setdefault("child", person)
            elif relationship == "mother":
                families[household].setdefault("guardian", person)
        candidates = [
            f for f in families.values() if len(f) == 2 and not (set(f.values()) & on_cases)
        ]
        if not candidates:
            return
        family = rng.choice(candidates)
        persons = {p.pk: p for p in Person.objects.filter(pk__in=family.values())}
        child, mother = persons[family["child"]], persons[family["guardian"]]
        city = "静岡県浜松市"
        prepared = today - timedelta(days=12)
        summary = _summary(rng, city, prepared, child, mother)
        category = (
            ConsultationCategory.objects.filter(
                code="upbringing.parenting", is_current=True
            ).first()
            or ConsultationCategory.objects.filter(is_current=True).first()
        )
        fiscal = fiscal_year_of(today - timedelta(days=5))
        numbers = Intake.objects.filter(
            municipality=self.municipality, number__startswith=f"{fiscal}-"
        ).values_list("number", flat=True)
        last = max((int(n.split("-")[1]) for n in numbers), default=0)
        intake = Intake(
            municipality=self.municipality,
            number=f"{fiscal}-{last + 1:05d}",
            received_at=_at(today - timedelta(days=5), 10, 30),
            received_by=self.worker,
            unit=self.users["katei"].organisation,
            channel=Intake.Channel.LETTER,
            source=Intake.Source.WELFARE_OFFICE,
            caller_name=f"{city}こども家庭センター",
            category=category,
            urgency=Intake.Urgency.SOON,
            summary=f"{city}から転入。要支援児童として登録されていた世帯の移管"
            "(ケース概要を受領)。転入先での支援の継続を依頼されている。",
        )
        self.bulk(Intake, [intake], "相談受付(転入)")
        IntakePerson.objects.bulk_create(
            [
                IntakePerson(intake=intake, person=child, role="child"),
                IntakePerson(intake=intake, person=mother, role="guardian"),
            ]
        )
        h = HandOff(
            municipality=self.municipality,
            kind=HandOff.Kind.TRANSFER_IN,
            direction=HandOff.Direction.IN,
            intake=intake,
            counterpart_municipality=city,
            status=HandOff.Status.ACCEPTED,
            reason=summary["reason"],
            requested_on=prepared,
            requested_by=self.worker,
            answered_on=intake.received_at.date(),
            answered_by=self.worker,
            received_summary=summary,
        )
        made.append(h)
        documents.append(HandOffDocument(handoff=h, title="ケース概要", dated=prepared))

    # --- the casework's rows brought up to date -------------------------------------------------

    def update_register(self, register: list[_Registered]) -> None:
        """Each registered case's review dates follow the latest 実務者会議 that reviewed it; a
        case moved away is closed through an approved closure, its registrations and plan
        ended, its open items settled."""
        registrations, statuses, closures = [], [], []
        closed_cases = []
        for r in register:
            r.case.next_review_on = r.due()
            for registration in r.registrations:
                registration.last_reviewed_on = r.last_reviewed
                if r.closes_on:
                    registration.ended_on, registration.end_reason = r.closes_on, "ケース終結"
                registrations.append(registration)
            if r.closes_on:
                closed_cases.append(r.case.pk)
                r.case.status, r.case.closed_on = Case.Status.CLOSED, r.closes_on
                decided = _at(r.closes_on, 16)
                closures.append(
                    ClosureRequest(
                        case=r.case,
                        reason=r.transfer_reason,
                        requested_by=self.supervisor,
                        requested_at=decided - timedelta(minutes=5),
                        approved=True,
                        decided_by=self.supervisor,
                        decided_at=decided,
                        decision_note=r.transfer_reason,
                    )
                )
                statuses.append(
                    CaseStatusChange(
                        case=r.case,
                        status=Case.Status.CLOSED,
                        reason=r.transfer_reason,
                        changed_at=decided,
                        changed_by=self.supervisor,
                    )
                )
        cases = [r.case for r in register]
        fields = ["next_review_on", "risk_rank", "status", "closed_on"]
        bulk_update_with_history(
            cases, Case, fields, batch_size=500, default_change_reason=HISTORY_REASON
        )
        bulk_update_with_history(
            registrations,
            Registration,
            ["last_reviewed_on", "ended_on", "end_reason"],
            batch_size=500,
            default_change_reason=HISTORY_REASON,
        )
        self.bulk(ClosureRequest, closures, "終結の申請")
        CaseStatusChange.objects.bulk_create(statuses)
        RiskRankChange.objects.bulk_create(self.rank_changes, batch_size=2000)
        if closed_cases:
            pending = list(
                Activity.objects.filter(case_id__in=closed_cases, next_action_done=False)
            )
            for activity in pending:
                activity.next_action_done = True
            bulk_update_with_history(
                pending,
                Activity,
                ["next_action_done"],
                batch_size=500,
                default_change_reason=HISTORY_REASON,
            )
        closes = {r.case.pk: r.closes_on for r in register if r.closes_on}
        for item in self.actions:
            if item.case_id in closes and item.status == ActionItem.Status.OPEN:
                item.status, item.result = ActionItem.Status.CANCELLED, "ケース終結により終了"

    def save_conferences(self) -> None:
        self.conferences.sort(key=lambda c: (c.held_on, c.kind))
        self.bulk(Conference, self.conferences, "会議")
        self.bulk(Attendee, self.attendees, "出席者")
        self.bulk(Discussion, self.discussions, "協議したケース")
        self.bulk(ActionItem, self.actions, "会議の対応事項")
        self.bulk(Activity, self.timeline, "支援記録(会議)")
        self.made["会議"] = len(self.conferences)
        self.made["協議したケース"] = len(self.discussions)
        self.made["会議の対応事項"] = len(self.actions)


def _open(case: tuple, day: date) -> bool:
    _pk, opened, closed = case
    return opened <= day and (closed is None or closed > day)


def _joint_visit(rng, discussion, day, today, nurse, worker) -> ActionItem:
    due = day + timedelta(days=rng.randrange(5, 15))
    item = ActionItem(
        discussion=discussion,
        case_id=discussion.case_id,
        what="保健師とケースワーカーで合同家庭訪問",
        owner=rng.choice([nurse, worker]),
        due_on=due,
    )
    if due < today and rng.random() < 0.92:
        item.status, item.done_on = ActionItem.Status.DONE, due - timedelta(days=rng.randrange(5))
        item.result = "合同で訪問。子どもの姿と室内の様子を確認した。"
    return item


def _summary(rng: Random, city: str, prepared: date, child: Person, mother: Person) -> dict:
    """The other city's case summary, in tsunagu.plans.summary's shape (FORMAT)."""
    town = rng.choice(["元城町", "広沢", "高林", "富塚町"])
    old_address = f"{city}中区{town}{rng.randrange(1, 9)}-{rng.randrange(1, 30)}"
    opened = prepared - timedelta(days=rng.randrange(200, 500))
    registered = opened + timedelta(days=14)

    def person(p: Person, role: str) -> dict:
        return {
            "family_name": p.family_name,
            "given_name": p.given_name,
            "family_kana": p.family_kana,
            "given_kana": p.given_kana,
            "birth_date": p.birth_date.isoformat() if p.birth_date else None,
            "sex": p.sex,
            "role": role,
            "address": old_address,
            "phone": "",
        }

    return {
        "format": FORMAT,
        "prepared_on": prepared.isoformat(),
        "municipality": {"code": "22130", "name": city},
        "reason": f"若葉市への転出(母の実家の近くへ)に伴い、{city}から移管します。",
        "case": {
            "number": f"C{fiscal_year_of(opened)}-{rng.randrange(100, 900):05d}",
            "title": f"{mother.family_name} {mother.given_name}さん世帯",
            "opened_on": opened.isoformat(),
            "status": "支援中",
            "risk_rank": "C",
            "lead_agency": "市",
        },
        "persons": [person(child, "child"), person(mother, "guardian")],
        "registrations": [
            {
                "person": f"{child.family_name} {child.given_name}",
                "category": "要支援児童",
                "registered_on": registered.isoformat(),
                "ended_on": prepared.isoformat(),
            }
        ],
        "assessments": [
            {
                "form": "在宅支援アセスメント",
                "level": "在宅支援(見守り)",
                "assessed_on": (opened + timedelta(days=3)).isoformat(),
            }
        ],
        "plan": {
            "version": 2,
            "status": "実施中(承認済み)",
            "goal_short": "母が一人の時間を月2回持てる(一時預かりの利用)。",
            "goal_long": "保護者が地域の支援を自分で使いながら子育てできる。",
            "needs": "ひとり親で就労時間が長く、放課後の見守りが手薄。",
            "strengths": "困ったときに自分から相談の電話をかけられる。",
            "items": [
                {"title": "一時預かり事業", "provider": "市内の保育園", "frequency": "月2回"},
                {
                    "title": "放課後児童クラブ",
                    "provider": "小学校区の児童クラブ",
                    "frequency": "平日放課後",
                },
            ],
        },
        "activities": [
            {
                "occurred_at": _at(prepared - timedelta(days=20), 14).isoformat(),
                "kind": "家庭訪問",
                "content": "転居の予定を確認。転居先の市に引き継ぐことに母が同意した。",
            },
            {
                "occurred_at": _at(prepared - timedelta(days=60), 10).isoformat(),
                "kind": "関係機関との連絡",
                "content": "学校と情報共有。登校は安定している。",
            },
        ],
    }


def build_plans(rng: Random, municipality, organisations, users, today, scale, bulk, progress):
    """Plans for about two thirds of the registered cases, a year of conferences and the
    hand-offs with the cgc and other cities. Returns counts by kind."""
    builder = _Builder(rng, municipality, organisations, users, today, scale, bulk, progress)
    register = builder.load_register()
    if not register:
        return builder.made
    transfers = builder.choose_transfers(register)
    closes = {r.case.pk: r.closes_on for r in register if r.closes_on}
    cases = [
        (pk, opened, closes.get(pk, closed))
        for pk, opened, closed in Case.objects.filter(municipality=municipality)
        .order_by("pk")
        .values_list("pk", "opened_on", "closed_on")
    ]
    builder.practitioners(register)
    builder.joint(cases)
    builder.assessment(register)
    builder.representatives(register)
    builder.plans(register, transfers)
    builder.handoffs(register)
    builder.update_register(register)
    builder.save_conferences()
    return builder.made
