"""The Dutch translation is complete: every source string has a Dutch text, and the compiled catalogue matches."""

import re
import shutil
import subprocess
import sys

import polib
import pytest

from meedoen.embedded import BASE_DIR

PO = BASE_DIR / "locale" / "nl" / "LC_MESSAGES" / "django.po"
SOURCES = ["manage.py", "meedoen", "signalering", "brigade", "zelfregie", "templates", "locale"]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogue as makemessages would write it from the current source, in a scratch copy of the tree."""
    tree = tmp_path_factory.mktemp("tree")
    for name in SOURCES:
        source = BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tree / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nl", "--no-obsolete", "--no-location"],
        cwd=tree,
        check=True,
        capture_output=True,
    )
    return polib.pofile(str(tree / "locale" / "nl" / "LC_MESSAGES" / "django.po"))


def test_every_source_string_has_a_dutch_translation(extracted):
    missing = [entry.msgid for entry in extracted if not entry.translated() and not entry.obsolete]
    assert not missing, f"Run `make messages` and translate: {missing}"


def test_no_translation_is_marked_fuzzy(extracted):
    fuzzy = [entry.msgid for entry in extracted.fuzzy_entries()]
    assert not fuzzy, f"Check and unmark these fuzzy translations: {fuzzy}"


def test_compiled_catalogue_matches_the_source_catalogue():
    source = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(PO)).translated_entries()}
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(PO.with_suffix(".mo")))}
    assert source.items() <= compiled.items(), "Run `make messages` to compile the catalogue"


def test_the_jinja2_templates_strings_are_extracted(extracted):
    """makemessages reads templates/jinja2 as Django templates: it finds `{{ _("…") }}` alone in its tag."""
    found = set()
    for template in (BASE_DIR / "templates" / "jinja2").rglob("*.html"):
        found |= set(re.findall(r'\{\{ _\("([^"]+)"\)', template.read_text()))
    assert "Ask the Vliegende Brigade to visit" in found
    assert found <= {entry.msgid for entry in extracted}
