"""What `manage.py load_demo` prints when it is done: counts, the demo logins, the suggestions
by state, and a suggestion the visitor can track and rate as the citizen."""

import unicodedata
from collections import Counter

from django.conf import settings
from django.core.management.base import OutputWrapper
from django.core.management.color import Style
from django.db import models
from django.db.models import Count
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from receptions.models import Duty, DutyLog, ReceptionDay
from representatives.models import Assignment, Representative
from stations.models import Region, Station
from suggestions.models import (
    Department,
    ExtensionRequest,
    ReplyTemplate,
    Suggestion,
    SuggestionEvent,
)
from suggestions.services import track_url
from twofactor.services import authenticator_secret

from .base import DEMO_TOTP_KEY, PASSWORD, User
from .network import DEMO_REPRESENTATIVE
from .suggestions import RATE_ME

DEMO_LOGINS = (
    ("admin", "超级管理员，可管理全部数据 (superuser: everything)"),
    ("zhongduo_staff", "中垛乡人大代表联络站工作人员 (staff of the Zhongduo station)"),
    ("xingfu_staff", "幸福乡人大代表之家工作人员 (staff of the Xingfu home)"),
    ("supervisor", "人大常委会监督人员，督办吉县、南关区各站 (supervisor of both counties)"),
    ("sysadmin", "系统管理员：账号与站点、代表设置 (system administrator: users, settings)"),
    ("secadmin", "安全管理员：角色分配、登录锁定 (security administrator: roles, lockouts)"),
    ("auditor", "审计管理员：只读审计日志 (audit administrator: reads the audit log)"),
    ("rep_demo", f"县人大代表，{DEMO_REPRESENTATIVE} (a county representative)"),
    ("transport_handler", "吉县交通运输局办理人员 (county department handler)"),
    ("township_handler", "中垛乡人民政府办理人员 (township government handler)"),
)
SUMMARY = (
    (Region, "地区 (regions)"),
    (Station, "家站点 (homes, stations, points)"),
    (Representative, "人大代表 (representatives)"),
    (Assignment, "编入 (assignments)"),
    (User, "账号 (users)"),
    (Department, "承办部门 (departments)"),
    (ReplyTemplate, "答复模板 (reply templates)"),
    (Suggestion, "意见建议 (suggestions)"),
    (SuggestionEvent, "办理记录 (history entries)"),
    (ReceptionDay, "接待日 (reception days)"),
    (Duty, "值班安排 (duties)"),
    (DutyLog, "接待记录 (reception logs)"),
)
# In the order a suggestion moves through them.
STATUS_LABELS = {
    Suggestion.Status.RECEIVED: "待受理 (received)",
    Suggestion.Status.ACCEPTED: "已受理待交办 (accepted)",
    Suggestion.Status.ASSIGNED: "已交办待签收 (assigned)",
    Suggestion.Status.IN_HANDLING: "办理中 (in handling)",
    Suggestion.Status.COMPLETED: "已办结待反馈 (completed)",
    Suggestion.Status.FED_BACK: "已反馈 (fed back)",
    Suggestion.Status.CLOSED: "已办结归档 (closed)",
    Suggestion.Status.REJECTED: "不予受理 (not accepted)",
    Suggestion.Status.MERGED: "已合并 (merged)",
}


def print_summary(out: OutputWrapper, style: Style, created: Counter[type[models.Model]]) -> None:
    write = out.write
    write(style.SUCCESS("演示数据已就绪 (demo data ready)"))
    write("  " + _pad("", 34) + _pad("库中共有 (total)", 18) + "本次新建 (new)")
    for model, label in SUMMARY:
        write(f"  {_pad(label, 34)}{_pad(str(model.objects.count()), 18)}{created[model]}")
    write("")
    write("演示账号 (demo logins)")
    write("  " + _pad("用户名 (username)", 20) + _pad("密码 (password)", 18) + "用途 (for)")
    for username, purpose in DEMO_LOGINS:
        write(f"  {_pad(username, 20)}{_pad(PASSWORD, 18)}{purpose}")
    _print_second_factor(out)
    write("")
    write("意见建议办理状态 (suggestions by status)")
    by_status = Suggestion.objects.order_by().values_list("status").annotate(n=Count("pk"))
    counts = Counter(dict(by_status))
    for status, label in STATUS_LABELS.items():
        write(f"  {_pad(label, 34)}{counts[status]}")
    today = timezone.localdate()
    extras = (
        ("逾期未办结 (overdue)", Suggestion.objects.overdue(today).count()),
        ("重点督办 (key suggestions)", Suggestion.objects.filter(is_key=True).count()),
        (
            "待审批延期 (extension requests)",
            ExtensionRequest.objects.filter(state=ExtensionRequest.State.PENDING).count(),
        ),
    )
    for label, number in extras:
        write(f"  {_pad(label, 34)}{number}")
    _print_tracking_hint(out)


def _print_second_factor(out: OutputWrapper) -> None:
    """The demo authenticator's secret and how to get its current code (DEBUG=1 only)."""
    demo = TOTPDevice.objects.filter(key=DEMO_TOTP_KEY, confirmed=True)
    usernames = sorted(demo.values_list("user__username", flat=True))
    if not settings.DEBUG or not usernames:
        return
    out.write("")
    out.write("两步验证 (two-step verification), 仅限演示 (DEBUG=1 only)")
    out.write("  输入密码后还要输入 6 位验证码 (a 6-digit code after the password):")
    out.write(f"    {', '.join(usernames)}")
    out.write("  演示密钥，可添加到身份验证器应用 (demo secret for an authenticator app):")
    out.write(f"    {authenticator_secret(demo[0])}")
    out.write("  当前验证码 (the current code): python manage.py demo_otp_code")


def _print_tracking_hint(out: OutputWrapper) -> None:
    """A suggestion waiting for its rating, so the visitor can play the citizen too."""
    spec = RATE_ME
    suggestion = Suggestion.objects.filter(
        submission_token=spec.token, status=Suggestion.Status.FED_BACK, rating=""
    ).first()
    if suggestion is None:
        return
    out.write("")
    out.write(
        f"以群众身份查询并评价 (track and rate as the citizen): {track_url(suggestion)}"
        f"  手机尾号 (phone's last digits) {spec.phone[-4:]}"
    )


def _pad(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns; Chinese characters take two."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - columns, 1)
