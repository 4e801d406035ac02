from django.urls import path, re_path

from . import stats_views

app_name = "stats"
urlpatterns = [
    path("", stats_views.dashboard, name="dashboard"),
    re_path(
        r"^report/(?P<code>[0-9A-Za-z]{1,12})/(?P<year>\d{4})-(?P<month>\d{2})/$",
        stats_views.report,
        name="report",
    ),
]
