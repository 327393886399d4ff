"""The subject-access export (AVG art. 15): everything held about one resident, as JSON and as PDF.

The resident's identifying fields (decrypted: it is their own data), every record the pillars keep about them (see
records.py), and the access log about them. From the access log the export gives when, which organisation and role,
what and the result, but not the staff member's name or address: the right of access covers the accesses, not the
identity of the employees (EU Court of Justice, C-579/21); the privacy officer can add it after weighing a request.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from meedoen.accounts.models import Role
from meedoen.privacy.models import AccessAction, AccessLog, AccessResult, Resident
from meedoen.privacy.records import Column, Section, Table, keepers, plain, shown

RESIDENT_FIELDS = (
    "pseudonym",
    "full_name",
    "date_of_birth",
    "street",
    "house_number",
    "postcode",
    "phone",
    "created_at",
    "anonymised_at",
)


@dataclass
class SubjectAccess:
    resident: Resident
    generated_at: object
    fields: list[tuple[str, str, object]]
    sections: list[Section] = field(default_factory=list)
    access_log: Table | None = None

    def shown_fields(self) -> list[tuple[str, str]]:
        return [(label, shown(value)) for _key, label, value in self.fields]

    def as_json(self) -> dict:
        return {
            "generated_at": plain(self.generated_at),
            "resident": {key: plain(value) for key, _label, value in self.fields},
            "records": {section.key: section.as_json() for section in self.sections},
            "access_log": self.access_log.as_json() if self.access_log else [],
        }

    def logged_objects(self) -> list[tuple[str, object]]:
        """(object type, id) of every record in the export, for the access log."""
        objects: list[tuple[str, object]] = [("resident", self.resident.pk)]
        for section in self.sections:
            objects += [record.ref for record in section.records]
        return objects


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _access_log(resident: Resident) -> Table:
    entries = AccessLog.objects.filter(resident=resident).order_by("at", "id")
    return Table(
        key="access_log",
        title=_("Who saw or changed this data"),
        columns=[
            Column("at", _("When")),
            Column("organisation", _("Organisation")),
            Column("role", _("Role")),
            Column("object", _("Object")),
            Column("action", _("Action")),
            Column("result", _("Result")),
        ],
        rows=[
            [
                entry.at,
                entry.organisation or _("Meedoen (automatic)"),
                _label(Role, entry.role) if entry.role else "",
                f"{entry.object_type} {entry.object_id}".strip(),
                _label(AccessAction, entry.action),
                _label(AccessResult, entry.result),
            ]
            for entry in entries.iterator(chunk_size=2000)
        ],
    )


def subject_access(*, resident: Resident) -> SubjectAccess:
    """Everything about `resident`. The caller checks who asks (residents_for) and logs the export."""
    fields = [
        (name, capfirst(Resident._meta.get_field(name).verbose_name), getattr(resident, name))
        for name in RESIDENT_FIELDS
    ]
    sections = []
    for keeper in keepers():
        sections += keeper.export(resident=resident)
    return SubjectAccess(
        resident=resident,
        generated_at=timezone.now(),
        fields=fields,
        sections=sections,
        access_log=_access_log(resident),
    )
