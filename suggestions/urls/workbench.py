from django.urls import path

from ..views import privacy, workbench
from ..views import public as views

app_name = "workbench"
urlpatterns = [
    path("", workbench.inbox_view, name="inbox"),
    path("bulk-accept/", workbench.bulk_accept, name="bulk_accept"),
    path("suggestions/new/", views.staff_register, name="register"),
    path("privacy/", privacy.data_requests, name="data_requests"),
    path("privacy/<int:pk>/", privacy.data_request, name="data_request"),
    path("suggestions/<int:pk>/", workbench.suggestion_view, name="suggestion"),
    path("suggestions/<int:pk>/phone/", workbench.reveal_phone, name="reveal_phone"),
    path("suggestions/<int:pk>/photos/<int:photo_pk>/", workbench.photo, name="photo"),
    path("suggestions/<int:pk>/<str:name>/", workbench.act, name="act"),
]
