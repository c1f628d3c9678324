"""Chinese names: places, companies, people, with valid unified social credit codes."""

PROVINCES = ["江东省"]
CITIES = [
    "江州",
    "临川",
    "云阳",
    "青州",
    "安平",
    "宁远",
    "长丰",
    "东阳",
    "南川",
    "西岭",
    "北辰",
    "平湖",
    "华亭",
    "新安",
    "永和",
    "嘉禾",
]
DISTRICT_WORDS = [
    "临江",
    "滨海",
    "高新",
    "经开",
    "东湖",
    "西山",
    "南湖",
    "北塘",
    "江北",
    "城南",
    "清河",
    "金沙",
    "龙泉",
    "凤鸣",
    "桃源",
    "石门",
]
STREET_WORDS = [
    "东湖",
    "西山",
    "南门",
    "北关",
    "新华",
    "人民",
    "解放",
    "建设",
    "和平",
    "胜利",
    "朝阳",
    "长江",
    "黄河",
    "中山",
    "文化",
    "花园",
    "青石",
    "白沙",
    "金桥",
    "玉泉",
]
COMPANY_PLACES = [
    "苏州",
    "上海",
    "深圳",
    "杭州",
    "南京",
    "无锡",
    "宁波",
    "成都",
    "武汉",
    "西安",
    "合肥",
    "广州",
    "北京",
    "天津",
    "青岛",
    "厦门",
    "长沙",
    "重庆",
    "东莞",
    "佛山",
]
BRAND_CHARS = "恒锐华泰鑫瑞宏博科达盛昌源通顺丰嘉禾新远海天宇晨星明光中联安信德润智创飞腾"
INDUSTRY_WORDS = {
    "C": [
        "精密机械",
        "智能装备",
        "新材料",
        "电子科技",
        "汽车零部件",
        "医疗器械",
        "新能源科技",
        "半导体",
        "光电科技",
        "化工",
    ],
    "I": ["信息技术", "软件", "数据科技", "网络科技"],
    "F": ["贸易", "供应链管理", "商贸"],
    "G": ["物流", "冷链物流", "供应链"],
    "M": ["检测技术", "工程设计", "生物科技"],
    "K": ["置业", "房地产开发"],
    "D": ["能源", "电力"],
    "E": ["建设工程", "建筑"],
    "L": ["企业管理", "商务咨询"],
    "R": ["文化传媒", "影视"],
}
SUFFIXES = ["有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司", "（集团）有限公司"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰红建文辉力国斌志海晓东晨宇"
TITLES = ["董事长", "总经理", "副总经理", "投资总监", "战略发展部经理", "行政总监", "财务总监"]
LEADER_TITLES = ["区长", "副区长", "常务副区长", "区委副书记", "管委会主任", "副主任"]


def company_name(rng, industry="C"):
    place = rng.choice(COMPANY_PLACES)
    brand = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
    word = rng.choice(INDUSTRY_WORDS.get(industry, INDUSTRY_WORDS["C"]))
    return f"{place}{brand}{word}{rng.choice(SUFFIXES)}"


def person_name(rng):
    given = rng.choice(GIVEN_CHARS) + (rng.choice(GIVEN_CHARS) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def phone(rng):
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_VALUES = {c: i for i, c in enumerate(CODE_CHARS)}
CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def check_character(body):
    """GB 32100's check character of the first 17 characters (stdnum's, without its
    overhead: generating a million codes is otherwise a minute of checksums)."""
    total = sum(CODE_VALUES[c] * w for c, w in zip(body, CODE_WEIGHTS, strict=True))
    return CODE_CHARS[(31 - total % 31) % 31]


def credit_code(rng, serial):
    """A unified social credit code with a correct check character (GB 32100)."""
    province = rng.choice(["11", "31", "32", "33", "44", "51", "42", "61", "34"])
    region = f"{province}0{rng.randrange(100, 999)}"
    body = ("91" + region + f"{serial:09d}"[-9:])[:17]
    return body + check_character(body)
