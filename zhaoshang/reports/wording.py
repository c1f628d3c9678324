"""The Chinese wording of generated reports: sentence templates and the way figures are written.

This is content, like a document template, not UI chrome: official prose is written in
Chinese here and nowhere else. A template's {name} is filled with a run (text, or a figure
that links to its records); `fill` keeps the runs apart so that the HTML can link them.

Numbers in prose (documented in docs/guide/reports.md):
- money in 万元 below 1 亿元 and in 亿元 from there, up to two decimals, no trailing zeros
  (12.5亿元); foreign investment in 万美元 (亿美元 from 1 亿美元);
- percentages rounded half-up to two decimals, trailing zeros dropped (23.6%, 116.67%);
- growth is written 同比增长 or 同比下降 by its sign, 与上年同期持平 at zero;
- a clause whose figure is missing (no records behind it, no target, no last-year value)
  is left out, never printed as zero.
"""

import re
from decimal import Decimal

from zhaoshang.core import quantities

# Narrative (工作总结 / 成绩单) -------------------------------------------------------------

NARRATIVE_TITLE = "{unit}{period}招商引资工作总结"
SECTION_OVERVIEW = "总体情况"
SECTION_INDICATORS = "主要指标完成情况"
SECTION_STRUCTURE = "项目结构"
SECTION_CHANNELS = "招商渠道与服务效率"
SECTION_CARRIERS = "载体建设"
APPENDIX = "附表：主要指标完成情况"
NOTHING = "{period}，{unit}暂无可报告的招商引资数据。"

ACTIVITIES = "{period}，{unit}共{clauses}。"
ACTIVITY_CLAUSES = {
    "trips": "外出招商{n}次",
    "visits": "拜访企业{n}家",
    "hosted_visits": "接待客商来访{n}批次",
    "leads": "收集招商线索{n}条",
}
SIGNED = "新签约项目{count}个"
SIGNED_AMOUNT = "，总投资{amount}"
SIGNED_OF_WHICH = "，其中{clauses}"
SIGNED_OF_WHICH_CLAUSES = {
    "signed_over_100m": "亿元以上项目{n}个",
    "signed_over_1b": "10亿元以上项目{n}个",
}
CEREMONY = "举办签约仪式{n}场，集中签约项目{projects}个"
CEREMONY_AMOUNT = "，总投资{amount}"
CEREMONY_CLOUD = "，其中云签约{cloud}场"

# Indicators that get a sentence of their own: the words before the amount.
INDICATOR_LEADS = {
    "domestic_outside_district": "引进区外内资",
    "domestic_outside_city": "引进市外内资",
    "contracted_fdi": "合同利用外资",
    "utilized_fdi": "实际利用外资",
    "returning_capital": "引进回归资金",
    "started_projects": "新开工项目",
    "certified_over_100m": "认定亿元以上项目",
}
GROWTH_UP = "，同比增长{pct}"
GROWTH_DOWN = "，同比下降{pct}"
GROWTH_FLAT = "，与上年同期持平"
COMPLETION = "，完成全年目标任务的{pct}"
INDICATOR_RANK = "，居{group}第{position}位"
OVERALL_RANK = "综合考核得分{score}分，在{group}中排名第{position}位。"

SIZE = "从投资规模看，{clauses}。"
SIZE_CLASSES = {
    "over_1b": "10亿元以上项目{n}个，占{share}",
    "over_100m": "1亿元至10亿元项目{n}个，占{share}",
    "under_100m": "1亿元以下项目{n}个，占{share}",
}
INDUSTRY = "从产业领域看，{clauses}。"
INDUSTRY_CLAUSE = "{industry}项目{n}个，占{share}"
OTHER_INDUSTRY = "其他产业"

LEAD_CHANNELS = "从线索来源看，{clauses}。"
CHANNEL_CLAUSE = "{channel}{n}条"
CHANNELS = {
    "team": "小分队招商",
    "resident": "驻点招商",
    "business_referral": "以商招商",
    "chain": "产业链招商",
    "advisor": "顾问推荐",
    "event": "活动招商",
    "fund": "基金招商",
    "entrusted": "委托招商",
    "online": "网络招商",
    "enterprise_visit": "企业来访",
}
HELPERS = "{clauses}。"
HELPER_CLAUSES = {
    "advisors": "招商顾问（大使）提供线索{n}条",
    "resident_offices": "驻外招商办事处提供线索{n}条",
}
SPEED = "{clauses}。"
SPEED_CLAUSES = {
    "signed_landed": "{n}个项目实现签约即落地",
    "landed_started": "{n}个项目实现落地即开工",
}

LAND = "出让土地{total}亩{of_which}。"
LAND_OF_WHICH = "，其中{clauses}"
LAND_CLAUSE = "{use}{area}亩"
LAND_USES = {
    "industrial": "工业用地",
    "innovative_industrial": "创新型产业用地",
    "commercial": "商业用地",
    "mixed_commercial_residential": "商住用地",
    "residential": "住宅用地",
}
TENANTS = "楼宇新入驻规上企业{n}家。"

LARGEST = "签约项目中，投资规模最大的是{name}，总投资{amount}。"
FORTUNE500 = "世界500强企业投资项目{n}个：{names}。"
HEADQUARTERS = "总部项目{n}个：{names}。"
NAME_SEPARATOR = "、"

# Monthly notice (月度通报) ------------------------------------------------------------------

NOTICE_TITLE = "关于{period}招商引资工作情况的通报"
NOTICE_ADDRESSEE = "{group}各单位："
NOTICE_INTRO = "现将{period}{group}招商引资主要指标完成情况及排名情况通报如下。"
NOTICE_RANKING = "综合排名"
NOTICE_RANKING_TEXT = "按考核办法计算，{first}综合得分{score}分，位列第一。"
NOTICE_COMPLETION = "各单位指标完成情况"
NOTICE_TIME_PROGRESS = "截至{month}底，时间进度为{pct}。"
NOTICE_BEHIND = "滞后于时间进度的单位"
NOTICE_BEHIND_CLAUSE = "{indicator}：{units}完成率低于时间进度。"
NOTICE_NONE_BEHIND = "各单位各项指标均达到时间进度。"
NOTICE_MOVED = "项目推进情况"
NOTICE_MOVED_TEXT = "本月共有{n}个项目推进至新阶段。"
NOTICE_NO_MOVES = "本月无项目阶段变化。"
NOTICE_CLOSING = "请各单位对照目标任务，查找差距，倒排工期，确保完成全年目标任务。"


# Writing figures ---------------------------------------------------------------------------


def amount(value, measure):
    """A figure in its unit of measure as prose writes it."""
    value = quantities.to_decimal(value)
    dimension = quantities.UNITS.get(measure, (None,))[0]
    if dimension == quantities.CNY:
        return quantities.format_cny(quantities.convert(value, measure, "万元"))
    if dimension == quantities.USD:
        return quantities.format_usd(quantities.convert(value, measure, "万美元"))
    return f"{quantities.plain(value)}{measure}"


def number(value, places=2):
    return quantities.plain(Decimal(value), places)


def pct(value):
    """23.60 → "23.6%", 116.67 → "116.67%" (half-up to two decimals, no trailing zeros)."""
    return f"{quantities.plain(value, 2)}%"


_FIELD = re.compile(r"\{(\w+)\}")


def fill(template, **parts):
    """[run] of a template whose {name}s are runs, strings or lists of runs."""
    runs, position = [], 0
    for match in _FIELD.finditer(template):
        if match.start() > position:
            runs.append(template[position : match.start()])
        part = parts[match.group(1)]
        runs.extend(part if isinstance(part, list) else [part])
        position = match.end()
    if position < len(template):
        runs.append(template[position:])
    return _merge([r for r in runs if r != ""])


def join(clauses, separator="，"):
    """Runs of several clauses (each a list of runs) with a separator between them."""
    runs = []
    for i, clause in enumerate(clauses):
        if i:
            runs.append(separator)
        runs.extend(clause)
    return _merge(runs)


def _merge(runs):
    merged = []
    for run in runs:
        if isinstance(run, str) and merged and isinstance(merged[-1], str):
            merged[-1] += run
        else:
            merged.append(run)
    return merged


# Weekly summary, lists and catalogue -------------------------------------------------------

WEEKLY_TITLE = "{scope}招商引资工作每周汇总（{label}）"
WEEKLY_INTRO = (
    "本周（{label}），{scope}各单位新增线索{leads}条，外出招商{trips}次，签约项目{signed}个，"
    "开工项目{started}个；截至周末，逾期审批事项{overdue}项，未解决问题{issues}个。"
)
LEADERS_TITLE = "{unit}领导分包项目推进表"
LEADERS_INTRO = "截至{date}，{leaders}位领导分包项目{projects}个。"


# Table titles, columns and the short texts of the other reports -----------------------------

FIGURES_TABLE = "主要指标"
FIGURES_COLUMNS = ["指标", "计量单位", "本期完成", "全年目标", "完成率", "同比增长"]

NOTICE_NEW = "新进"
NOTICE_RANKING_COLUMNS = ["名次", "单位", "综合得分", "较上月"]
NOTICE_COMPLETION_COLUMN = "{indicator}完成率"
NOTICE_UNIT = "单位"
NOTICE_MOVED_COLUMNS = ["单位", "项目", "原阶段", "新阶段", "日期"]

WEEKLY_TABLE = "每周汇总"
WEEKLY_COLUMNS = [
    "单位",
    "新增线索",
    "外出招商",
    "拜访企业",
    "客商来访",
    "签约项目",
    "开工项目",
    "阶段变化",
    "逾期审批",
    "未解决问题",
]
WEEKLY_TOTAL = "合计"
WEEKLY_LABEL = "{start}至{end}"

LEADERS_TABLE = "领导分包项目推进表"
LEADERS_COLUMNS = [
    "分包领导",
    "项目",
    "责任单位",
    "总投资",
    "当前阶段",
    "最近进展",
    "逾期审批",
    "未解决问题",
]

APPROVALS_TITLE = "{unit}逾期审批事项清单"
APPROVALS_TABLE = "逾期审批事项清单"
APPROVALS_COLUMNS = ["项目", "审批事项", "责任单位", "经办人", "办结时限", "逾期天数"]
APPROVALS_INTRO = "截至{date}，逾期未办结审批事项{n}项。"

CATALOGUE_TITLE = "{unit}招商手册"
CATALOGUE_PARCELS = "可供地块"
CATALOGUE_PARCELS_INTRO = "现有可供地块{n}宗，面积合计{area}亩。"
CATALOGUE_PARCEL_COLUMNS = ["地块编号", "名称", "用地性质", "面积（亩）", "位置", "状态"]
CATALOGUE_BUILDINGS = "可租楼宇"
CATALOGUE_BUILDINGS_INTRO = "现有可租楼宇{n}栋，空置面积合计{area}平方米。"
CATALOGUE_BUILDING_COLUMNS = ["楼宇", "地址", "总面积（平方米）", "空置面积（平方米）", "入驻率"]
CATALOGUE_EMPTY = "暂无可供地块和可租楼宇。"

CLOUD_MARK = "云"  # a signing ceremony whose title says 云 is a cloud signing (云签约)


def cn_date(day):
    """2026年6月30日"""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_month_day(day):
    """6月30日"""
    return f"{day.month}月{day.day}日"
