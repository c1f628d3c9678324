"""Enterprises, contacts, leads, projects with stage histories, approvals, activities,
parks, land parcels and buildings, with plausible distributions.

Amounts follow log-normal distributions (most projects are a few 亿元, a few are tens of
亿元); stage histories move forward with gaps of days to months, some on the same day
(签约即落地); everything falls within the last `scale.years` years.
"""

import datetime
import itertools
import math
from decimal import Decimal

from django.db import connection

from zhaoshang.organization.choices import UnitKind
from zhaoshang.synthetic import names

RECORD_UNIT_KINDS = {
    UnitKind.STREET,
    UnitKind.TOWN,
    UnitKind.PARK,
    UnitKind.BUREAU,
    UnitKind.TASK_FORCE,
    UnitKind.RESIDENT_OFFICE,
    UnitKind.TEAM,
}
INDUSTRY_WEIGHTS = {
    "C": 50,
    "I": 10,
    "F": 9,
    "G": 8,
    "M": 8,
    "K": 4,
    "D": 3,
    "E": 3,
    "L": 3,
    "R": 2,
}
STAGE_PATH = ["lead", "negotiating", "signed", "registered", "landed", "started", "completed"]
FINAL_STAGE_WEIGHTS = {
    "lead": 8,
    "negotiating": 20,
    "signed": 15,
    "registered": 8,
    "landed": 7,
    "started": 16,
    "completed": 12,
    "continuing": 8,
    "terminated": 6,
}
CAPITAL_ORIGINS = {
    "in_district": 15,
    "out_of_district": 25,
    "out_of_city": 30,
    "out_of_province": 22,
    "abroad": 8,
}
CHANNELS = {
    "team": 18,
    "resident": 14,
    "business_referral": 16,
    "chain": 12,
    "advisor": 8,
    "event": 12,
    "fund": 5,
    "entrusted": 4,
    "online": 5,
    "enterprise_visit": 6,
}
ACTIVITY_KINDS = {
    "visit": 40,
    "hosted_visit": 20,
    "trip": 15,
    "negotiation": 15,
    "online_negotiation": 3,
    "event": 4,
    "signing_ceremony": 1,
    "training": 2,
}
LAND_USES = {
    "industrial": 55,
    "innovative_industrial": 10,
    "commercial": 15,
    "mixed_commercial_residential": 10,
    "residential": 10,
}
PROJECT_KINDS = [
    "生产基地",
    "研发中心",
    "区域总部",
    "智能制造基地",
    "产业园",
    "扩建",
    "新建厂房",
    "供应链中心",
    "创新中心",
]
APPROVALS = ["环评", "能评", "土地摘牌", "施工许可", "规划许可", "消防审验"]
TRIP_CITIES = [
    "上海",
    "深圳",
    "北京",
    "杭州",
    "苏州",
    "广州",
    "成都",
    "武汉",
    "南京",
    "香港",
    "东京",
    "新加坡",
    "首尔",
    "法兰克福",
]


def weighted(rng, table):
    keys, weights = zip(*table.items(), strict=True)
    cumulative = list(itertools.accumulate(weights))
    return lambda: rng.choices(keys, cum_weights=cumulative)[0]


def lognormal_wan(rng, median, sigma):
    """An amount in 万元 around `median`, rounded to 2 decimals, as text."""
    return str(Decimal(median * math.exp(rng.gauss(0, sigma))).quantize(Decimal("0.01")))


class Writer:
    """Bulk-writes rows with explicit ids: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        self.now = now.isoformat() if self.postgres else now.strftime("%Y-%m-%d %H:%M:%S")

    def stamp(self, day):
        """A timestamp at 10:00 (UTC) of `day`, written as the database expects it."""
        moment = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
        return moment.isoformat() if self.postgres else moment.strftime("%Y-%m-%d %H:%M:%S")

    def insert(self, model, fields, rows, chunk=20000):
        table = model._meta.db_table
        columns = [model._meta.get_field(f).column for f in fields]
        count = 0
        with connection.cursor() as cursor:
            if self.postgres:
                cols = ", ".join(f'"{c}"' for c in columns)
                with cursor.cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
            else:
                sql = (
                    f'INSERT INTO "{table}" ({", ".join(columns)}) '
                    f"VALUES ({', '.join(['%s'] * len(columns))})"
                )
                batch = []
                for row in rows:
                    batch.append(row)
                    if len(batch) >= chunk:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        return count

    def reset_sequences(self, models):
        if not self.postgres:
            return
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


def generate(scale, rng, units, step):
    """Write every kind of record for `scale`; `step(name, build)` times each table."""
    from zhaoshang.activities.models import Activity
    from zhaoshang.carriers.models import Building, BuildingTenant, LandParcel, Park
    from zhaoshang.enterprises.models import Contact, Enterprise
    from zhaoshang.enterprises.normalize import normalize_name
    from zhaoshang.organization.models import User
    from zhaoshang.pipeline.models import Approval, Lead, Milestone, Project

    writer = Writer()
    now = writer.now
    today = datetime.date.today()
    first_day = today - datetime.timedelta(days=365 * scale.years)
    span_days = (today - first_day).days
    record_units = [u for u in units.values() if u.kind in RECORD_UNIT_KINDS]
    unit_ids = [u.pk for u in record_units]
    users = list(User.objects.values_list("pk", "unit_id"))
    users_by_unit = {}
    for pk, unit_id in users:
        users_by_unit.setdefault(unit_id, []).append(pk)
    district_of = {}
    for unit in units.values():
        parts = unit.path.strip("/").split("/")
        district_of[unit.pk] = next(
            (units[c].pk for c in reversed(parts) if units[c].kind == UnitKind.DISTRICT), unit.pk
        )
    leaders_by_district = {}
    for unit in units.values():
        if unit.kind == UnitKind.DISTRICT:
            leaders_by_district[unit.pk] = users_by_unit.get(unit.pk, [None])

    industry = weighted(rng, INDUSTRY_WEIGHTS)

    def a_day():
        return first_day + datetime.timedelta(days=rng.randrange(span_days))

    # Enterprises -------------------------------------------------------------------------
    n_ent = scale.enterprises
    ent_unit = [rng.choice(unit_ids) for _ in range(n_ent)]

    def enterprises():
        for i in range(1, n_ent + 1):
            sector = industry()
            name = names.company_name(rng, sector)
            r = rng.random
            yield (
                i,
                now,
                now,
                ent_unit[i - 1],
                name,
                names.credit_code(rng, i),
                "",
                normalize_name(name),
                "",
                lognormal_wan(rng, 1000, 1.4),
                "",
                "",
                "",
                sector,
                r() < 0.003,
                r() < 0.01,
                r() < 0.005,
                r() < 0.03,
                r() < 0.02,
                r() < 0.04,
                r() < 0.10,
                r() < 0.15,
                "",
                "",
            )

    step(
        "enterprises",
        lambda: writer.insert(
            Enterprise,
            [
                "id",
                "created_at",
                "updated_at",
                "unit",
                "name",
                "credit_code",
                "former_names",
                "normalized_name",
                "normalized_former_names",
                "registered_capital",
                "province",
                "city",
                "county",
                "industry",
                "fortune_global_500",
                "china_top_500",
                "central_soe",
                "listed",
                "industry_leader",
                "specialised",
                "high_tech",
                "above_scale",
                "website",
                "notes",
            ],
            enterprises(),
        ),
    )

    def contacts():
        for i in range(1, n_ent // 2 + 1):
            yield (
                i,
                now,
                now,
                rng.randrange(1, n_ent + 1),
                names.person_name(rng),
                rng.choice(names.TITLES),
                names.phone(rng),
                "",
                "",
            )

    step(
        "contacts",
        lambda: writer.insert(
            Contact,
            [
                "id",
                "created_at",
                "updated_at",
                "enterprise",
                "name",
                "title",
                "phone",
                "email",
                "notes",
            ],
            contacts(),
        ),
    )

    # Projects, their leads and stage histories ---------------------------------------------
    n_proj = scale.projects
    final_stage = weighted(rng, FINAL_STAGE_WEIGHTS)
    origin = weighted(rng, CAPITAL_ORIGINS)
    channel = weighted(rng, CHANNELS)
    milestones = []
    projects = []
    leads = []
    for i in range(1, n_proj + 1):
        investor = rng.randrange(1, n_ent + 1)
        unit_id = ent_unit[investor - 1]
        owners = users_by_unit.get(unit_id) or [None]
        leader = rng.choice(leaders_by_district.get(district_of[unit_id], [None]))
        stage = final_stage()
        day = a_day()
        history = [("lead", day)]
        path = STAGE_PATH[: STAGE_PATH.index(stage) + 1] if stage in STAGE_PATH else None
        if stage == "continuing":
            path = STAGE_PATH[:6]
        if stage == "terminated":
            path = STAGE_PATH[: rng.randrange(2, 5)]
        for next_stage in path[1:]:
            gap = 0 if rng.random() < 0.12 else int(rng.expovariate(1 / 45))
            day = min(day + datetime.timedelta(days=gap), today)
            history.append((next_stage, day))
        if stage in ("continuing", "terminated"):
            day = min(day + datetime.timedelta(days=int(rng.expovariate(1 / 120))), today)
            history.append((stage, day))
        sector = industry()
        total = lognormal_wan(rng, 20000, 1.3)
        foreign = origin() == "abroad" or rng.random() < 0.05
        fdi = lognormal_wan(rng, 3000, 1.2) if foreign else None
        year = history[0][1].year
        lead_id = None
        if rng.random() < 0.5:
            lead_id = len(leads) + 1
            # The lead came in on the project's first day.
            lead_stamp = writer.stamp(history[0][1])
            leads.append(
                (
                    lead_id,
                    lead_stamp,
                    lead_stamp,
                    unit_id,
                    investor,
                    "",
                    channel(),
                    owners[0],
                    sector,
                    total,
                    "",
                    "converted",
                    "",
                )
            )
        projects.append(
            (
                i,
                now,
                now,
                f"{rng.choice(names.BRAND_CHARS)}{rng.choice(names.BRAND_CHARS)}"
                f"{rng.choice(PROJECT_KINDS)}项目",
                f"P{year}-{i:06d}",
                lead_id,
                unit_id,
                rng.choice(owners),
                leader,
                investor,
                sector,
                "",
                stage,
                total,
                str((Decimal(total) * Decimal("0.7")).quantize(Decimal("0.01"))),
                lognormal_wan(rng, 5000, 1.0),
                fdi,
                fdi and str((Decimal(fdi) * Decimal(rng.random())).quantize(Decimal("0.01"))),
                "abroad" if foreign and rng.random() < 0.7 else origin(),
                rng.random() < 0.06,
                rng.random() < 0.04,
                rng.random() < 0.01,
                rng.random() < 0.01,
                lognormal_wan(rng, 30000, 1.0),
                lognormal_wan(rng, 1500, 1.0),
                rng.randrange(20, 800),
                "industrial",
                str(Decimal(rng.randrange(10, 500))),
                int(rng.random() < 0.02),
                rng.randrange(0, 3),
                0,
                rng.randrange(0, 4),
            )
        )
        previous = ""
        for stage_name, stage_day in history:
            milestones.append(
                (now, now, i, stage_name, previous, stage_day.isoformat(), "", owners[0], now)
            )
            previous = stage_name
    for _ in range(n_proj // 2):  # leads not (yet) converted
        status = rng.choice(["new", "verified", "dropped"])
        investor = rng.randrange(1, n_ent + 1)
        lead_stamp = writer.stamp(a_day())
        leads.append(
            (
                len(leads) + 1,
                lead_stamp,
                lead_stamp,
                ent_unit[investor - 1],
                investor,
                "",
                channel(),
                None,
                industry(),
                lognormal_wan(rng, 10000, 1.2),
                "",
                status,
                "投资意向改变" if status == "dropped" else "",
            )
        )

    step(
        "leads",
        lambda: writer.insert(
            Lead,
            [
                "id",
                "created_at",
                "updated_at",
                "unit",
                "enterprise",
                "enterprise_name",
                "channel",
                "submitted_by",
                "industry",
                "intended_investment",
                "summary",
                "status",
                "drop_reason",
            ],
            iter(leads),
        ),
    )
    step(
        "projects",
        lambda: writer.insert(
            Project,
            [
                "id",
                "created_at",
                "updated_at",
                "name",
                "code",
                "lead",
                "responsible_unit",
                "owner",
                "carrying_leader",
                "investor",
                "industry",
                "focus_industry",
                "stage",
                "total_investment",
                "fixed_asset_investment",
                "registered_capital",
                "contracted_fdi",
                "utilized_fdi",
                "capital_origin",
                "returning_capital",
                "is_headquarters",
                "fortune500",
                "central_soe",
                "expected_output",
                "expected_tax",
                "expected_jobs",
                "land_use",
                "land_area",
                "talent_national",
                "talent_provincial",
                "talent_municipal",
                "talent_phd",
            ],
            iter(projects),
        ),
    )
    step(
        "milestones",
        lambda: writer.insert(
            Milestone,
            [
                "created_at",
                "updated_at",
                "project",
                "stage",
                "from_stage",
                "date",
                "reason",
                "recorded_by",
                "recorded_at",
            ],
            iter(milestones),
        ),
    )
    step("first marks", lambda: _mark_first_milestones())

    def approvals():
        for i, row in enumerate(projects, start=1):
            if row[12] not in ("signed", "registered", "landed", "started"):
                continue
            start = a_day()
            for name in rng.sample(APPROVALS, rng.randrange(1, 4)):
                deadline = start + datetime.timedelta(days=rng.randrange(15, 90))
                done = deadline - datetime.timedelta(days=rng.randrange(0, 20))
                finished = done.isoformat() if rng.random() < 0.8 and done <= today else None
                yield (now, now, i, name, row[7], start.isoformat(), deadline.isoformat(), finished)

    step(
        "approvals",
        lambda: writer.insert(
            Approval,
            [
                "created_at",
                "updated_at",
                "project",
                "name",
                "owner",
                "start_date",
                "deadline",
                "done_date",
            ],
            approvals(),
        ),
    )

    # Activities --------------------------------------------------------------------------
    kind = weighted(rng, ACTIVITY_KINDS)
    links = []

    def activities():
        for i in range(1, scale.activities + 1):
            k = kind()
            start = a_day()
            days = rng.randrange(1, 5) if k == "trip" else 0
            project = (
                rng.randrange(1, n_proj + 1) if k in ("negotiation", "online_negotiation") else None
            )
            unit_id = (
                ent_unit[rng.randrange(n_ent)] if project is None else projects[project - 1][6]
            )
            if k in ("visit", "hosted_visit"):
                links.append((i, rng.randrange(1, n_ent + 1)))
            city = rng.choice(TRIP_CITIES) if k in ("trip", "event") else ""
            yield (
                i,
                now,
                now,
                unit_id,
                k,
                "",
                start.isoformat(),
                (start + datetime.timedelta(days=days)).isoformat(),
                city,
                "",
                "",
                None,
                "",
                project,
                "",
            )

    step(
        "activities",
        lambda: writer.insert(
            Activity,
            [
                "id",
                "created_at",
                "updated_at",
                "unit",
                "kind",
                "title",
                "start_date",
                "end_date",
                "city",
                "place",
                "leader_name",
                "leader",
                "participants",
                "project",
                "outcome",
            ],
            activities(),
        ),
    )
    through = Activity.enterprises.through
    step("activity_links", lambda: writer.insert(through, ["activity", "enterprise"], iter(links)))

    # Carriers ----------------------------------------------------------------------------
    land_use = weighted(rng, LAND_USES)
    parks = [u for u in units.values() if u.kind == UnitKind.PARK]
    step(
        "parks",
        lambda: writer.insert(
            Park,
            [
                "id",
                "created_at",
                "updated_at",
                "unit",
                "name",
                "area_mu",
                "description",
            ],
            (
                (i, now, now, p.pk, p.name, str(rng.randrange(800, 6000)), "")
                for i, p in enumerate(parks, start=1)
            ),
        ),
    )
    park_ids = {p.pk: i for i, p in enumerate(parks, start=1)}

    def parcels():
        n = 0
        for unit in record_units:
            for j in range(8):
                n += 1
                status = rng.choice(["reserve", "listed", "sold", "sold"])
                sold = a_day().isoformat() if status == "sold" else None
                buyer = rng.randrange(1, n_proj + 1) if status == "sold" else None
                yield (
                    n,
                    now,
                    now,
                    unit.pk,
                    f"{unit.code}-{j + 1:02d}",
                    f"{unit.name}{j + 1}号地块",
                    unit.name,
                    str(Decimal("118.7") + Decimal(rng.random()).quantize(Decimal("0.000001"))),
                    str(Decimal("32.0") + Decimal(rng.random()).quantize(Decimal("0.000001"))),
                    None,
                    land_use(),
                    str(rng.randrange(20, 400)),
                    status,
                    sold,
                    buyer,
                    park_ids.get(unit.pk),
                )

    step(
        "parcels",
        lambda: writer.insert(
            LandParcel,
            [
                "id",
                "created_at",
                "updated_at",
                "unit",
                "code",
                "name",
                "location",
                "longitude",
                "latitude",
                "polygon",
                "land_use",
                "area_mu",
                "status",
                "sold_date",
                "buyer_project",
                "park",
            ],
            parcels(),
        ),
    )

    buildings = []
    for unit in record_units:
        for j in range(2):
            total = rng.randrange(8000, 80000)
            buildings.append(
                (
                    len(buildings) + 1,
                    now,
                    now,
                    unit.pk,
                    f"{unit.name}{j + 1}号楼",
                    unit.name,
                    park_ids.get(unit.pk),
                    None,
                    None,
                    str(total),
                    str(int(total * rng.random() * 0.5)),
                )
            )
    step(
        "buildings",
        lambda: writer.insert(
            Building,
            [
                "id",
                "created_at",
                "updated_at",
                "unit",
                "name",
                "address",
                "park",
                "longitude",
                "latitude",
                "total_floor_area",
                "vacant_floor_area",
            ],
            iter(buildings),
        ),
    )
    step(
        "tenants",
        lambda: writer.insert(
            BuildingTenant,
            [
                "created_at",
                "updated_at",
                "unit",
                "building",
                "enterprise",
                "move_in_date",
                "move_out_date",
                "floor_area",
            ],
            (
                (
                    now,
                    now,
                    b[3],
                    b[0],
                    rng.randrange(1, n_ent + 1),
                    a_day().isoformat(),
                    None,
                    str(rng.randrange(100, 3000)),
                )
                for b in buildings
                for _ in range(6)
            ),
        ),
    )

    writer.reset_sequences(
        [
            Enterprise,
            Contact,
            Lead,
            Project,
            Milestone,
            Approval,
            Activity,
            through,
            Park,
            LandParcel,
            Building,
            BuildingTenant,
        ]
    )


def _mark_first_milestones():
    from zhaoshang.pipeline.models import Milestone, refresh_first_milestones

    refresh_first_milestones()
    return Milestone.objects.filter(is_first=True).count()
