from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "web.store"
    label = "store"
    verbose_name = "SPUR-arkivet"
