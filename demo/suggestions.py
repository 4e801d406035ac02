"""The demo suggestions: a dozen at Zhongduo, each submitted with a fixed token and walked through
the real handling services by the demo actors, step by step (the steps are in `demo.handling`).
"""

import uuid
from dataclasses import dataclass

from representatives.models import Representative
from stations.models import Region, Station
from suggestions.models import Department, Suggestion, SuggestionEvent, Theme
from suggestions.services import Submission, suggestion_submit

from .base import Loader, User
from .handling import (
    JI_TRANSPORT,
    JI_WATER,
    STAFF,
    SUPERVISOR,
    TOWNSHIP,
    TRANSPORT,
    ZHONGDUO_GOVERNMENT,
    Accept,
    AskExtension,
    Complete,
    Feedback,
    MarkKey,
    Outcome,
    Rate,
    Route,
    RouteTo,
    Sign,
    Step,
    Urge,
    walk,
)

Channel = Suggestion.Channel


# "demo" in ASCII, so the demo's submission tokens are easy to recognise: 64656d6f-0000-…
_TOKEN_BASE = 0x64656D6F << 96


def demo_token(number: int) -> uuid.UUID:
    return uuid.UUID(int=_TOKEN_BASE + number)


@dataclass(frozen=True)
class DemoSuggestion:
    number: int  # fixes the submission token; never reuse a number for another suggestion
    title: str
    content: str
    theme: str
    channel: str
    village: str  # where the citizen lives
    at_point: bool = False  # submitted at the village's point rather than the station
    name: str = ""
    phone: str = ""
    anonymous: bool = False
    to_demo_representative: bool = False
    steps: tuple[Step, ...] = ()

    @property
    def token(self) -> uuid.UUID:
        return demo_token(self.number)


# Phones 139035781xx: the demo representatives' own numbers are 1390357 0000–0076.
SUGGESTIONS = (
    DemoSuggestion(
        1,
        "桃园村路口缺少路灯，夜间出行不便",
        "桃园村通往乡政府的三岔路口没有路灯，冬天下午六点天就黑了，赶集回来的村民和放学的"
        "学生走到这里看不清路，前几天还有人骑电动车摔倒。建议在路口安装两盏太阳能路灯。",
        "道路交通",
        Channel.QR,
        "桃园村",
        at_point=True,
        name="贺春生",
        phone="13903578101",
    ),
    DemoSuggestion(
        2,
        "南河村河道边有人倾倒垃圾",
        "南河村东头河道边有人长期倾倒生活垃圾和建筑垃圾，夏天气味很大，下雨时垃圾被冲进河里。"
        "建议村里设置垃圾收集点，安排保洁员定期清运，并在河边立牌禁止倾倒。",
        "环境卫生",
        Channel.WEB,
        "南河村",
        at_point=True,
        anonymous=True,
    ),
    DemoSuggestion(
        3,
        "希望在中垛村办老年人日间照料中心",
        "村里子女外出打工的多，留守老人白天没人照看，吃饭也凑合。村委会旧办公楼一直空着，"
        "建议改造成老年人日间照料中心，提供午餐和休息场所，请乡里帮助争取民政项目资金。",
        "养老服务",
        Channel.WALK_IN,
        "中垛村",
        name="段玉兰",
        phone="13903578103",
        steps=(Accept(),),
    ),
    # DOMAIN.md: the one suggestion Zhongduo passed to county departments and still pending.
    DemoSuggestion(
        4,
        "白额村田间道路被雨水冲毁，果农运果难",
        "去年七月连续暴雨，白额村通往后沟苹果园的田间道路被冲毁约800米，路基塌陷，三轮车和"
        "农用车开不进去。苹果收获季，二十多户果农只能人背肩扛往外运果子。村里自己修不了，"
        "请求列入县里水毁道路修复项目，尽快修复。",
        "道路交通",
        Channel.RECEPTION,
        "白额村",
        name="白福生",
        phone="13903578104",
        to_demo_representative=True,
        steps=(
            Accept(),
            Route(RouteTo.COUNTY, lead=JI_TRANSPORT, co=(JI_WATER,)),
            MarkKey(),
            Urge(
                "该路关系二十多户果农秋季苹果外运，请交通运输局尽快签收，会同水利局制定修复方案。"
            ),
        ),
    ),
    DemoSuggestion(
        5,
        "上岭村通村公路急弯处缺少护栏",
        "上岭村通村公路在村口下坡处有一个急弯，外侧是十几米深的沟，没有护栏和警示标志，"
        "去年冬天一辆拉煤的车差点翻下去。建议加装波形护栏、减速带和警示牌。",
        "道路交通",
        Channel.PHONE,
        "上岭村",
        at_point=True,
        name="冯德胜",
        phone="13903578105",
        steps=(
            Accept(),
            Route(RouteTo.COUNTY, lead=JI_TRANSPORT),
            Sign(TRANSPORT),
            AskExtension(
                TRANSPORT,
                20,
                "护栏需纳入县公路安全生命防护工程统一招标采购，施工要等招标结束，"
                "申请延长20个工作日。",
            ),
        ),
    ),
    DemoSuggestion(
        6,
        "西庄村灌溉主渠渗漏严重",
        "西庄村南坡的灌溉主渠是九十年代修的土渠，渗漏严重，放一次水一半都渗到地里去了，"
        "渠尾几十亩果园浇不上水。建议乡里组织对主渠进行防渗硬化。",
        "产业发展",
        Channel.RECEPTION,
        "西庄村",
        at_point=True,
        name="郭树林",
        phone="13903578106",
        steps=(Accept(), Route(RouteTo.TOWNSHIP, lead=ZHONGDUO_GOVERNMENT), Sign(TOWNSHIP)),
    ),
    DemoSuggestion(
        7,
        "东城村学校旁垃圾池半个月没清运",
        "东城村小学旁边的垃圾池已经半个多月没有清运，垃圾堆到路边，学生上下学要从旁边经过。"
        "希望乡里督促保洁公司按时清运，并把垃圾池挪离学校。",
        "环境卫生",
        Channel.QR,
        "东城村",
        at_point=True,
        anonymous=True,
        steps=(
            Accept(),
            Route(RouteTo.TOWNSHIP, lead=ZHONGDUO_GOVERNMENT, overdue=True),
            Sign(TOWNSHIP),
        ),
    ),
    DemoSuggestion(
        8,
        "村集体苹果冷库闲置，建议盘活增加集体收入",
        "中垛村用扶贫资金建的苹果冷库，这几年只在秋天用一两个月，其余时间闲置。建议由村集体"
        "统一对外出租给果商和合作社，租金纳入集体经济收入，账目向村民公开。",
        "集体经济",
        Channel.WALK_IN,
        "中垛村",
        name="杨建军",
        phone="13903578108",
        steps=(
            Accept(),
            Route(RouteTo.TOWNSHIP, lead=ZHONGDUO_GOVERNMENT),
            Sign(TOWNSHIP),
            Complete(
                TOWNSHIP,
                "乡农经站指导中垛村制定冷库出租方案，经村民代表会议通过，已与吉县中垛苹果专业"
                "合作社签订三年租赁合同，年租金4.2万元纳入村集体收入，合同在村务公开栏公示。",
            ),
        ),
    ),
    DemoSuggestion(
        9,
        "高龄老人补贴认证能否在村里办理",
        "柏山村离乡政府二十多里，村里八十岁以上老人每年都要到乡里做高龄补贴资格认证，"
        "腿脚不便的老人来回很困难。建议让工作人员到村里集中办理，或者用手机视频认证。",
        "养老服务",
        Channel.PHONE,
        "柏山村",
        at_point=True,
        name="薛桂芳",
        phone="13903578109",
        steps=(
            Accept(),
            Route(RouteTo.TOWNSHIP, lead=ZHONGDUO_GOVERNMENT),
            Sign(TOWNSHIP),
            Complete(
                TOWNSHIP,
                "乡民政办每季度派工作人员到柏山村集中办理一次高龄补贴认证；行动不便的老人"
                "可预约上门认证，也可由子女用手机视频认证。",
            ),
            Feedback(
                Suggestion.FeedbackMethod.PHONE,
                "已电话告知薛桂芳：乡民政办每季度到村集中认证，行动不便的老人可预约上门认证。",
            ),
        ),
    ),
    DemoSuggestion(
        10,
        "红崖村巷道路面坑洼，雨天积水",
        "红崖村三条主要巷道的水泥路面破损严重，坑坑洼洼，一下雨就积水，老人和孩子出门"
        "容易滑倒。建议乡里安排资金修补硬化。",
        "道路交通",
        Channel.RECEPTION,
        "红崖村",
        at_point=True,
        name="任保平",
        phone="13903578110",
        steps=(
            Accept(),
            Route(RouteTo.TOWNSHIP, lead=ZHONGDUO_GOVERNMENT),
            Sign(TOWNSHIP),
            Complete(
                TOWNSHIP,
                "乡政府安排专项资金，对红崖村三条巷道共620米破损路面进行了修补硬化，已完工。",
            ),
            Feedback(
                Suggestion.FeedbackMethod.IN_PERSON,
                "联络站工作人员和红崖村联络点代表到现场查看并当面告知任保平办理结果。",
            ),
            Rate(Suggestion.Rating.SATISFIED, "路修好了，下雨天出门不怕了。"),
        ),
    ),
    DemoSuggestion(
        11,
        "北塬村机井水泵老化，浇地要排一星期队",
        "北塬村只有一眼机井供全村三百多亩地灌溉，水泵用了十几年，经常坏，浇一次地要排一个"
        "星期的队。建议更换水泵，再打一眼新井。",
        "产业发展",
        Channel.QR,
        "北塬村",
        at_point=True,
        name="马天明",
        phone="13903578111",
        steps=(
            Accept(),
            Route(RouteTo.TOWNSHIP, lead=ZHONGDUO_GOVERNMENT),
            Sign(TOWNSHIP),
            Complete(
                TOWNSHIP,
                "乡政府已组织维修现有机井水泵，恢复正常供水；新打机井需县水利局立项，"
                "已列入明年项目申报计划。",
                Outcome.C,
            ),
            Feedback(
                Suggestion.FeedbackMethod.PHONE,
                "已电话告知马天明：水泵已维修，新打机井列入明年申报计划。",
            ),
            Rate(
                Suggestion.Rating.UNSATISFIED,
                "水泵修了又坏，新井要等到明年，今年秋浇还是排不上队。",
            ),
        ),
    ),
    DemoSuggestion(
        12,
        "果树遭晚霜冻害，政策性保险怎么理赔",
        "今年四月的晚霜冻了我家六亩苹果花，听说有政策性苹果种植保险，但不知道去哪里报案、"
        "要准备什么材料。",
        "产业发展",
        Channel.RECEPTION,
        "南河村",
        name="程永刚",
        phone="13903578112",
        steps=(
            Accept(),
            Route(
                RouteTo.ON_SITE,
                answer="接待代表当场解答：已参加政策性苹果种植保险的农户，受灾后及时向承保公司"
                "或村协保员报案，保留受灾照片，配合查勘定损即可。代表当场联系了乡协保员，"
                "已为程永刚登记报案。",
            ),
            Feedback(
                Suggestion.FeedbackMethod.IN_PERSON,
                "接待日当场答复，并当面告知已登记报案、查勘时间另行通知。",
            ),
            Rate(Suggestion.Rating.BASICALLY),
        ),
    ),
    DemoSuggestion(
        13,
        "要求将自家老窑洞列入易地搬迁安置",
        "我家在上岭村的老宅是八十年代打的土窑洞，想按易地扶贫搬迁政策在县城分一套安置房。",
        "住房安置",
        Channel.WALK_IN,
        "上岭村",
        name="曹志强",
        phone="13903578113",
        steps=(
            Accept(),
            Route(
                RouteTo.EXPLAINED,
                answer="经核实，易地扶贫搬迁安置工作已经全部完成，目前没有新的搬迁安置指标，"
                "您家不符合安置条件。窑洞如存在安全隐患，可申请农村危房改造，由村委会上报"
                "乡政府组织鉴定。",
                decided_by="中垛乡人民政府（经乡党政联席会议研究）",
                refer_to="农村危房改造向上岭村委会提出申请；政策咨询可找吉县住房和城乡建设局，"
                "或拨打12345政务服务便民热线",
            ),
        ),
    ),
)
# Fed back and waiting for the citizen's rating: the summary points the visitor to it.
RATE_ME = next(spec for spec in SUGGESTIONS if spec.number == 9)


class SuggestionsLoader(Loader):
    """The demo suggestions, submitted and walked through their steps."""

    def load_suggestions(
        self,
        zhongduo: Station,
        representative: Representative,
        departments: dict[str, Department],
    ) -> None:
        # Fetched afresh, after every department and region link is in place: the handling
        # services cache each user's scope on the user object.
        actors = User.objects.in_bulk(
            [STAFF, SUPERVISOR, TRANSPORT, TOWNSHIP],
            field_name="username",
        )
        themes = {theme.name: theme for theme in Theme.objects.all()}
        villages = {
            village.name: village
            for village in zhongduo.region.children.filter(level=Region.Level.VILLAGE)
        }
        points = {point.region_id: point for point in zhongduo.points.all()}
        events_before = SuggestionEvent.objects.count()
        for spec in SUGGESTIONS:
            suggestion = Suggestion.objects.filter(submission_token=spec.token).first()
            if suggestion is None:
                village = villages[spec.village]
                # Walk-ins, calls and reception days are written down by the station's staff.
                walked_in = spec.channel not in (Suggestion.Channel.QR, Suggestion.Channel.WEB)
                result = suggestion_submit(
                    station=points[village.pk] if spec.at_point else zhongduo,
                    submission=Submission(
                        theme=themes[spec.theme],
                        title=spec.title,
                        content=spec.content,
                        village=village,
                        name=spec.name,
                        phone=spec.phone,
                        is_anonymous=spec.anonymous,
                        addressee=representative if spec.to_demo_representative else None,
                    ),
                    channel=spec.channel,
                    token=spec.token,
                    registered_by=actors[STAFF] if walked_in else None,
                )
                suggestion = self._new(result.suggestion)
            walk(suggestion, spec.steps, actors, departments)
        self.created[SuggestionEvent] += SuggestionEvent.objects.count() - events_before
