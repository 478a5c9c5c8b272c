from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("new/matches/", views.match_lookup, name="match_lookup"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/use/", views.use_match, name="use_match"),
    path("<int:pk>/other-names/", views.other_name_add, name="other_name_add"),
    path("review/", views.review, name="review"),
    path("review/<int:pk>/", views.review_decide, name="review_decide"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
]
