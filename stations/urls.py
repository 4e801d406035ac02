from django.urls import path

from . import views

app_name = "stations"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/qr.png", views.qr_code, {"fmt": "png"}, name="qr_png"),
    path("<str:code>/qr.svg", views.qr_code, {"fmt": "svg"}, name="qr_svg"),
    path("<str:code>/poster/", views.poster, name="poster"),
]
