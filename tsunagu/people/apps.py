from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "tsunagu.people"
    label = "people"
    verbose_name = "住民・世帯"
