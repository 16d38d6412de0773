from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "openincome.policy"
    label = "policy"
