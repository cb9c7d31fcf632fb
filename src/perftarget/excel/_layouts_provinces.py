"""More provinces' published layouts, as data: the entries :data:`perftarget.excel._layouts.LAYOUTS` adds.

Each entry is the keyword arguments of a :class:`~perftarget.excel._layouts.Layout` (kept as plain
data so that this module imports nothing of the registry). Headings and labels are as the source
prints them (compared as :func:`~perftarget.excel._layouts.heading_key` gives them); a column the
model has no field for is given no role, so a reader reports it instead of dropping it;
区域目标值 (福建) has the role ``regions``: a heading over one target column per region, named
in the row below. Every source is also in tests/data/README.md, with the
table's title, note and label rows; tests/data/layouts/ holds each as a fixture in its published form.
"""

from __future__ import annotations

from typing import Final

_CORE: Final = {"level1": ("一级指标",), "level2": ("二级指标",), "name": ("三级指标",)}

PROVINCE_LAYOUTS: Final[tuple[dict[str, object], ...]] = (
    {
        "key": "chongqing-project",
        "name": "重庆 项目支出绩效目标审批表",
        "kind": "project",
        "source": (
            "奉节县云雾土家族乡 2023年云雾土家族乡加工园配套设施建设项目支出绩效目标审批表: "
            "http://cqfj.gov.cn/index/xz_168/ywtjzx/zwxx_61303/gsgg_107031/202402/t20240201_12892054.html"
        ),
        "columns": {**_CORE, "target": ("指标值",), "weight": ("分值",), "description": ("指标解释",)},
        "labels": {
            "name": ("项目名称",),
            "category": ("项目分类",),
            "department": ("业务主管部门",),
            "implementer": ("实施单位",),
            "grounds": ("项目审批",),
            "goal": ("年度主要目标和成果",),
            "heading": ("年度绩效目标",),
            "budget": ("项目资金预算执行",),
            "detail": (
                "建设周期", "项目负责人", "联系电话", "项目总体概况",
                "项目总预算", "财政资金预算分类", "财政资金科目代码", "年度预算执行率", "分值",
            ),
        },
        "required": ("name", "target", "weight"),
        "marks": ("审批表", "项目分类", "业务主管部门", "项目审批"),
    },
    {
        "key": "sichuan-project",
        "name": "四川 部门预算项目绩效目标申报表",
        "kind": "project",
        "source": (
            "井研县马踏镇人民政府 部门预算项目绩效目标申报表(2023年度) (one row an indicator, the unit, project, "
            "budget and goal merged down each project's rows): "
            "https://m.qbidia.com/jyx/zjgk/202412/baa621fd1ec74c86bf45aa16dfd0603d.shtml"
        ),
        "columns": {
            **_CORE,
            "unit_name": ("单位名称",),
            "project_name": ("项目名称",),
            "goal": ("年度目标",),
            "target": ("指标值",),
            "unit_text": ("度量单位",),
            "weight": ("权重",),
            "comparator": ("指标性质",),
            "direction": ("指标方向性",),
            "budget": ("预算数",),
        },
        "labels": {"detail": ("部门预算数",)},
        "required": ("name", "target", "unit_text", "weight"),
        "marks": ("指标性质", "指标方向性"),
    },
    {
        "key": "fujian-transfer",
        "name": "福建 专项转移支付绩效目标表 (区域目标值 by region)",
        "kind": "project",
        "source": (
            "龙岩市财政局 龙岩市民族与宗教事务局 2023 专项转移支付绩效目标表 (宗教管理经费补助): "
            "https://www.chacewang.com/newsdetail/news284125.html; the same form from 莆田市秀屿区 2025: "
            "https://www.chacewang.com/newsdetail/news886214.html"
        ),
        "columns": {**_CORE, "description": ("指标解释",), "regions": ("区域目标值",)},
        "labels": {
            "unit_name": ("部门(单位)名称",),
            "unit_code": ("部门预算编码",),
            "name": ("项目名称",),
            "budget": ("资金情况",),
            "goal": ("总体目标",),
            "heading": ("绩效指标",),
            "detail": ("区域", "补助区域"),
        },
        "required": ("name", "regions"),
        "marks": ("专项转移支付", "区域目标值", "区域"),
    },
    {
        "key": "shaanxi-project",
        "name": "陕西 财政支出项目绩效目标申报表 (长期 and 年度 绩效指标)",
        "kind": "project",
        "source": "佳县 2016 财政支出项目绩效目标申报表: https://docx.baby/p/20793843881926.html",
        "columns": {**_CORE, "name": ("指标内容",), "target": ("指标值",), "remarks": ("备注",)},
        "labels": {
            "name": ("项目名称",),
            "nature": ("项目属性",),
            "department": ("主管部门",),
            "implementer": ("项目实施单位",),
            "budget": ("项目资金申请",),
            "goal": ("项目绩效目标",),
            "heading": ("长期绩效指标", "年度绩效指标"),
            "grounds": ("项目立项的依据",),
            "goal_part": ("长期目标", "年度目标"),
            "detail": (
                "主管部门编码", "项目负责人", "联系电话", "项目起止时间", "单位职能概述", "项目概况", "项目立项情况",
                "项目申报的可行性", "项目申报的必要性", "项目实施进度计划", "其他说明的问题", "填报人", "单位负责人",
                "填报日期",
            ),
        },
        "required": ("level2", "name", "target"),
        "marks": ("财政支出项目绩效目标申报表", "长期绩效指标", "年度绩效指标"),
    },
    {
        "key": "heilongjiang-project",
        "name": "黑龙江 部门预算项目支出绩效目标申报表",
        "kind": "project",
        "source": "大庆市 部门预算项目支出绩效目标申报表 (附1): https://m.zixin.com.cn/doc/3995614.html",
        "columns": {
            "level2": ("二级指标",),
            "name": ("三级指标", "指标名称"),
            "target": ("本年度计划水平",),
            "description": ("指标内容/计算公式",),
            "last_year": ("上年度实际水平",),
        },
        "labels": {
            "name": ("项目名称",),
            "category": ("项目类别",),
            "nature": ("项目属性",),
            "budget": ("项目资金情况",),
            "costs": ("项目支出内容及明细预算",),
            "goal": ("绩效目标情况",),
            "goal_part": ("预期目标",),
            "measures": ("保障绩效目标实现的措施",),
            "heading": ("绩效指标",),
            "detail": ("项目负责人", "项目计划实施时间", "项目申请原因", "以前年度项目绩效情况", "预期效果",
                       "上年度预算安排", "上年度实际执行"),
        },
        "required": ("name", "target"),
        "marks": ("上年度实际水平", "本年度计划水平", "项目申请原因"),
    },
    {
        "key": "sichuan-evaluation",
        "name": "四川 部门预算项目支出绩效自评表",
        "kind": "evaluation",
        "source": (
            "青神县发展和改革局 部门预算项目支出绩效自评表(2023年度), 报表编号 510000_0013zp: "
            "https://www.scqs.gov.cn/info/13206/211004.htm"
        ),
        "columns": {
            **_CORE,
            "comparator": ("指标性质",),
            "target": ("指标值",),
            "unit_text": ("度量单位",),
            "actual": ("完成值",),
            "weight": ("权重",),
            "score": ("得分",),
            "reason": ("未完成原因分析",),
        },
        "labels": {
            "name": ("项目名称",),
            "department": ("主管部门",),
            "implementer": ("实施单位",),
            "budget": ("预算执行情况",),
            "heading": ("绩效指标",),
        },
        "required": ("name", "target", "actual", "score"),
        "marks": ("指标性质", "度量单位", "510000_0013zp"),
    },
    {
        "key": "xinjiang-bingtuan",
        "name": "新疆生产建设兵团 衔接推进乡村振兴补助资金绩效目标申报表",
        "kind": "project",
        "source": (
            "第一师阿拉尔市财政局 2021 兵团本级财政衔接推进乡村振兴补助资金绩效目标申报表 (六团 气调保鲜库): "
            "http://www.nys.gov.cn/xwzx/tzgg/content_88212"
        ),
        "columns": {**_CORE, "target": ("年度指标值",)},
        "labels": {
            "name": ("项目名称",),
            "department": ("主管部门",),
            "implementer": ("实施单位",),
            "nature": ("项目属性",),
            "budget": ("资金情况",),
            "goal": ("项目绩效目标",),
            "goal_part": ("项目总目标", "年度总体目标"),
            "heading": ("绩效指标",),
            "detail": ("项目期", "项目资金总额"),
        },
        "required": ("name", "target"),
        "marks": ("项目总目标", "项目期", "衔接推进乡村振兴"),
        "notes_above": (r"(?:附件|附表|表)[0-9一二三四五六七八九十\-.]+", r"填报日期:.*", r"附件"),
    },
)
"""The entries, in the order they are tried after the first provinces' (Hebei, Hunan, Hubei)."""
