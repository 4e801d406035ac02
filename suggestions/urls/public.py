from django.urls import path

from ..views import public as views

app_name = "suggestions"
urlpatterns = [
    path("s/<str:code>/", views.station_form, name="station_form"),
    path("s/<str:code>/done/", views.submitted, name="submitted"),
    path("r/<str:code>/", views.representative_form, name="representative_form"),
    path("track/", views.track, name="track"),
    path("track/rate/", views.rate, name="rate"),
]
