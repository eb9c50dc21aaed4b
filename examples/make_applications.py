#!/usr/bin/env python3
"""Deterministic generator of synthetic 推荐表 applications for qualify.

The applications follow the "Application JSON" shape of the design contract and the form
attached to the Chongqing notice on training institutions for the Digital Technology
Engineer Cultivation Project (渝人社办〔2025〕99号 in this repository's rule pack).

    python3 examples/make_applications.py samples [--out examples/applications]
    python3 examples/make_applications.py bulk --count N [--seed S] --out FILE.jsonl
                                               [--labels FILE.jsonl] [--check] [--jobs J]
    python3 examples/make_applications.py selfcheck [--count N] [--seed S]

`samples` writes the committed sample set: one pretty-printed file per application plus a
README.md table saying what each file tests and the outcome it is meant to get.
`bulk` writes N one-line applications (JSON Lines, about 12 KiB each) for benchmarks:
about half clean, the rest with 1-3 injected defects; `--labels` writes, line for line,
the defects injected and the invariant codes they break.
`selfcheck` regenerates the samples and a bulk run in memory and checks every invariant.

Python 3.11 standard library only. Output depends only on the arguments: every random
choice comes from random.Random seeded from --seed, and no clock is read. Record i of a
bulk run depends only on (seed, i), so a shorter run is a prefix of a longer one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import multiprocessing
import random
import re
import sys
from pathlib import Path

DEFAULT_SEED = 20251012  # the notice's date

# --------------------------------------------------------------------------------------
# Reference data (kept in step with ../shared/data and the pack's data; selfcheck compares)
# --------------------------------------------------------------------------------------

NOTICE_DATE = dt.date(2025, 10, 12)
DEADLINE = dt.date(2025, 10, 31)
ESTABLISHED_BY = dt.date(2020, 12, 31)
MIN_ANNUAL_SCALE = 2000
TRAINING_YEARS = (2020, 2021, 2022, 2023, 2024)
TAX_YEARS = (2022, 2023, 2024)
LEVELS = ("初级", "中级")
TEACHER_KINDS = ("专职师资", "兼职师资")
LIMITS = {"profile": 800, "platform": 300, "summary": 500, "mechanism": 500, "plan": 800}

# Form note 1: the six unit types, with the first two characters of the 统一社会信用代码
# (GB 32100-2015 registration authority + organisation category) each normally carries.
ORG_TYPES = {
    "行业协会等社团组织": "51",
    "事业单位": "12",
    "企业": "91",
    "集体企业": "91",  # a collective enterprise registers as an enterprise (93 is for 农民专业合作社)
    "民营企业": "91",
    "民办非企业单位": "52",
}

# (code, name, pinyin slug): the 38 district- and county-level divisions of Chongqing.
DISTRICTS = [
    ("500101", "万州区", "wanzhou"), ("500102", "涪陵区", "fuling"),
    ("500103", "渝中区", "yuzhong"), ("500104", "大渡口区", "dadukou"),
    ("500105", "江北区", "jiangbei"), ("500106", "沙坪坝区", "shapingba"),
    ("500107", "九龙坡区", "jiulongpo"), ("500108", "南岸区", "nanan"),
    ("500109", "北碚区", "beibei"), ("500110", "綦江区", "qijiang"),
    ("500111", "大足区", "dazu"), ("500112", "渝北区", "yubei"),
    ("500113", "巴南区", "banan"), ("500114", "黔江区", "qianjiang"),
    ("500115", "长寿区", "changshou"), ("500116", "江津区", "jiangjin"),
    ("500117", "合川区", "hechuan"), ("500118", "永川区", "yongchuan"),
    ("500119", "南川区", "nanchuan"), ("500120", "璧山区", "bishan"),
    ("500151", "铜梁区", "tongliang"), ("500152", "潼南区", "tongnan"),
    ("500153", "荣昌区", "rongchang"), ("500154", "开州区", "kaizhou"),
    ("500155", "梁平区", "liangping"), ("500156", "武隆区", "wulong"),
    ("500229", "城口县", "chengkou"), ("500230", "丰都县", "fengdu"),
    ("500231", "垫江县", "dianjiang"), ("500233", "忠县", "zhongxian"),
    ("500235", "云阳县", "yunyang"), ("500236", "奉节县", "fengjie"),
    ("500237", "巫山县", "wushan"), ("500238", "巫溪县", "wuxi"),
    ("500240", "石柱土家族自治县", "shizhu"), ("500241", "秀山土家族苗族自治县", "xiushan"),
    ("500242", "酉阳土家族苗族自治县", "youyang"), ("500243", "彭水苗族土家族自治县", "pengshui"),
]
DISTRICT_BY_NAME = {name: (code, name, slug) for code, name, slug in DISTRICTS}
DISTRICT_CODES = {code for code, _, _ in DISTRICTS}
# Bulk records favour the main urban districts, as real applications would.
URBAN = ["渝中区", "江北区", "沙坪坝区", "九龙坡区", "南岸区", "北碚区", "渝北区", "巴南区", "大渡口区"]

# GB/T 4754-2017 classes used here: code -> (section letter, name).
INDUSTRIES = {
    "8391": ("P", "职业技能培训"), "8394": ("P", "教育辅助服务"), "8399": ("P", "其他未列明教育"),
    "8342": ("P", "成人高等教育"), "6511": ("I", "基础软件开发"), "6513": ("I", "应用软件开发"),
    "6520": ("I", "集成电路设计"), "6531": ("I", "信息系统集成服务"), "6532": ("I", "物联网技术服务"),
    "6540": ("I", "运行维护服务"), "6560": ("I", "信息技术咨询服务"),
    "6572": ("I", "动漫、游戏数字内容服务"), "7320": ("M", "工程和技术研究和试验发展"),
    "7530": ("M", "科技中介服务"), "7519": ("M", "其他技术推广服务"), "9521": ("S", "专业性团体"),
}

# The catalogue of 一、(一), with what the texts say about each occupation.
OCCUPATIONS = [
    dict(name="人工智能工程技术人员", slug="ai", field="人工智能",
         courses=["Python程序设计", "机器学习基础", "深度学习框架应用", "计算机视觉", "自然语言处理",
                  "大模型应用开发", "智能语音技术", "人工智能伦理与安全"],
         tools=["GPU计算集群", "飞桨深度学习平台", "昇思MindSpore框架", "智能语音开发套件"],
         majors=["人工智能", "计算机科学与技术", "软件工程", "数据科学与大数据技术", "自动化"],
         scenes="智能网联汽车、智慧医疗、智慧政务"),
    dict(name="物联网工程技术人员", slug="iot", field="物联网",
         courses=["物联网感知技术", "嵌入式系统开发", "无线传感网络", "物联网平台应用",
                  "NB-IoT与LoRa通信", "物联网安全", "RFID技术应用"],
         tools=["嵌入式开发实训箱", "物联网综合实训平台", "智能传感器套件", "边缘网关"],
         majors=["物联网工程", "电子信息工程", "通信工程", "计算机科学与技术"],
         scenes="智慧农业、智慧园区、智能家居"),
    dict(name="大数据工程技术人员", slug="bigdata", field="大数据",
         courses=["大数据平台架构", "Hadoop与Spark技术", "数据采集与清洗", "数据仓库与数据湖",
                  "数据可视化", "数据治理与数据安全", "实时计算技术"],
         tools=["Hadoop实训集群", "Spark计算平台", "数据可视化软件", "数据治理平台"],
         majors=["数据科学与大数据技术", "统计学", "计算机科学与技术", "软件工程"],
         scenes="政务数据共享、金融风控、智慧交通"),
    dict(name="云计算工程技术人员", slug="cloud", field="云计算",
         courses=["云计算基础架构", "虚拟化技术", "容器与Kubernetes", "云原生应用开发",
                  "云平台运维", "云安全", "分布式存储"],
         tools=["私有云实训平台", "容器编排实训环境", "分布式存储系统", "云安全实训系统"],
         majors=["计算机科学与技术", "网络工程", "软件工程", "信息安全"],
         scenes="企业上云、政务云、工业云"),
    dict(name="智能制造工程技术人员", slug="smartmfg", field="智能制造",
         courses=["智能制造系统架构", "工业机器人编程与应用", "PLC与运动控制", "数字孪生技术",
                  "制造执行系统MES", "智能产线运维", "机器视觉检测"],
         tools=["工业机器人实训工作站", "数控加工中心", "柔性制造实训线", "数字孪生仿真软件"],
         majors=["机械设计制造及其自动化", "自动化", "机械电子工程", "工业工程"],
         scenes="汽车摩托车、电子信息、装备制造"),
    dict(name="工业互联网工程技术人员", slug="iiot", field="工业互联网",
         courses=["工业互联网平台架构", "工业数据采集与边缘计算", "工业网络与标识解析", "工业APP开发",
                  "工业互联网安全", "设备预测性维护"],
         tools=["标识解析实训系统", "边缘计算网关", "工业互联网平台实训环境", "工业防火墙"],
         majors=["自动化", "通信工程", "计算机科学与技术", "工业工程"],
         scenes="汽车制造、材料加工、消费品工业"),
    dict(name="虚拟现实工程技术人员", slug="vr", field="虚拟现实",
         courses=["虚拟现实引擎开发", "三维建模与渲染", "人机交互设计", "增强现实应用开发",
                  "虚拟仿真实训开发", "全景视频制作"],
         tools=["头戴式显示设备", "动作捕捉系统", "三维扫描仪", "图形工作站"],
         majors=["数字媒体技术", "计算机科学与技术", "动画", "软件工程"],
         scenes="文化旅游、职业教育、工业仿真"),
    dict(name="区块链工程技术人员", slug="blockchain", field="区块链",
         courses=["区块链原理与架构", "密码学基础", "智能合约开发", "联盟链部署与运维",
                  "区块链应用设计", "区块链安全"],
         tools=["联盟链实训平台", "智能合约开发环境", "密码服务实训系统", "区块链浏览器"],
         majors=["计算机科学与技术", "信息安全", "软件工程", "密码科学与技术"],
         scenes="供应链金融、政务存证、产品溯源"),
    dict(name="集成电路工程技术人员", slug="ic", field="集成电路",
         courses=["半导体器件物理", "数字集成电路设计", "模拟集成电路设计", "集成电路版图设计",
                  "芯片验证与测试", "集成电路封装工艺"],
         tools=["EDA设计软件", "芯片测试机", "探针台", "FPGA开发平台"],
         majors=["集成电路设计与集成系统", "微电子科学与工程", "电子科学与技术", "电子信息工程"],
         scenes="功率半导体、汽车电子、智能终端"),
    dict(name="数字化管理师", slug="digimgmt", field="数字化管理",
         courses=["数字化转型战略", "数字化组织与人才管理", "业务流程数字化", "数据驱动决策",
                  "企业数字化平台应用", "数字化项目管理"],
         tools=["低代码开发平台", "协同办公平台", "ERP实训系统", "商业智能分析软件"],
         majors=["工商管理", "信息管理与信息系统", "管理科学与工程", "计算机科学与技术"],
         scenes="中小企业数字化转型、智慧政务、现代服务业"),
]
OCC_BY_NAME = {o["name"]: o for o in OCCUPATIONS}
OCC_BY_SLUG = {o["slug"]: o for o in OCCUPATIONS}
# An occupation outside the catalogue, for the scope.occupation scenario.
OFF_CATALOGUE = dict(name="网络安全工程技术人员", slug="netsec", field="网络安全",
                     courses=["网络安全基础", "渗透测试", "安全运维", "数据安全与隐私保护",
                              "等级保护测评", "应急响应"],
                     tools=["网络攻防靶场", "安全审计系统", "漏洞扫描平台", "流量分析系统"],
                     majors=["网络空间安全", "信息安全", "计算机科学与技术", "网络工程"],
                     scenes="关键信息基础设施、政务网络、金融系统")

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶"
                "程苏魏吕丁任沈姚卢傅钟谭陆汪范金石廖贾夏付方邹熊秦邱江尹薛段雷侯龙陶黎贺顾毛郝龚"
                "邵万严覃向汤冉")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红玲芬燕彬鹏辉建国志坤晨宇浩然"
             "涵欣怡轩俊思远嘉文博瑞梓萱鸣琪佑锦程海峰晓东梅春生川渝兴林松婷倩雪颖凯亮斌力维")
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                   "152", "155", "157", "158", "159", "166", "173", "176", "177", "178", "180",
                   "181", "182", "183", "185", "186", "187", "188", "189", "191", "198", "199"]
# Birthplace codes for 居民身份证号: Chongqing's own plus neighbouring provinces'.
BIRTH_REGIONS = [c for c, _, _ in DISTRICTS] + ["510104", "510107", "511304", "511602", "511902",
                                                 "420106", "430111", "520102", "610113"]
ROADS = {
    "渝北区": ["金开大道", "春华大道", "黄山大道", "新溉大道", "财富大道"],
    "渝中区": ["民族路", "解放西路", "中山三路", "长江一路", "大坪正街"],
    "江北区": ["建新北路", "红石路", "江北城西大街", "洋河一路"],
    "沙坪坝区": ["大学城中路", "学城大道", "小龙坎正街", "西永大道", "天星桥正街"],
    "九龙坡区": ["科园一路", "科园四路", "渝州路", "杨家坪正街", "白市驿大道"],
    "南岸区": ["南坪正街", "江南大道", "亚太路", "茶园路"],
    "北碚区": ["天生路", "云华路", "同兴路", "蔡家大道"],
    "巴南区": ["龙洲大道", "渝南大道", "李家沱正街"],
    "大渡口区": ["松青路", "春晖路", "钢花路"],
}
GENERIC_ROADS = ["人民路", "新华路", "滨江路", "兴业大道", "学府路", "建设路", "文化路", "工业园区大道",
                 "科技大道", "迎宾大道", "解放路", "桂花路"]
PART_TIME_EMPLOYERS = [
    "重庆大学计算机学院", "重庆大学自动化学院", "重庆大学微电子与通信工程学院",
    "重庆邮电大学计算机科学与技术学院", "重庆邮电大学自动化学院", "西南大学计算机与信息科学学院",
    "重庆理工大学人工智能学院", "重庆交通大学信息科学与工程学院", "重庆师范大学计算机与信息科学学院",
    "重庆工商大学人工智能学院", "重庆科技大学智能技术与工程学院", "重庆电子科技职业大学人工智能与大数据学院",
    "重庆工程职业技术学院大数据与物联网学院", "重庆城市管理职业学院大数据与信息产业学院",
    "中国电信股份有限公司重庆分公司政企客户部", "中国移动通信集团重庆有限公司网络部",
    "中国联合网络通信有限公司重庆市分公司产业互联网部", "中国汽车工程研究院股份有限公司智能网联中心",
    "重庆市信息通信咨询设计院有限公司", "重庆市大数据发展局数据资源中心",
]
JOB_TITLES = {
    "民办非企业单位": ["校长", "副校长", "教务处处长", "培训部主任", "办公室主任"],
    "企业": ["总经理", "副总经理", "培训事业部总监", "人力资源部经理", "综合管理部经理"],
    "民营企业": ["总经理", "副总经理", "培训中心主任", "运营总监", "综合部经理"],
    "集体企业": ["主任", "副主任", "培训科科长", "办公室主任"],
    "事业单位": ["院长", "副院长", "培训部部长", "综合办公室主任", "科研处副处长"],
    "行业协会等社团组织": ["会长", "秘书长", "副秘书长", "培训部主任", "会员服务部主任"],
}
FULL_TIME_TITLES = ["讲师", "讲师", "高级讲师", "工程师", "工程师", "高级工程师", "高级工程师",
                    "副教授", "助理工程师"]
UNIVERSITY_TITLES = ["教授", "教授", "副教授", "副教授", "副教授", "讲师", "研究员", "副研究员"]
COMPANY_TITLES = ["正高级工程师", "高级工程师", "高级工程师", "工程师", "高级经济师"]
ALL_TITLES = set(FULL_TIME_TITLES + UNIVERSITY_TITLES + COMPANY_TITLES)
SENIOR_TITLES = {"教授", "副教授", "研究员", "副研究员", "正高级工程师", "高级工程师", "高级讲师", "高级经济师"}

# Names for bulk institutions: (core, pinyin) and the kinds of unit that carry them.
CORES = [("智源", "zhiyuan"), ("数智", "shuzhi"), ("云谷", "yungu"), ("链信", "lianxin"),
         ("芯谷", "xingu"), ("智汇", "zhihui"), ("博睿", "borui"), ("鼎新", "dingxin"),
         ("英才", "yingcai"), ("卓越", "zhuoyue"), ("天行", "tianxing"), ("渝才", "yucai"),
         ("启明", "qiming"), ("睿思", "ruisi"), ("金桥", "jinqiao"), ("立信", "lixin"),
         ("华信", "huaxin"), ("创科", "chuangke"), ("新航", "xinhang"), ("星辰", "xingchen"),
         ("恒信", "hengxin"), ("明德", "mingde"), ("精诚", "jingcheng"), ("嘉陵", "jialing"),
         ("缙云", "jinyun"), ("歌乐", "gele"), ("南山", "nanshan"), ("两江", "liangjiang"),
         ("巴渝", "bayu"), ("山城", "shancheng"), ("渝州", "yuzhou"), ("三峡", "sanxia"),
         ("武陵", "wuling"), ("金佛", "jinfo"), ("洪崖", "hongya"), ("鹅岭", "eling"),
         ("云帆", "yunfan"), ("数联", "shulian"), ("聚才", "jucai"), ("领航", "linghang")]
# (name pattern, unit type, industry classes, domain suffix)
KINDS = [
    ("重庆{core}{mid}职业培训学校", "民办非企业单位", ["8391", "8391", "8391", "8399"], "com"),
    ("重庆{core}{mid}职业技能培训学校", "民办非企业单位", ["8391"], "com"),
    ("重庆{core}{mid}技术培训中心", "民办非企业单位", ["8391", "8394"], "com"),
    ("重庆{core}{mid}科技有限公司", "企业", ["6513", "6531", "6560", "8391"], "com"),
    ("重庆{core}教育科技有限公司", "民营企业", ["8391", "8394"], "com"),
    ("重庆{core}{mid}信息技术有限公司", "企业", ["6531", "6540", "6560"], "com.cn"),
    ("重庆{core}软件有限公司", "民营企业", ["6511", "6513"], "com"),
    ("重庆市{core}{mid}研究院", "事业单位", ["7320", "7530"], "org.cn"),
    ("重庆{core}职业学院继续教育学院", "事业单位", ["8342", "8391"], "edu.cn"),
    ("重庆市{district}{field}行业协会", "行业协会等社团组织", ["8391", "9521"], "org.cn"),
    ("重庆市{district}{core}职工技术服务社", "集体企业", ["8391"], "com"),
]
MIDS = ["", "", "数字技术", "信息技术", "智能", "数智"]

# --------------------------------------------------------------------------------------
# Check characters: 统一社会信用代码 (GB 32100-2015 with GB 11714) and 居民身份证号 (GB 11643)
# --------------------------------------------------------------------------------------

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARS)}
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def org_code_check(body8: str) -> str:
    """GB 11714 check character for an 8-character organisation-code body."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, ORG_WEIGHTS))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def uscc_check(first17: str) -> str:
    total = sum(USCC_VALUE[c] * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def uscc_valid(code: object) -> bool:
    if not isinstance(code, str) or len(code) != 18 or any(c not in USCC_VALUE for c in code):
        return False
    return org_code_check(code[8:16]) == code[16] and uscc_check(code[:17]) == code[17]


def id_check(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def id_valid(number: object) -> bool:
    if not isinstance(number, str) or not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= NOTICE_DATE and id_check(number[:17]) == number[17]


# --------------------------------------------------------------------------------------
# Small helpers on the PRNG
# --------------------------------------------------------------------------------------

class Rng(random.Random):
    """random.Random whose choice/randint/randrange/shuffle draw on random() alone.

    Same seeding and stream as random.Random; the overrides only skip the rejection sampling
    of _randbelow, which dominates the run time of a bulk run (hundreds of draws a record).
    """

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None) -> int:
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def shuffle(self, x: list) -> None:
        rnd = self.random
        for i in range(len(x) - 1, 0, -1):
            j = int(rnd() * (i + 1))
            x[i], x[j] = x[j], x[i]


def person(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.65 else "")
    return rng.choice(SURNAMES) + given


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"


def landline(rng: random.Random) -> str:
    return f"023-{rng.choice('6846')}{rng.randrange(10 ** 7):07d}"


def date_between(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return dt.date.fromordinal(rng.randint(lo.toordinal(), hi.toordinal()))


# Working days of October 2025 from the day after the notice to the deadline (the national
# day holiday ended on 8 October; 11 October was its make-up working day).
OCTOBER_WORKDAYS = [dt.date(2025, 10, d) for d in range(13, 32) if dt.date(2025, 10, d).weekday() < 5]


def workday_between(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    days = [d for d in OCTOBER_WORKDAYS if lo <= d <= hi]
    return rng.choice(days) if days else hi


def make_uscc(rng: random.Random, org_type: str, division: str, established: dt.date) -> str:
    head = ORG_TYPES[org_type]
    new_style = established >= dt.date(2016, 1, 1)
    letters = USCC_CHARS[10:]
    if new_style:
        prefix = {"91": "MA", "12": "MB", "51": "MJ", "52": "MJ"}[head]
        body = prefix + rng.choice("0123456789ABCDEF") + "".join(
            rng.choice(USCC_CHARS if i else letters) for i in range(5))
    else:
        first = {"91": "2", "12": "4", "51": "5", "52": "5"}[head]
        if head == "91" and org_type != "集体企业":  # a collective enterprise's old code began with 2
            first = rng.choice("2567")
        body = first + f"{rng.randrange(10 ** 7):07d}"
    org = body + org_code_check(body)
    first17 = head + division + org
    return first17 + uscc_check(first17)


def make_id_number(rng: random.Random) -> str:
    region = rng.choice(BIRTH_REGIONS) if rng.random() < 0.35 else rng.choice(BIRTH_REGIONS[:38])
    born = date_between(rng, dt.date(1964, 1, 1), dt.date(1991, 12, 31))
    first17 = region + born.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
    return first17 + id_check(first17)


def street_address(rng: random.Random, district: str) -> str:
    road = rng.choice(ROADS.get(district, GENERIC_ROADS))
    tail = rng.choice(["", "", f"{rng.randint(1, 12)}栋", f"{rng.randint(1, 30)}楼", "A座"])
    return f"重庆市{district}{road}{rng.randint(1, 399)}号{tail}"


# --------------------------------------------------------------------------------------
# Texts: sentences from banks, chosen to fill a length exactly (subset sum) or as near as fits
# --------------------------------------------------------------------------------------

def fit(rng: random.Random, head: list[str], pool: list[str], target: int, exact: bool = False,
        tail: tuple[str, ...] = ()) -> str:
    """head + a subset of pool (shuffled) + tail, as long as possible but <= target characters.

    With exact=True the result is exactly `target` characters long or ValueError is raised.
    """
    fixed = "".join(head) + "".join(tail)
    need = target - len(fixed)
    if need < 0:
        raise ValueError(f"fixed sentences already {len(fixed)} > {target} characters")
    items = pool[:]
    rng.shuffle(items)
    lens = [len(s) for s in items]
    mask = (1 << (need + 1)) - 1
    reach = [1]
    for n in lens:
        reach.append((reach[-1] | (reach[-1] << n)) & mask)
    final = reach[-1]
    if (final >> need) & 1:
        s = need
    elif exact:
        raise ValueError(f"no combination of sentences makes exactly {target} characters")
    else:
        s = final.bit_length() - 1
    chosen = []
    for i in range(len(items) - 1, -1, -1):
        if (reach[i] >> s) & 1:
            continue
        chosen.append(i)
        s -= lens[i]
    chosen.reverse()
    return "".join(head) + "".join(items[i] for i in chosen) + "".join(tail)


PROFILE_POOL = [
    "单位以{field}领域专业技术人员知识更新和技能提升为主要方向，形成了覆盖{c1}、{c2}、{c3}等内容的课程体系。",
    "单位建有{field}专业实训室{n_rooms}间，配备{t1}、{t2}等实训设备和软件系统，能够同时满足理论教学与工程实践的需要。",
    "单位坚持“需求导向、产教融合、学用一致”的办学理念，培训内容紧贴成渝地区双城经济圈数字经济发展需求。",
    "单位先后与{u1}、{u2}等高校院系开展课程共建和师资互聘，联合开发培训教材和讲义{n_books}部。",
    "单位与区内外{n_partner}家重点企业建立了长期合作关系，共建实训基地和企业现场教学点，形成了订单式、定向式培训模式。",
    "单位建立了规范的财务管理制度、培训管理制度和学员档案管理制度，财务收支实行专账核算，近年来无违法违规记录。",
    "单位近三年依法足额纳税，经信用中国平台查询无失信记录，无重大经济纠纷。",
    "单位多次承接区县人力社保部门组织的专业技术人员继续教育和职业技能提升培训项目，培训质量获得主管部门和参训单位好评。",
    "单位现有专兼职教师{teachers}人，其中具有高级专业技术职务的{senior}人，多数教师具有五年以上企业一线工程经历。",
    "单位参与{field}领域市级课题研究{n_projects}项，编写的培训案例被多家企业采用，形成了一批可复制、可推广的培训成果。",
    "单位积极推进培训管理数字化，报名、排课、考勤、考核和证书查询全流程线上办理。",
    "单位重点面向{scenes}等应用场景，开展了大量岗位能力提升和新技术新技能培训。",
    "单位始终把培训质量放在首位，建立了从需求调研、方案设计、组织实施到效果评估的闭环管理机制。",
    "单位地处{district}，周边{field}相关企业集聚，交通便利，便于组织企业现场教学和实践观摩。",
    "单位高度重视安全管理，建立了完善的场所安全、网络安全和突发事件应急处置制度。",
    "参训学员中有{n_awards}人次在市级以上职业技能竞赛中获奖，一批学员已成长为企业技术骨干。",
    "单位把服务中小企业数字化转型作为重要任务，每年为区内企业提供免费技术讲座和公益培训。",
    "单位在{field}领域具有较强的行业影响力，多次受邀参与行业标准研讨和职业技能等级认定工作。",
    "单位注重培训课程与国家职业标准的衔接，初级、中级培训内容分别对应相应专业技术等级的能力要求。",
    "单位配有专职培训管理人员{staff}人，分别负责教务管理、学员服务、质量督导和平台运维工作。",
    "近年来，单位围绕{c4}等新技术方向持续更新课程内容，年均新开发课程{n_courses}门。",
    "单位坚持公益性与市场化相结合，对就业困难人员、退役军人等重点群体参训给予费用减免。",
    "单位积极参与成渝地区双城经济圈人才协同培养，与四川多家培训机构建立了课程互认和师资共享机制。",
    "单位培训场地总面积{area}平方米，可同时容纳{capacity}人参加培训，设施设备总值{equip}万元。",
    "单位社会信誉良好，参训单位复训率较高。",
    "学员对课程的实用性评价较高。",
    "单位内部治理结构完善，决策程序规范。",
    "单位年度工作报告按时报送主管部门。",
    "单位重视品牌建设，在区内具有较高知名度。",
]
SUMMARY_POOL = [
    "主要课程包括{c1}、{c2}、{c3}和{c4}等，初级课程一般为{h1}学时，中级课程一般为{h2}学时。",
    "培训采取线下集中面授、线上直播与录播点播相结合的方式，实操训练占总课时的比例不低于百分之四十。",
    "考勤实行人脸识别签到与线上学习时长记录双重管理，缺课超过总学时百分之十的学员不予结业。",
    "每期培训均设置课前能力诊断、课中阶段测验和结业综合考核三个环节，考核合格方可取得结业证明。",
    "培训结束后开展学员满意度测评和用人单位回访，近三年学员满意度均在{satisfaction}%以上。",
    "合作培训主要与{u1}及区内重点企业联合开展，由合作方提供场地或组织学员，单位负责课程与师资。",
    "单位建立了培训档案管理制度，每期培训的方案、课表、签到表、考核成绩和评估报告均归档保存。",
    "针对企业在职人员工学矛盾，单位推行周末班、晚班和线上自学相结合的弹性学习安排。",
    "实训项目以{t1}为主要平台，围绕企业真实项目设计案例，帮助学员将所学技术应用于工作实际。",
    "单位还组织了{field}专题讲座和技术沙龙{n_lectures}场，覆盖企业技术人员{lecture_people}人次。",
    "培训质量由督导组按课程随机听课评估，评估结果与教师课酬和续聘直接挂钩。",
    "每期培训结束后形成培训总结报告。",
    "学员结业考核合格率保持在较高水平。",
    "培训期间安排企业现场观摩教学。",
]
MECHANISM_POOL = [
    "专职教师主要承担课程开发、日常授课和学员辅导，兼职教师主要来自高校和行业龙头企业，承担前沿技术和工程实践课程。",
    "专家聘请采取单位推荐、同行举荐和公开遴选相结合的方式，经试讲考核合格后签订聘任协议，聘期一般为两年。",
    "单位建立了师资库，按课程方向和专业技术等级对教师分类管理，每年根据教学评价结果进行增补和调整。",
    "新入职教师须参加岗前培训并跟班听课不少于{shadow}学时，经试讲合格后方可独立授课。",
    "单位每年安排专职教师到合作企业实践锻炼不少于{practice}个月，及时掌握{field}领域的新技术和新工艺。",
    "实行教学质量与绩效分配挂钩的激励机制，对学员评价优秀的教师给予课酬上浮和评优评先倾斜。",
    "鼓励教师参加专业技术职称评审和继续教育，对取得高级职称或相关职业技能等级证书的教师给予奖励。",
    "定期组织集体备课、教学观摩和教研活动，每年开展一次教学能力比赛，促进教师相互学习。",
    "对兼职教师实行聘期考核，考核不合格的不再续聘，保持兼职队伍的稳定性和专业性。",
    "单位支持教师参与课题研究和教材编写，教师参与开发的课程资源按贡献给予相应报酬。",
    "注重优化师资结构，高级职称教师占比达到{senior_pct}%，具有企业工作经历的教师占比达到{industry_pct}%。",
    "教师考核结果记入个人业务档案。",
    "骨干教师实行导师制传帮带。",
    "每年评选优秀教师并予以表彰。",
]
PLAN_POOL = [
    "单位将成立由主要负责人任组长的项目工作领导小组，统筹推进培训组织、质量管控和条件保障等工作。",
    "严格对照国家职业标准和培训大纲设计课程，初级侧重基础理论和基本技能，中级侧重综合应用和工程实践。",
    "计划新开发{c4}等课程资源{n_new}门，配套建设案例库、题库和实训项目库。",
    "每年组织专职教师参加师资培训不少于{teacher_train}学时，并选派骨干教师参加国家级研修项目。",
    "继续加大实训条件投入，计划三年内新增实训设备投入{invest}万元，升级{t1}等实训平台。",
    "完善线上学习平台功能，实现课程点播、在线练习、学习进度监测和电子档案管理。",
    "建立培训质量内部评估和第三方评价相结合的质量管控体系，及时公开培训质量评估结果。",
    "严格执行考勤、考核和结业管理制度，确保培训学时足、过程实、效果好。",
    "主动接受人力资源社会保障部门的监督检查，如实报送培训计划、实施情况和经费使用情况。",
    "加强与{u1}和行业龙头企业的合作，共同开展需求调研、课程开发和实训基地建设。",
    "培训经费实行专账管理，收费标准向社会公开，不以任何名义加收其他费用。",
    "针对重点企业的个性化需求，提供送教上门和定制化培训服务。",
    "建立学员跟踪服务机制，对结业学员开展为期一年的岗位应用跟踪和技术咨询服务。",
    "做好培训宣传动员，依托区县人力社保部门和行业协会组织符合条件的专业技术人员参训。",
    "制定突发情况应急预案，确保线上线下培训安全有序开展。",
    "力争三年内累计培训{field}领域专业技术人员{three_year}人次以上，为全市数字经济发展提供人才支撑。",
    "每期培训开班前报送培训计划。",
    "培训结束后及时报送学员名单和考核结果。",
    "按年度编制培训质量报告。",
]
PLATFORM_POOL = [
    "平台具备直播授课、录播点播、在线练习、在线考试和学习档案管理等功能。",
    "平台现有{field}相关课程{n_online}门、课程视频{n_video}小时，累计注册学员{registered}人。",
    "平台支持电脑端和手机端同步学习，可同时承载{concurrent}人在线学习。",
    "平台已通过网络安全等级保护二级测评，学员信息和学习数据加密存储。",
    "平台与线下实训系统打通，学员可在线预约实训工位并提交实训报告。",
    "平台记录学员学习时长、测验成绩和考勤情况，为培训质量评估提供数据支撑。",
    "平台设有在线答疑和学习社区，教师在一个工作日内回复学员提问。",
    "平台运行稳定。",
    "平台由专人负责运维。",
    "数据每日自动备份。",
    "支持移动端学习。",
    "课程资源持续更新。",
    "学员可随时回看课程。",
    "平台提供学习提醒功能。",
    "平台可自动生成学时证明。",
    "平台支持在线报名与电子发票。",
]
OFFLINE_PLATFORM_POOL = [
    "培训以线下集中面授为主，暂不具备开展线上培训的条件。",
    "单位计划下一步与第三方合作建设线上学习平台。",
    "网站设有课程介绍、报名咨询和通知公告栏目。",
    "线上报名后由工作人员电话确认。",
]
REASON_POOL = [
    "该单位是本地区{field}领域专业技术人员继续教育的重要力量，近五年培训规模稳定。",
    "该单位师资力量较强，实训条件完善，能够开展线上、线下培训。",
    "该单位管理制度健全，社会信用良好，经查询无违法失信记录。",
    "该单位积极服务区内企业数字化转型，培训质量得到参训单位认可。",
    "该单位多次承担区级专业技术人员继续教育培训任务。",
]


class Texts:
    """Builds the form's free texts for one application from the sentence banks."""

    def __init__(self, rng: random.Random, ctx: dict):
        self.rng = rng
        self.ctx = ctx
        self._pools: dict[str, list[str]] = {}

    def _pool(self, key: str, bank: list[str]) -> list[str]:
        if key not in self._pools:
            self._pools[key] = [s.format_map(self.ctx) for s in bank]
        return self._pools[key]

    def profile(self, target: int, exact: bool = False) -> str:
        c = self.ctx
        head = [c["intro"], "近五年累计开展技术技能人员培训{sum5}人次，2024年培训{t_last}人次。".format_map(c)]
        head += c["base_sentences"]
        return fit(self.rng, head, self._pool("profile", PROFILE_POOL), target, exact)

    def summary(self, target: int, exact: bool = False) -> str:
        head = ["2020年至2024年，单位在{field}领域累计组织培训{sessions}期、{sum5}人次，其中独立培训"
                "{ind5}人次、合作培训{coop5}人次。".format_map(self.ctx)]
        return fit(self.rng, head, self._pool("summary", SUMMARY_POOL), target, exact)

    def mechanism(self, target: int, exact: bool = False) -> str:
        head = ["单位按照“专职为主、专兼结合、动态调整”的原则建设师资队伍，目前专职教师{ft}人、"
                "兼职教师{pt}人。".format_map(self.ctx)]
        return fit(self.rng, head, self._pool("mechanism", MECHANISM_POOL), target, exact)

    def plan(self, target: int, exact: bool = False) -> str:
        c = self.ctx
        head = ["下一步，单位计划每年开展{occ}{levels_text}培训{annual_total}人次{per_level}。".format_map(c),
                "培训费用按照成本核算、合理定价的原则测算，{fees_text}，主要包括师资课酬、场地设备、教材资料和"
                "平台运维等支出。".format_map(c)]
        return fit(self.rng, head, self._pool("plan", PLAN_POOL), target, exact)

    def platform(self, target: int, exact: bool = False, online: bool = True) -> str:
        if online:
            head = ["单位自建“{pname}”在线学习平台（网址：{url}），可支撑线上培训工作。".format_map(self.ctx)]
            return fit(self.rng, head, self._pool("platform", PLATFORM_POOL), target, exact)
        head = ["单位目前未建设在线学习平台，单位网站（{url}）仅用于信息发布和报名咨询。".format_map(self.ctx)]
        return fit(self.rng, head, self._pool("offline", OFFLINE_PLATFORM_POOL), target, exact)

    def reason(self, target: int) -> str:
        head = ["经审核，{name}申报材料齐全、内容真实，符合申报条件。".format_map(self.ctx)]
        return fit(self.rng, head, self._pool("reason", REASON_POOL), target, tail=("同意推荐。",))


# --------------------------------------------------------------------------------------
# Institutions and applications
# --------------------------------------------------------------------------------------

def make_institution(rng: random.Random, spec: dict) -> dict:
    """The institution-level part of the form, shared by all of its applications.

    spec: name, type, district, industry (class code), established (date), slug, domain,
    strength (0..1: size, training scale, facilities), latest (2024 training total),
    bases (4 booleans), max_facilities.
    """
    district = spec["district"]
    division = DISTRICT_BY_NAME[district][0]
    est = spec["established"]
    s = spec["strength"]
    org_type = spec["type"]
    domain = spec["domain"]
    address = street_address(rng, district)
    capital = {"事业单位": rng.choice([100, 200, 300, 500, 1000]), "行业协会等社团组织": rng.choice([3, 10, 30, 50]),
               "民办非企业单位": rng.choice([10, 30, 50, 100, 200])}.get(org_type, rng.choice([100, 200, 500, 1000, 2000, 5000]))
    employees = int(12 + s * 280 + rng.randint(0, 30))
    latest = spec["latest"]
    history = []
    total = latest
    totals = [latest]
    for _ in range(4):  # going back in time: slower growth, a dip in 2020
        total = max(300, int(total / rng.uniform(1.04, 1.22)))
        totals.append(total)
    totals.reverse()
    if spec.get("history") is not None:
        totals = list(spec["history"])
    indep_share = rng.uniform(0.5, 0.9)
    for year, t in zip(TRAINING_YEARS, totals):
        independent = round(t * min(1.0, max(0.3, indep_share + rng.uniform(-0.06, 0.06))))
        history.append({"year": year, "total": t, "independent": independent, "cooperative": t - independent})
    n_fac = spec.get("facilities", 1 + min(spec.get("max_facilities", 4) - 1, int(s * spec.get("max_facilities", 4))))
    facilities = []
    for i in range(n_fac):
        fd = district if i == 0 else (district if rng.random() < 0.5 else rng.choice(URBAN))
        area = int(300 + s * 2500 * rng.uniform(0.4, 1.0)) if i == 0 else rng.randint(150, 1500)
        facilities.append({
            "address": address if i == 0 else street_address(rng, fd),
            "area_m2": area,
            "capacity": max(30, int(area / rng.uniform(3.0, 6.0))),
            "equipment_sets": max(20, int(area / rng.uniform(4.0, 12.0))),
            "equipment_value_wan": round(area * rng.uniform(0.05, 0.4), 1),
        })
    tax_base = {"事业单位": 4.0, "行业协会等社团组织": 1.5, "民办非企业单位": 3.0}.get(org_type, 12.0) * (0.5 + 4 * s)
    tax_records = []
    for year in TAX_YEARS:
        tax_base *= rng.uniform(0.92, 1.2)
        tax_records.append({"year": year, "amount_wan": round(tax_base, 2), "dishonest": False})
    titles = JOB_TITLES[org_type]
    sub = rng.choice(["www", "peixun", "edu", "learn", "px"])
    return {
        "spec": spec,
        "organization": {
            "name": spec["name"], "stamped": True,
            "uscc": make_uscc(rng, org_type, division, est),
            "legal_representative": {"name": person(rng), "id_number": make_id_number(rng)},
            "address": address, "type": org_type,
            "industry": INDUSTRIES[spec["industry"]][0] + spec["industry"],
            "registered_capital_wan": capital, "employees": employees,
            "established_on": est.isoformat(),
            "has_training_qualification": True, "has_financial_system": True,
            "has_management_system": True,
        },
        "tax_records": tax_records,
        "bases": dict(zip(("national_ce_base", "industry_ce_base", "provincial_ce_base", "standard_developer"),
                          spec["bases"])),
        "lead": {"name": person(rng), "title": titles[0] if rng.random() < 0.5 else rng.choice(titles),
                 "phone": landline(rng), "email": f"office@{domain}"},
        "contact": {"name": person(rng), "title": rng.choice(titles[1:]),
                    "phone": mobile(rng), "email": rng.choice([f"peixun@{domain}", f"{rng.randint(10 ** 8, 10 ** 10)}@qq.com"])},
        "training_history": history,
        "facilities": facilities,
        "platform_url": f"https://{sub}.{domain}/",
        "platform_name": spec["name"].replace("重庆市", "").replace("重庆", "")[:4] + "在线学堂",
        "staff": max(3, employees // 12),
    }


def intro_sentence(inst: dict) -> str:
    spec = inst["spec"]
    est = spec["established"]
    district = spec["district"]
    org = inst["organization"]
    t = spec["type"]
    reg = {
        "民办非企业单位": f"是经{district}人力资源和社会保障局批准设立、在{district}民政局登记的民办职业培训机构",
        "企业": f"是在{district}市场监督管理局登记注册的有限责任公司",
        "民营企业": f"是在{district}市场监督管理局登记注册的民营科技企业",
        "集体企业": f"是在{district}市场监督管理局登记的集体所有制企业",
        "事业单位": "是依法登记的公益二类事业单位，具有独立法人资格",
        "行业协会等社团组织": "是经重庆市民政局登记成立的非营利性社会团体",
    }[t]
    return (f"{org['name']}成立于{est.year}年{est.month}月，{reg}，注册资金{org['registered_capital_wan']}万元，"
            f"现有正式员工{org['employees']}人。")


BASE_SENTENCES = (
    "单位是国家级专业技术人员继续教育基地。",
    "单位是行业专业技术人员继续教育基地。",
    "单位是重庆市专业技术人员继续教育基地。",
    "单位参与了申报职业国家职业标准的开发工作。",
)


def make_application(rng: random.Random, inst: dict, occ: dict, levels: list[str], number: int,
                     faculty_total: int, *, fill_texts: bool = True,
                     submitted: dt.date | None = None, with_scores: bool = True,
                     approval: str | None = None) -> tuple[dict, Texts]:
    """One clean application of `inst` for occupation `occ`. Returns (application, texts)."""
    spec = inst["spec"]
    org = inst["organization"]
    s = spec["strength"]
    ft = max(1, round(faculty_total * rng.uniform(0.3, 0.65)))
    pt = faculty_total - ft
    teachers = []
    dept = rng.choice(["培训部", "教务处", "技术研发中心", "教学部"])
    for i in range(faculty_total):
        if i < ft:
            employer, title = org["name"] + dept, rng.choice(FULL_TIME_TITLES)
        else:
            employer = rng.choice(PART_TIME_EMPLOYERS)
            title = rng.choice(UNIVERSITY_TITLES if "学院" in employer else COMPANY_TITLES)
        teachers.append({"name": person(rng), "employer": employer, "title": title,
                         "major": rng.choice(occ["majors"]), "kind": TEACHER_KINDS[i >= ft], "phone": mobile(rng)})
    senior = sum(t["title"] in SENIOR_TITLES for t in teachers)
    history = inst["training_history"]
    sum5 = sum(r["total"] for r in history)
    ind5 = sum(r["independent"] for r in history)
    annual = {lvl: int(history[-1]["total"] * rng.uniform(0.2, 0.55) / len(levels)) // 10 * 10 + 50 for lvl in levels}
    fees = {lvl: rng.randint(20, 40) if lvl == "初级" else rng.randint(35, 70) for lvl in levels}
    courses = rng.sample(occ["courses"], 4)
    tools = rng.sample(occ["tools"], 2)
    univs = rng.sample([e for e in PART_TIME_EMPLOYERS if "学院" in e], 2)
    fac = inst["facilities"]
    ctx = dict(
        name=org["name"], district=spec["district"], field=occ["field"], occ=occ["name"],
        c1=courses[0], c2=courses[1], c3=courses[2], c4=courses[3], t1=tools[0], t2=tools[1],
        u1=univs[0], u2=univs[1], scenes=occ["scenes"], teachers=faculty_total, senior=senior,
        ft=ft, pt=pt, sum5=sum5, ind5=ind5, coop5=sum5 - ind5, t_last=history[-1]["total"],
        sessions=max(10, sum5 // rng.randint(45, 90)), intro=intro_sentence(inst),
        base_sentences=[b for b, on in zip(BASE_SENTENCES, spec["bases"]) if on],
        n_rooms=1 + int(s * 8), n_books=rng.randint(3, 15), n_partner=rng.randint(8, 60),
        n_projects=rng.randint(1, 9), n_awards=rng.randint(5, 60), staff=inst["staff"],
        n_courses=rng.randint(3, 12), area=sum(f["area_m2"] for f in fac),
        capacity=sum(f["capacity"] for f in fac), equip=round(sum(f["equipment_value_wan"] for f in fac), 1),
        h1=rng.choice([32, 40, 48, 56]), h2=rng.choice([64, 72, 80, 96]),
        satisfaction=rng.choice([90, 92, 95, 96, 98]), n_lectures=rng.randint(6, 40),
        lecture_people=rng.randint(300, 3000), shadow=rng.choice([16, 24, 32]),
        practice=rng.choice([1, 2, 3]), senior_pct=round(100 * senior / faculty_total),
        industry_pct=rng.randint(35, 80),
        levels_text="和".join(levels), annual_total=sum(annual.values()),
        per_level="，其中" + "、".join(f"{lvl}{annual[lvl]}人次" for lvl in levels) if len(levels) > 1 else "",
        fees_text="、".join(f"{lvl}{fees[lvl]}元/学时" for lvl in levels),
        n_new=rng.randint(4, 20), teacher_train=rng.choice([40, 60, 80]), invest=rng.choice([50, 100, 200, 300, 500]),
        three_year=sum(annual.values()) * 3 // 100 * 100, pname=inst["platform_name"], url=inst["platform_url"],
        n_online=rng.randint(20, 300), n_video=rng.randint(100, 2000), registered=rng.randint(2000, 60000),
        concurrent=rng.choice([500, 1000, 2000, 5000]),
    )
    texts = Texts(rng, ctx)
    if fill_texts:  # each text within 25 characters of its limit
        lim = {k: v - rng.randint(0, 25) for k, v in LIMITS.items()}
        body = dict(profile=texts.profile(lim["profile"]), platform=texts.platform(lim["platform"]),
                    summary=texts.summary(lim["summary"]), mechanism=texts.mechanism(lim["mechanism"]),
                    plan=texts.plan(lim["plan"]), reason=texts.reason(rng.randint(120, 200)))
    else:  # left to the caller (bulk records size them to reach a byte size)
        body = dict.fromkeys(("profile", "platform", "summary", "mechanism", "plan", "reason"), "")
    if submitted is None:
        submitted = rng.choice(OCTOBER_WORKDAYS)
    committed = workday_between(rng, dt.date(2025, 10, 13), submitted)
    recommended = workday_between(rng, committed, submitted)
    credit = rng.choice([(True, False), (False, True), (True, True)])
    district = spec["district"]
    app = {
        "id": f"CQ-2025-{number:04d}",
        "occupation": occ["name"],
        "levels": list(levels),
        "organization": {**org, "legal_representative": dict(org["legal_representative"])},
        "tax_records": [dict(r) for r in inst["tax_records"]],
        "bases": dict(inst["bases"]),
        "lead": dict(inst["lead"]),
        "contact": dict(inst["contact"]),
        "profile": body["profile"],
        "training_history": [dict(r) for r in history],
        "facilities": [dict(f) for f in fac],
        "platform": {"description": body["platform"], "url": inst["platform_url"], "online_capable": True},
        "faculty": {"total": faculty_total, "full_time": ft, "part_time": pt, "teachers": teachers},
        "training_summary": body["summary"],
        "faculty_mechanism": body["mechanism"],
        "plan": {"annual_trainees": annual, "fee_per_hour": fees, "text": body["plan"]},
        "commitment": {"signed": True, "stamped": True, "signatory": org["legal_representative"]["name"],
                       "date": committed.isoformat()},
        "materials": {"form": True, "license_copy_stamped": True, "credit_report": credit[0],
                      "integrity_commitment": credit[1]},
        "recommendation": {"district": district, "unit": f"{district}人力资源和社会保障局",
                           "reason": body["reason"], "stamped": True, "signed": True,
                           "date": recommended.isoformat()},
        "submitted_on": submitted.isoformat(),
        "review": {"online_approval_date": approval},
    }
    if with_scores:
        mean = 58 + 34 * s
        app["expert_scores"] = [round(min(100.0, max(0.0, rng.gauss(mean, 4.0))), 1)
                                for _ in range(rng.randint(3, 7))]
    return app, texts


# --------------------------------------------------------------------------------------
# Defects: each edits a clean application so that exactly the listed invariant codes break
# --------------------------------------------------------------------------------------

def _latest_1999(app, texts, rng):
    for row, t in zip(app["training_history"], (1340, 1510, 1680, 1850, 1999)):
        _set_total(row, t, rng)


def _low_all_years(app, texts, rng):
    for row in app["training_history"]:
        _set_total(row, rng.randint(380, 1200), rng)


def _set_total(row, total, rng):
    row["total"] = total
    row["independent"] = round(total * rng.uniform(0.5, 0.9))
    row["cooperative"] = total - row["independent"]


def _no_full_time(app, texts, rng):
    f = app["faculty"]
    for t in f["teachers"]:
        if t["kind"] == "专职师资":
            t["kind"] = "兼职师资"
            t["employer"] = rng.choice(PART_TIME_EMPLOYERS)
            t["title"] = rng.choice(UNIVERSITY_TITLES if "学院" in t["employer"] else COMPANY_TITLES)
    f["full_time"], f["part_time"] = 0, f["total"]


def _not_online(app, texts, rng):
    app["platform"]["online_capable"] = False
    app["platform"]["description"] = texts.platform(rng.randint(80, 140), online=False)


def _gaoji(app, texts, rng):
    app["levels"] = ["高级"]
    plan = app["plan"]
    n = sum(plan["annual_trainees"].values())
    plan["annual_trainees"] = {"高级": n}
    plan["fee_per_hour"] = {"高级": rng.randint(60, 90)}
    c = texts.ctx  # the plan text names the levels too; it stays within its 800 characters
    plan["text"] = (plan["text"].replace(c["levels_text"] + "培训", "高级培训", 1)
                    .replace(c["per_level"] + "。", "。", 1)
                    .replace(c["fees_text"], f"高级{plan['fee_per_hour']['高级']}元/学时", 1))


def _uscc_off_by_one(app, texts, rng):
    code = app["organization"]["uscc"]
    app["organization"]["uscc"] = code[:17] + USCC_CHARS[(USCC_VALUE[code[17]] + 1) % 31]


def _id_bad(app, texts, rng):
    number = app["organization"]["legal_representative"]["id_number"]
    wrong = ID_CHECK[(ID_CHECK.index(number[17]) + rng.randint(1, 10)) % 11]
    app["organization"]["legal_representative"]["id_number"] = number[:17] + wrong


def _split_mismatch(app, texts, rng):
    app["training_history"][rng.randint(0, 4)]["cooperative"] += rng.randint(1, 60)


def _plan_keys(app, texts, rng):
    plan = app["plan"]
    if len(app["levels"]) == 2:  # a ticked level with no plan
        for part in ("annual_trainees", "fee_per_hour"):
            del plan[part]["中级"]
    else:  # a plan for a level not ticked
        other = "中级" if app["levels"] == ["初级"] else "初级"
        plan["annual_trainees"][other] = rng.randint(100, 800)
        plan["fee_per_hour"][other] = rng.randint(25, 60)


def _no_key(*path):
    def apply(app, texts, rng):
        obj = app
        for k in path[:-1]:
            obj = obj[k]
        del obj[path[-1]]
    return apply


def _set(path, value):
    def apply(app, texts, rng):
        obj = app
        for k in path[:-1]:
            obj = obj[k]
        obj[path[-1]] = value(rng) if callable(value) else value
    return apply


def _dishonest(app, texts, rng):
    app["tax_records"][rng.randint(0, 2)]["dishonest"] = True


def _chengdu(app, texts, rng):
    app["recommendation"]["district"] = "成都市"
    app["recommendation"]["unit"] = "成都市人力资源和社会保障局"


def _remarks(app, texts, rng):
    app["remarks"] = "本单位另附培训场地租赁合同及近五年培训学员花名册，请审核时一并查阅。"


def _late(app, texts, rng):
    app["submitted_on"] = "2025-11-01"


# name -> kind, codes it breaks, area (one defect per area in a bulk record), what it does,
# the intended outcome and why (citing the notice), and the edit. Order = sample file order.
DEFECTS = {
    # soft: 二、(三) says 一般应 (generally), so falling short is for the reviewers
    "established-2021-01-01": ("soft", {"conditions.established_before"}, "established",
        "established_on 2021-01-01, one day after the cut-off",
        "needs_review", "2.3 一般应是2020年12月31日以前注册登记成立 (一般: soft); 以前 includes 12-31, so 2021-01-01 is after",
        _set(("organization", "established_on"), "2021-01-01")),
    "latest-year-1999": ("soft", {"conditions.annual_scale"}, "training",
        "training totals 1340..1999, the 2024 total 1999 is the highest",
        "needs_review", "2.3 年培训2000人次以上 (以上 includes 2000; 1999 falls one short in every reading)",
        _latest_1999),
    "training-low-all-years": ("soft", {"conditions.annual_scale"}, "training",
        "every year's training total between 380 and 1200",
        "needs_review", "2.3 年培训技术技能人员2000人次以上 (一般应: soft)", _low_all_years),
    # hard
    "late-2025-11-01": ("hard", {"dates.deadline"}, "submitted",
        "submitted_on 2025-11-01, the day after the deadline",
        "ineligible", "5.3 于2025年10月31日前报送…逾期不再受理", _late),
    "dishonest-tax-record": ("hard", {"conditions.no_dishonesty"}, "tax",
        "one tax year has dishonest: true (信用中国 record)",
        "ineligible", "2.1 社会信用良好，无违法、失信…等不良记录", _dishonest),
    "no-training-qualification": ("hard", {"conditions.training_qualification"}, "qualification",
        "has_training_qualification false",
        "ineligible", "2.1 依法登记具有培训资质的独立法人机构",
        _set(("organization", "has_training_qualification"), False)),
    "no-full-time-teacher": ("hard", {"conditions.full_time_faculty"}, "faculty",
        "full_time 0, every listed teacher 兼职师资",
        "ineligible", "2.2 配有专职工作人员、稳定的师资队伍", _no_full_time),
    "no-facilities": ("hard", {"conditions.facilities"}, "facilities",
        "facilities []",
        "ineligible", "2.2 配备相应的场地、设备和工具（软件）系统等实训场所", _set(("facilities",), lambda r: [])),
    "not-online-capable": ("hard", {"conditions.online_capable"}, "platform",
        "platform.online_capable false (description says offline only)",
        "ineligible", "2.2 能开展线上、线下培训", _not_online),
    "commitment-not-stamped": ("hard", {"form.commitment"}, "commitment",
        "commitment.stamped false",
        "ineligible", "5.3 签字盖章的推荐表; form 承诺 申报单位（盖章）", _set(("commitment", "stamped"), False)),
    "license-copy-not-stamped": ("hard", {"materials.license_copy"}, "license",
        "materials.license_copy_stamped false",
        "ineligible", "3.2 法人登记证书复印件（加盖单位印章）", _set(("materials", "license_copy_stamped"), False)),
    "no-credit-material": ("hard", {"materials.credit"}, "credit",
        "credit_report and integrity_commitment both false",
        "ineligible", "3.3 信用报告或诚信承诺书 (either one suffices, neither given)",
        lambda a, t, r: a["materials"].update(credit_report=False, integrity_commitment=False)),
    "recommendation-not-stamped": ("hard", {"form.recommendation"}, "recommendation",
        "recommendation.stamped false",
        "ineligible", "4.1 经区县人力社保部门推荐; form 推荐单位（盖章）", _set(("recommendation", "stamped"), False)),
    "occupation-not-in-catalogue": ("hard", {"scope.occupation"}, "occupation",
        "occupation 网络安全工程技术人员, not one of the 10",
        "ineligible", "1.1 职业目录（共10个）", None),  # built with OFF_CATALOGUE, not by an edit
    "level-gaoji": ("hard", {"scope.levels"}, "levels",
        "levels [\"高级\"] (plan keyed 高级 to match)",
        "ineligible", "1.2 专业技术等级：初级、中级", _gaoji),
    # unknown: a field is absent, so the rules that read it cannot decide
    "no-recommendation": ("unknown", {"missing:/recommendation"}, "recommendation",
        "no \"recommendation\" key at all",
        "needs_review", "4.1 经区县人力社保部门推荐: unknown, missing /recommendation", _no_key("recommendation")),
    "no-submitted-on": ("unknown", {"missing:/submitted_on"}, "submitted",
        "no \"submitted_on\" key",
        "needs_review", "5.3 deadline: unknown, missing /submitted_on", _no_key("submitted_on")),
    "no-established-on": ("unknown", {"missing:/organization/established_on"}, "established",
        "organization without established_on",
        "needs_review", "2.3 成立时间: unknown, missing /organization/established_on",
        _no_key("organization", "established_on")),
    # form errors: a schema finding with the field's JSON Pointer
    "profile-801-chars": ("form", {"form:/profile"}, "profile",
        "profile exactly 801 characters",
        "form finding /profile", "form 单位基本情况 800字以内 (以内 includes 800)", None),
    "platform-description-301-chars": ("form", {"form:/platform/description"}, "platform",
        "platform.description exactly 301 characters",
        "form finding /platform/description", "form 信息化平台建设情况 300字以内", None),
    "uscc-check-char": ("form", {"form:/organization/uscc"}, "uscc",
        "统一社会信用代码 with its 18th (check) character one step off",
        "form finding /organization/uscc", "GB 32100-2015 check character", _uscc_off_by_one),
    "id-number-check-digit": ("form", {"form:/organization/legal_representative/id_number"}, "id",
        "法定代表人身份证号 with a wrong check character",
        "form finding /organization/legal_representative/id_number", "GB 11643-1999 check character", _id_bad),
    "training-split-mismatch": ("form", {"form.training_split"}, "training",
        "one year's independent + cooperative != total",
        "form finding /training_history/<year>", "form 近5年培训规模: 独立 + 合作 = 培训人数", _split_mismatch),
    "faculty-sum-mismatch": ("form", {"form.faculty_sum"}, "faculty",
        "faculty.total != full_time + part_time (part_time raised)",
        "form finding /faculty", "form 师资团队总人数 = 专职 + 兼职",
        lambda a, t, r: a["faculty"].update(part_time=a["faculty"]["part_time"] + r.randint(1, 5))),
    "plan-levels-mismatch": ("form", {"form.plan_levels"}, "levels",
        "levels 初级+中级 but the plan covers 初级 only (bulk: or the reverse)",
        "form finding /plan", "form 下一步工作方案: a plan row for each level ticked", _plan_keys),
    "registered-capital-string": ("form", {"form:/organization/registered_capital_wan"}, "capital",
        "registered_capital_wan is the string \"五百\"",
        "form finding /organization/registered_capital_wan", "form 注册资金（万元）: a number",
        _set(("organization", "registered_capital_wan"), "五百")),
    "phone-12345": ("form", {"form:/contact/phone"}, "contact",
        "contact.phone \"12345\"",
        "form finding /contact/phone", "form 申报联系人 电话: mobile or 023 landline", _set(("contact", "phone"), "12345")),
    "unknown-key-remarks": ("info", {"form:/remarks"}, "remarks",
        "an extra top-level key \"remarks\"",
        "eligible + info finding /remarks", "not a field of the form (unknown keys are info findings)", _remarks),
    "industry-z9999": ("form", {"form:/organization/industry"}, "industry",
        "organization.industry \"Z9999\"",
        "form finding /organization/industry", "form note 2: GB/T 4754-2017 (no section Z)",
        _set(("organization", "industry"), "Z9999")),
    "district-chengdu": ("form", {"form:/recommendation/district"}, "recommendation",
        "recommendation.district \"成都市\" (not a Chongqing district)",
        "form finding /recommendation/district", "4.1 经区县人力社保部门推荐: a Chongqing district or county", _chengdu),
    "commitment-date-2025-02-30": ("form", {"form:/commitment/date"}, "commitment",
        "commitment.date \"2025-02-30\" (no such day)",
        "form finding /commitment/date", "an impossible calendar date", _set(("commitment", "date"), "2025-02-30")),
}
HARD_OUTCOME = {"hard": "ineligible", "soft": "needs_review", "unknown": "needs_review"}


def apply_defect(name: str, app: dict, texts: Texts, rng: random.Random) -> None:
    if name == "occupation-not-in-catalogue":
        app["occupation"] = OFF_CATALOGUE["name"]
    elif name == "profile-801-chars":
        app["profile"] = texts.profile(801, exact=True)
    elif name == "platform-description-301-chars":
        app["platform"]["description"] = texts.platform(301, exact=True)
    else:
        DEFECTS[name][-1](app, texts, rng)


def expected_codes(defects: list[str]) -> set[str]:
    return set().union(*(DEFECTS[d][1] for d in defects)) if defects else set()


# --------------------------------------------------------------------------------------
# The invariants: what a clean application satisfies, as codes a defect is meant to break
# --------------------------------------------------------------------------------------

TOP_KEYS = ["id", "occupation", "levels", "organization", "tax_records", "bases", "lead", "contact",
            "profile", "training_history", "facilities", "platform", "faculty", "training_summary",
            "faculty_mechanism", "plan", "commitment", "materials", "recommendation", "submitted_on", "review"]
OPTIONAL_TOP = {"expert_scores"}
ORG_KEYS = {"name", "stamped", "uscc", "legal_representative", "address", "type", "industry",
            "registered_capital_wan", "employees", "established_on", "has_training_qualification",
            "has_financial_system", "has_management_system"}
PHONE_RE = re.compile(r"1[3-9]\d{9}|023-\d{8}")
EMAIL_RE = re.compile(r"[A-Za-z0-9._-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
INDUSTRY_RE = re.compile(r"[A-T]\d{4}")


def _date(text: object) -> dt.date | None:
    if not isinstance(text, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _num(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _int(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def violations(app: dict) -> set[str]:
    """Every invariant a clean application keeps, as the set of codes it breaks."""
    v: set[str] = set()
    for k in TOP_KEYS:
        if k not in app:
            v.add(f"missing:/{k}")
    for k in app:
        if k not in TOP_KEYS and k not in OPTIONAL_TOP:
            v.add(f"form:/{k}")
    if not re.fullmatch(r"CQ-2025-\d{4,}", str(app.get("id"))):
        v.add("form:/id")
    if app.get("occupation") not in OCC_BY_NAME:
        v.add("scope.occupation")
    levels = app.get("levels")
    if not (isinstance(levels, list) and levels and len(set(levels)) == len(levels)
            and all(x in LEVELS for x in levels) and levels == sorted(levels, key=LEVELS.index)):
        v.add("scope.levels")

    org = app.get("organization", {})
    for k in ORG_KEYS - {"established_on"}:
        if k not in org:
            v.add(f"missing:/organization/{k}")
    if set(org) - ORG_KEYS:
        v.add("form:/organization")
    if org.get("stamped") is not True:
        v.add("form.organization_stamped")
    uscc = org.get("uscc")
    if not uscc_valid(uscc):
        v.add("form:/organization/uscc")
    elif ORG_TYPES.get(org.get("type")) != uscc[:2] or uscc[2:8] not in DISTRICT_CODES:
        v.add("form.uscc_type")
    rep = org.get("legal_representative", {})
    if not rep.get("name"):
        v.add("form:/organization/legal_representative/name")
    if not id_valid(rep.get("id_number")):
        v.add("form:/organization/legal_representative/id_number")
    if not (isinstance(org.get("address"), str) and org["address"].startswith("重庆市")
            and any(org["address"][3:].startswith(d) for d in DISTRICT_BY_NAME)):
        v.add("form:/organization/address")
    if org.get("type") not in ORG_TYPES:
        v.add("form:/organization/type")
    ind = org.get("industry")
    if not (isinstance(ind, str) and INDUSTRY_RE.fullmatch(ind) and INDUSTRIES.get(ind[1:], ("",))[0] == ind[0]):
        v.add("form:/organization/industry")
    if not (_num(org.get("registered_capital_wan")) and org["registered_capital_wan"] > 0):
        v.add("form:/organization/registered_capital_wan")
    if not (_int(org.get("employees")) and org["employees"] > 0):
        v.add("form:/organization/employees")
    if "established_on" not in org:
        v.add("missing:/organization/established_on")
    else:
        est = _date(org["established_on"])
        if est is None:
            v.add("form:/organization/established_on")
        elif est > ESTABLISHED_BY:
            v.add("conditions.established_before")
    if org.get("has_training_qualification") is not True:
        v.add("conditions.training_qualification")
    if org.get("has_financial_system") is not True or org.get("has_management_system") is not True:
        v.add("conditions.financial_and_management_system")

    tax = app.get("tax_records", [])
    if [t.get("year") for t in tax] != list(TAX_YEARS) or not all(_num(t.get("amount_wan")) and t["amount_wan"] >= 0 for t in tax):
        v.add("form:/tax_records")
    if any(t.get("dishonest") is not False for t in tax):
        v.add("conditions.no_dishonesty")
    bases = app.get("bases", {})
    if sorted(bases) != sorted(["national_ce_base", "industry_ce_base", "provincial_ce_base", "standard_developer"]) \
            or not all(isinstance(b, bool) for b in bases.values()):
        v.add("form:/bases")
    for who in ("lead", "contact"):
        p = app.get(who, {})
        if not (p.get("name") and p.get("title")):
            v.add(f"form:/{who}")
        if not (isinstance(p.get("phone"), str) and PHONE_RE.fullmatch(p["phone"])):
            v.add(f"form:/{who}/phone")
        if not (isinstance(p.get("email"), str) and EMAIL_RE.fullmatch(p["email"])):
            v.add(f"form:/{who}/email")

    for key, limit in (("profile", 800), ("training_summary", 500), ("faculty_mechanism", 500)):
        text = app.get(key)
        if not (isinstance(text, str) and 0 < len(text) <= limit):
            v.add(f"form:/{key}")

    hist = app.get("training_history", [])
    if [r.get("year") for r in hist] != list(TRAINING_YEARS) or not all(
            _int(r.get(k)) and r[k] >= 0 for r in hist for k in ("total", "independent", "cooperative")):
        v.add("form:/training_history")
    elif any(r["independent"] + r["cooperative"] != r["total"] for r in hist):
        v.add("form.training_split")
    if hist and all(_int(r.get("total")) for r in hist) and (
            max(r["total"] for r in hist) < MIN_ANNUAL_SCALE or hist[-1]["total"] < MIN_ANNUAL_SCALE):
        v.add("conditions.annual_scale")

    facilities = app.get("facilities", [])
    if not facilities:
        v.add("conditions.facilities")
    for f in facilities:
        if not (str(f.get("address", "")).startswith("重庆市") and all(
                _num(f.get(k)) and f[k] > 0 for k in ("area_m2", "capacity", "equipment_sets", "equipment_value_wan"))):
            v.add("form:/facilities")

    plat = app.get("platform", {})
    desc = plat.get("description")
    if not (isinstance(desc, str) and 0 < len(desc) <= 300):
        v.add("form:/platform/description")
    if not re.fullmatch(r"https?://[a-z0-9.-]+/.*", str(plat.get("url"))):
        v.add("form:/platform/url")
    if plat.get("online_capable") is not True:
        v.add("conditions.online_capable")

    fac = app.get("faculty", {})
    teachers = fac.get("teachers", [])
    if not all(_int(fac.get(k)) and fac[k] >= 0 for k in ("total", "full_time", "part_time")):
        v.add("form:/faculty")
    else:
        if fac["full_time"] + fac["part_time"] != fac["total"]:
            v.add("form.faculty_sum")
        if fac["full_time"] < 1:
            v.add("conditions.full_time_faculty")
        kinds = [t.get("kind") for t in teachers]
        if (any(k not in TEACHER_KINDS for k in kinds) or kinds.count("专职师资") > fac["full_time"]
                or kinds.count("兼职师资") > fac["part_time"] or len(teachers) != fac["total"]):
            v.add("form:/faculty/teachers")
    for t in teachers:
        if not (t.get("name") and t.get("employer") and t.get("major") and t.get("title") in ALL_TITLES
                and isinstance(t.get("phone"), str) and PHONE_RE.fullmatch(t["phone"])):
            v.add("form:/faculty/teachers")

    plan = app.get("plan", {})
    if not (isinstance(plan.get("text"), str) and 0 < len(plan["text"]) <= 800):
        v.add("form:/plan/text")
    want = set(levels) if isinstance(levels, list) else set()
    for part in ("annual_trainees", "fee_per_hour"):
        m = plan.get(part, {})
        if set(m) != want:
            v.add("form.plan_levels")
        if not all(_int(n) and n > 0 for n in m.values()):
            v.add(f"form:/plan/{part}")

    submitted = _date(app.get("submitted_on")) if "submitted_on" in app else None
    if "submitted_on" in app:
        if submitted is None:
            v.add("form:/submitted_on")
        elif submitted > DEADLINE:
            v.add("dates.deadline")
        elif submitted <= NOTICE_DATE:
            v.add("form.date_order")
    com = app.get("commitment", {})
    if com.get("signed") is not True or com.get("stamped") is not True:
        v.add("form.commitment")
    if not com.get("signatory"):
        v.add("form:/commitment/signatory")
    committed = _date(com.get("date"))
    if committed is None:
        v.add("form:/commitment/date")
    elif committed <= NOTICE_DATE or (submitted and committed > submitted):
        v.add("form.date_order")
    mat = app.get("materials", {})
    if mat.get("form") is not True:
        v.add("materials.form")
    if mat.get("license_copy_stamped") is not True:
        v.add("materials.license_copy")
    if mat.get("credit_report") is not True and mat.get("integrity_commitment") is not True:
        v.add("materials.credit")
    if "recommendation" in app:
        rec = app["recommendation"]
        if rec.get("district") not in DISTRICT_BY_NAME:
            v.add("form:/recommendation/district")
        if not (rec.get("unit") and rec.get("reason")):
            v.add("form:/recommendation")
        if rec.get("stamped") is not True or rec.get("signed") is not True:
            v.add("form.recommendation")
        recommended = _date(rec.get("date"))
        if recommended is None:
            v.add("form:/recommendation/date")
        elif (submitted and recommended > submitted) or (committed and recommended < committed):
            v.add("form.date_order")
    review = app.get("review", {})
    if set(review) != {"online_approval_date"} or (
            review["online_approval_date"] is not None and _date(review["online_approval_date"]) is None):
        v.add("form:/review")
    if "expert_scores" in app:
        sc = app["expert_scores"]
        if not (isinstance(sc, list) and 3 <= len(sc) <= 7 and all(
                _num(x) and 0 <= x <= 100 and round(x, 1) == x for x in sc)):
            v.add("form:/expert_scores")
    return v


# --------------------------------------------------------------------------------------
# Mode 1: the committed sample set
# --------------------------------------------------------------------------------------

def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# key: name, type, district, industry class, established, pinyin, domain suffix, strength, bases
SAMPLE_INSTITUTIONS = {
    "ljzy": ("重庆两江智源职业培训学校", "民办非企业单位", "渝北区", "8391", "2014-03-18", "cqljzy", "com", 0.85, "FFTF"),
    "jydx": ("重庆缙云大学继续教育学院", "事业单位", "北碚区", "8342", "2003-09-01", "jyu", "edu.cn", 1.0, "TFTF"),
    "jlsz": ("重庆嘉陵数智科技有限公司", "企业", "江北区", "6531", "2016-08-09", "jialingsz", "com", 0.45, "FFFF"),
    "cjzz": ("重庆长江智能制造技术培训中心", "民办非企业单位", "江津区", "8391", "2011-05-20", "cjznzz", "com", 0.7, "FTFF"),
    "xbvr": ("重庆西部科学城虚拟现实产业协会", "行业协会等社团组织", "沙坪坝区", "9521", "2018-06-26", "cqvra", "org.cn", 0.35, "FFFT"),
    "lxqk": ("重庆链信区块链技术有限公司", "民营企业", "渝中区", "6513", "2017-11-02", "lianxinchain", "com", 0.25, "FFFF"),
    "xgjc": ("重庆南岸芯谷集成电路技术服务有限公司", "企业", "南岸区", "6520", "2015-06-30", "xinguic", "com", 0.55, "FTFT"),
    "bysz": ("重庆巴渝数字化管理培训学校", "民办非企业单位", "九龙坡区", "8391", "2009-09-01", "bysgl", "com", 0.6, "FFTF"),
    "szrc": ("重庆市数字技能人才发展促进会", "行业协会等社团组织", "渝中区", "8391", "2018-04-12", "cqdsta", "org.cn", 0.4, "FTFF"),
    "flzg": ("重庆市涪陵区职工技术服务社", "集体企业", "涪陵区", "8391", "1998-07-15", "flzgjf", "com", 0.03, "FFFF"),
    "ycyg": ("重庆永川云谷职业培训学校", "民办非企业单位", "永川区", "8391", "2013-10-08", "ycyungu", "com", 0.5, "FFTF"),
    "ylgy": ("重庆云岭工业互联网研究院", "事业单位", "渝北区", "7320", "2019-12-20", "yliii", "org.cn", 0.65, "FTFT"),
    "ncsj": ("重庆南川数字经济职业培训学校", "民办非企业单位", "南川区", "8391", "2020-12-31", "ncszjj", "com", 0.2, "FFFF"),
    "bszl": ("重庆璧山智联教育科技有限公司", "民营企业", "璧山区", "8394", "2021-01-01", "bszhilian", "com", 0.4, "FFFF"),
    "rcwl": ("重庆荣昌物联网应用技术培训中心", "民办非企业单位", "荣昌区", "8391", "2012-04-09", "rciot", "com", 0.2, "FFFF"),
    "szsz": ("重庆石柱数字技能职业培训学校", "民办非企业单位", "石柱土家族自治县", "8391", "2016-03-22", "szszjn", "com", 0.1, "FFFF"),
    "wzsx": ("重庆万州三峡信息技术职业培训学校", "民办非企业单位", "万州区", "8391", "2010-06-18", "wzsxit", "com", 0.55, "FFTF"),
    "hcgk": ("重庆合川工控技术有限公司", "企业", "合川区", "6531", "2008-11-11", "hcgongkong", "com", 0.45, "FFFF"),
    "dzzz": ("重庆大足智造人才服务有限公司", "企业", "大足区", "8394", "2017-05-05", "dzzhizao", "com", 0.35, "FFFF"),
    "kzxx": ("重庆市开州区信息产业协会", "行业协会等社团组织", "开州区", "8391", "2015-09-16", "kzita", "org.cn", 0.3, "FFFF"),
    "tlzl": ("重庆铜梁智联教育科技有限公司", "民营企业", "铜梁区", "8391", "2018-08-08", "tlzhilian", "com", 0.3, "FFFF"),
    "tnsn": ("重庆潼南数字农业技术服务有限公司", "企业", "潼南区", "6532", "2019-03-15", "tnszny", "com", 0.3, "FFFF"),
    "bnzj": ("重庆市巴南区职业教育服务中心", "事业单位", "巴南区", "8394", "2006-01-10", "bnzjfw", "org.cn", 0.5, "FFTF"),
    "qjwl": ("重庆黔江武陵山数字技能培训学校", "民办非企业单位", "黔江区", "8391", "2015-07-01", "qjwls", "com", 0.25, "FFFF"),
    "cshg": ("重庆长寿智能化工技术研究院", "事业单位", "长寿区", "7320", "2012-12-12", "cschem", "org.cn", 0.45, "FTFF"),
    "lpsz": ("重庆梁平数字化管理咨询有限公司", "民营企业", "梁平区", "6560", "2016-10-20", "lpdm", "com", 0.25, "FFFF"),
    "qjgy": ("重庆市綦江区工业互联网产业联盟", "行业协会等社团组织", "綦江区", "8391", "2019-06-06", "qjiia", "org.cn", 0.35, "FFFF"),
    "ddkz": ("重庆大渡口数智职业培训学校", "民办非企业单位", "大渡口区", "8391", "2014-09-09", "ddkshuzhi", "com", 0.4, "FFFF"),
    "djxx": ("重庆垫江信息技术职业培训学校", "民办非企业单位", "垫江县", "8391", "2011-03-03", "djxxjs", "com", 0.3, "FFFF"),
    "glsz": ("重庆歌乐山职业技能培训学校", "民办非企业单位", "沙坪坝区", "8391", "2007-05-26", "geleshan", "com", 0.6, "FFTF"),
    "zxsz": ("重庆忠县数字经济服务有限公司", "企业", "忠县", "6513", "2018-01-19", "zxszjj", "com", 0.25, "FFFF"),
    "nskj": ("重庆南山科技职业培训学校", "民办非企业单位", "南岸区", "8391", "2013-08-15", "nanshankj", "com", 0.45, "FFFF"),
    "xywd": ("重庆西永微电子技术服务有限公司", "企业", "沙坪坝区", "6520", "2012-02-28", "xiyongme", "com", 0.5, "FTFF"),
    "jbjr": ("重庆江北数字金融职业培训学校", "民办非企业单位", "江北区", "8391", "2017-12-01", "jbszjr", "com", 0.4, "FFFF"),
    "fjsx": ("重庆奉节三峡职业技能培训学校", "民办非企业单位", "奉节县", "8391", "2014-04-04", "fjsxpx", "com", 0.2, "FFFF"),
    "wlwl": ("重庆武隆数字文旅科技有限公司", "民营企业", "武隆区", "6572", "2019-09-26", "wlwenlv", "com", 0.3, "FFFF"),
    "yyzg": ("重庆市云阳县职工技术服务社", "集体企业", "云阳县", "8391", "2001-11-30", "yyzgfws", "com", 0.2, "FFFF"),
    "xswl": ("重庆秀山武陵云计算技术有限公司", "企业", "秀山土家族苗族自治县", "6540", "2017-06-21", "xswlcloud", "com", 0.3, "FFFF"),
    "sfzn": ("重庆双福智能装备职业培训学校", "民办非企业单位", "江津区", "8391", "2016-05-12", "sfznzb", "com", 0.45, "FFFF"),
    "fdsz": ("重庆丰都数字技术职业培训学校", "民办非企业单位", "丰都县", "8391", "2015-11-18", "fdszjs", "com", 0.3, "FFFF"),
}

# (file label, institution, occupation slug, levels, scenario or None, faculty, extras)
# extras: latest (2024 training total), history (5 totals), submitted, facilities, approval, scores
SAMPLE_APPS = [
    ("eligible-ai-yubei", "ljzy", "ai", "both", None, 62, dict(latest=7800, approval="2025-12-15")),
    ("eligible-bigdata-beibei", "jydx", "bigdata", "both", None, 80, dict(latest=9000, approval="2025-12-15")),
    ("eligible-cloud-beibei", "jydx", "cloud", "mid", None, 54, {}),
    ("eligible-iiot-beibei", "jydx", "iiot", "both", None, 47, {}),
    ("eligible-iot-jiangbei", "jlsz", "iot", "low", None, 24, dict(latest=3600)),
    ("eligible-smartmfg-jiangjin", "cjzz", "smartmfg", "both", None, 41, dict(latest=5900)),
    ("eligible-vr-shapingba", "xbvr", "vr", "mid", None, 19, dict(latest=2850)),
    ("eligible-blockchain-yuzhong", "lxqk", "blockchain", "low", None, 15, dict(latest=2300, scores=False)),
    ("eligible-ic-nanan", "xgjc", "ic", "mid", None, 33, dict(latest=4200)),
    ("eligible-digimgmt-jiulongpo", "bysz", "digimgmt", "both", None, 38, dict(latest=5200)),
    ("eligible-ai-yuzhong", "szrc", "ai", "both", None, 28, dict(latest=3900)),
    ("eligible-bigdata-fuling", "flzg", "bigdata", "low", None, 16, dict(latest=2060)),
    ("eligible-cloud-yongchuan", "ycyg", "cloud", "both", None, 30, dict(latest=4600)),
    ("eligible-iiot-yubei", "ylgy", "iiot", "mid", None, 45, dict(latest=6400)),
    ("boundary-pass-iot-nanchuan", "ncsj", "iot", "low", "boundary-pass", 17,
     dict(history=(1420, 1560, 1780, 1910, 2000), submitted="2025-10-31")),
    ("soft-established-2021-01-01-smartmfg-bishan", "bszl", "smartmfg", "both", "established-2021-01-01", 22, dict(latest=3300)),
    ("soft-latest-year-1999-iot-rongchang", "rcwl", "iot", "low", "latest-year-1999", 18, {}),
    ("soft-training-low-all-years-digimgmt-shizhu", "szsz", "digimgmt", "low", "training-low-all-years", 15, {}),
    ("hard-late-2025-11-01-bigdata-wanzhou", "wzsx", "bigdata", "both", "late-2025-11-01", 36, dict(latest=4800)),
    ("hard-dishonest-tax-record-iiot-hechuan", "hcgk", "iiot", "mid", "dishonest-tax-record", 26, dict(latest=3500)),
    ("hard-no-training-qualification-smartmfg-dazu", "dzzz", "smartmfg", "low", "no-training-qualification", 21, dict(latest=2900)),
    ("hard-no-full-time-teacher-cloud-kaizhou", "kzxx", "cloud", "low", "no-full-time-teacher", 18, dict(latest=2600)),
    ("hard-no-facilities-ai-tongliang", "tlzl", "ai", "low", "no-facilities", 20, dict(latest=2700)),
    ("hard-not-online-capable-iot-tongnan", "tnsn", "iot", "low", "not-online-capable", 17, dict(latest=2500, scores=False)),
    ("hard-commitment-not-stamped-vr-banan", "bnzj", "vr", "both", "commitment-not-stamped", 31, dict(latest=4100)),
    ("hard-license-copy-not-stamped-blockchain-qianjiang", "qjwl", "blockchain", "low", "license-copy-not-stamped", 16, dict(latest=2400)),
    ("hard-no-credit-material-smartmfg-changshou", "cshg", "smartmfg", "mid", "no-credit-material", 29, dict(latest=3400)),
    ("hard-recommendation-not-stamped-digimgmt-liangping", "lpsz", "digimgmt", "mid", "recommendation-not-stamped", 17, dict(latest=2450)),
    ("hard-occupation-not-in-catalogue-yubei", "ljzy", "netsec", "both", "occupation-not-in-catalogue", 35, dict(latest=7800)),
    ("hard-level-gaoji-ic-nanan", "xgjc", "ic", "low", "level-gaoji", 25, dict(latest=4200)),
    ("unknown-no-recommendation-iiot-qijiang", "qjgy", "iiot", "low", "no-recommendation", 19, dict(latest=2750)),
    ("unknown-no-submitted-on-bigdata-dadukou", "ddkz", "bigdata", "mid", "no-submitted-on", 23, dict(latest=3100)),
    ("unknown-no-established-on-cloud-dianjiang", "djxx", "cloud", "low", "no-established-on", 18, dict(latest=2650)),
    ("form-profile-801-chars-ai-shapingba", "glsz", "ai", "both", "profile-801-chars", 34, dict(latest=5000)),
    ("form-platform-description-301-chars-blockchain-zhongxian", "zxsz", "blockchain", "mid", "platform-description-301-chars", 16, dict(latest=2350)),
    ("form-uscc-check-char-vr-nanan", "nskj", "vr", "low", "uscc-check-char", 24, dict(latest=3700)),
    ("form-id-number-check-digit-ic-shapingba", "xywd", "ic", "low", "id-number-check-digit", 27, dict(latest=3900)),
    ("form-training-split-mismatch-blockchain-jiangbei", "jbjr", "blockchain", "both", "training-split-mismatch", 22, dict(latest=3300)),
    ("form-faculty-sum-mismatch-iot-fengjie", "fjsx", "iot", "low", "faculty-sum-mismatch", 17, dict(latest=2550)),
    ("form-plan-levels-mismatch-bigdata-jiangbei", "jlsz", "bigdata", "both", "plan-levels-mismatch", 22, dict(latest=3600)),
    ("form-registered-capital-string-vr-wulong", "wlwl", "vr", "low", "registered-capital-string", 18, dict(latest=2700)),
    ("form-phone-12345-digimgmt-yunyang", "yyzg", "digimgmt", "low", "phone-12345", 15, dict(latest=2250)),
    ("form-unknown-key-remarks-digimgmt-yuzhong", "szrc", "digimgmt", "both", "unknown-key-remarks", 26, dict(latest=3900)),
    ("form-industry-z9999-cloud-xiushan", "xswl", "cloud", "mid", "industry-z9999", 17, dict(latest=2600, scores=False)),
    ("form-district-chengdu-smartmfg-jiangjin", "sfzn", "smartmfg", "low", "district-chengdu", 25, dict(latest=3800)),
    ("form-commitment-date-2025-02-30-iiot-fengdu", "fdsz", "iiot", "low", "commitment-date-2025-02-30", 18, dict(latest=2800)),
]
LEVEL_SETS = {"low": ["初级"], "mid": ["中级"], "both": ["初级", "中级"]}


def build_samples(seed: int = DEFAULT_SEED) -> list[dict]:
    """The sample set: [{file, app, scenario, defects, institution}] in file order."""
    institutions: dict[str, dict] = {}
    latest_of: dict[str, int] = {}
    for label, key, occ, lv, scen, nfac, extra in SAMPLE_APPS:
        if "latest" in extra:
            latest_of.setdefault(key, extra["latest"])
    for i, (key, row) in enumerate(SAMPLE_INSTITUTIONS.items()):
        name, typ, district, industry, est, slug, tld, strength, bases = row
        first = next(a for a in SAMPLE_APPS if a[1] == key)
        spec = dict(name=name, type=typ, district=district, industry=industry, established=_d(est),
                    domain=f"{slug}.{tld}", strength=strength, bases=[c == "T" for c in bases],
                    latest=latest_of.get(key, 2500), history=first[6].get("history"),
                    max_facilities=4)
        if first[4] in ("latest-year-1999", "training-low-all-years"):
            spec["latest"] = 2400  # rewritten by the defect
        institutions[key] = make_institution(Rng((seed << 20) + i), spec)
    out = []
    for n, (label, key, occ_slug, lv, scen, nfac, extra) in enumerate(SAMPLE_APPS, start=1):
        rng = Rng((seed << 20) + 1000 + n)
        occ = OFF_CATALOGUE if occ_slug == "netsec" else OCC_BY_SLUG[occ_slug]
        submitted = _d(extra["submitted"]) if "submitted" in extra else None
        app, texts = make_application(rng, institutions[key], occ, LEVEL_SETS[lv], n, nfac,
                                      submitted=submitted, with_scores=extra.get("scores", True),
                                      approval=extra.get("approval"))
        defects = [scen] if scen in DEFECTS else []
        for d in defects:
            apply_defect(d, app, texts, rng)
        out.append(dict(file=f"{n:04d}-{label}.json", app=app, scenario=scen or "eligible",
                        defects=defects, institution=key))
    return out


def check_samples(samples: list[dict]) -> list[str]:
    """Problems with the sample set (empty when it is as the brief asks)."""
    problems = []
    for s in samples:
        got = violations(s["app"])
        want = expected_codes(s["defects"])
        if got != want:
            problems.append(f"{s['file']}: breaks {sorted(got)}, meant to break {sorted(want)}")
        json.loads(json.dumps(s["app"], ensure_ascii=False))
    apps = [s["app"] for s in samples]
    usccs = {a["organization"]["uscc"] for a in apps if uscc_valid(a["organization"]["uscc"])}
    occ_count = {o["name"]: sum(a["occupation"] == o["name"] for a in apps) for o in OCCUPATIONS}
    level_sets = {tuple(a["levels"]) for a in apps}
    by_uscc: dict[str, set] = {}
    for a in apps:
        by_uscc.setdefault(a["organization"]["uscc"], set()).add(a["occupation"])
    eligible = [s for s in samples if s["scenario"] == "eligible"]
    if len(samples) < 34:
        problems.append(f"only {len(samples)} samples")
    if len(usccs) < 22:
        problems.append(f"only {len(usccs)} institutions")
    if min(occ_count.values()) < 2:
        problems.append(f"occupations under 2 applications: {occ_count}")
    if not {("初级",), ("中级",), ("初级", "中级")} <= level_sets:
        problems.append(f"level sets {level_sets}")
    if max(len(v) for v in by_uscc.values()) < 3:
        problems.append("no institution applies for 3 occupations")
    if len(eligible) < 8:
        problems.append(f"only {len(eligible)} eligible")
    for s in eligible:
        a = s["app"]
        if not (2000 <= a["training_history"][-1]["total"] <= 9000 and 15 <= a["faculty"]["total"] <= 80
                and 1 <= len(a["facilities"]) <= 4):
            problems.append(f"{s['file']}: eligible sample outside the intended spread")
    if len(set(s["file"] for s in samples)) != len(samples) or len({a["id"] for a in apps}) != len(apps):
        problems.append("duplicate file names or ids")
    # Applications of one institution carry the same organisation block.
    orgs: dict[str, str] = {}
    for s in samples:
        if s["defects"] and DEFECTS[s["defects"][0]][2] in ("uscc", "id", "capital", "industry", "established",
                                                           "qualification"):
            continue
        text = json.dumps(s["app"]["organization"], sort_keys=True, ensure_ascii=False)
        if orgs.setdefault(s["institution"], text) != text:
            problems.append(f"{s['file']}: organisation differs from the institution's other applications")
    b = next(s["app"] for s in samples if s["scenario"] == "boundary-pass")
    if (b["organization"]["established_on"], b["submitted_on"], b["training_history"][-1]["total"]) != (
            "2020-12-31", "2025-10-31", 2000) or max(r["total"] for r in b["training_history"]) != 2000:
        problems.append("boundary-pass is not on all three boundaries")
    p = next(s["app"] for s in samples if s["scenario"] == "profile-801-chars")
    d = next(s["app"] for s in samples if s["scenario"] == "platform-description-301-chars")
    if len(p["profile"]) != 801 or len(d["platform"]["description"]) != 301:
        problems.append("the over-limit texts are not exactly 801 / 301 characters")
    return problems


SCENARIO_TEXT = {
    "eligible": ("clean application", "eligible",
                 "meets 一 to 五; a different strength for the ranking"),
    "boundary-pass": ("established 2020-12-31, submitted 2025-10-31, 2024 total exactly 2000 (the highest year)",
                      "eligible", "以前 / 前 / 以上 include the day and the number (民法典 1259): 2.3 and 5.3 all met on the boundary"),
}


def write_samples(out_dir: Path, seed: int) -> None:
    samples = build_samples(seed)
    problems = check_samples(samples)
    if problems:
        raise SystemExit("sample self-check failed:\n  " + "\n  ".join(problems))
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("[0-9][0-9][0-9][0-9]-*.json"):
        old.unlink()
    for s in samples:
        text = json.dumps(s["app"], ensure_ascii=False, indent=2) + "\n"
        (out_dir / s["file"]).write_text(text, encoding="utf-8")
    (out_dir / "README.md").write_text(samples_readme(samples), encoding="utf-8")
    n_inst = len({s["app"]["organization"]["uscc"] for s in samples})
    print(f"wrote {len(samples)} applications from {n_inst} institutions (distinct 统一社会信用代码) "
          f"and README.md to {out_dir}")


def samples_readme(samples: list[dict]) -> str:
    lines = [
        "# Sample applications",
        "",
        "Synthetic 推荐表 applications in the JSON shape of the design contract, one file per",
        "application. Names, codes and people are invented; the 统一社会信用代码 and 居民身份证号",
        "carry valid check characters unless a file is about exactly that. Generated, do not edit:",
        "",
        "```",
        "python3 examples/make_applications.py samples      # rewrites this folder",
        "python3 examples/make_applications.py selfcheck    # checks every invariant below",
        "```",
        "",
        "Each scenario file is a clean application with one thing changed, named in the file name.",
        "Outcomes follow the decision rule of the design: a failed hard rule gives `ineligible`;",
        "otherwise a failed soft rule or an `unknown` (missing field) gives `needs_review`.",
        "Clause numbers cite the notice (`2.3` is 二、(三)). A form error gives a schema finding at",
        "the pointer shown; its status depends on the severity the pack gives that field (schema",
        "findings default to soft, so `needs_review`), never `eligible`. Unknown keys are `info`.",
        "",
        f"{len(samples)} applications from {len({s['app']['organization']['uscc'] for s in samples})} "
        "institutions; 重庆缙云大学继续教育学院 applies for three occupations (0002-0004), and a few",
        "institutions send a second application with a scenario (same 统一社会信用代码).",
        "",
        "| file | institution | occupation | levels | scenario | intended outcome | why |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in samples:
        a = s["app"]
        if s["defects"]:
            kind, _, _, what, outcome, why, _ = DEFECTS[s["defects"][0]]
            outcome = HARD_OUTCOME.get(kind, outcome)
            if kind == "unknown":
                outcome += f" (missing {next(iter(DEFECTS[s['defects'][0]][1]))[8:]})"
        else:
            what, outcome, why = SCENARIO_TEXT[s["scenario"]]
            if s["scenario"] == "eligible":
                h = a["training_history"][-1]["total"]
                on = [k for k, val in a["bases"].items() if val]
                what = (f"clean: 2024 total {h}, faculty {a['faculty']['total']}, {len(a['facilities'])} "
                        f"facilit{'y' if len(a['facilities']) == 1 else 'ies'}"
                        + (f", bases: {', '.join(on)}" if on else ""))
        lines.append(f"| `{s['file']}` | {a['organization']['name']} | {a['occupation']} | "
                     f"{'、'.join(a['levels'])} | {what} | **{outcome}** | {why} |")
    lines += [
        "",
        "The checks behind the table (`violations()` in the generator) are the generator's own",
        "understanding of the form, not the rule pack; they make sure each file breaks exactly what",
        "its name says and nothing else.",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Mode 2: bulk JSON Lines for benchmarks
# --------------------------------------------------------------------------------------

COMPACT = dict(ensure_ascii=False, separators=(",", ":"))
BULK_DEFECTS = list(DEFECTS)


def _bulk_record(seed: int, index: int) -> tuple[dict, list[str], str]:
    """Record `index` (0-based) of a bulk run: (application, defect names, compact JSON line)."""
    rng = Rng((seed << 40) | index)
    core, pin = rng.choice(CORES)
    pattern, org_type, classes, tld = rng.choice(KINDS)
    district = rng.choice(URBAN) if rng.random() < 0.6 else rng.choice(DISTRICTS)[1]
    occ = rng.choice(OCCUPATIONS)
    name = pattern.format(core=core, mid=rng.choice(MIDS), district=district, field=occ["field"])
    strength = rng.random()
    boundary = rng.random()
    est = _d("2020-12-31") if boundary < 0.03 else date_between(rng, dt.date(1995, 1, 1), dt.date(2020, 12, 30))
    latest = 2000 if 0.03 <= boundary < 0.06 else int(2000 + strength * 7000 * rng.uniform(0.6, 1.0))
    spec = dict(name=name, type=org_type, district=district, industry=rng.choice(classes), established=est,
                domain=f"{pin}{DISTRICT_BY_NAME[district][2][:4]}{rng.randint(1, 99)}.{tld}",
                strength=strength, latest=latest, max_facilities=5,
                bases=[rng.random() < p for p in (0.08, 0.15, 0.3, 0.06)])
    if latest == 2000:
        spec["history"] = sorted(rng.randint(900, 1999) for _ in range(4)) + [2000]
    inst = make_institution(rng, spec)
    levels = rng.choice([["初级"], ["中级"], ["初级", "中级"], ["初级", "中级"]])
    submitted = _d("2025-10-31") if 0.06 <= boundary < 0.09 else None
    n_teachers = rng.randint(5, 40)
    # The texts are sized last, so that the record lands near a target size whatever its
    # teacher count and defects: build it with empty texts, inject the defects, measure, fill.
    app, texts = make_application(rng, inst, occ, levels, index + 1, n_teachers, fill_texts=False,
                                  submitted=submitted, with_scores=rng.random() < 0.8)
    defects: list[str] = []
    if rng.random() < 0.5:
        k = rng.choice((1, 1, 1, 2, 2, 3))
        areas = set()
        while len(defects) < k:
            d = rng.choice(BULK_DEFECTS)
            if DEFECTS[d][2] not in areas:
                areas.add(DEFECTS[d][2])
                defects.append(d)
        for d in defects:
            apply_defect(d, app, texts, rng)
    fixed = {"profile"} if "profile-801-chars" in defects else set()
    if {"platform-description-301-chars", "not-online-capable"} & set(defects):
        fixed.add("platform")
    if "recommendation" not in app:
        fixed.add("reason")
    slots = [slot for slot in TEXT_SLOTS if slot[0] not in fixed]
    target = rng.randint(11_600, 12_900)
    base = len(json.dumps(app, **COMPACT).encode())
    room = sum(slot[1] for slot in slots)
    scale = min(0.99, max(0.25, (target - base) / 2.9 / room))
    written = _fill(app, texts, slots, scale)
    line = json.dumps(app, **COMPACT)
    size = len(line.encode())
    if abs(size - target) > 200 and written:  # correct the bytes-per-character estimate once
        scale = min(0.99, max(0.25, (target - base) / ((size - base) / written) / room))
        _fill(app, texts, slots, scale)
        line = json.dumps(app, **COMPACT)
    return app, defects, line


def bulk_record(seed: int, index: int) -> tuple[dict, list[str]]:
    """Record `index` (0-based) of a bulk run: (application, injected defect names)."""
    app, defects, _ = _bulk_record(seed, index)
    return app, defects


# (text, full length, shortest length used): the free texts of the form and their limits
TEXT_SLOTS = [("profile", 800, 300), ("platform", 300, 120), ("summary", 500, 150),
              ("mechanism", 500, 120), ("plan", 800, 250), ("reason", 250, 80)]


def _fill(app: dict, texts: Texts, slots: list, scale: float) -> int:
    """Writes the texts of `slots` at `scale` of their limits; returns the characters written."""
    written = 0
    for name, full, least in slots:
        n = max(least, int(full * scale))
        if name == "profile":
            app["profile"] = text = texts.profile(n)
        elif name == "platform":
            app["platform"]["description"] = text = texts.platform(n)
        elif name == "summary":
            app["training_summary"] = text = texts.summary(n)
        elif name == "mechanism":
            app["faculty_mechanism"] = text = texts.mechanism(n)
        elif name == "plan":
            app["plan"]["text"] = text = texts.plan(n)
        else:
            app["recommendation"]["reason"] = text = texts.reason(n)
        written += len(text)
    return written


def _bulk_line(seed: int, check: bool, index: int) -> tuple[str, str, list[str], str | None]:
    """(compact line, id, defects, problem) for record `index`; runs in worker processes too."""
    app, defects, line = _bulk_record(seed, index)
    problem = None
    if check:
        got, want = violations(app), expected_codes(defects)
        if got != want:
            problem = f"record {index + 1}: defects {defects} break {sorted(got)}, expected {sorted(want)}"
    return line, app.get("id"), defects, problem


def write_bulk(count: int, seed: int, out: Path, labels: Path | None, check: bool, jobs: int) -> None:
    """Streams `count` records to `out` in order; with jobs > 1 worker processes build them."""
    work = functools.partial(_bulk_line, seed, check)
    total_bytes, clean, smallest, largest = 0, 0, None, 0
    pool = multiprocessing.Pool(jobs) if jobs > 1 else None
    lab = labels.open("w", encoding="utf-8") if labels else None
    try:
        results = pool.imap(work, range(count), chunksize=64) if pool else map(work, range(count))
        with out.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as f:
            for i, (line, app_id, defects, problem) in enumerate(results):
                if problem:
                    raise SystemExit(problem)
                size = len(line.encode())
                total_bytes += size + 1
                smallest = size if smallest is None else min(smallest, size)
                largest = max(largest, size)
                clean += not defects
                f.write(line)
                f.write("\n")
                if lab:
                    lab.write(json.dumps({"line": i + 1, "id": app_id, "defects": defects,
                                          "codes": sorted(expected_codes(defects))}, **COMPACT) + "\n")
    finally:
        if pool:
            pool.terminate()
        if lab:
            lab.close()
    avg = total_bytes / count if count else 0
    print(f"wrote {count} applications to {out} (seed {seed}; {clean} clean, {count - clean} with "
          f"injected defects); {total_bytes} bytes, average {avg:.0f} bytes/record "
          f"({avg / 1024:.1f} KiB), smallest {smallest}, largest {largest}")


# --------------------------------------------------------------------------------------
# selfcheck
# --------------------------------------------------------------------------------------

def _find_data(name: str) -> Path | None:
    here = Path(__file__).resolve().parent
    for d in (here.parent / "rules" / "chongqing-dte-2025" / "data", here.parent.parent / "shared" / "data"):
        if (d / name).is_file():
            return d / name
    return None


def selfcheck(count: int, seed: int) -> int:
    problems: list[str] = []
    # Known-good vectors: the examples printed in GB 11643-1999 and GB 32100-2015.
    if not id_valid("11010519491231002X") or id_valid("110105194912310021"):
        problems.append("居民身份证号 check digit disagrees with GB 11643's example")
    if not uscc_valid("91350100M000100Y43") or uscc_valid("91350100M000100Y44"):
        problems.append("统一社会信用代码 check disagrees with GB 32100's example")
    path = _find_data("chongqing-districts.json")
    if path:
        rows = json.loads(path.read_text(encoding="utf-8"))
        if {(r["code"], r["name"]) for r in rows} != {(c, n) for c, n, _ in DISTRICTS}:
            problems.append(f"district list differs from {path}")
    else:
        print("note: chongqing-districts.json not found; district list not compared")
    path = _find_data("gbt4754-2017.json")
    if path:
        rows = {r["code"]: r for r in json.loads(path.read_text(encoding="utf-8"))}
        for code, (section, name) in INDUSTRIES.items():
            row, top = rows.get(code), code
            while top in rows and rows[top]["parent"]:
                top = rows[top]["parent"]
            if not row or row["level"] != "class" or row["name"] != name or top != section:
                problems.append(f"industry {section}{code} {name} disagrees with {path}")
    else:
        print("note: gbt4754-2017.json not found; industry codes not compared")
    samples = build_samples(DEFAULT_SEED)
    problems += check_samples(samples)
    again = build_samples(DEFAULT_SEED)
    if [json.dumps(s["app"], ensure_ascii=False) for s in samples] != [json.dumps(s["app"], ensure_ascii=False) for s in again]:
        problems.append("samples are not deterministic")
    here = Path(__file__).resolve().parent / "applications"
    for s in samples:
        f = here / s["file"]
        if f.is_file() and f.read_text(encoding="utf-8") != json.dumps(s["app"], ensure_ascii=False, indent=2) + "\n":
            problems.append(f"{f} differs from what the generator makes now (rerun `samples`)")
    sizes, clean, seen = [], 0, set()
    for i in range(count):
        app, defects = bulk_record(seed, i)
        got, want = violations(app), expected_codes(defects)
        if got != want:
            problems.append(f"bulk record {i + 1}: defects {defects} break {sorted(got)}, expected {sorted(want)}")
        sizes.append(len(json.dumps(app, **COMPACT).encode()))
        clean += not defects
        seen.update(defects)
        n_fac, n_teachers = len(app["facilities"]), len(app["faculty"]["teachers"])
        if not (1 <= n_fac <= 5 or "no-facilities" in defects) or not 5 <= n_teachers <= 40 \
                or len(app["training_history"]) != 5 or len(app["tax_records"]) != 3:
            problems.append(f"bulk record {i + 1}: {n_fac} facilities, {n_teachers} teachers")
    if count:
        if json.dumps(bulk_record(seed, count - 1)[0]) != json.dumps(bulk_record(seed, count - 1)[0]):
            problems.append("bulk records are not deterministic")
        avg = sum(sizes) / count
        if not 11 * 1024 <= avg <= 13 * 1024:
            problems.append(f"bulk average size {avg:.0f} bytes is outside 11-13 KiB")
        if not 0.4 <= clean / count <= 0.6:
            problems.append(f"bulk clean share {clean / count:.2f}")
        if count >= 1000 and seen != set(DEFECTS):
            problems.append(f"defects never injected: {sorted(set(DEFECTS) - seen)}")
        print(f"bulk: {count} records, {clean} clean, sizes {min(sizes)}..{max(sizes)} bytes, "
              f"average {avg:.0f} bytes ({avg / 1024:.1f} KiB)")
    for p in problems[:50]:
        print("FAIL:", p)
    if problems:
        print(f"selfcheck: {len(problems)} problem(s)")
        return 1
    print(f"selfcheck: ok ({len(samples)} samples, {count} bulk records)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    p = sub.add_parser("samples", help="write the committed sample set and its README.md")
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "applications")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p = sub.add_parser("bulk", help="write N one-line applications (JSON Lines)")
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--labels", type=Path, help="also write each record's injected defects (JSON Lines)")
    p.add_argument("--check", action="store_true", help="verify every record's invariants while writing")
    p.add_argument("--jobs", type=int, default=1,
                   help="worker processes (default 1); the output does not depend on it")
    p = sub.add_parser("selfcheck", help="check the samples and a bulk run against every invariant")
    p.add_argument("--count", type=int, default=2000, help="bulk records to check (default 2000)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if getattr(args, "seed", 0) < 0 or getattr(args, "count", 0) < 0:
        parser.error("--seed and --count must not be negative")
    if args.mode == "samples":
        write_samples(args.out, args.seed)
        return 0
    if args.mode == "bulk":
        write_bulk(args.count, args.seed, args.out, args.labels, args.check, max(1, args.jobs))
        return 0
    return selfcheck(args.count, args.seed)


if __name__ == "__main__":
    sys.exit(main())
