from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "tsunagu.watch"
    label = "watch"
    verbose_name = "見守り"
