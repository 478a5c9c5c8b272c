"""The figures of a fiscal year (家庭支援事業の実績), counted by hand on a small city: two
services (helper visits in hours, the child hub in days), two providers with uses and one
without, three families, uses over fiscal years 2025 and 2026 with one use not attended and
one held for approval (neither counts).

Every use is dated explicitly in the past of both moments the suite runs at (2026-11-24 and
CI's 2028-12-31), so the figures do not depend on the day of the run."""

from datetime import date, time
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests import factories
from tsunagu.accounts.services import create_user
from tsunagu.core.fiscal import fiscal_year_of
from tsunagu.core.models import Organisation
from tsunagu.family_support import catalogue, figures, services
from tsunagu.family_support.models import Contract, Provider, Usage
from tsunagu.family_support.services import UseInput

pytestmark = pytest.mark.django_db

VISITS, HUB = "home_visit_support", "child_hub"


def _offerings(town, year: int) -> dict:
    return {o.kind.code: o for o in catalogue.load(town, year)}


def _contract(offering, provider, price=3000, percent=Decimal(10)) -> None:
    Contract.objects.create(
        offering=offering, provider=provider, unit_price=price, management_fee_percent=percent
    )


def _visit(day: date, starts=time(10), ends=time(12), **extra) -> UseInput:
    return UseInput(used_on=day, starts_at=starts, ends_at=ends, **extra)


def _day(day: date, **extra) -> UseInput:
    return UseInput(used_on=day, **extra)


@pytest.fixture
def city(town, users):
    """The uses, by decision (D) and use (u); ✗ does not count.

    FY2025 (the previous year):
      D1 visits/A  family 1, 結衣   u1 2025-05-12 2 h; u2 2025-06-09 2 h
      D2 hub/B     family 2        u3 2025-06-09; ✗ u4 2026-03-30 not attended
    FY2026:
      D3 visits/A  family 1, 結衣   u5 04-06 2 h; u6 04-20 3 h (1 h over: fee 300 + 1,000);
                                   u7 05-11 2 h; u8 05-25 2 h; ✗ u9 06-01 the 5th: held
      D4 visits/A  family 3 (その他) u10 04-06 1.5 h with the mother (guardians 1): fee 900
      D5 hub/A     family 1, 蓮     u11 04-06; u12 04-07
      D6 hub/B     family 1, 結衣   u13 04-06; u14 05-11
      D7 hub/B     family 2        u15 04-06; ✗ u16 05-11 not attended
    Contracts: A 3,000 円 + 10 % for both services; B 2,750 円 + 7.5 % for the hub; C, a
    person (a helper working alone), for visits in FY2026, never used.
    Fees: visits 150 円/h (住民税非課税), 600 円/h (その他); the hub is free.
    """
    worker = users["caseworker"]
    families = [factories.family(town) for _ in range(3)]
    (_h1, mother1, child1a), (_h2, mother2, child2), (_h3, mother3, child3) = families
    child1b = factories.person(town, "蓮", "レン", date(2016, 6, 1))
    factories.known_to(child1b, *factories.BOTH_UNITS)
    cases = [
        factories.case(worker, [(mother1, "guardian"), (child1a, "child"), (child1b, "child")]),
        factories.case(worker, [(mother2, "guardian"), (child2, "child")]),
        factories.case(worker, [(mother3, "guardian"), (child3, "child")]),
    ]
    last_year, this_year = _offerings(town, 2025), _offerings(town, 2026)
    a = factories.service_provider(
        last_year[VISITS],
        name="ヘルパーステーション ひだまり",
        organisation=users["provider"].organisation,
    )
    for offering in (last_year[HUB], this_year[VISITS], this_year[HUB]):
        _contract(offering, a)
    b_organisation = Organisation.objects.create(
        municipality=town, kind=Organisation.Kind.PROVIDER, name="NPO法人 ぽかぽか"
    )
    b_staff = create_user(
        username="b_provider",
        password=factories.PASSWORD,
        organisation=b_organisation,
        role="provider_staff",
    )
    b = Provider.objects.create(
        municipality=town,
        name="こどもの居場所 ぽかぽか",
        kind=Provider.Kind.NPO,
        organisation=b_organisation,
    )
    for offering in (last_year[HUB], this_year[HUB]):
        _contract(offering, b, price=2750, percent=Decimal("7.5"))
    c = Provider.objects.create(
        municipality=town, name="山田 太郎", kind=Provider.Kind.PROFESSIONAL
    )
    _contract(this_year[VISITS], c)

    def decide(case, child, offering, provider, year, tier="tax_exempt", **extra):
        return services.decide(
            case,
            actor=worker,
            child=child,
            offering=offering,
            provider=provider,
            starts_on=date(year, 4, 1),
            ends_on=date(year + 1, 3, 31),
            tier=tier,
            **extra,
        )

    def use(decision, entry, staff=users["provider"]):
        usage, created = services.record_use(decision, entry, actor=staff)
        assert created
        return usage

    d1 = decide(cases[0], child1a, last_year[VISITS], a, 2025)
    use(d1, _visit(date(2025, 5, 12)))
    use(d1, _visit(date(2025, 6, 9)))
    d2 = decide(cases[1], child2, last_year[HUB], b, 2025)
    use(d2, _day(date(2025, 6, 9)), b_staff)
    use(d2, _day(date(2026, 3, 30), attended=False), b_staff)

    d3 = decide(cases[0], child1a, this_year[VISITS], a, 2026, extendable=True)
    for day, ends in ((6, time(12)), (20, time(13))):
        use(d3, _visit(date(2026, 4, day), ends=ends))
    for day in (date(2026, 5, 11), date(2026, 5, 25)):
        use(d3, _visit(day))
    held = use(d3, _visit(date(2026, 6, 1)))
    assert held.status == Usage.Status.HELD
    d4 = decide(cases[2], child3, this_year[VISITS], a, 2026, tier="other")
    use(d4, _visit(date(2026, 4, 6), ends=time(11, 30), guardians=1))
    d5 = decide(cases[0], child1b, this_year[HUB], a, 2026)
    use(d5, _day(date(2026, 4, 6)))
    use(d5, _day(date(2026, 4, 7)))
    d6 = decide(cases[0], child1a, this_year[HUB], b, 2026)
    use(d6, _day(date(2026, 4, 6)), b_staff)
    use(d6, _day(date(2026, 5, 11)), b_staff)
    d7 = decide(cases[1], child2, this_year[HUB], b, 2026)
    use(d7, _day(date(2026, 4, 6)), b_staff)
    use(d7, _day(date(2026, 5, 11), attended=False), b_staff)
    return {"town": town, "a": a, "b": b, "c": c, "offerings": this_year, "d1": d1}


def _row(**values) -> figures.Row:
    return figures.Row(**values)


def _service(result, code):
    """The service of the year's catalogue of that kind."""
    (service,) = [
        s
        for s in result.services
        if s.offering.kind.code == code and s.offering.fiscal_year == result.fiscal_year
    ]
    return service


def _provider(service, provider):
    (row,) = [p for p in service.providers if p.provider_id == provider.pk]
    return row


def test_helper_visits_by_provider_month_and_year(city):
    result = figures.year_figures(city["town"].pk, 2026)
    visits = _service(result, VISITS)
    a = _provider(visits, city["a"])
    # April at A: u5 (結衣 2 h, fee 300), u6 (結衣 3 h, fee 2 × 150 + 1,000 over),
    # u10 (family 3's child and mother, 1.5 h at 600 円). Children 結衣 and family 3's → 2;
    # persons 1 + 1 + 2 = 4; households families 1 and 3; dates 04-06 and 04-20.
    # 委託料 3,000 × 6.5 h × 1.10 = 21,450.
    assert a.months[4] == _row(
        children=2,
        persons=4,
        households=2,
        uses=3,
        hours=Decimal("6.5"),
        open_days=2,
        places=1,
        fees=2500,
        payable=21450,
    )
    # May: u7, u8 (結衣 2 h each). 3,000 × 4 × 1.10 = 13,200. June: u9 is held, nothing.
    assert a.months[5] == _row(
        children=1,
        persons=2,
        households=1,
        uses=2,
        hours=Decimal(4),
        open_days=2,
        places=1,
        fees=600,
        payable=13200,
    )
    assert a.months[6] == figures.Row()
    # The year: 結衣 and family 3's child are 2 children (not April's 2 + May's 1).
    assert a.year == _row(
        children=2,
        persons=6,
        households=2,
        uses=5,
        hours=Decimal("10.5"),
        open_days=4,
        places=1,
        fees=3100,
        payable=34650,
    )
    # C, under contract and never used: a row of zeros, shown by kind and number, not name.
    c = _provider(visits, city["c"])
    assert c.year == figures.Row() and c.label == "専門職(個人) 1"
    assert visits.year == a.year and visits.months[4] == a.months[4]
    # FY2025's visits (D1: u1, u2 of 2 h at A): 3,000 × 2 × 1.10 a month.
    assert visits.previous == _row(
        children=1,
        persons=2,
        households=1,
        uses=2,
        hours=Decimal(4),
        open_days=2,
        places=1,
        fees=600,
        payable=13200,
    )
    assert visits.change[3] == "250.0%"  # 回: 5 against 2


def test_the_child_hub_counts_children_households_and_days_once_across_providers(city):
    result = figures.year_figures(city["town"].pk, 2026)
    hub = _service(result, HUB)
    a, b = _provider(hub, city["a"]), _provider(hub, city["b"])
    # A in April: u11, u12 (蓮 on 04-06 and 04-07). 3,000 × 2 × 1.10 = 6,600.
    assert a.months[4] == _row(
        children=1, persons=2, households=1, uses=2, days=2, open_days=2, places=1, payable=6600
    )
    # B in April: u13 (結衣), u15 (family 2's child), both on 04-06: 2,750 × 2 × 1.075 =
    # 5,912.5 → 5,912 (rounded down). May: u14 (結衣 05-11): 2,956.25 → 2,956; u16 absent.
    assert b.months[4] == _row(
        children=2, persons=2, households=2, uses=2, days=1, open_days=1, places=1, payable=5912
    )
    assert b.months[5] == _row(
        children=1, persons=1, households=1, uses=1, days=1, open_days=1, places=1, payable=2956
    )
    assert b.year == _row(
        children=2, persons=3, households=2, uses=3, days=2, open_days=2, places=1, payable=8868
    )
    # The service in April: 蓮 (A), 結衣 and family 2's child (B) are 3 children of 2
    # households (蓮 and 結衣 are both family 1: not 1 + 2); 日 counts 04-06 once (A and B
    # were both open): 04-06, 04-07 → 2; 開所日数 adds the providers' days: 2 + 1 = 3.
    assert hub.months[4] == _row(
        children=3,
        persons=4,
        households=2,
        uses=4,
        days=2,
        open_days=3,
        places=2,
        payable=6600 + 5912,
    )
    # The year: 3 children (結衣, 蓮, family 2's), 2 households, dates 04-06, 04-07, 05-11.
    assert hub.year == _row(
        children=3,
        persons=5,
        households=2,
        uses=5,
        days=3,
        open_days=4,
        places=2,
        payable=6600 + 8868,
    )
    # FY2025: u3 only (u4 not attended): 2,750 × 1.075 = 2,956.25 → 2,956.
    assert hub.previous == _row(
        children=1, persons=1, households=1, uses=1, days=1, open_days=1, places=1, payable=2956
    )


def test_the_citys_totals_count_a_child_a_household_and_a_provider_once(city):
    result = figures.year_figures(city["town"].pk, 2026)
    # Children: 結衣 (visits and hub), family 3's, 蓮, family 2's → 4, not 2 + 3. Households:
    # families 1, 2, 3 → 3, not 2 + 2. Providers A and B → 2, not 1 + 2. 日: the hub's 3 dates.
    assert result.total == _row(
        children=4,
        persons=11,
        households=3,
        uses=10,
        hours=Decimal("10.5"),
        days=3,
        open_days=8,
        places=2,
        fees=3100,
        payable=34650 + 15468,
    )
    # FY2025: 結衣's two visits and family 2's day at the hub.
    assert result.previous_total == _row(
        children=2,
        persons=3,
        households=2,
        uses=3,
        hours=Decimal(4),
        days=1,
        open_days=3,
        places=2,
        fees=600,
        payable=13200 + 2956,
    )
    # Every service of the year's catalogue is listed, the unused ones with zeros.
    assert len(result.services) == len(catalogue.STANDARD)
    others = [s for s in result.services if s.offering.kind.code not in (VISITS, HUB)]
    assert all(s.year == figures.Row() and s.previous == figures.Row() for s in others)


def test_the_previous_year_seen_from_itself(city):
    result = figures.year_figures(city["town"].pk, 2025)
    assert _service(result, VISITS).year.payable == 13200
    assert _service(result, HUB).year.uses == 1
    assert result.total.uses == 3 and result.previous_total == figures.Row()
    assert _service(result, VISITS).previous is None  # no FY2024 catalogue


def test_a_decision_running_past_march_counts_in_the_year_of_the_use(city, users):
    """D1 (FY2025's helper visits) extended to June: its April use is FY2026's, under the
    FY2025 service, which then has a table of its own."""
    d1 = city["d1"]
    d1.ends_on = date(2026, 6, 30)
    d1.save()
    services.record_use(d1, _visit(date(2026, 4, 13)), actor=users["provider"])
    result = figures.year_figures(city["town"].pk, 2026)
    (late,) = [s for s in result.services if s.offering == d1.offering]
    assert late.name == "子育て世帯訪問支援(ヘルパー派遣)(2025年度の事業)"
    assert late.year.uses == 1 and late.previous is None
    assert _service(result, VISITS).year.uses == 5
    assert result.total.uses == 11 and result.total.children == 4  # 結衣 already counted


def test_another_city_is_not_counted(city, other_town):
    other = _offerings(other_town, 2026)
    assert other
    assert figures.year_figures(other_town.pk, 2026).total == figures.Row()
    assert figures.year_figures(city["town"].pk, 2026).total.uses == 10


def test_the_page_and_the_workbook(client, users, city):
    client.force_login(users["caseworker"])
    page = client.get(reverse("family_support:figures"), {"year": "2026"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "2026年度(令和8年度)" in html and "50,118" in html  # the year's 委託料
    assert "専門職(個人) 1" in html
    for name in ("山田", "結衣", "髙橋", "美咲"):
        assert name not in html  # no person's name, neither a family's nor a provider's

    export = client.get(reverse("family_support:figure_export"), {"year": "2026"})
    assert export.status_code == 200
    assert export["Content-Disposition"].endswith('"kateishien-jisseki-2026.xlsx"')
    sheet = load_workbook(BytesIO(export.content)).active
    assert [cell.value for cell in sheet[1]][:6] == [
        "事業",
        "単位",
        "事業者",
        "期間",
        "実人数",
        "延べ人数",
    ]
    lines = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert lines[-2] == [
        "合計",
        None,
        None,
        "年度計",
        4,
        11,
        3,
        10,
        10.5,
        3,
        0,
        0,
        8,
        2,
        3100,
        50118,
    ]
    assert lines[-1][3:6] == ["前年度計", 2, 3]
    (b_april,) = [
        line for line in lines if line[2] == "こどもの居場所 ぽかぽか" and line[3] == "2026年4月"
    ]
    assert b_april[4:] == [2, 2, 2, 2, 0, 1, 0, 0, 1, 1, 0, 5912]


def test_the_year_defaults_to_the_current_one_and_a_wrong_one_is_said(client, users, city):
    client.force_login(users["supervisor"])
    current = fiscal_year_of(timezone.localdate())
    page = client.get(reverse("family_support:figures"))
    assert page.status_code == 200 and page.context["figures"].fiscal_year == current
    wrong = client.get(reverse("family_support:figures"), {"year": "令和8"})
    assert wrong.context["figures"].fiscal_year == current
    assert "西暦" in wrong.content.decode()


@pytest.mark.parametrize("who", ["provider", "partner", "cgc"])
def test_others_may_not_see_the_figures(client, users, city, who):
    client.force_login(users[who])
    for name in ("family_support:figures", "family_support:figure_export"):
        assert client.get(reverse(name), {"year": "2026"}).status_code in (403, 404)
