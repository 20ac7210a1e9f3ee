"""The project's URLs plus the test-only content app's: its one line in the root URLconf."""

from django.urls import include, path

from config.urls import handler500  # noqa: F401 (Django reads it from the root URLconf)
from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("findings/", include("tests.registry_app.urls"))]
