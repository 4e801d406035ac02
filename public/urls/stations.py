from django.urls import path

from public import views

app_name = "stations"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("<str:code>/", views.station_detail, name="detail"),
    path("<str:code>/qr.png", views.station_qr_code, {"fmt": "png"}, name="qr_png"),
    path("<str:code>/qr.svg", views.station_qr_code, {"fmt": "svg"}, name="qr_svg"),
    path("<str:code>/poster/", views.station_poster, name="poster"),
]
