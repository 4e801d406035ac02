from django.urls import path

from . import log_views

app_name = "duty_logs"
urlpatterns = [
    path("", log_views.my_receptions, name="mine"),
    path("<int:pk>/log/", log_views.record_log, name="record"),
]
