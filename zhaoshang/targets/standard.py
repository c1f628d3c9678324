"""The standard indicators (DOMAIN.md §3), created by a data migration and kept as data."""

SIGNED, STARTED = "signed", "started"
OUTSIDE_DISTRICT = ["out_of_district", "out_of_city", "out_of_province"]
OUTSIDE_CITY = ["out_of_city", "out_of_province"]

# code, name, unit of measure, source, field, stage, filters, certified_only, certifying level
STANDARD = [
    ("signed_amount", "签约项目总投资", "亿元", "project_sum", "total_investment", SIGNED, {}),
    ("signed_projects", "签约项目数", "个", "project_count", "", SIGNED, {}),
    (
        "domestic_outside_district",
        "引进区外内资",
        "亿元",
        "project_sum",
        "registered_capital",
        SIGNED,
        {"capital_origin": OUTSIDE_DISTRICT},
    ),
    (
        "domestic_outside_city",
        "引进市外内资",
        "亿元",
        "project_sum",
        "registered_capital",
        SIGNED,
        {"capital_origin": OUTSIDE_CITY},
    ),
    ("contracted_fdi", "合同利用外资", "万美元", "project_sum", "contracted_fdi", SIGNED, {}),
    ("utilized_fdi", "实际利用外资", "万美元", "reported", "", "", {}),
    (
        "returning_capital",
        "回归资金",
        "亿元",
        "project_sum",
        "total_investment",
        SIGNED,
        {"returning_capital": True},
    ),
    (
        "signed_over_100m",
        "亿元以上签约项目数",
        "个",
        "project_count",
        "",
        SIGNED,
        {"flags": ["over_100m"]},
    ),
    (
        "signed_over_1b",
        "10亿元以上签约项目数",
        "个",
        "project_count",
        "",
        SIGNED,
        {"flags": ["over_1b"]},
    ),
    (
        "fortune500_projects",
        "500强项目数",
        "个",
        "project_count",
        "",
        SIGNED,
        {"flags": ["fortune500"]},
    ),
    ("started_projects", "开工项目数", "个", "project_count", "", STARTED, {}),
    ("trips", "外出招商次数", "次", "activity_count", "", "", {"activity_kinds": ["trip"]}),
    ("visits", "拜访企业数", "家", "activity_count", "", "", {"activity_kinds": ["visit"]}),
    (
        "hosted_visits",
        "客商来访批次",
        "次",
        "activity_count",
        "",
        "",
        {"activity_kinds": ["hosted_visit"]},
    ),
    ("leads", "新增招商线索", "个", "lead_count", "", "", {}),
    (
        "above_scale_tenants",
        "新增楼宇规上企业数",
        "家",
        "carrier_count",
        "above_scale_tenants",
        "",
        {},
    ),
    (
        "land_industrial",
        "工业用地出让面积",
        "亩",
        "carrier_sum",
        "land_area_sold",
        "",
        {"land_use": ["industrial", "innovative_industrial"]},
    ),
    (
        "land_commercial",
        "经营性用地出让面积",
        "亩",
        "carrier_sum",
        "land_area_sold",
        "",
        {"land_use": ["residential", "commercial", "mixed_commercial_residential"]},
    ),
    (
        "certified_over_100m",
        "认定亿元以上项目数",
        "个",
        "project_count",
        "",
        SIGNED,
        {"flags": ["over_100m"]},
        True,
        "city",
    ),
]


def create_standard(apps, schema_editor=None):
    """Create the standard indicators that are missing; edited ones are left as they are.

    Written in bulk, without the change log: they are the system's seed data, like a
    migration's, not a user's change.
    """
    Indicator = apps.get_model("targets", "Indicator")
    existing = set(Indicator.objects.values_list("code", flat=True))
    missing = []
    for order, row in enumerate(STANDARD, start=1):
        code, name, measure, source, field, stage, filters, *cert = row
        if code in existing:
            continue
        certified_only, level = cert if cert else (False, "")
        missing.append(
            Indicator(
                code=code,
                name=name,
                unit_of_measure=measure,
                source=source,
                field=field,
                stage=stage,
                filters=filters,
                certified_only=certified_only,
                certifying_level=level,
                sort_order=order * 10,
            )
        )
    Indicator.objects.bulk_create(missing)


def ensure_standard(sender=None, **kwargs):
    """post_migrate: a flushed database (transactional tests) gets them back too."""
    from django.apps import apps

    create_standard(apps)
