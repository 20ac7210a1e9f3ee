"""A department's page lives at /departments/<slug>/, where the adoption dashboard also
lives (/departments/dashboard/): a department may not take a slug another page uses there,
or it could never be reached."""

import importlib

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from kb.advocates.models import Department, department_slug_reserved

pytestmark = pytest.mark.django_db


def test_the_dashboards_word_is_reserved_and_an_ordinary_slug_is_not() -> None:
    assert department_slug_reserved("dashboard")
    assert not department_slug_reserved("marketing")
    assert not department_slug_reserved("dashboards")


def test_a_department_named_dashboard_gets_a_slug_that_reaches_its_page(
    reader_client: Client,
) -> None:
    department = Department.objects.create(name="Dashboard")
    assert department.slug == "dashboard-2"
    page = reader_client.get(reverse("departments:detail", args=[department.slug]))
    assert page.status_code == 200
    assert page.resolver_match.url_name == "detail"
    assert page.context["department"] == department


def test_the_generated_slug_also_skips_slugs_other_departments_use() -> None:
    Department.objects.create(name="Dashboard team", slug="dashboard-2")
    assert Department.objects.create(name="Dashboard").slug == "dashboard-3"


def test_the_admin_refuses_a_reserved_slug_and_says_why(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:advocates_department_add"), {"name": "Dashboard", "slug": "dashboard"}
    )
    assert response.status_code == 200
    assert "is the address of another page" in response.content.decode()
    assert not Department.objects.exists()


def test_the_admin_refuses_renaming_a_slug_to_a_reserved_word(admin_client: Client) -> None:
    department = Department.objects.create(name="Sales", slug="sales")
    url = reverse("admin:advocates_department_change", args=[department.pk])
    response = admin_client.post(url, {"name": "Sales", "slug": "dashboard"})
    assert response.status_code == 200
    department.refresh_from_db()
    assert department.slug == "sales"


def test_the_admin_accepts_an_ordinary_slug(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:advocates_department_add"), {"name": "Dashboards", "slug": "dashboards"}
    )
    assert response.status_code == 302
    assert Department.objects.get().slug == "dashboards"


def test_the_migration_renames_an_existing_department_with_a_reserved_slug(
    reader_client: Client,
) -> None:
    # Saved as an import or an old admin might have: straight to the database.
    shadowed = Department.objects.create(name="Dashboard", slug="dashboard")
    Department.objects.create(name="Dashboard team", slug="dashboard-2")
    untouched = Department.objects.create(name="Sales", slug="sales")
    migration = importlib.import_module("kb.departments.migrations.0003_reserved_department_slugs")
    migration.forwards(apps, None)
    shadowed.refresh_from_db()
    untouched.refresh_from_db()
    assert shadowed.slug == "dashboard-3"
    assert untouched.slug == "sales"
    page = reader_client.get(reverse("departments:detail", args=["dashboard-3"]))
    assert page.status_code == 200
    assert reader_client.get("/departments/dashboard/").status_code == 403  # the dashboard's
