from django.urls import path

from public import views

app_name = "representatives"
urlpatterns = [
    path("<str:code>/", views.representative_detail, name="detail"),
    path("<str:code>/qr.png", views.representative_qr_code, {"fmt": "png"}, name="qr_png"),
    path("<str:code>/qr.svg", views.representative_qr_code, {"fmt": "svg"}, name="qr_svg"),
]
