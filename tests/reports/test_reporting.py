"""The municipality's quarterly report: one per quarter, generated and resumed by Celery, three files without
personal data and with small counts suppressed, a schedule on the first working day, pages per role."""

import csv
import datetime
import io
import subprocess
import threading
import time
import zipfile
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from PIL import Image, ImageStat
from pypdf import PdfReader

from meedoen.accounts.models import Role
from meedoen.notifications.models import Notification
from meedoen.reports import report_files, reporting, tasks
from meedoen.reports.figures import DEFINITIONS, SUPPRESSED, Period, all_figures
from meedoen.reports.models import QuarterlyReport
from signalering import services
from signalering.models import ConcernCategory
from tests.factories.signalering import district_with_members, make_meeting, make_signal
from tests.factories.zelfregie import make_location, make_session

Status = QuarterlyReport.Status
RESIDENT = {"full_name": "Hendrika Verborgen", "postcode": "2312 QX", "house_number": "77", "phone": "0612398765"}


def at(day: str, hour: int = 10):
    return time_machine.travel(timezone.make_aware(datetime.datetime.fromisoformat(day).replace(hour=hour)), tick=False)


@pytest.fixture
def no_broker(monkeypatch):
    """Record the reports sent to Celery instead of sending them (no worker runs in these tests)."""
    sent: list[int] = []
    monkeypatch.setattr(tasks.generate_report, "delay", sent.append)
    return sent


@pytest.fixture
def municipality(make_user):
    return make_user(role=Role.MUNICIPALITY, first_name="Marieke", last_name="Gemeentelijk", username="marieke")


@pytest.fixture
def world(make_user):
    """Q1 2026: nine signals reported and closed (six to care, three with no action needed), one about a resident
    with a name and address; a meeting place with 7 visits in week 10 and 3 in week 11."""
    professional = make_user(role=Role.PROFESSIONAL, first_name="Priscilla", last_name="Veldwerker")
    chair = make_user(role=Role.CHAIR, first_name="Chris", last_name="Voorzitter")
    host = make_user(role=Role.HOST)
    district = district_with_members(professional, chairs=[chair])
    with at("2026-01-05"):
        signals = [make_signal(reporter=professional, district=district, new_resident=RESIDENT)]
        signals += [make_signal(reporter=professional, district=district) for _ in range(8)]
    with at("2026-01-13"):
        meeting = make_meeting(district, days_ahead=0)
        for index, signal in enumerate(signals):
            services.discussion_save(
                meeting=meeting,
                signal=signal,
                user=chair,
                expected_version=None,
                notes="Bewoner Hendrika Verborgen besproken",
                decision="",
                status="closed",
                outcome="care" if index < 6 else "no_action",
            )
    place = make_location(district=district, hosts=[host], name="Huis van de Buurt Testplek")
    make_session(place, day=datetime.date(2026, 3, 2), visitors=7, new_visitors=2)
    make_session(place, day=datetime.date(2026, 3, 10), visitors=3)
    return {"professional": professional, "chair": chair, "host": host, "signals": signals}


def request_and_generate(user, year=2026, quarter=1) -> QuarterlyReport:
    report, _created = reporting.report_request(year=year, quarter=quarter, user=user)
    assert reporting.report_generate(report_id=report.pk) is True
    return QuarterlyReport.objects.get(pk=report.pk)


# --- requesting: one report per quarter ---------------------------------------------------------------------------


def test_a_request_makes_a_queued_report_and_sends_it_to_celery(
    municipality, no_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report, created = reporting.report_request(year=2026, quarter=1, user=municipality)
    assert created and report.status == Status.QUEUED and report.requested_by == municipality
    assert no_broker == [report.pk]


def test_asking_again_gives_the_same_report(municipality, make_user, no_broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = reporting.report_request(year=2026, quarter=1, user=municipality)
        again, created = reporting.report_request(year=2026, quarter=1, user=make_user(role=Role.PROJECT_LEADER))
    assert (again.pk, created) == (first.pk, False)
    assert again.requested_by == municipality
    assert no_broker == [first.pk]


@pytest.mark.parametrize(("year", "quarter"), [(2026, 4), (2027, 1), (2026, 5), (1999, 4)])
def test_only_a_quarter_that_has_ended_can_be_requested(municipality, year, quarter):
    with at("2026-11-23"), pytest.raises(reporting.ValidationError):
        reporting.report_request(year=year, quarter=quarter, user=municipality)
    assert not QuarterlyReport.objects.exists()


def test_a_failed_report_starts_afresh_for_whoever_asks_again(
    municipality, make_user, no_broker, django_capture_on_commit_callbacks
):
    report, _ = reporting.report_request(year=2026, quarter=1, user=make_user(role=Role.PROJECT_LEADER))
    QuarterlyReport.objects.filter(pk=report.pk).update(status=Status.FAILED, progress=55, csv=b"x", error="Boom")
    with django_capture_on_commit_callbacks(execute=True):
        again, created = reporting.report_request(year=2026, quarter=1, user=municipality)
    assert (again.pk, created) == (report.pk, False)
    assert (again.status, again.progress, again.error, again.requested_by) == (Status.QUEUED, 0, "", municipality)
    assert QuarterlyReport.objects.get(pk=report.pk).csv is None
    assert no_broker == [report.pk]


@pytest.mark.django_db(transaction=True)
def test_the_same_quarter_requested_at_once_makes_one_report(make_user, no_broker):
    users = [make_user(role=Role.MUNICIPALITY) for _ in range(8)]
    barrier = threading.Barrier(len(users))
    results, errors = [], []

    def request(user):
        try:
            barrier.wait()
            results.append(reporting.report_request(year=2026, quarter=2, user=user))
        except BaseException as error:  # reported by the test, whatever it is
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert QuarterlyReport.objects.count() == 1
    assert sorted(created for _report, created in results) == [False] * 7 + [True]
    assert {report.pk for report, _created in results} == {QuarterlyReport.objects.get().pk}
    assert no_broker == [QuarterlyReport.objects.get().pk]  # sent to Celery once


# --- generating -------------------------------------------------------------------------------------------------


def test_generating_makes_three_files_and_tells_the_requester(world, municipality):
    report = request_and_generate(municipality)
    assert (report.status, report.progress, report.claimed_at) == (Status.DONE, 100, None)
    assert report.csv and report.xlsx and report.pdf and report.finished_at
    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind) == (municipality, "quarterly_report_ready")
    assert notice.url == reverse("reports:quarterly_detail", args=[report.pk])


def test_the_files_show_the_suppressed_figures(world, municipality):
    report = request_and_generate(municipality)
    figures = report.figures
    # Nine closed: six to care and three with no action. The three are hidden, and the six with them, or the
    # three would follow from the total of nine.
    outcome = {row["key"]: row["count"] for row in figures["signals"]["by_outcome"]}
    assert outcome["no_action"] == SUPPRESSED and outcome["care"] == SUPPRESSED
    assert figures["signals"]["closed"] == 9 and figures["signals"]["new"] == 9
    assert figures["zelfregie"]["visitors"] == 10 and figures["zelfregie"]["new_visitors"] == SUPPRESSED
    assert figures["brigade"]["requests"] == 0  # zero is not a small count

    # CSV: one line per figure and per part; numbers plain, small counts "<5".
    with translation.override("nl"):
        header = [
            translation.gettext(word) for word in ("year", "quarter", "pillar", "code", "figure", "part", "value")
        ]
    raw = bytes(report.csv)
    assert raw.startswith(b"\xef\xbb\xbf")  # for Dutch Excel, like the list exports
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert lines[0] == header
    values = {(line[3], line[5]): line[6] for line in lines[1:]}
    assert values[("signals.closed", "")] == "9"
    assert values[("zelfregie.new_visitors", "")] == "<5"
    outcome_labels = {line[5]: line[6] for line in lines[1:] if line[3] == "signals.by_outcome"}
    assert sorted(outcome_labels.values()) == ["0", "0", "0", "0", "<5", "<5"]
    assert values[("signals.median_working_days_to_first_discussion", "")] == "6"
    assert {line[0] for line in lines[1:]} == {"2026"} and {line[1] for line in lines[1:]} == {"1"}
    assert {line[3] for line in lines[1:]} == {f"{pillar}.{name}" for pillar, v in figures.items() for name in v}

    # XLSX: a sheet per pillar and one with the definitions; "<5" where small.
    workbook = load_workbook(io.BytesIO(bytes(report.xlsx)), read_only=True)
    with translation.override("nl"):
        pillars = [str(report_files.PILLARS[key]) for key in ("signals", "brigade", "zelfregie", "path")]
        definitions = translation.gettext("Definitions")
    assert workbook.sheetnames == [*pillars, definitions]
    rows = list(workbook[pillars[0]].iter_rows(min_row=4, values_only=True))
    with translation.override("nl"):
        by_outcome = str(report_files.LABELS["signals.by_outcome"])
        closed = str(report_files.LABELS["signals.closed"])
    assert sorted(str(value) for label, _part, value in rows if label == by_outcome) == sorted(outcome_labels.values())
    assert [value for label, _part, value in rows if label == closed] == [9]
    zelfregie = list(workbook[pillars[2]].iter_rows(min_row=4, values_only=True))
    assert SUPPRESSED in [value for _label, _part, value in zelfregie]
    definition_rows = list(workbook[definitions].iter_rows(min_row=5, values_only=True))
    assert len(definition_rows) == len(DEFINITIONS)
    assert all(text for _pillar, _label, text in definition_rows)

    # PDF: every pillar, the "<5", the definitions.
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(report.pdf))).pages)
    for pillar in pillars:
        assert pillar in text
    assert "<5" in text
    with translation.override("nl"):
        assert str(DEFINITIONS["signals.by_outcome"]) in " ".join(text.split())


def test_the_pdf_is_not_blank(world, municipality, tmp_path):
    report = request_and_generate(municipality)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(bytes(report.pdf))
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2
    for page in pages:
        image = Image.open(page).convert("L")
        inked = sum(count for level, count in enumerate(image.histogram()) if level < 200)
        assert inked / (image.width * image.height) > 0.01, f"{page.name} is (nearly) blank"
        assert ImageStat.Stat(image).stddev[0] > 10


def test_no_personal_data_in_any_file(world, municipality):
    report = request_and_generate(municipality)
    resident = world["signals"][0].resident
    xlsx = zipfile.ZipFile(io.BytesIO(bytes(report.xlsx)))
    texts = {
        "csv": bytes(report.csv).decode(),
        "xlsx": " ".join(xlsx.read(name).decode() for name in xlsx.namelist() if name.endswith(".xml")),
        "pdf": " ".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(report.pdf))).pages),
    }
    users = [municipality, world["professional"], world["chair"], world["host"]]
    personal = [*RESIDENT.values(), "Verborgen", resident.pseudonym, *(signal.number for signal in world["signals"])]
    personal += [value for user in users for value in (user.last_name, user.username, user.email)]
    for fmt, text in texts.items():
        for value in personal:
            assert value not in text, f"{value!r} in the {fmt}"


def test_names_from_the_data_cannot_become_formulas(world, municipality):
    ConcernCategory.objects.filter(name="Sociaal isolement").update(name="=HYPERLINK(1)")
    report = request_and_generate(municipality)
    lines = bytes(report.csv).decode("utf-8-sig").splitlines()
    assert any(";'=HYPERLINK(1);" in line for line in lines)
    sheet = load_workbook(io.BytesIO(bytes(report.xlsx))).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == "=HYPERLINK(1)"]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_every_figure_has_a_name_and_a_definition(db):
    figures = all_figures(Period.quarter(2026, 1))
    keys = {f"{pillar}.{name}" for pillar, values in figures.items() for name in values}
    assert keys == set(report_files.LABELS) == set(DEFINITIONS)
    assert set(figures) == set(report_files.PILLARS)


def test_a_second_run_of_a_done_report_does_nothing(world, municipality):
    report = request_and_generate(municipality)
    with mock.patch.object(reporting, "all_figures") as figures:
        assert reporting.report_generate(report_id=report.pk) is False
    figures.assert_not_called()
    again = QuarterlyReport.objects.get(pk=report.pk)
    assert (again.finished_at, again.attempts, bytes(again.pdf)) == (report.finished_at, 1, bytes(report.pdf))
    assert Notification.objects.count() == 1


def test_a_run_that_crashed_half_way_is_finished_by_the_next_run(world, municipality):
    report, _ = reporting.report_request(year=2026, quarter=1, user=municipality)
    with (
        mock.patch.object(report_files, "build_pdf", side_effect=MemoryError("the worker ran out")),
        pytest.raises(MemoryError),
    ):
        reporting.report_generate(report_id=report.pk)
    crashed = QuarterlyReport.objects.get(pk=report.pk)
    assert (crashed.status, crashed.progress, crashed.claimed_at) == (Status.RUNNING, 70, None)
    assert crashed.figures and crashed.csv and crashed.xlsx and crashed.pdf is None
    assert "MemoryError" in crashed.error
    assert not Notification.objects.exists()

    # The rerun keeps the figures and files it has and makes only the PDF.
    with (
        mock.patch.object(reporting, "all_figures", side_effect=AssertionError("figures taken again")),
        mock.patch.object(report_files, "build_csv", side_effect=AssertionError("CSV made again")),
    ):
        assert reporting.report_generate(report_id=report.pk) is True
    done = QuarterlyReport.objects.get(pk=report.pk)
    assert (done.status, done.progress, done.attempts, done.error) == (Status.DONE, 100, 2, "")
    assert bytes(done.csv) == bytes(crashed.csv) and done.figures == crashed.figures and done.pdf
    assert Notification.objects.count() == 1


def test_a_report_being_made_is_left_to_its_worker_until_the_claim_expires(world, municipality):
    report, _ = reporting.report_request(year=2026, quarter=1, user=municipality)
    claimed_at = timezone.now()
    QuarterlyReport.objects.filter(pk=report.pk).update(status=Status.RUNNING, claimed_at=claimed_at, attempts=1)
    assert reporting.report_generate(report_id=report.pk) is False  # another worker is busy with it
    with time_machine.travel(claimed_at + reporting.CLAIM_TIMEOUT + datetime.timedelta(seconds=1)):
        assert reporting.report_generate(report_id=report.pk) is True  # that worker died: this one takes over
    assert QuarterlyReport.objects.get(pk=report.pk).status == Status.DONE


def test_a_worker_whose_claim_was_taken_over_stops_without_writing(world, municipality):
    report, _ = reporting.report_request(year=2026, quarter=1, user=municipality)

    def taken_over(document):
        QuarterlyReport.objects.filter(pk=report.pk).update(claimed_at=timezone.now() + datetime.timedelta(1))
        return b"csv"

    with mock.patch.object(report_files, "build_csv", side_effect=taken_over):
        assert reporting.report_generate(report_id=report.pk) is False
    assert QuarterlyReport.objects.get(pk=report.pk).csv is None


def test_the_sweep_sends_lost_and_stalled_reports_again_and_gives_up_on_endless_crashes(
    municipality, no_broker, django_capture_on_commit_callbacks
):
    now = timezone.now()
    lost = QuarterlyReport.objects.create(year=2025, quarter=1, created_at=now - datetime.timedelta(minutes=6))
    fresh = QuarterlyReport.objects.create(year=2025, quarter=2, created_at=now - datetime.timedelta(minutes=1))
    stalled = QuarterlyReport.objects.create(
        year=2025, quarter=3, status=Status.RUNNING, claimed_at=now - datetime.timedelta(minutes=16), attempts=1
    )
    busy = QuarterlyReport.objects.create(year=2025, quarter=4, status=Status.RUNNING, claimed_at=now, attempts=1)
    hopeless = QuarterlyReport.objects.create(
        year=2024,
        quarter=4,
        status=Status.RUNNING,
        claimed_at=now - datetime.timedelta(hours=1),
        attempts=reporting.MAX_ATTEMPTS,
        requested_by=municipality,
    )
    QuarterlyReport.objects.create(year=2024, quarter=3, status=Status.DONE, created_at=now - datetime.timedelta(1))
    with django_capture_on_commit_callbacks(execute=True):
        assert sorted(reporting.reports_resume(now=now)) == sorted([lost.pk, stalled.pk])
    assert sorted(no_broker) == sorted([lost.pk, stalled.pk])
    assert QuarterlyReport.objects.get(pk=hopeless.pk).status == Status.FAILED
    assert Notification.objects.get().kind == "quarterly_report_failed"
    assert {fresh.pk, busy.pk}.isdisjoint(no_broker)


# --- Celery tasks ----------------------------------------------------------------------------------------------


def test_the_task_run_twice_makes_the_report_once(world, municipality):
    report, _ = reporting.report_request(year=2026, quarter=1, user=municipality)
    assert tasks.generate_report.apply(args=[report.pk]).get() is True
    assert tasks.generate_report.apply(args=[report.pk]).get() is False
    report = QuarterlyReport.objects.get(pk=report.pk)
    assert (report.status, report.attempts) == (Status.DONE, 1)
    assert Notification.objects.count() == 1


def test_the_task_retries_and_marks_the_report_failed_at_last(world, municipality):
    report, _ = reporting.report_request(year=2026, quarter=1, user=municipality)
    with mock.patch.object(report_files, "build_xlsx", side_effect=RuntimeError("disk full")) as build:
        result = tasks.generate_report.apply(args=[report.pk])
    assert result.failed()
    assert build.call_count == tasks.MAX_RETRIES + 1
    report = QuarterlyReport.objects.get(pk=report.pk)
    assert (report.status, report.attempts) == (Status.FAILED, tasks.MAX_RETRIES + 1)
    assert "disk full" in report.error
    assert Notification.objects.get().kind == "quarterly_report_failed"


def test_the_tasks_are_configured_for_safe_retries():
    task = tasks.generate_report
    assert task.acks_late and task.max_retries == tasks.MAX_RETRIES
    assert task.soft_time_limit < task.time_limit < reporting.CLAIM_TIMEOUT.total_seconds()
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {tasks.schedule_last_quarter.name, tasks.resume_reports.name} <= entries


# --- the schedule: the first working day of a quarter ------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2026-12-31", (2026, 3)),  # Q3's report was due in October: made up on any later day of Q4
        ("2027-01-01", None),  # New Year's Day: a holiday
        ("2027-01-02", None),  # Saturday
        ("2027-01-04", (2026, 4)),  # Monday: the first working day of 2027
        ("2026-04-01", (2026, 1)),  # a Wednesday
        ("2024-04-01", None),  # Easter Monday
        ("2024-04-02", (2024, 1)),
        ("2026-05-12", (2026, 1)),  # a missed first working day is made up later in the quarter
    ],
)
def test_last_quarters_report_is_made_on_the_first_working_day(db, today, expected, no_broker):
    with at(today, hour=6):
        new_id = tasks.schedule_last_quarter()
    if expected is None:
        assert new_id is None and not QuarterlyReport.objects.exists()
    else:
        report = QuarterlyReport.objects.get(pk=new_id)
        assert ((report.year, report.quarter), report.requested_by) == (expected, None)


def test_the_schedule_runs_daily_and_makes_the_report_once(db, municipality, no_broker):
    with at("2027-01-04", hour=6):
        first = tasks.schedule_last_quarter()
    with at("2027-01-04", hour=18):
        assert tasks.schedule_last_quarter() is None
    with at("2027-01-05", hour=6):
        assert tasks.schedule_last_quarter() is None
    assert list(QuarterlyReport.objects.values_list("pk", flat=True)) == [first]


def test_a_scheduled_report_is_announced_to_the_municipality(db, municipality, make_user, no_broker):
    other = make_user(role=Role.MUNICIPALITY)
    make_user(role=Role.PROJECT_LEADER)
    gone = make_user(role=Role.MUNICIPALITY)
    gone.is_active = False
    gone.save()
    with at("2027-01-04", hour=6):
        report = reporting.report_schedule()
        assert reporting.report_generate(report_id=report.pk) is True
    assert set(Notification.objects.values_list("recipient", flat=True)) == {municipality.pk, other.pk}


def test_the_schedule_leaves_a_report_that_someone_requested_alone(db, municipality, no_broker):
    with at("2027-01-01", hour=12):
        report, _ = reporting.report_request(year=2026, quarter=4, user=municipality)
        QuarterlyReport.objects.filter(pk=report.pk).update(status=Status.FAILED)
    with at("2027-01-04", hour=6):
        assert tasks.schedule_last_quarter() is None
    assert QuarterlyReport.objects.get().requested_by == municipality


# --- pages --------------------------------------------------------------------------------------------------------

REPORT_ROLES = [Role.MUNICIPALITY, Role.PROJECT_LEADER, Role.ADMIN]


@pytest.fixture
def done_report(world, municipality):
    return request_and_generate(municipality)


@pytest.mark.parametrize("role", REPORT_ROLES)
def test_reporting_roles_see_and_download_a_report(client, make_user, done_report, role):
    client.force_login(make_user(role=role))
    assert client.get(reverse("reports:quarterly")).status_code == 200
    page = client.get(reverse("reports:quarterly_detail", args=[done_report.pk]))
    assert page.status_code == 200
    assert client.get(reverse("reports:quarterly_progress", args=[done_report.pk])).status_code == 200
    for fmt, media_type in (("csv", "text/csv"), ("xlsx", "application/vnd.openxml"), ("pdf", "application/pdf")):
        url = reverse("reports:quarterly_download", args=[done_report.pk, fmt])
        assert url in page.content.decode()
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith(media_type)
        assert response.content == bytes(getattr(done_report, fmt))
        assert f'filename="meedoen-kwartaalrapportage-2026-K1.{fmt}"' in response["Content-Disposition"]


@pytest.mark.parametrize("role", sorted(set(Role.values) - set(REPORT_ROLES)))
def test_other_roles_are_refused_a_report(client, make_user, done_report, role):
    client.force_login(make_user(role=role))
    for name, args in (("quarterly_detail", [done_report.pk]), ("quarterly_download", [done_report.pk, "csv"])):
        assert client.get(reverse(f"reports:{name}", args=args)).status_code == 403


def test_a_report_not_ready_cannot_be_downloaded_and_its_page_polls(client, municipality, no_broker):
    report, _ = reporting.report_request(year=2026, quarter=1, user=municipality)
    QuarterlyReport.objects.filter(pk=report.pk).update(status=Status.RUNNING, progress=40)
    client.force_login(municipality)
    assert client.get(reverse("reports:quarterly_download", args=[report.pk, "pdf"])).status_code == 404
    page = client.get(reverse("reports:quarterly_detail", args=[report.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="40"' in page
    assert '<noscript><meta http-equiv="refresh"' in page  # without JavaScript the page reloads itself
    fragment = client.get(reverse("reports:quarterly_progress", args=[report.pk]), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()


def test_the_progress_fragment_stops_polling_when_the_report_is_done(client, municipality, done_report):
    client.force_login(municipality)
    url = reverse("reports:quarterly_progress", args=[done_report.pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment and 'value="100"' in fragment
    assert 'hx-swap-oob="innerHTML"' in fragment  # the ready message for screen readers
    page = client.get(reverse("reports:quarterly_detail", args=[done_report.pk])).content.decode()
    assert "hx-trigger" not in page and "http-equiv" not in page


def test_the_form_makes_a_report_and_leads_to_it(client, municipality, no_broker, django_capture_on_commit_callbacks):
    client.force_login(municipality)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:quarterly"), {"year": "2026", "quarter": "1"})
    report = QuarterlyReport.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:quarterly_detail", args=[report.pk])
    assert (report.year, report.quarter, report.requested_by) == (2026, 1, municipality)
    assert no_broker == [report.pk]
    again = client.post(reverse("reports:quarterly"), {"year": "2026", "quarter": "1"})
    assert again.url == response.url and QuarterlyReport.objects.count() == 1


def test_the_form_refuses_a_quarter_that_has_not_ended(client, municipality):
    client.force_login(municipality)
    with at("2026-11-23"):
        response = client.post(reverse("reports:quarterly"), {"year": "2026", "quarter": "4"})
    assert response.status_code == 400 and response.context["form"].errors
    assert not QuarterlyReport.objects.exists()


def test_the_form_offers_last_quarter(client, municipality):
    with at("2027-01-04"):
        client.force_login(municipality)
        form = client.get(reverse("reports:quarterly")).context["form"]
    assert (form["year"].value(), form["quarter"].value()) == (2026, 4)


def test_the_archive_shows_who_made_each_report_and_when(client, municipality, no_broker):
    report, _ = reporting.report_request(year=2025, quarter=4, user=municipality)
    QuarterlyReport.objects.create(year=2025, quarter=3, status=Status.DONE)
    client.force_login(municipality)
    page = client.get(reverse("reports:quarterly")).content.decode()
    assert "Marieke Gemeentelijk" in page
    with translation.override("nl"):
        assert translation.gettext("the schedule") in page
    assert reverse("reports:quarterly_detail", args=[report.pk]) in page


def test_the_archive_query_count_does_not_grow_with_reports(client, municipality, make_user):
    client.force_login(municipality)
    counts = []
    for total in (2, 12):
        while QuarterlyReport.objects.count() < total:
            number = QuarterlyReport.objects.count()
            QuarterlyReport.objects.create(
                year=2020 + number // 4,
                quarter=number % 4 + 1,
                status=Status.DONE,
                requested_by=make_user(role=Role.MUNICIPALITY),
                csv=b"x" * 100_000,
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("reports:quarterly")).status_code == 200
        counts.append(len(queries))
        assert not any('"csv"' in query["sql"] for query in queries.captured_queries)  # files stay in the database
    assert counts[0] == counts[1] <= 9, counts  # 9: one for the two-factor state of the session


def test_the_polled_fragment_is_cheap_and_leaves_the_files_in_the_database(client, municipality, done_report):
    client.force_login(municipality)
    url = reverse("reports:quarterly_progress", args=[done_report.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
    assert len(queries) <= 9, [query["sql"] for query in queries.captured_queries]  # most: session, user, 2FA state
    assert not any('"pdf"' in query["sql"] for query in queries.captured_queries)


def test_the_municipality_home_page_lists_the_latest_reports(client, municipality, done_report):
    client.force_login(municipality)
    page = client.get(reverse("home")).content.decode()
    assert reverse("reports:quarterly_detail", args=[done_report.pk]) in page
    assert reverse("reports:quarterly") in page


# --- end to end through the real broker -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_report_and_mails_the_requester(worker, world, municipality):
    report, created = reporting.report_request(year=2026, quarter=1, user=municipality)
    assert created
    deadline = time.monotonic() + 60
    while not Notification.objects.filter(recipient=municipality, emailed_at__isnull=False).exists():
        assert time.monotonic() < deadline, "the worker did not finish the report"
        time.sleep(0.2)
    report = QuarterlyReport.objects.get(pk=report.pk)
    assert report.status == Status.DONE and report.csv and report.xlsx and report.pdf
    assert [message.to for message in mail.outbox] == [[municipality.email]]
