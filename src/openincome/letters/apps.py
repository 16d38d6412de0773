from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "openincome.letters"
    label = "letters"
    verbose_name = "Letters, messages and statements"
