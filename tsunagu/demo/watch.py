"""Watching over, referrals and the cafeteria network of the demo city, in seed 000's shape.

Seed 000 (桑名市, 支援対象児童等見守り強化事業 since 令和2年10月): three of the city's twelve
children's cafeterias cooperate — the three that deliver meals in the directory
(tsunagu.demo.resources) — bringing food (宅食・フードパントリー) to households of registered
cases (要保護・要支援) and checking on the children: bruises, the lifelines, troubles. The
center and the cafeterias often visit together. The cafeteria network shares what citizens
and companies give (rice, food; the donation vending machines, ふるさと納税), offered in the
network and handed to the cafeterias that ask for it.

About 30–40 households (fewer in a small demo) are watched, weekly or every two weeks, by the
three cafeterias of the partner logins shokudo, shokudo2 and shokudo3; every planned visit of
the last three months up to yesterday is reported (but one, which the daily check found), and
the demo partner has visits due today. The alerts the rules raise are acknowledged and handled
as the center would, except two left open: an urgent one from today, and one that escalated
to the supervisor. Fifteen families were sent to the center (つなぐ); the intakes made of them
take the place of as many of the year's consultations. Rows are inserted in bulk with their
history rows, each naming its actor and moment, as the services would have written them.
"""

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from random import Random

from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.cases.models import (
    Activity,
    Assignment,
    Case,
    CasePerson,
    CaseUnit,
    ConsultationCategory,
    Intake,
    IntakePerson,
    Registration,
)
from tsunagu.core.fiscal import fiscal_year_of
from tsunagu.core.models import Organisation
from tsunagu.core.office_hours import add_office_minutes
from tsunagu.resources import schedules
from tsunagu.watch.models import (
    Alert,
    Donation,
    DonationClaim,
    Need,
    Network,
    NetworkMember,
    Referral,
    WatchAssignment,
    WatchReport,
)
from tsunagu.watch.services import PARTNER_SOURCES, WINDOW_UNITS, referral_summary
from tsunagu.watch.tasks import escalate_alert_task, notify_alert_task, schedule_daily_check

from . import names
from .resources import CAFETERIA_SCHEDULES

HISTORY_REASON = "デモデータの作成"  # as the loader's
Kind = Organisation.Kind
Method = WatchAssignment.Method
Reason = Alert.Reason

# seed 000: 市内にある12の子ども食堂のうち、3事業所が協力 — the three that deliver meals in the
# directory, each with a demo login (tsunagu.demo.loader; shokudo is the one on the list).
PARTNER_LOGINS = ("shokudo", "shokudo2", "shokudo3")
HOUSEHOLDS = (32, 38)  # households watched at the full scale
HOUSEHOLD_SHARE = 0.35  # at most this share of the register (a small demo has few cases)
REPORT_DAYS = 91  # reports of the last three months
RANK_WEIGHTS = {"A": 4, "B": 3, "C": 2, "D": 1}
METHOD_WEIGHTS = {
    Method.MEAL_DELIVERY: 50,
    Method.PANTRY: 28,
    Method.CAFETERIA: 14,
    Method.STUDY: 8,
}
# The directory's お弁当の宅食 of the three cafeterias: Saturdays 11:00–13:00 (resources.py).
DELIVERY_DAY, DELIVERY_HOURS = 5, (time(11), time(13))
# A partner's visits due today: households fetching food at the cafeteria on today's weekday.
PICK_UP_HOURS = (time(15), time(18))
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
# Shares of the planned visits (not visited), and of the visits made (the rest).
MISSED_SHARE, URGENT_SHARE, SOME_SHARE, UNSEEN_SHARE = 0.07, 0.025, 0.12, 0.09
NOT_VISITED_WEIGHTS = {"absent": 60, "rescheduled": 20, "declined": 8, "other": 12}
OFFLINE_SHARE = 0.07  # reports written without a connection, sent when it came back

# --- wording ---------------------------------------------------------------------------------

LOOK_FOR = {
    "small": [
        "下の子の服装と表情",
        "子どもの顔や手足にけががないか",
        "おむつかぶれや肌の様子",
        "子どもが激しく泣き続けていないか",
    ],
    "school": [
        "子どもの服装と表情",
        "平日の昼間に子どもが家にいないか",
        "話しかけたときの子どもの反応",
        "子どもの顔や腕にけががないか",
    ],
    "teen": [
        "上の子(中学生)の表情と話しぶり",
        "下のきょうだいの世話を任されていないか",
        "夜に子どもだけで過ごしていないか",
    ],
    "home": [
        "食事がとれているか",
        "玄関先の様子(ごみや郵便物がたまっていないか)",
        "電気・ガス・水道が使えているか",
        "保護者の体調や疲れた様子",
        "家の中から大きな声がしないか",
    ],
}
ENDED_REASONS = [
    "状況が安定したため終了(学校・保育園での見守りに移行)",
    "保護者の希望により終了",
]
NOTES = {
    "seen": [
        "お弁当をお渡し。子どもが玄関まで出てきて「ありがとう」と言ってくれた。",
        "お米と野菜をお渡し。変わりなし。",
        "母と少し立ち話。最近は下の子が保育園に慣れてきたとのこと。",
        "子どもは元気そう。次回のおかずのリクエストをもらった。",
        "兄弟そろって受け取りに来た。宿題の話をしてくれた。",
        "父が受け取り。子どもも顔を出した。特に変わりなし。",
        "学校の話を楽しそうにしていた。",
    ],
    "unseen": [
        "母に手渡し。子どもは習い事で不在とのこと。",
        "子どもは寝ているとのことで姿は見られず。母は元気そう。",
        "祖母が受け取り。子どもは友だちの家に遊びに行っているとのこと。",
        "父が受け取り。子どもは奥の部屋にいると話していた(声は聞こえた)。",
    ],
    "absent": [
        "インターホンに応答なし。お弁当は持ち帰った。",
        "不在。次回の日にちを書いたメモをポストに入れた。",
        "不在。電話にも出なかった。",
    ],
    "rescheduled": [
        "母から体調不良のため日を変えてほしいと連絡があった。",
        "仕事の都合で受け取れないと連絡あり。別の日に届ける。",
    ],
    "declined": ["今日は要らないと玄関越しに断られた。", "母が忙しいと言い、受け取りを断られた。"],
    "other": ["大雨のため配達を中止した。", "車の故障で回れなかった。"],
    "hygiene": [
        "子どもの服が前回と同じで、少し汚れていた。",
        "髪がべたついていて、お風呂に入れていない様子。",
    ],
    "hunger": [
        "子どもが「お腹すいた」と言って、すぐにお弁当を開けていた。",
        "朝から何も食べていないと子どもが話していた。",
    ],
    "utilities_cut": [
        "玄関の電気がつかない。電気代の支払いが遅れていると母が話していた。",
        "ガスが止まっていて、お湯が使えないとのこと。",
    ],
    "trouble_at_home": [
        "家の中から大きな声が聞こえた。母は疲れた様子。",
        "父と母が言い争っている声がした。子どもは静かだった。",
    ],
    "worrying_words": [
        "子どもが「家に帰りたくない」と話していた。",
        "子どもが「ママがずっと寝てる」と話していた。",
    ],
    "some": ["母の元気がない。最近眠れていないと話していた。"],
}
URGENT = {
    "injuries": [
        "子どもの腕(右ひじの上)に新しいあざ。本人は「ぶつけた」と言うが目をそらした。",
        "下の子の頬が赤く腫れていた。母は理由を話さなかった。",
    ],
    "trouble_at_home": ["訪問中に父の怒鳴り声と物が壊れる音。子どもが泣いていた。"],
    "worrying_words": ["子どもが「パパにたたかれる。言わないで」と小さな声で話した。"],
    "utilities_cut": [
        "電気とガスが止まっていて、子どもたちだけで暗い部屋にいた。母は夜まで戻らないとのこと。"
    ],
}
URGENT_CHECKS = {"injuries": 55, "trouble_at_home": 20, "worrying_words": 15, "utilities_cut": 10}
UNSEEN_CHECKS = ("trouble_at_home", "utilities_cut", "")  # noticed without seeing the child
SOME_CHECKS = {
    "hygiene": 30,
    "hunger": 25,
    "worrying_words": 15,
    "trouble_at_home": 12,
    "utilities_cut": 8,
    "": 10,
}
HANDLING = {
    Reason.MISSED_VISIT: [
        "協力団体から状況を聞き取り。母に電話し、仕事で不在だったことを確認。次回の受け取り日を調整した。",
        "翌日に家庭訪問し、子どもの姿を確認した。",
        "学校に確認し、子どもが登校していることを確認した。次回の宅食は予定どおり。",
    ],
    "rescheduled": [
        "母から協力団体へ日程変更の連絡があったことを確認。子どもの様子は学校から聞き取った。",
    ],
    "declined": [
        "母に電話。「疲れていて人に会いたくなかった」とのこと。話を聞き、次回は受け取ると約束した。",
    ],
    Reason.NOT_SEEN_TWICE: [
        "学校に確認し、本日登校して元気に過ごしていることを確認した。",
        "保育園に確認。毎日登園しており、けが等の気になる点はない。",
        "家庭訪問し、子どもの姿を確認。次回はこども食堂への来所を勧めた。",
    ],
    "injuries": [
        "当日中にこども食堂と同行訪問。腕のあざを確認し、母から事情を聴取。写真を記録し、児童相談所に情報提供した。",
        "学校で本人と面接。けがの状況を確認し、緊急度アセスメントを実施。児童相談所と協議のうえ在宅での見守りを継続(訪問を週1回に増やす)。",
    ],
    "trouble_at_home": [
        "当日夕方に家庭訪問。父は不在、母と子どもの安全を確認。女性相談につなぎ、翌日に面接を設定した。"
    ],
    "worrying_words": [
        "翌朝、学校で本人と面接(担任・養護教諭同席)。児童相談所に通告し、安全確認を共同で実施した。"
    ],
    "utilities_cut": [
        "生活支援相談窓口と電力会社に連絡し、当日中に電気が復旧。こども食堂から食料を追加で届けてもらった。"
    ],
}
UNREPORTED_NOTE = (
    "協力団体に電話で確認。訪問はできていて、報告の入力を忘れていたとのこと。"
    "子どもの様子に変わりはなかった。"
)
ESCALATED_NOTE = "子どもの額にすり傷と、左腕にあざ。本人は「おにいちゃんとけんかした」と話した。"
TODAY_NOTE = "下の子の首の後ろに赤い線のようなあと。母は「知らない」と言い、すぐに戸を閉めた。"

REFERRALS = [
    # (window, children, what was said)
    (
        "welfare",
        "小3の男の子、5歳の女の子",
        "母がひとりで育児。仕事が夜までで、夕食は子どもだけで食べる日が多いと話していた。食費も足りないとのこと。",
    ),
    (
        "welfare",
        "中1の女の子",
        "こども食堂に一人で来ている子。「家に帰ってもごはんがない」と話した。母に話し、センターへの相談に同意を得た。",
    ),
    (
        "maternal",
        "妊娠7か月、1歳の男の子",
        "二人目を妊娠中。上の子の夜泣きで眠れず、相談できる人がいないと話していた。",
    ),
    (
        "maternal",
        "生後4か月の女の子",
        "産後、気分の落ち込みが続いている。外出がつらく、健診にも行けていないとのこと。",
    ),
    (
        "welfare",
        "小5の男の子",
        "学校に行きづらくなり、日中は家で過ごしている。母は仕事で不在がち。学習支援に来るようになった。",
    ),
    (
        "welfare",
        "小1と小4の女の子",
        "電気代の支払いが遅れていて止まりそうと母が話した。家計の相談先を知りたいとのこと。",
    ),
    (
        "unsure",
        "2歳の男の子",
        "ことばが遅いのではと母が心配している。どこに相談したらよいかわからないとのこと。",
    ),
    (
        "welfare",
        "中3の男の子、小2の女の子",
        "父が入院し、母が仕事と家事を一人で担っている。上の子が下の子の世話をしていて受験勉強ができないと話していた。",
    ),
    (
        "unsure",
        "小4の女の子",
        "外国籍の母。日本語での手続きが難しく、就学援助や手当のことがわからないとのこと。",
    ),
    (
        "welfare",
        "3歳の女の子、0歳の男の子",
        "夫婦げんかが絶えず、子どもの前で夫が物を投げることがあると母が打ち明けた。母は相談を希望。",
    ),
    (
        "maternal",
        "妊娠5か月",
        "若年での妊娠。パートナーとは連絡が取れず、出産の準備が進んでいないと本人が話していた。",
    ),
    (
        "welfare",
        "小6の男の子",
        "長期休みの食事が心配と母から。フードパントリーの利用に加えて、生活全体の相談をしたいとのこと。",
    ),
    (
        "welfare",
        "中2の男の子",
        "夜遅くまで外にいることが多い。母は「言っても聞かない」と困っていて、相談したいとのこと。",
    ),
    (
        "welfare",
        "小2の男の子",
        "学習支援に来ると、すぐに「お腹すいた」と言う。学校も休みがちとのこと。母と話し、センターへの相談に同意を得た。",
    ),
    (
        "welfare",
        "小4の女の子",
        "学習支援で「家で眠れない」と話す。母は体調を崩して寝込んでいることが多いとのこと。母の同意あり。",
    ),
]
CONTACT_WHEN = ["平日18時以降", "午前中", "平日の昼休み(12〜13時)", "", "土日ならいつでも"]
REACHED = [
    "母と電話がつながり、来所で面談。家計の相談を生活支援相談窓口につないだ。",
    "保健師が家庭訪問。母の体調を確認し、産後ケアの利用を案内した。",
    "母と面談。放課後の過ごし方について、こども食堂と学習支援の利用を続けることにした。",
    "電話で相談を受け、子ども発達支援室の相談日を予約した。",
    "こども食堂の方と同行して家庭訪問。母と顔合わせができ、継続して相談を受けることになった。",
]
NOT_REACHED = [
    "3回電話したがつながらず、手紙を送付。こども食堂から再度声をかけてもらうよう依頼した。",
    "訪問したが不在が続く。母から「今は大丈夫」と協力団体に連絡があったとのこと。見守りを依頼して終了。",
]
REFERRAL_CATEGORIES = {
    "welfare": "care.other",
    "maternal": "health",
    "unsure": "upbringing.parenting",
}

DONATIONS = [
    # (who offers it: the center, which relays what citizens and companies give (seed 000), or
    # a cafeteria passing on what it got too much of; days ago, donor, item, quantity, unit,
    # keeps for days, claim for days, the shares the cafeterias asked for)
    ("center", 120, "市内の米農家", "お米(新米・玄米)", 30, "kg", None, 7, [10, 10, 10]),
    ("center", 100, "わかば製菓株式会社", "個包装のお菓子", 200, "個", 150, 10, [80, 70, 50]),
    (
        "center",
        82,
        "フードバンクわかば(社会福祉協議会)",
        "レトルトカレー",
        120,
        "食",
        300,
        10,
        [40, 30, 30],
    ),
    (
        "cafeteria",
        61,
        "JAわかば 青年部",
        "玉ねぎ・じゃがいも(おすそわけ)",
        20,
        "箱",
        None,
        5,
        [6, 8],
    ),
    (
        "center",
        45,
        "寄付型自動販売機(市役所本館ほか3台)の収益",
        "缶詰・乾麺のセット(自販機の寄付で購入)",
        60,
        "セット",
        240,
        10,
        [20, 25, 15],
    ),
    ("center", 30, "市民の方(匿名)", "パスタ・乾麺", 40, "袋", 200, 10, [10, 10, 8]),
    (
        "center",
        21,
        "ふるさと納税(こども食堂応援)",
        "お米(ふるさと納税で購入)",
        60,
        "kg",
        None,
        10,
        [20, 20, 20],
    ),
    ("center", 12, "わかばスーパー", "冷凍からあげ", 30, "袋", 60, 5, [10, 12, 8]),
    # still open
    (
        "center",
        6,
        "市民団体のフードドライブ",
        "食品の詰め合わせ(お菓子・飲み物など)",
        25,
        "箱",
        90,
        12,
        [5, 5],
    ),
    ("center", 3, "市内の果樹農家", "みかん", 10, "箱", 16, 6, [3]),
    ("center", 1, "わかば文具店", "ノート・鉛筆のセット(学習支援用)", 50, "セット", None, 14, []),
]
PICK_UP = {
    "center": "こども家庭センター(市役所本館1階)で受け取り",
    "cafeteria": "提供する食堂で受け取り(平日10〜16時)",
}
NEEDS = [
    # (days ago, what, until in days or None, met)
    (55, "お米(毎月20kgほど)", None, True),
    (40, "業務用の冷凍庫(中古で可)", None, False),
    (25, "調理のボランティア(平日の夕方)", 60, False),
    (14, "学習支援のボランティア(中学生の数学)", None, False),
    (5, "宅食用の保冷バッグ(10個ほど)", 30, False),
]
PROFILES = [
    "地域の公民館で手作りの夕食。子どもは無料、大人300円。",
    "お寺の本堂をお借りしています。宿題を持ってきてもOK。",
    "食材の保管スペースがあります(冷蔵庫2台)。余った食材はお声がけください。",
    "大学生のボランティアが多く、学習支援もしています。",
    "地元の農家さんから野菜をいただいています。",
]


# --- helpers ---------------------------------------------------------------------------------


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _the_moment(today: date) -> datetime:
    """The demo's present moment: the clock on the day the city is built for, else that
    day's office closing (a city built for another day)."""
    now = timezone.now()
    return now if timezone.localdate(now) == today else _at(today, 17, 30)


def _weighted(rng: Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _pick(rng: Random, items, count: int, weight) -> set:
    """``count`` of ``items`` at random without replacement, each as likely as its weight."""
    keyed = sorted(items, key=lambda item: rng.random() ** (1 / weight(item)), reverse=True)
    return set(keyed[:count])


def _key(rng: Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _as(obj, actor, moment):
    """The history row of ``obj`` names ``actor`` at ``moment`` (bulk_create_with_history)."""
    obj._history_user, obj._history_date = actor, moment
    return obj


@dataclass
class _Slot:
    """When a cafeteria visits or meets its households, and for which methods."""

    weekday: int
    opens: time
    closes: time
    methods: tuple
    fortnightly: bool = False  # a monthly schedule (第2・第4): at best every two weeks


@dataclass
class _Household:
    case_id: int
    rank: str
    registered_on: date
    closed_on: date | None
    key_person: User | None
    unit_id: int | None
    family: str
    address: str
    phone: str
    age: int | None
    assignment: WatchAssignment | None = None
    slot: _Slot | None = None
    reports: list = field(default_factory=list)


class _Builder:
    def __init__(self, rng, municipality, organisations, users, today, scale, bulk, progress):
        self.rng, self.municipality, self.today, self.scale = rng, municipality, today, scale
        self.bulk, self.progress = bulk, progress
        self.users, self.organisations = users, organisations
        self.worker, self.nurse, self.supervisor = users["katei"], users["hoken"], users["tokatsu"]
        self.now = _the_moment(today)
        self.made: Counter = Counter()
        self.activities: list[Activity] = []
        cafeterias = list(
            Organisation.objects.filter(municipality=municipality, kind=Kind.CAFETERIA).order_by(
                "pk"
            )
        )
        # The partner logins of the three cafeterias that deliver meals (the loader's).
        partners = [users[name] for name in PARTNER_LOGINS if name in users]
        self.cafeterias = cafeterias
        self.cooperating = [user.organisation for user in partners]
        self.staff = {user.organisation_id: user for user in partners}
        self.index = {org.pk: k for k, org in enumerate(cafeterias)}
        self.council = organisations.get("social_welfare_council")

    def reporter(self, partner_id: int) -> User:
        return self.staff[partner_id]

    # --- households ---------------------------------------------------------------------------

    def households(self) -> tuple[list[_Household], list[_Household]]:
        """Open registered cases (protection, support) and the ones closed on moving away."""
        registrations = Registration.objects.filter(
            case__municipality=self.municipality,
            category__in=(Registration.Category.PROTECTION, Registration.Category.SUPPORT),
        ).values_list("case_id", "ended_on", "registered_on")
        started, open_ids = {}, set()
        for case_id, ended_on, registered_on in registrations:
            started[case_id] = min(started.get(case_id, registered_on), registered_on)
            if ended_on is None:
                open_ids.add(case_id)
        cases = {
            pk: (rank, status, closed_on)
            for pk, rank, status, closed_on in Case.objects.filter(
                pk__in=list(started)
            ).values_list("pk", "risk_rank", "status", "closed_on")
        }
        people: dict[int, dict] = defaultdict(dict)
        for case_id, role, family, address, phone, born in (
            CasePerson.objects.filter(case_id__in=list(started))
            .order_by("pk")
            .values_list(
                "case_id",
                "role",
                "person__family_name",
                "person__address",
                "person__phone",
                "person__birth_date",
            )
        ):
            people[case_id].setdefault(
                "child" if role == "child" else "guardian", (family, address, phone, born)
            )
        key_persons, units = self.key_persons(list(started))
        open_households, moved = [], []
        for case_id in sorted(started):
            rank, status, closed_on = cases[case_id]
            child = people[case_id].get("child")
            guardian = people[case_id].get("guardian") or child
            if guardian is None:
                continue
            family, address, phone, _ = guardian
            born = child[3] if child else None
            key_person = key_persons.get(case_id)
            household = _Household(
                case_id=case_id,
                rank=rank or "D",
                registered_on=started[case_id],
                closed_on=closed_on,
                key_person=key_person,
                unit_id=units.get(case_id),
                family=family,
                address=address,
                phone=phone,
                age=(self.today - born).days // 365 if born else None,
            )
            if household.registered_on > self.today - timedelta(days=28):
                continue  # registered too recently to have been assigned
            if case_id in open_ids and status != Case.Status.CLOSED:
                open_households.append(household)
            elif (
                status == Case.Status.CLOSED
                and closed_on
                and closed_on > self.today - timedelta(days=REPORT_DAYS)
            ):
                moved.append(household)
        return open_households, moved

    def key_persons(self, case_ids: list[int]) -> tuple[dict, dict]:
        """Each case's key person and the unit its alerts go to, as the services choose them
        (tsunagu.watch.services._raise_alerts): the key person's unit when it is on the case,
        else its child-welfare unit, else any of its units."""
        workers = {
            u.pk: u for u in User.objects.filter(organisation__municipality=self.municipality)
        }
        key = {}
        for case_id, worker_id in (
            Assignment.objects.filter(case_id__in=case_ids, is_key_person=True, until=None)
            .order_by("pk")
            .values_list("case_id", "worker_id")
        ):
            key.setdefault(case_id, workers.get(worker_id))
        linked = defaultdict(list)
        for case_id, unit_id, kind in (
            CaseUnit.objects.filter(case_id__in=case_ids, until=None)
            .order_by("pk")
            .values_list("case_id", "unit_id", "unit__kind")
        ):
            linked[case_id].append((unit_id, kind))
        units = {}
        for case_id, links in linked.items():
            person = key.get(case_id)
            if person and any(unit == person.organisation_id for unit, _ in links):
                units[case_id] = person.organisation_id
            else:
                ordered = sorted(links, key=lambda link: link[1] != Kind.UNIT_CHILD_WELFARE)
                units[case_id] = ordered[0][0]
        return key, units

    def choose(self, pool: list[_Household], moved: list[_Household]) -> list[_Household]:
        """Rank-weighted, without replacement (A four times as likely as D)."""
        rng = self.rng
        count = min(rng.randint(*HOUSEHOLDS), max(3, round(len(pool) * HOUSEHOLD_SHARE)))
        keyed = sorted(pool, key=lambda h: rng.random() ** (1 / RANK_WEIGHTS.get(h.rank, 1)))
        chosen = keyed[-count:] if count else []
        chosen += rng.sample(moved, min(2 if self.scale >= 0.2 else 1, len(moved)))
        rng.shuffle(chosen)
        return chosen

    # --- assignments --------------------------------------------------------------------------

    def slots(self, partner: Organisation) -> list[_Slot]:
        """The cafeteria's delivery day and its opening days in the directory."""
        found = [_Slot(DELIVERY_DAY, *DELIVERY_HOURS, (Method.MEAL_DELIVERY, Method.PANTRY))]
        k = self.index[partner.pk]
        for schedule in CAFETERIA_SCHEDULES[k % len(CAFETERIA_SCHEDULES)]:
            for code in schedules.weekdays_of(schedule):
                found.append(
                    _Slot(
                        WEEKDAYS.index(code),
                        schedule.opens_at,
                        schedule.closes_at,
                        (Method.CAFETERIA, Method.STUDY, Method.PANTRY),
                        fortnightly=schedule.kind == "monthly",
                    )
                )
        return found

    def assign(self, households: list[_Household]) -> None:
        rng, today = self.rng, self.today
        own = self.users["shokudo"].organisation_id
        ended_open = max(1, round(len(households) * 0.06))
        # Visits on today's weekday: three of the demo partner's households (its list of
        # today's visits), one of the next cafeteria's (today's urgent report).
        due_today = {own: 3, self.cooperating[1].pk: 1}
        assignments = []
        methods = self.methods(households)
        for n, household in enumerate(households):
            partner = self.cooperating[n % len(self.cooperating)]
            method = methods[household.case_id]
            slots = [s for s in self.slots(partner) if method in s.methods]
            slot = rng.choice(slots)
            every = 2 if slot.fortnightly or rng.random() < 0.6 else 1
            earliest = max(
                household.registered_on + timedelta(days=10), today - timedelta(days=420)
            )
            if household.closed_on:
                latest = household.closed_on - timedelta(days=28)
            else:
                latest = today - timedelta(days=7)
            moved = household.closed_on is not None
            # Households that fetch food at the cafeteria on today's weekday if it does not
            # visit on that day anyway.
            if due_today.get(partner.pk) and not moved:
                due_today[partner.pk] -= 1
                today_slots = [s for s in self.slots(partner) if s.weekday == today.weekday()]
                if today_slots:
                    slot = rng.choice(today_slots)
                    method = rng.choice([m for m in slot.methods if m != Method.STUDY])
                else:
                    slot = _Slot(today.weekday(), *PICK_UP_HOURS, (Method.PANTRY,))
                    method = Method.PANTRY
                every = 2 if slot.fortnightly else every
                weeks = max(1, (today - earliest).days // (7 * every))
                starts = today - timedelta(weeks=every * rng.randint(1, weeks))
            else:
                # Most are asked for soon after the case is registered.
                span = max(0, (latest - earliest).days)
                starts = earliest + timedelta(days=min(span, int(rng.expovariate(1 / 35))))
                starts += timedelta(days=(slot.weekday - starts.weekday()) % 7)
                if starts > latest:
                    starts -= timedelta(weeks=1)
            created_by = household.key_person or self.worker
            assignment = WatchAssignment(
                case_id=household.case_id,
                partner=partner,
                recipient_name=f"{household.family}様",
                delivery_address=household.address,
                contact_phone=household.phone,
                method=method,
                look_for=self.look_for(household),
                every_weeks=every,
                starts_on=starts,
                created_by=created_by,
            )
            if moved:
                assignment.ends_on = max(
                    starts, household.closed_on - timedelta(days=rng.randint(2, 9))
                )
                assignment.ended_reason = "転居のため終了(ケースは転居先へ移管)"
            asked = max(household.registered_on, starts - timedelta(days=rng.randint(3, 12)))
            created = _at(asked, rng.randint(9, 16), rng.randrange(60))
            assignment.created_at = created
            _as(assignment, created_by, created)
            household.assignment, household.slot = assignment, slot
            assignments.append(assignment)
            if rng.random() < 0.6:  # seed 000: the center and the cafeteria often visit together
                self.activities.append(
                    Activity(
                        case_id=household.case_id,
                        kind=Activity.Kind.JOINT_VISIT,
                        occurred_at=_at(starts, slot.opens.hour, slot.opens.minute),
                        author=created_by,
                        child_seen=True,
                        content=f"{partner.name}の方と同行訪問(見守りの初回、"
                        f"{assignment.get_method_display()})。見守りの趣旨を保護者に説明し、"
                        "了承を得た。子どもの姿を確認。",
                    )
                )
        # A few ended while the case goes on (not the demo partner's: its list stays whole).
        running = [
            a
            for a in assignments
            if a.ends_on is None
            and a.partner_id != own
            and a.starts_on <= today - timedelta(weeks=10)
        ]
        for assignment in rng.sample(running, min(ended_open, len(running))):
            last = (today - assignment.starts_on).days - 10
            assignment.ends_on = assignment.starts_on + timedelta(days=rng.randint(42, last))
            assignment.ended_reason = rng.choice(ENDED_REASONS)
        # auto_now_add stamps the build's moment: the request's own time is put back after.
        WatchAssignment.objects.bulk_create(assignments)
        for assignment in assignments:
            assignment.created_at = assignment._history_date
        WatchAssignment.objects.bulk_update(assignments, ["created_at"])
        WatchAssignment.history.bulk_history_create(
            assignments, default_change_reason=HISTORY_REASON
        )
        self.made["見守りの依頼"] = len(assignments)

    def methods(self, households: list[_Household]) -> dict[int, str]:
        """The methods in their shares; study support for school children, the cafeteria
        for children old enough to come."""
        rng = self.rng
        total = sum(METHOD_WEIGHTS.values())
        counts = {m: round(w * len(households) / total) for m, w in METHOD_WEIGHTS.items()}
        school = [h for h in households if h.age is not None and 6 <= h.age <= 15]
        chosen = {
            h.case_id: Method.STUDY
            for h in rng.sample(school, min(counts[Method.STUDY], len(school)))
        }
        deck = [m for m, count in counts.items() if m != Method.STUDY for _ in range(count)]
        rng.shuffle(deck)
        for household in households:
            if household.case_id in chosen:
                continue
            method = deck.pop() if deck else Method.MEAL_DELIVERY
            if method == Method.CAFETERIA and (household.age is None or household.age < 3):
                method = Method.MEAL_DELIVERY
            chosen[household.case_id] = method
        return chosen

    def look_for(self, household: _Household) -> str:
        rng = self.rng
        age = household.age
        group = "small" if age is None or age < 6 else "school" if age < 12 else "teen"
        wanted = [rng.choice(LOOK_FOR[group])]
        if rng.random() < 0.8:
            wanted.append(rng.choice(LOOK_FOR["home"]))
        return "、".join(wanted)

    # --- reports ------------------------------------------------------------------------------

    def reports(self, households: list[_Household]) -> None:
        """Every planned visit up to yesterday, in the shares above: a few households are
        out more often, urgent concerns come more from the higher ranks, teenagers are more
        often not at home. A visit put off (日程を変更) is made a day or three later."""
        rng, today = self.rng, self.today
        yesterday = today - timedelta(days=1)
        planned = [
            (household, day)
            for household in households
            for day in household.assignment.visit_dates(
                max(household.assignment.starts_on, today - timedelta(days=REPORT_DAYS)), yesterday
            )
        ]
        out = {h.case_id: rng.choice([1, 1, 2, 4]) for h in households}
        every = range(len(planned))
        missed = _pick(
            rng, every, round(len(planned) * MISSED_SHARE), lambda i: out[planned[i][0].case_id]
        )
        visited = [i for i in every if i not in missed]
        urgent = _pick(
            rng,
            visited,
            max(1, round(len(visited) * URGENT_SHARE) - 1),  # and the escalated one
            lambda i: RANK_WEIGHTS.get(planned[i][0].rank, 1),
        )
        others = [i for i in visited if i not in urgent]
        some = _pick(rng, others, round(len(visited) * SOME_SHARE), lambda i: 1)
        unseen = _pick(
            rng,
            others,
            round(len(visited) * UNSEEN_SHARE),
            lambda i: 2 if (planned[i][0].age or 0) >= 12 else 1,
        )
        for i, (household, day) in enumerate(planned):
            chosen = ((missed, "missed"), (urgent, "urgent"), (some, "some"))
            outcome = next((name for among, name in chosen if i in among), "none")
            report = self.visit(household, day, outcome, seen=i not in unseen)
            household.reports.append(report)
            ends = household.assignment.ends_on
            if report.not_visited_reason == WatchReport.NotVisited.RESCHEDULED:
                later = day + timedelta(days=rng.randint(1, 3))
                if later <= yesterday and (ends is None or later <= ends):
                    household.reports.append(self.visit(household, later, "none", seen=True))

    def visit(self, household: _Household, day: date, outcome: str, *, seen: bool) -> WatchReport:
        rng = self.rng
        report = WatchReport(
            key=_key(rng),
            assignment=household.assignment,
            visit_on=day,
            visited=outcome != "missed",
            reported_by=self.reporter(household.assignment.partner_id),
        )
        if outcome == "missed":
            report.not_visited_reason = _weighted(rng, NOT_VISITED_WEIGHTS)
            report.concern = "none"
            report.note = rng.choice(NOTES[report.not_visited_reason])
        elif outcome == "urgent":
            check = _weighted(rng, URGENT_CHECKS)
            setattr(report, check, True)
            report.child_seen = True  # what is urgent was seen, or heard with the child there
            report.concern = "urgent"
            report.note = rng.choice(URGENT[check])
        elif outcome == "some":
            report.child_seen = seen
            checks = SOME_CHECKS if seen else {c: SOME_CHECKS[c] for c in UNSEEN_CHECKS}
            check = _weighted(rng, checks)
            if check:
                setattr(report, check, True)
            report.concern = "some"
            report.note = rng.choice(NOTES[check or "some"])
        else:
            report.child_seen, report.concern = seen, "none"
            if rng.random() < 0.55 or not seen:
                report.note = rng.choice(NOTES["seen" if seen else "unseen"])
        self.stamp(report, household.slot, day)
        return report

    def stamp(self, report: WatchReport, slot: _Slot, day: date) -> None:
        """Written during or just after the visit; received seconds later, or when an
        offline phone found a connection again (never after the demo's moment)."""
        rng = self.rng
        opens = _at(day, slot.opens.hour, slot.opens.minute)
        length = (datetime.combine(day, slot.closes) - datetime.combine(day, slot.opens)).seconds
        written = opens + timedelta(seconds=rng.randint(600, length + 45 * 60))
        if rng.random() < OFFLINE_SHARE:
            received = written + timedelta(minutes=rng.randint(10, 300))
        else:
            received = written + timedelta(seconds=rng.randint(2, 40))
        report.written_at = min(written, self.now)
        report.received_at = min(received, self.now)
        _as(report, report.reported_by, report.received_at)

    def today_urgent(self, households: list[_Household]) -> WatchReport | None:
        """An urgent report from one of today's visits, received minutes ago: the demo's
        unacknowledged alert. From another partner than the demo's when one visits today."""
        rng, today = self.rng, self.today
        own = self.users["shokudo"].organisation_id
        visiting = [
            h for h in households if h.assignment.visit_dates(today, today) and h.closed_on is None
        ]
        others = [h for h in visiting if h.assignment.partner_id != own]
        ours = [h for h in visiting if h.assignment.partner_id == own]
        pool = others or (ours if len(ours) > 1 else [])
        if not pool:
            return None
        household = rng.choice(pool)
        report = WatchReport(
            key=_key(rng),
            assignment=household.assignment,
            visit_on=today,
            visited=True,
            child_seen=True,
            injuries=True,
            concern=WatchReport.Concern.URGENT,
            note=TODAY_NOTE,
            reported_by=self.reporter(household.assignment.partner_id),
        )
        midnight = _at(today, 0)
        report.written_at = max(midnight, self.now - timedelta(minutes=rng.randint(25, 40)))
        report.received_at = min(
            self.now, report.written_at + timedelta(seconds=rng.randint(5, 30))
        )
        _as(report, report.reported_by, report.received_at)
        household.reports.append(report)
        return report

    def forget_one(self, households: list[_Household]) -> tuple | None:
        """One visit some weeks ago that its cafeteria made but never reported: the daily
        check raised 予定の訪問の報告がない two days later. Returns (household, visit date)."""
        rng, today = self.rng, self.today
        own = self.users["shokudo"].organisation_id
        candidates = []
        for household in households:
            if household.closed_on or household.assignment.partner_id == own:
                continue
            days = [r.visit_on for r in household.reports]
            for report in household.reports:
                alone = sum(abs((report.visit_on - day).days) <= 3 for day in days) == 1
                weeks_ago = (
                    today - timedelta(days=60) <= report.visit_on <= today - timedelta(days=21)
                )
                if alone and weeks_ago and report.visited and report.concern == "none":
                    candidates.append((household, report))
        if not candidates:
            return None
        household, report = rng.choice(candidates)
        household.reports.remove(report)
        return household, report.visit_on

    def unreported(self, household: _Household, day: date) -> Alert:
        """As tsunagu.watch.services.raise_unreported_visits raises it, at the 08:00 check two
        days after the visit (no actor); the key person asked the cafeteria the same day."""
        rng = self.rng
        raised = _at(day + timedelta(days=2), 8) + timedelta(seconds=rng.randint(1, 20))
        alert = Alert(
            case_id=household.case_id,
            assignment=household.assignment,
            visit_on=day,
            reason=Reason.UNREPORTED,
            raised_at=raised,
            key_person=household.key_person,
            unit_id=household.unit_id,
        )
        worker = self.staff_for(household)
        alert.acknowledged_at = add_office_minutes(raised, rng.randint(10, 60))
        alert.handled_at = add_office_minutes(alert.acknowledged_at, rng.randint(20, 120))
        alert.acknowledged_by = alert.handled_by = worker
        alert.handling_note = UNREPORTED_NOTE
        return _as(alert, worker, alert.handled_at)

    def not_seen_twice(self, households: list[_Household]) -> None:
        """A small demo may have no two visits in a row without the child: then one household
        some weeks ago had two (the alert 2回続けて子どもの姿を確認できず)."""
        rng, today = self.rng, self.today
        pairs = []
        for household in households:
            ordered = sorted(household.reports, key=lambda r: (r.visit_on, r.received_at))
            for first, second in pairwise(ordered):
                if first.visit_on == second.visit_on:
                    continue
                if not (first.child_seen or second.child_seen):
                    return  # there is one already
                if all(
                    r.visited and r.concern == "none" and not getattr(r, "escalate", False)
                    for r in (first, second)
                ) and today - timedelta(days=56) <= first.visit_on <= today - timedelta(days=14):
                    pairs.append((first, second))
        for report in rng.choice(pairs) if pairs else ():
            report.child_seen, report.note = False, rng.choice(NOTES["unseen"])

    def escalate_one(self, households: list[_Household]) -> WatchReport | None:
        """The latest report whose urgent alert would have passed its deadline unacknowledged
        (a Saturday delivery, seen on Monday) becomes urgent: the demo's escalated alert."""
        minutes = self.municipality.alert_ack_minutes
        candidates = [
            r
            for h in households
            if h.closed_on is None
            for r in h.reports
            if r.visited
            and r.child_seen
            and r.concern == "none"
            and r.visit_on >= self.today - timedelta(days=14)
            and r.visit_on < self.today
            and add_office_minutes(r.received_at, minutes) + timedelta(minutes=30) <= self.now
        ]
        if not candidates:
            return None
        report = max(candidates, key=lambda r: r.received_at)  # the latest
        report.concern, report.injuries, report.note = "urgent", True, ESCALATED_NOTE
        report.escalate = True
        return report

    # --- alerts -------------------------------------------------------------------------------

    def alerts(self, households: list[_Household], today_report: WatchReport | None) -> list[Alert]:
        """What tsunagu.watch.services raises for each report, in the order they arrived;
        handled by the key person within office hours, except the two left open."""
        minutes = self.municipality.alert_ack_minutes
        made = []
        for household in households:
            previous = []
            for report in sorted(household.reports, key=lambda r: (r.visit_on, r.received_at)):
                before = [r for r in previous if r.visit_on < report.visit_on]
                reasons = []
                if report.concern == WatchReport.Concern.URGENT:
                    reasons.append(Reason.URGENT_REPORT)
                if not report.visited:
                    reasons.append(Reason.MISSED_VISIT)
                if not report.child_seen and before:
                    last = max(before, key=lambda r: (r.visit_on, r.received_at))
                    if not last.child_seen:
                        reasons.append(Reason.NOT_SEEN_TWICE)
                previous.append(report)
                for reason in reasons:
                    alert = Alert(
                        case_id=household.case_id,
                        assignment=household.assignment,
                        report=report,
                        reason=reason,
                        raised_at=report.received_at,
                        key_person=household.key_person,
                        unit_id=household.unit_id,
                    )
                    if reason in Alert.URGENT_REASONS:
                        alert.acknowledge_by = add_office_minutes(alert.raised_at, minutes)
                    if report is today_report:
                        self.left_open(alert)
                    elif getattr(report, "escalate", False):
                        self.escalated(alert)
                    else:
                        self.handle(alert, report, household)
                    made.append(alert)
        return made

    def staff_for(self, household: _Household) -> User:
        if household.key_person:
            return household.key_person
        return self.nurse if household.unit_id == self.nurse.organisation_id else self.worker

    def handle(self, alert: Alert, report: WatchReport, household: _Household) -> None:
        rng, now = self.rng, self.now
        worker = self.staff_for(household)
        urgent = alert.reason in Alert.URGENT_REASONS
        seen = add_office_minutes(
            alert.raised_at, rng.randint(3, 25) if urgent else rng.randint(5, 75)
        )
        done = add_office_minutes(seen, rng.randint(40, 300) if urgent else rng.randint(20, 480))
        # A late report of yesterday: handled this morning, before the demo's moment.
        seen = max(alert.raised_at, min(seen, now - timedelta(minutes=20)))
        done = max(seen, min(done, now - timedelta(minutes=5)))
        alert.acknowledged_at, alert.acknowledged_by = seen, worker
        alert.handled_at, alert.handled_by = done, worker
        if urgent:
            check = next(c for c in URGENT_CHECKS if getattr(report, c))
            alert.handling_note = rng.choice(HANDLING[check])
            self.activities.append(
                Activity(
                    case_id=household.case_id,
                    kind=Activity.Kind.JOINT_VISIT
                    if "同行" in alert.handling_note
                    else Activity.Kind.VISIT,
                    occurred_at=max(seen, done - timedelta(minutes=rng.randint(30, 90))),
                    author=worker,
                    child_seen=True,
                    content=f"見守り報告(緊急)を受けて対応。{alert.handling_note}",
                )
            )
        else:
            reason = report.not_visited_reason
            if alert.reason != Reason.MISSED_VISIT or reason not in HANDLING:
                reason = alert.reason
            alert.handling_note = rng.choice(HANDLING[reason])
        _as(alert, worker, done)

    def escalated(self, alert: Alert) -> None:
        """Nobody acknowledged it in office time: the job escalated it at its deadline, and the
        supervisor took it; a visit is being arranged (not handled yet)."""
        rng = self.rng
        alert.escalated_at = alert.acknowledge_by + timedelta(seconds=rng.randint(5, 50))
        seen = alert.escalated_at + timedelta(minutes=rng.randint(6, 20))
        alert.acknowledged_at = min(seen, self.now)
        alert.acknowledged_by = self.supervisor
        _as(alert, self.supervisor, alert.acknowledged_at)

    def left_open(self, alert: Alert) -> None:
        """Raised minutes ago and not acknowledged: escalated already when its office-time
        deadline has passed, else the escalation job waits for it as the service queues it."""
        if alert.acknowledge_by and alert.acknowledge_by <= self.now:
            alert.escalated_at = alert.acknowledge_by + timedelta(seconds=30)
        _as(alert, alert.report.reported_by, alert.raised_at)

    # --- referrals (つなぐ) --------------------------------------------------------------------

    def referrals(self) -> None:
        """Fifteen over five months, five from each cafeteria: the oldest reached or not, some
        received and being worked on (one past the day it should have been reached), two
        just sent. The intakes made of them take the place of as many of the year's
        consultations that ended in advice, with their numbers: the year's total stays the
        seed's."""
        rng, today, now = self.rng, self.today, self.now
        reach_days = self.municipality.referral_reach_days
        units = {
            window: Organisation.objects.filter(
                municipality=self.municipality, kind=kind, is_active=True
            )
            .order_by("pk")
            .first()
            for window, kind in WINDOW_UNITS.items()
        }
        categories = {c.code: c for c in ConsultationCategory.objects.filter(is_current=True)}
        fallback = next(iter(categories.values()), None)
        staff = {self.worker.organisation_id: self.worker, self.nurse.organisation_id: self.nurse}
        texts = list(REFERRALS)
        rng.shuffle(texts)
        partners = [self.cooperating[n % len(self.cooperating)] for n in range(len(texts))]
        # Days ago each was sent, newest first: two just sent, three received (one overdue).
        ages = [0, 1, 4, 8, reach_days + 6]
        ages += sorted(rng.sample(range(reach_days + 10, 150), len(texts) - len(ages)))
        finished = [i for i, age in enumerate(ages) if age > reach_days + 6]
        not_reached = set(rng.sample(finished, min(2, len(finished) // 4)))
        referrals, intakes = [], []
        for n, (partner, (window, children, said), age) in enumerate(
            zip(partners, texts, ages, strict=True)
        ):
            day = today - timedelta(days=age)
            family, _ = names.family_name(rng)
            given, _ = names.given_name(rng, "female")
            sent = _at(day, rng.randint(10, 19), rng.randrange(60))
            if age == 0:
                sent = max(_at(today, 0), min(sent, now - timedelta(minutes=rng.randint(60, 180))))
            user = self.staff[partner.pk]
            referral = Referral(
                partner=partner,
                referred_by=user,
                unit=units[window],
                window=window,
                guardian_name=f"{family} {given}",
                children=children,
                contact_phone=f"090-{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}",
                contact_when=rng.choice(CONTACT_WHEN),
                what_was_said=said,
                consent=rng.choices(Referral.Consent.values, weights=[70, 30])[0],
                consent_on=day - timedelta(days=rng.choice([0, 0, 0, 1, 2])),
                contact_by=rng.choices(Referral.Contact.values, weights=[60, 20, 20])[0],
                sent_at=sent,
                reach_by=day + timedelta(days=reach_days),
            )
            referrals.append(_as(referral, user, sent))
            if age <= 1:
                continue
            # Taken in as receive_referral does (tsunagu.watch.services).
            taker = staff.get(referral.unit_id, self.worker)
            received = min(add_office_minutes(sent, rng.randint(20, 240)), now)
            intake = Intake(
                municipality=self.municipality,
                received_at=received,
                received_by=taker,
                unit=referral.unit,
                channel=Intake.Channel.PARTNER_REPORT,
                source=PARTNER_SOURCES.get(partner.kind, Intake.Source.CAFETERIA),
                source_organisation=partner,
                caller_name=f"{partner}({user})"[:100],
                category=categories.get(REFERRAL_CATEGORIES[window], fallback),
                urgency=Intake.Urgency.SOON if window == "maternal" else Intake.Urgency.ROUTINE,
                summary=referral_summary(referral),
            )
            intakes.append(_as(intake, taker, received))
            referral.intake, referral.status, referral.received_at = (
                intake,
                Referral.Status.RECEIVED,
                received,
            )
            if age > reach_days + 6:  # closed: reached, or not
                closed = received.date() + timedelta(days=rng.randint(2, reach_days))
                if n not in not_reached:
                    referral.status, referral.reached_on = Referral.Status.REACHED, closed
                    referral.outcome_note = rng.choice(REACHED)
                else:
                    referral.status = Referral.Status.NOT_REACHED
                    referral.outcome_note = rng.choice(NOT_REACHED)
                intake.outcome = Intake.Outcome.ADVICE
                _as(referral, taker, _at(closed, 16, rng.randrange(60)))
            else:
                _as(referral, taker, received)
        self.number(intakes)
        self.bulk(Intake, intakes, "相談受付(つなぐ)")
        self.bulk(Referral, referrals, "つなぐ")
        self.made["つなぐ"] = len(referrals)

    def number(self, intakes: list[Intake]) -> None:
        """Each new intake takes the place (and the number) of a consultation of its fiscal
        year that ended in advice, with no case and no hand-off; past those, the next number."""
        rng = self.rng
        wanted: dict[int, list[Intake]] = defaultdict(list)
        for intake in intakes:
            day = timezone.localdate(intake.received_at)
            wanted[fiscal_year_of(day)].append(intake)
        for fiscal, theirs in sorted(wanted.items()):
            mine = Intake.objects.filter(
                municipality=self.municipality, number__startswith=f"{fiscal}-"
            )
            replaceable = list(
                mine.filter(
                    outcome=Intake.Outcome.ADVICE,
                    case=None,
                    is_abuse_report=False,
                    handoffs=None,
                    referral=None,
                ).values_list("pk", "number")
            )
            taken = rng.sample(sorted(replaceable), min(len(theirs), len(replaceable)))
            last = max(
                (int(n.split("-")[1]) for n in mine.values_list("number", flat=True)), default=0
            )
            numbers = sorted(number for _, number in taken)
            numbers += [
                f"{fiscal}-{last + k:05d}" for k in range(1, len(theirs) - len(numbers) + 1)
            ]
            for intake, number in zip(theirs, numbers, strict=True):
                intake.number = number
            gone = [pk for pk, _ in taken]
            IntakePerson.objects.filter(intake__in=gone).delete()
            Intake.objects.filter(pk__in=gone).delete()
            Intake.history.filter(id__in=gone).delete()

    # --- the cafeteria network ----------------------------------------------------------------

    def network(self) -> None:
        rng, today = self.rng, self.today
        network = Network.objects.create(
            municipality=self.municipality, name=f"{self.municipality.name}こども食堂ネットワーク"
        )
        founded = date(2020, 10, 1)  # seed 000: 令和2年10月〜
        members = []
        for k, cafeteria in enumerate(self.cafeterias):
            schedule_text = "、".join(
                schedules.describe(s) for s in CAFETERIA_SCHEDULES[k % len(CAFETERIA_SCHEDULES)]
            )
            profile = f"{schedule_text}に開いています。{rng.choice(PROFILES)}"
            if cafeteria in self.cooperating:
                profile += "土曜日はお弁当の宅食(センターからの紹介のご家庭へ)。"
            family, _ = names.family_name(rng)
            joined = founded + timedelta(
                days=0 if cafeteria in self.cooperating else rng.randint(0, 900)
            )
            members.append(
                NetworkMember(
                    network=network,
                    organisation=cafeteria,
                    profile=profile,
                    contact=f"代表 {family}(LINEグループで連絡)",
                    joined_on=min(joined, today),
                )
            )
        if self.council:
            members.append(
                NetworkMember(
                    network=network,
                    organisation=self.council,
                    profile="フードバンクとフードドライブの窓口。寄付の受け入れと保管(福祉会館の倉庫)をお手伝いします。",
                    contact="地域福祉係(平日8:30〜17:15)",
                    joined_on=min(founded, today),
                )
            )
        self.bulk(NetworkMember, members, "ネットワークの参加団体")
        self.donations(network)
        self.needs(network)

    def donations(self, network: Network) -> None:
        """Offered to the network, asked for in shares by the cafeterias that want them
        (never more than was given): the older ones closed, three still open."""
        rng, today, now = self.rng, self.today, self.now
        sharing = self.cooperating[-1]
        donations, claims = [], []
        for offerer, days, donor, item, quantity, unit, keeps, claim_days, shares in DONATIONS:
            day = today - timedelta(days=days)
            poster = self.worker if offerer == "center" else self.staff[sharing.pk]
            posted = min(_at(day, rng.randint(9, 16), rng.randrange(60)), now - timedelta(hours=1))
            donation = Donation(
                network=network,
                offered_by_id=poster.organisation_id,
                donor=donor,
                item=item,
                quantity=quantity,
                unit=unit,
                expires_on=day + timedelta(days=keeps) if keeps else None,
                pick_up=PICK_UP[offerer],
                claim_until=day + timedelta(days=claim_days),
                posted_by=poster,
                posted_at=posted,
            )
            donations.append(_as(donation, poster, posted))
            takers = [c for c in self.cooperating if c.pk != poster.organisation_id]
            last = min(now, _at(donation.claim_until, 20))
            for share, member in zip(shares, rng.sample(takers, len(shares)), strict=True):
                span = max(60, int((last - posted).total_seconds()))
                claimed = min(now, posted + timedelta(seconds=rng.randint(60, span)))
                user = self.staff[member.pk]
                claim = DonationClaim(
                    donation=donation,
                    organisation=member,
                    quantity=share,
                    claimed_by=user,
                    claimed_at=claimed,
                )
                claims.append(_as(claim, user, claimed))
        self.bulk(Donation, donations, "寄付物品")
        claims.sort(key=lambda c: c.claimed_at)
        self.bulk(DonationClaim, claims, "寄付物品の配分")
        self.made["寄付物品"] = len(donations)
        self.made["配分"] = len(claims)

    def needs(self, network: Network) -> None:
        rng, today, now = self.rng, self.today, self.now
        made = []
        for n, (days, what, until, met) in enumerate(NEEDS):
            organisation = self.cooperating[n % len(self.cooperating)]
            user = self.staff[organisation.pk]
            posted = min(_at(today - timedelta(days=days), rng.randint(10, 21)), now)
            need = Need(
                network=network,
                organisation=organisation,
                what=what,
                until=today + timedelta(days=until - days) if until else None,
                met=met,
                posted_by=user,
                posted_at=posted,
            )
            made.append(_as(need, user, posted))
        self.bulk(Need, made, "ほしいもの")
        self.made["ほしいもの"] = len(made)


def build_watch(rng: Random, municipality, organisations, users, today, scale, bulk, progress):
    """Watching over by three cafeterias, its alerts, referrals from partners and the
    cafeteria network. Returns counts by kind."""
    builder = _Builder(rng, municipality, organisations, users, today, scale, bulk, progress)
    if len(builder.cooperating) < len(PARTNER_LOGINS):
        return builder.made
    pool, moved = builder.households()
    households = builder.choose(pool, moved)
    builder.assign(households)
    schedule_daily_check()  # as assign_watch does: the check of unreported visits runs daily
    builder.reports(households)
    forgotten = builder.forget_one(households)
    builder.escalate_one(households)
    today_report = builder.today_urgent(households)
    builder.not_seen_twice(households)
    reports = sorted((r for h in households for r in h.reports), key=lambda r: r.received_at)
    bulk(WatchReport, reports, "見守り報告")
    alerts = builder.alerts(households, today_report)
    if forgotten:
        alerts.append(builder.unreported(*forgotten))
    bulk(Alert, alerts, "見守りアラート")
    for alert in alerts:
        if alert.report_id and alert.report is today_report:
            # Queued as the service queues them: the mail, and the check at its deadline.
            notify_alert_task.enqueue(alert.pk)
            if not alert.escalated_at:
                escalate_alert_task.using(run_after=alert.acknowledge_by).enqueue(alert.pk)
    bulk(Activity, builder.activities, "支援記録(見守り)")
    builder.made["見守り報告"] = len(reports)
    builder.made["アラート"] = len(alerts)
    builder.made["未対応のアラート"] = sum(1 for a in alerts if a.handled_at is None)
    builder.referrals()
    builder.network()
    return builder.made
