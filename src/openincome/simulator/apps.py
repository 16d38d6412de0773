from django.apps import AppConfig


class SimulatorConfig(AppConfig):
    name = "openincome.simulator"
    label = "simulator"
