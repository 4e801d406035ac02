from django.urls import path

from ..views import rota

app_name = "rota"
urlpatterns = [
    path("", rota.index, name="index"),
    path("days/<int:pk>/propose/", rota.propose, name="propose"),
    path("swaps/<int:pk>/decide/", rota.decide, name="decide"),
    path("duties/<int:pk>/swap/", rota.request_swap, name="request_swap"),
]
