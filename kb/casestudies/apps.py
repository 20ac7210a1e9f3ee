from django.apps import AppConfig


class CaseStudiesConfig(AppConfig):
    name = "kb.casestudies"
    label = "casestudies"
    verbose_name = "Case studies"
