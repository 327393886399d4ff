"""backup and restore: a round trip gives the same rows and checksums in every table; a difference is refused."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from meedoen.accounts.models import Role
from meedoen.core.backup import manifest
from meedoen.privacy.audit import verify_chain
from meedoen.privacy.models import AccessLog
from signalering.models import Signal
from tests.factories.signalering import district_with_members, make_signal

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(make_user):
    professional = make_user(role=Role.PROFESSIONAL)
    district = district_with_members(professional)
    for _ in range(3):
        make_signal(reporter=professional, district=district, new_resident={"full_name": "Jan Jansen"})
    return professional, district


def test_a_restored_backup_has_the_same_rows_and_checksums(data, tmp_path):
    professional, district = data
    before = manifest()
    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "nightly"), stdout=out)
    assert "Backup written" in out.getvalue()
    saved = json.loads((tmp_path / "nightly.json").read_text())["tables"]
    assert saved == before and saved["signalering_signal"]["rows"] == 3

    make_signal(reporter=professional, district=district)  # after the backup: gone after the restore
    assert manifest() != before
    call_command("restore", str(tmp_path / "nightly.dump"), yes=True, stdout=out)
    assert "counts and checksums equal" in out.getvalue()
    assert manifest() == before
    assert Signal.objects.count() == 3
    assert verify_chain() == (AccessLog.objects.count(), None)  # the access log's chain survives
    assert Signal.objects.first().resident.full_name == "Jan Jansen"  # encrypted fields still decrypt


def test_a_restore_that_does_not_match_its_manifest_fails(data, tmp_path):
    call_command("backup", output=str(tmp_path / "b"), stdout=io.StringIO())
    manifest_file = tmp_path / "b.json"
    tables = json.loads(manifest_file.read_text())
    tables["tables"]["signalering_signal"]["rows"] += 1
    manifest_file.write_text(json.dumps(tables))
    with pytest.raises(CommandError, match="differs from the backup"):
        call_command("restore", str(tmp_path / "b.dump"), yes=True, stdout=io.StringIO())


def test_restore_asks_first_and_needs_the_manifest(data, tmp_path, monkeypatch):
    with pytest.raises(CommandError, match="manifest"):
        call_command("restore", str(tmp_path / "missing.dump"), yes=True)
    call_command("backup", output=str(tmp_path / "c"), stdout=io.StringIO())
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing restored"):
        call_command("restore", str(tmp_path / "c.dump"))
