"""The departments app: department pages, adoption stages and the adoption dashboard."""

from django.apps import AppConfig


class DepartmentsConfig(AppConfig):
    name = "kb.departments"
    label = "departments"
    verbose_name = "Departments and adoption"
