from django.urls import path

from ..views import notice

# The namespace keeps its first name: pages and templates reverse "disclosure:notice".
app_name = "disclosure"
urlpatterns = [
    path("withhold/<int:pk>/", notice.withhold_view, name="withhold"),
    path("<str:code>/", notice.notice, name="notice"),
]
