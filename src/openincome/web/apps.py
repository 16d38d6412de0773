from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "openincome.web"
    label = "web"
