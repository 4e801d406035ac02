from django.urls import path

from ..views import exports, ledger

app_name = "ledger"
urlpatterns = [
    path("", ledger.suggestions_ledger, name="suggestions"),
    path("receptions/", ledger.receptions_ledger, name="receptions"),
    path("receptions/<int:pk>/", ledger.reception_detail, name="reception"),
    path(
        "receptions/<int:pk>/photos/<int:photo_pk>/", ledger.reception_photo, name="reception_photo"
    ),
    path("choices/<slug:source>/", ledger.choices, name="choices"),
    path("export/", exports.export_create, name="export"),
    path("exports/", exports.export_list, name="exports"),
    path("exports/<int:pk>/", exports.export_detail, name="export_detail"),
    path("exports/<int:pk>/status.json", exports.export_status, name="export_status"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
    path("exports/<int:pk>/again/", exports.export_repeat, name="export_again"),
]
