from django.urls import path

from ..views import public

app_name = "receptions"
urlpatterns = [
    path("stations/<str:code>.ics", public.station_ics, name="station_ics"),
    path("representatives/<str:code>.ics", public.representative_ics, name="representative_ics"),
]
