from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "openincome.interchange"
    label = "interchange"
