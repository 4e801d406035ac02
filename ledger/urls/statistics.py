from django.urls import path, re_path

from ..views import statistics

app_name = "stats"
urlpatterns = [
    path("", statistics.dashboard, name="dashboard"),
    re_path(
        r"^report/(?P<code>[0-9A-Za-z]{1,12})/(?P<year>\d{4})-(?P<month>\d{2})/$",
        statistics.report,
        name="report",
    ),
]
