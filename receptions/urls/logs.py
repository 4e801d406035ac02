from django.urls import path

from ..views import logs

app_name = "duty_logs"
urlpatterns = [
    path("", logs.my_receptions, name="mine"),
    path("<int:pk>/log/", logs.record_log, name="record"),
]
