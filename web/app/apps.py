from django.apps import AppConfig


class WebAppConfig(AppConfig):
    name = "web.app"
    label = "spur_web"
    verbose_name = "SPUR-webben"
