from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from . import views

admin.site.site_header = _("Representative liaison stations")
admin.site.site_title = _("Liaison stations admin")
admin.site.index_title = _("Station management")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("large-text/", views.large_text, name="large_text"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/two-factor/", include("twofactor.urls")),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("stations/", include("public.urls.stations")),
    path("representatives/", include("public.urls.representatives")),
    path("receptions/", include("receptions.urls.public")),
    path("workbench/receptions/", include("receptions.urls.logs")),
    path("workbench/rota/", include("receptions.urls.rota")),
    path("workbench/", include("suggestions.urls.workbench")),
    path("statistics/", include("ledger.urls.statistics")),
    path("notice/", include("ledger.urls.notice")),
    path("ledger/", include("ledger.urls.ledger")),
    path("", include("suggestions.urls.public")),
]

if settings.SERVE_MEDIA:
    # Uploaded photos; in production a front web server usually serves MEDIA_ROOT instead.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) or [
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

handler404 = "liaison.views.page_not_found"
