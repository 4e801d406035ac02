from django.urls import path

from . import rota_views

app_name = "rota"
urlpatterns = [
    path("", rota_views.index, name="index"),
    path("days/<int:pk>/propose/", rota_views.propose, name="propose"),
    path("swaps/<int:pk>/decide/", rota_views.decide, name="decide"),
    path("duties/<int:pk>/swap/", rota_views.request_swap, name="request_swap"),
]
