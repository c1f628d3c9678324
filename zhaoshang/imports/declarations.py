"""What can be imported: each record type is a declaration of its columns (field, kind,
header synonyms, stored unit), the keys that match a row to an existing record, and the
field that places it in the unit tree. The engine (engine.py) does the rest.

Kinds of column:
    text, int, bool, date        plain values; decimal: a plain number (coordinates)
    quantity                     an amount converted to `unit` (万元, 万美元, 亩, 平方米)
    measure                      an amount in the unit of the row's indicator (targets)
    choice                       a model choice, by its Chinese label, its code or a synonym
    unit, user, enterprise,      a related record by name or code (enterprises by credit
    project, indicator, park     code or normalised name)
    stage_date                   the date a project reached `stage` (becomes a Milestone)

A new record type is one more RecordType in RECORD_TYPES: its columns, its keys, and where
needed a rule across columns (`check_row`), a stricter cell check (`Column.clean`), a key
matched through a normalised field (`key_fields`) or derived fields of new rows (`derive`).
The field's own validators run on every cell; the unit scope, matching, preview, commit,
batch and undo come from the engine.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.utils.translation import gettext_lazy as _


@dataclass
class Column:
    name: str
    kind: str
    synonyms: tuple = ()
    unit: str = None
    required: bool = False
    choices: dict = None  # extra words → choice value
    label: object = None
    stage: str = None
    text_field: str = None  # for an enterprise: also keep the name as written here
    clean: object = None  # text → (value, warning), raising CellError: a stricter check


@dataclass
class RecordType:
    code: str
    model_label: str
    columns: list
    keys: list  # alternatives, each a tuple of column names; the first complete one is used
    scope_column: str = "unit"  # the column whose unit places the row in the tree
    defaults: dict = field(default_factory=dict)
    label: object = None
    # A key column matched through another stored field: {column: (db field, normaliser)}.
    key_fields: dict = field(default_factory=dict)
    # (values) → (column, message) of a rule across columns, or None.
    check_row: object = None
    # (row list, {attname: position}, new id, year) → fills derived fields of a new row.
    derive: object = None
    # Rows in which all of these columns are empty are skipped (a target grid's empty rows).
    skip_when_blank: tuple = ()
    # Fields of an existing record read besides the compared ones (for the hooks below).
    existing_fields: tuple = ()
    # (values, existing record) → values as the record stores them, before comparing.
    adapt_update: object = None
    # (changes, previous, existing record) → adds the changes that follow from these.
    on_change: object = None

    @cached_property
    def model(self):
        return apps.get_model(self.model_label)

    @cached_property
    def by_name(self):
        return {column.name: column for column in self.columns}

    def column_label(self, column):
        if column.label is not None:
            return column.label
        return self.model._meta.get_field(column.name).verbose_name

    @property
    def verbose_name(self):
        return self.label or self.model._meta.verbose_name_plural


C = Column


def credit_code_cell(value):
    """A unified social credit code, upper-cased and checked (GB 32100 check character)."""
    from django.core.exceptions import ValidationError

    from zhaoshang.enterprises.validators import clean_credit_code, validate_credit_code
    from zhaoshang.imports.parsing import CellError

    if value is None:
        return None, None
    code = clean_credit_code(value)
    try:
        validate_credit_code(code)
    except ValidationError as exc:
        raise CellError(" ".join(exc.messages)) from exc
    return code, None


def normalized(value):
    from zhaoshang.enterprises.normalize import normalize_name

    return normalize_name(value)


def project_code(record, position, pk, year):
    """A project without a code gets P<year>-<id>, as Project.save() gives it."""
    i = position["code"]
    if not record[i]:
        record[i] = f"P{year}-{pk:06d}"


def enterprise_normalized_name(record, position, pk, year):
    record[position["normalized_name"]] = normalized(record[position["name"]])


def vacant_within_total(values):
    total, vacant = values.get("total_floor_area"), values.get("vacant_floor_area")
    if total is not None and vacant is not None and vacant > total:
        return "vacant_floor_area", _("the vacant floor area exceeds the total floor area")
    return None


def sold_with_date(values):
    status, day = values.get("status"), values.get("sold_date")
    if status == "sold" and day is None:
        return "sold_date", _("a sold parcel needs the date it was sold")
    if day is not None and status not in (None, "sold"):
        return "sold_date", _("only a sold parcel has a sale date")
    return None


def end_not_before_start(values):
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        return "end_date", _("the end date is before the start date")
    return None


UNIT_SYNONYMS = ("责任单位", "所属单位", "填报单位", "承办单位", "单位", "单位名称", "牵头单位")

PROJECT = RecordType(
    code="project",
    model_label="pipeline.Project",
    scope_column="responsible_unit",
    keys=[("code",), ("name", "responsible_unit")],
    derive=project_code,
    columns=[
        C("code", "text", ("项目编号", "项目代码", "项目编码", "编号")),
        C("name", "text", ("项目名称", "项目", "名称", "项目全称"), required=True),
        C("responsible_unit", "unit", UNIT_SYNONYMS, required=True),
        C("owner", "user", ("责任人", "项目负责人", "负责人", "项目责任人")),
        C("carrying_leader", "user", ("分包领导", "包联领导", "联系领导", "挂包领导")),
        C("investor", "enterprise", ("投资方", "投资主体", "投资企业", "签约企业", "投资商")),
        C("industry", "choice", ("国民经济行业", "行业门类", "所属行业", "行业")),
        C("focus_industry", "text", ("主导产业", "产业类别", "产业方向", "产业")),
        C(
            "stage",
            "choice",
            ("项目阶段", "阶段", "项目进展", "进展情况", "项目状态", "状态"),
            choices={
                "洽谈": "negotiating",
                "在洽": "negotiating",
                "已签约": "signed",
                "已注册": "registered",
                "已落地": "landed",
                "供地": "landed",
                "已开工": "started",
                "在建": "started",
                "竣工": "completed",
                "已投产": "completed",
                "投产": "completed",
                "续建": "continuing",
                "已终止": "terminated",
                "信息": "lead",
                "储备": "lead",
            },
        ),  # fmt: skip
        C(
            "total_investment",
            "quantity",
            ("总投资", "投资总额", "计划总投资", "总投资额", "投资额", "协议投资额", "协议投资"),
            unit="万元",
        ),  # fmt: skip
        C(
            "fixed_asset_investment",
            "quantity",
            ("固定资产投资", "固投", "固定资产投资额"),
            unit="万元",
        ),  # fmt: skip
        C("registered_capital", "quantity", ("注册资本", "注册资金"), unit="万元"),
        C("contracted_fdi", "quantity", ("合同外资", "合同利用外资", "投资额"), unit="万美元"),
        C(
            "utilized_fdi",
            "quantity",
            ("实际利用外资", "实际外资", "到位外资", "实到外资"),
            unit="万美元",
        ),  # fmt: skip
        C(
            "capital_origin",
            "choice",
            ("资金来源地", "资金来源", "资本来源", "投资来源"),
            choices={
                "区内": "in_district",
                "区外": "out_of_district",
                "市外": "out_of_city",
                "省外": "out_of_province",
                "境外": "abroad",
                "国外": "abroad",
                "外资": "abroad",
            },
        ),  # fmt: skip
        C("returning_capital", "bool", ("回归资本", "是否回归", "回归项目")),
        C("is_headquarters", "bool", ("总部项目", "是否总部项目")),
        C("fortune500", "bool", ("世界500强", "是否500强", "500强")),
        C("central_soe", "bool", ("央企", "是否央企")),
        C(
            "expected_output",
            "quantity",
            ("预计年产值", "预计产值", "达产产值", "年产值"),
            unit="万元",
        ),  # fmt: skip
        C(
            "expected_tax",
            "quantity",
            ("预计年税收", "预计税收", "达产税收", "年税收"),
            unit="万元",
        ),
        C("expected_jobs", "int", ("预计就业", "带动就业", "用工人数", "就业人数")),
        C(
            "land_use",
            "choice",
            ("用地性质", "用地类型"),
            choices={
                "工业用地": "industrial",
                "商业用地": "commercial",
                "住宅用地": "residential",
                "M0": "innovative_industrial",
            },
        ),  # fmt: skip
        C("land_area", "quantity", ("用地面积", "占地面积", "用地规模", "用地"), unit="亩"),
        C("talent_national", "int", ("国家级人才",)),
        C("talent_provincial", "int", ("省级人才",)),
        C("talent_municipal", "int", ("市级人才",)),
        C("talent_phd", "int", ("博士", "博士人数")),
        C(
            "date_lead",
            "stage_date",
            ("线索日期", "信息获取时间", "收集时间", "线索时间"),
            stage="lead",
            label=_("lead date"),
        ),  # fmt: skip
        C(
            "date_negotiating",
            "stage_date",
            ("在谈日期", "洽谈时间", "首次洽谈", "接洽时间"),
            stage="negotiating",
            label=_("negotiation date"),
        ),  # fmt: skip
        C(
            "date_signed",
            "stage_date",
            ("签约日期", "签约时间"),
            stage="signed",
            label=_("signing date"),
        ),  # fmt: skip
        C(
            "date_registered",
            "stage_date",
            ("注册日期", "注册时间"),
            stage="registered",
            label=_("registration date"),
        ),  # fmt: skip
        C(
            "date_landed",
            "stage_date",
            ("落地日期", "落地时间", "供地时间", "供地日期"),
            stage="landed",
            label=_("landing date"),
        ),  # fmt: skip
        C(
            "date_started",
            "stage_date",
            ("开工日期", "开工时间"),
            stage="started",
            label=_("construction start date"),
        ),  # fmt: skip
        C(
            "date_completed",
            "stage_date",
            ("投产日期", "投产时间", "竣工日期", "竣工时间"),
            stage="completed",
            label=_("production date"),
        ),  # fmt: skip
        C(
            "date_terminated",
            "stage_date",
            ("终止日期", "终止时间"),
            stage="terminated",
            label=_("termination date"),
        ),  # fmt: skip
    ],
)

ENTERPRISE = RecordType(
    code="enterprise",
    model_label="enterprises.Enterprise",
    keys=[("credit_code",), ("name",)],
    key_fields={"name": ("normalized_name", normalized)},
    derive=enterprise_normalized_name,
    columns=[
        C("name", "text", ("企业名称", "企业", "公司名称", "名称", "单位名称"), required=True),
        C(
            "credit_code",
            "text",
            ("统一社会信用代码", "信用代码", "社会信用代码", "组织机构代码"),
            clean=credit_code_cell,
        ),  # fmt: skip
        C("unit", "unit", ("所属单位", "责任单位", "填报单位", "管理单位")),
        C("registered_capital", "quantity", ("注册资本", "注册资金"), unit="万元"),
        C("province", "text", ("注册地省份", "省份", "省")),
        C("city", "text", ("注册地城市", "城市", "市")),
        C("county", "text", ("注册地区县", "区县", "县区")),
        C("industry", "choice", ("国民经济行业", "所属行业", "行业门类", "行业")),
        C("fortune_global_500", "bool", ("世界500强",)),
        C("china_top_500", "bool", ("中国500强",)),
        C("central_soe", "bool", ("央企",)),
        C("listed", "bool", ("上市企业", "是否上市", "上市")),
        C("industry_leader", "bool", ("龙头企业", "链主企业")),
        C("specialised", "bool", ("专精特新",)),
        C("high_tech", "bool", ("高新技术企业", "高企")),
        C("above_scale", "bool", ("规上企业", "规模以上")),
        C("website", "text", ("网址", "官网", "网站")),
        C("notes", "text", ("备注", "说明")),
    ],
)

CONTACT = RecordType(
    code="contact",
    model_label="enterprises.Contact",
    scope_column="enterprise",
    keys=[("enterprise", "name")],
    columns=[
        C("enterprise", "enterprise", ("企业名称", "所属企业", "企业", "公司"), required=True),
        C("name", "text", ("姓名", "联系人", "客商姓名", "客商"), required=True),
        C("title", "text", ("职务", "职位", "头衔")),
        C("phone", "text", ("联系电话", "手机号码", "手机", "电话")),
        C("email", "text", ("电子邮箱", "邮箱", "Email")),
        C("notes", "text", ("备注", "说明")),
    ],
)

LEAD = RecordType(
    code="lead",
    model_label="pipeline.Lead",
    keys=[("enterprise_name", "unit", "channel")],
    defaults={"status": "new"},
    columns=[
        C(
            "enterprise",
            "enterprise",
            ("企业名称", "意向企业", "企业", "投资方"),
            required=True,
            text_field="enterprise_name",
        ),  # fmt: skip
        C("unit", "unit", UNIT_SYNONYMS, required=True),
        C(
            "channel",
            "choice",
            ("线索来源", "招商方式", "来源", "渠道"),
            required=True,
            choices={
                "小分队": "team",
                "驻点": "resident",
                "驻点招商": "resident",
                "以商招商": "business_referral",
                "产业链招商": "chain",
                "顾问": "advisor",
                "招商顾问": "advisor",
                "活动": "event",
                "基金招商": "fund",
                "基金": "fund",
                "委托招商": "entrusted",
                "委托": "entrusted",
                "网上": "online",
                "网络": "online",
                "企业来访": "enterprise_visit",
            },
        ),  # fmt: skip
        C("industry", "choice", ("所属行业", "行业门类", "行业")),
        C(
            "intended_investment",
            "quantity",
            ("意向投资额", "拟投资额", "投资额", "总投资"),
            unit="万元",
        ),  # fmt: skip
        C("summary", "text", ("线索内容", "项目概况", "简介", "内容", "摘要")),
    ],
)

ACTIVITY = RecordType(
    code="activity",
    model_label="activities.Activity",
    keys=[("unit", "kind", "title", "start_date")],
    check_row=end_not_before_start,
    columns=[
        C(
            "kind",
            "choice",
            ("活动类型", "类型", "类别"),
            required=True,
            choices={
                "外出招商": "trip",
                "拜访": "visit",
                "走访": "visit",
                "拜访企业": "visit",
                "客商来访": "hosted_visit",
                "来访": "hosted_visit",
                "洽谈": "negotiation",
                "云洽谈": "online_negotiation",
                "云上洽谈": "online_negotiation",
                "推介会": "event",
                "投洽会": "event",
                "签约仪式": "signing_ceremony",
                "云签约": "signing_ceremony",
                "培训": "training",
            },
        ),  # fmt: skip
        C("title", "text", ("活动名称", "主题", "活动主题", "名称", "事由"), required=True),
        C(
            "start_date",
            "date",
            ("开始日期", "活动日期", "日期", "时间", "开始时间"),
            required=True,
        ),
        C("end_date", "date", ("结束日期", "结束时间")),
        C("unit", "unit", UNIT_SYNONYMS, required=True),
        C("city", "text", ("城市", "目的地", "地点城市")),
        C("place", "text", ("地点", "活动地点")),
        C("leader_name", "text", ("带队领导", "带队人", "领导")),
        C("participants", "text", ("参加人员", "参与人员", "人员")),
        C("outcome", "text", ("成效", "成果", "活动成效", "备注")),
    ],
)

LAND_PARCEL = RecordType(
    code="landparcel",
    model_label="carriers.LandParcel",
    keys=[("code",)],
    check_row=sold_with_date,
    columns=[
        C("code", "text", ("地块编号", "宗地编号", "地块编码", "编号"), required=True),
        C("name", "text", ("地块名称", "名称", "宗地名称"), required=True),
        C("location", "text", ("位置", "坐落", "四至", "地块位置")),
        C("longitude", "decimal", ("经度",)),
        C("latitude", "decimal", ("纬度",)),
        C(
            "land_use",
            "choice",
            ("用地性质", "用途", "土地用途"),
            required=True,
            choices={
                "工业用地": "industrial",
                "工业": "industrial",
                "商业用地": "commercial",
                "住宅用地": "residential",
                "商住用地": "mixed_commercial_residential",
                "商住": "mixed_commercial_residential",
                "M0": "innovative_industrial",
            },
        ),  # fmt: skip
        C(
            "area_mu",
            "quantity",
            ("面积", "用地面积", "出让面积", "地块面积"),
            unit="亩",
            required=True,
        ),  # fmt: skip
        C(
            "status",
            "choice",
            ("状态", "地块状态", "出让状态"),
            choices={"储备": "reserve", "挂牌": "listed", "已出让": "sold", "出让": "sold"},
        ),  # fmt: skip
        C("sold_date", "date", ("出让日期", "成交日期", "出让时间")),
        C("park", "park", ("所属园区", "园区")),
        C("unit", "unit", UNIT_SYNONYMS, required=True),
    ],
)

BUILDING = RecordType(
    code="building",
    model_label="carriers.Building",
    keys=[("name", "unit")],
    check_row=vacant_within_total,
    columns=[
        C("name", "text", ("楼宇名称", "楼宇", "名称"), required=True),
        C("address", "text", ("地址", "位置")),
        C("park", "park", ("所属园区", "园区")),
        C("longitude", "decimal", ("经度",)),
        C("latitude", "decimal", ("纬度",)),
        C(
            "total_floor_area",
            "quantity",
            ("总建筑面积", "建筑面积", "总面积"),
            unit="平方米",
            required=True,
        ),  # fmt: skip
        C("vacant_floor_area", "quantity", ("空置面积", "可招商面积", "闲置面积"), unit="平方米"),
        C("unit", "unit", UNIT_SYNONYMS, required=True),
    ],
)


def _target_in_own_measure(values, record):
    """An imported annual target is in the indicator's unit; an existing target may keep
    its own (0.6 亿美元 for a 万美元 indicator): compare and store in the target's unit."""
    from zhaoshang.core import quantities
    from zhaoshang.targets.models import Indicator

    measure = record.get("unit_of_measure")
    if not measure or values.get("annual") is None:
        return values
    unit = Indicator.objects.filter(pk=record["indicator_id"]).values_list(
        "unit_of_measure", flat=True
    )[0]
    if unit == measure:
        return values
    return {**values, "annual": quantities.convert(values["annual"], unit, measure)}


def _target_split_follows(changes, previous, record):
    """A changed annual target no longer matches its monthly split: the split is cleared
    (and restored by undo)."""
    if "annual" in changes and record.get("parts"):
        changes["parts"] = []
        previous["parts"] = record["parts"]


TARGET = RecordType(
    code="target",
    model_label="targets.Target",
    keys=[("indicator", "unit", "year")],
    defaults={"split": "month", "parts": [], "unit_of_measure": ""},
    skip_when_blank=("annual",),
    existing_fields=("unit_of_measure", "parts", "indicator_id"),
    adapt_update=_target_in_own_measure,
    on_change=_target_split_follows,
    columns=[
        C("indicator", "indicator", ("指标名称", "考核指标", "指标"), required=True),
        C("unit", "unit", UNIT_SYNONYMS, required=True),
        C("year", "int", ("年度", "年份", "年"), required=True),
        C(
            "annual",
            "measure",
            ("年度目标", "全年目标", "目标任务", "目标值", "目标"),
            required=True,
        ),  # fmt: skip
    ],
)

REPORTED_VALUE = RecordType(
    code="reportedvalue",
    model_label="targets.ReportedValue",
    keys=[("indicator", "unit", "year", "month")],
    columns=[
        C("indicator", "indicator", ("指标名称", "考核指标", "指标"), required=True),
        C("unit", "unit", UNIT_SYNONYMS, required=True),
        C("year", "int", ("年度", "年份", "年"), required=True),
        C("month", "int", ("月份", "月"), required=True),
        C("value", "measure", ("本月完成", "完成值", "数值", "完成", "实际"), required=True),
    ],
)

RECORD_TYPES = {
    rt.code: rt
    for rt in (
        PROJECT,
        ENTERPRISE,
        CONTACT,
        LEAD,
        ACTIVITY,
        LAND_PARCEL,
        BUILDING,
        TARGET,
        REPORTED_VALUE,
    )
}
