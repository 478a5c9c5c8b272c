from django.urls import path

from . import public

app_name = "finder"
urlpatterns = [
    path("", public.finder_page, name="index"),
    path("places/<int:pk>/", public.place_page, name="place"),
]
