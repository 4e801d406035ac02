from django.urls import path

from . import views

app_name = "receptions"
urlpatterns = [
    path("stations/<str:code>.ics", views.station_ics, name="station_ics"),
    path("representatives/<str:code>.ics", views.representative_ics, name="representative_ics"),
]
