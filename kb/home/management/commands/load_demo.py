"""Load the demo content once, and print the demo sign-ins.

`make run` calls this on every start; it loads the "demo" fixtures only into an empty KB, so
a demo that someone has edited is never overwritten (use --force to reload it). Those are
fixtures/demo.json and, as loaddata finds them, every app's own fixtures/demo.json; then
each app (kinds of content first) may add what a fixture cannot say (revisions, rows made through
its own services) in a ``demo`` module's ``load()``. An app brings its demo content with it.
"""

import importlib.util
from importlib import import_module

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

from kb.core.registry import kinds

# Demo only: these accounts exist solely in the demo fixture, never in production data.
DEMO_LOGINS = [
    ("admin", "admin-demo", "Admin: everything, including the Django admin"),
    ("editor", "editor-demo", "Editor: publishes, features and edits anything; admin access"),
    ("advocate", "advocate-demo", "Advocate: writes articles, submits case studies and research"),
    ("reader", "reader-demo", "Reader: browses published content"),
]


class Command(BaseCommand):
    help = "Load the demo content into an empty KB and print the demo sign-ins."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="Reload even if not empty.")

    def handle(self, *args, force: bool = False, **options) -> None:
        has_content = any(model.objects.exists() for model, _ in kinds())
        if has_content and not force:
            self.stdout.write("The KB already has content; demo data not reloaded.")
        else:
            call_command("loaddata", "demo", verbosity=0)
            for module in _demo_modules():
                module.load()
            # loaddata saves raw rows without signals, so index everything in one pass.
            call_command("rebuild_search_index", stdout=self.stdout, stderr=self.stderr)
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        self.stdout.write("\nDemo sign-ins (demo data only — never use these in production):")
        for username, password, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<9} {password:<14} {role}")
        self.stdout.write("  (the seven other advocates also use the password advocate-demo)\n")


def _demo_modules() -> list:
    """The ``demo`` modules of the apps that declare kinds of content, once each, then
    those of the other KB apps (whose demo builds on the content, such as departments')."""
    names = dict.fromkeys(f"{model._meta.app_config.name}.demo" for model, _ in kinds())
    names.update(
        dict.fromkeys(
            f"{config.name}.demo"
            for config in apps.get_app_configs()
            if config.name.startswith("kb.")
        )
    )
    return [import_module(name) for name in names if importlib.util.find_spec(name)]
