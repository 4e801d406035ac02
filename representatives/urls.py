from django.urls import path

from . import views

app_name = "representatives"
urlpatterns = [
    path("<str:code>/", views.detail, name="detail"),
]
