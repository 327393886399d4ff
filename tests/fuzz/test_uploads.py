"""Uploads: there are none, and a file sent anyway is never kept or served."""

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from meedoen.accounts.models import Role
from signalering.models import Signal
from tests.factories.signalering import district_with_members

OUR_APPS = ("meedoen", "signalering", "brigade", "zelfregie")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_model_or_form_takes_a_file():
    """Adding one means adding size and type checks and serving it as a download (never inline as HTML) first."""
    ours = [config for config in apps.get_app_configs() if config.name.startswith(OUR_APPS)]
    model_files = [
        f"{model._meta.label}.{field.name}"
        for config in ours
        for model in config.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    form_files = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _subclasses(forms.BaseForm)
        if form.__module__.startswith(OUR_APPS)
        for name, field in form.base_fields.items()
        if isinstance(field, forms.FileField)
    ]
    assert model_files == [] and form_files == []


def test_a_file_sent_anyway_is_dropped_and_the_fields_arrive():
    page = SimpleUploadedFile("zorg.html", b"<script>alert(1)</script>" * 10_000, content_type="text/html")
    request = RequestFactory().post("/", {"description": "Zorgen om de buurman", "attachment": page})
    assert request.FILES == {}
    assert request.POST["description"] == "Zorgen om de buurman"


@pytest.fixture
def professional(client, users):
    district_with_members(users[Role.PROFESSIONAL])
    client.force_login(users[Role.PROFESSIONAL])


def test_a_file_sent_to_a_form_changes_nothing(client, professional):
    page = SimpleUploadedFile("zorg.html", b"<html>", content_type="text/html")
    response = client.post(reverse("signalering:create"), {"description": page})
    assert response.status_code == 200  # the form again: the file did not count as a value
    assert not Signal.objects.exists()
    assert b"zorg.html" not in response.content


def test_too_much_form_data_gets_400_not_500(client, professional):
    response = client.post(reverse("signalering:create"), {"description": "x" * 3 * 2**20})
    assert response.status_code == 400
