from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.suggestions_ledger, name="suggestions"),
    path("receptions/", views.receptions_ledger, name="receptions"),
    path("receptions/<int:pk>/", views.reception_detail, name="reception"),
    path(
        "receptions/<int:pk>/photos/<int:photo_pk>/", views.reception_photo, name="reception_photo"
    ),
    path("choices/<slug:source>/", views.choices, name="choices"),
    path("export/", views.export_create, name="export"),
    path("exports/", views.export_list, name="exports"),
    path("exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("exports/<int:pk>/status.json", views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("exports/<int:pk>/again/", views.export_repeat, name="export_again"),
]
