from django.urls import path

from . import disclosure_views

app_name = "disclosure"
urlpatterns = [
    path("withhold/<int:pk>/", disclosure_views.withhold_view, name="withhold"),
    path("<str:code>/", disclosure_views.notice, name="notice"),
]
