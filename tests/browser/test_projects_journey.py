"""Calls for projects: a municipality submits, the programme team asks for more, the
submitter completes it, two reviewers score it (one stands aside from another submission),
the team admits it, the submitter reads the whole dated history and finds the pilot."""

import re
from pathlib import Path

from django.core import mail

from bouwplaats.programmes.models import GovernanceBody
from bouwplaats.projects import services
from bouwplaats.projects.models import Attachment, Submission
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    PlannerFactory,
    ProgrammeFactory,
    UserFactory,
)
from tests.projects.helpers import answers_for, make_call
from tests.spaces.files import EXE, pdf_bytes

from .conftest import login


def log_out(site):
    site.get_by_role("button", name="Uitloggen").click()
    site.page.wait_for_load_state("domcontentloaded")


def take_step(site, url, status, reason):
    site.goto(url)
    site.get_by_label("Nieuwe status").select_option(label=status)
    site.get_by_label("Reden").fill(reason)
    site.get_by_role("button", name="Status wijzigen").click()
    site.check()
    assert "De status is gewijzigd" in site.locator("main").inner_text()


def choose_file(site, name: str, content: bytes) -> None:
    """Choose a file (sent as a PDF, whatever it holds) in the form's attachment field."""
    site.get_by_label("Bijlage toevoegen").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": content}]
    )


def test_submit_incomplete_complete_admit_with_history(site, db):

    programme = ProgrammeFactory(
        name="Intensiveringsprogramma Binnenstedelijke Gebiedstransformaties", slug="ipbg"
    )
    call = make_call(programme)
    team = MembershipFactory(
        programme=programme,
        user=UserFactory(full_name="Petra Programmateam", email="petra@platform31.example"),
    ).user
    planner = PlannerFactory(
        full_name="Jan Pluim",
        email="jan@deventer.example",
        organisation=OrganisationFactory(name="Gemeente Deventer", kind="gemeente"),
    )
    second = MembershipFactory(
        programme=programme,
        user=UserFactory(full_name="Karel Beoordelaar", email="karel@platform31.example"),
    ).user
    services.call_set_reviewers(call=call, reviewers=[team, second])
    # Another municipality's project, where Petra has a conflict of interest.
    ede = PlannerFactory(organisation=OrganisationFactory(name="Gemeente Ede", kind="gemeente"))
    other = services.submission_create(
        actor=ede, call=call, organisation=ede.organisation, title="Kazerneterrein Ede",
        answers=answers_for(call),
    )  # fmt: skip

    # The programme page shows how the programme is steered (seed 002).
    GovernanceBody.objects.create(
        programme=programme, kind="stuurgroep", name="Stuurgroep", cadence="Maandelijks",
        description="De dagelijkse aansturing vindt plaats vanuit een **stuurgroep**.",
    )  # fmt: skip
    site.goto(programme.get_absolute_url())
    governance = site.locator("#governance").locator("xpath=..").inner_text()
    assert "Aansturing en uitvoering" in governance and "Maandelijks" in governance

    # The planner finds the open call and submits, first forgetting the required question.
    login(site, planner.email, PASSWORD)
    site.goto("/oproepen/")
    site.get_by_role("link", name="Meedoen met uw project?").click()
    site.check()
    site.get_by_role("link", name="Project aanmelden").click()
    site.check()
    site.get_by_label("Titel van uw project of case").fill("Transformatie Havenkwartier")
    site.get_by_label("Samenvatting").fill("Van bedrijventerrein naar woon-werkwijk.")
    site.get_by_role("button", name="Indienen").click()
    site.check()
    assert "Beantwoord deze verplichte vraag" in site.locator("main").inner_text()
    assert not Submission.objects.filter(submitted_by=planner).exists()
    site.get_by_label(re.compile("Wat wilt u versnellen")).fill("De eerste woningen in 2027.")
    site.get_by_label("Mijlpalen die uw project belooft").fill(
        "1-6-2027 Eerste woningen opgeleverd\n15-3-2028 Tweede fase gegund"
    )
    site.get_by_role("button", name="Indienen").click()
    site.check()
    main = site.locator("main").inner_text()
    assert "Uw aanmelding is ingediend" in main and "Status: Ingediend" in main
    submission = Submission.objects.get(title="Transformatie Havenkwartier")
    url = submission.get_absolute_url()
    log_out(site)

    # The programme team finds it incomplete.
    login(site, team.email, PASSWORD)
    take_step(site, url, "Onvolledig", "De begroting ontbreekt.")
    log_out(site)

    # The submitter reads why, completes it within the hersteltermijn and submits it again.
    login(site, planner.email, PASSWORD)
    site.goto(url)
    main = site.locator("main").inner_text()
    assert "Status: Onvolledig" in main and "hersteltermijn" in main
    assert "De begroting ontbreekt." in main and "Petra Programmateam" in main
    site.get_by_role("link", name="Aanvullen").click()
    site.check()
    site.get_by_label("Samenvatting").fill("Met begroting: 12 miljoen euro.")
    # First a program named like a PDF: refused beside the field, nothing stored.
    choose_file(site, "Begroting.pdf", EXE)
    site.get_by_role("button", name="Aangevuld indienen").click()
    site.check()
    field = site.locator(".bp-field--invalid").inner_text()
    assert "Dit soort bestand kan hier niet worden geplaatst" in field
    assert not Attachment.objects.exists()
    assert Submission.objects.get(pk=submission.pk).status == "onvolledig"
    # Then the real budget.
    choose_file(site, "Begroting Havenkwartier.pdf", pdf_bytes())
    site.get_by_role("button", name="Aangevuld indienen").click()
    site.check()
    main = site.locator("main").inner_text()
    assert "Status: Ingediend" in main and "Begroting Havenkwartier.pdf" in main
    log_out(site)

    # Petra, on the programme team, edits the programme page herself (no admin).
    login(site, team.email, PASSWORD)
    site.goto(programme.get_absolute_url())
    site.get_by_role("link", name="Programmapagina wijzigen").click()
    site.check()
    site.get_by_label("Looptijd").fill("Vier jaar, met een evaluatie in het vierde jaar")
    site.get_by_role("button", name="Opslaan").click()
    site.check()
    assert "De programmapagina is bijgewerkt" in site.locator("main").inner_text()

    # Petra opens the budget the planner attached; it comes as a download.
    site.goto(url)
    with site.page.expect_download() as download:
        site.get_by_role("link", name="Begroting Havenkwartier.pdf", exact=True).click()
    assert download.value.suggested_filename == "Begroting Havenkwartier.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    # She attaches an explanation to the call; everyone who sees the call finds it there.
    site.goto(f"/oproepen/{call.pk}/wijzigen/")
    choose_file(site, "Toelichting bij de oproep.pdf", pdf_bytes())
    site.get_by_role("button", name="Oproep opslaan").click()
    site.check()
    listed = site.locator("table[data-attachments]").inner_text()
    assert "Toelichting bij de oproep.pdf" in listed and "PDF" in listed
    # And removes it again after confirming.
    site.get_by_role("link", name="Verwijderen Toelichting bij de oproep.pdf").click()
    site.check()
    assert "Bijlage verwijderen?" in site.locator("h1").inner_text()
    site.get_by_role("button", name="Ja, verwijder de bijlage").click()
    site.check()
    assert "is verwijderd" in site.locator("main").inner_text()
    assert list(Attachment.objects.values_list("name", flat=True)) == [
        "Begroting Havenkwartier.pdf"
    ]

    # Petra stands aside from Ede's project in one click; she no longer sees it.
    site.goto(other.get_absolute_url())
    site.get_by_role("button", name="Belangenverstrengeling melden").click()
    site.check()
    assert "Belangenverstrengeling gemeld" in site.locator("main").inner_text()
    assert "Kazerneterrein Ede" not in site.locator("main table").last.inner_text()
    assert site.goto(other.get_absolute_url()).status == 404

    # The team takes it into review from the review queue; the two reviewers score it.
    site.goto(call.get_absolute_url())
    site.get_by_role("link", name="Naar de beoordelingslijst").click()
    site.check()
    assert "Kazerneterrein Ede" not in site.locator("main").inner_text()
    site.get_by_role("link", name=re.compile("Volgende om te beoordelen")).click()
    site.check()
    assert site.page.url.endswith(url)
    take_step(site, url, "In behandeling", "Volledig; de beoordeling is gestart.")
    assert "ziet u nadat u zelf heeft gescoord" in site.locator("main").inner_text()
    site.get_by_label("Versnellen (weging 3)").select_option("5")
    site.get_by_label("Leerwaarde (weging 2)").select_option("3")
    site.get_by_role("button", name="Beoordeling opslaan").click()
    site.check()
    log_out(site)
    login(site, second.email, PASSWORD)
    site.goto(url)
    assert "Mediaan" not in site.locator("main").inner_text()
    site.get_by_label("Versnellen (weging 3)").select_option("2")
    site.get_by_label("Leerwaarde (weging 2)").select_option("3")
    site.get_by_role("button", name="Beoordeling opslaan").click()
    site.check()
    total = site.locator('tr[data-criterion="total"]').inner_text().split()
    # Weighted totals 4.2 and 2.4: median 3.3, spread 1.8, two reviews.
    assert total[-3:] == ["3,3", "1,8", "2"] or total[-3:] == ["3.3", "1.8", "2"]
    take_step(site, url, "Toegelaten", "Past goed bij versnellen en opschalen.")
    log_out(site)

    # The submitter sees the whole dated history.
    login(site, planner.email, PASSWORD)
    site.goto(url)
    items = site.locator("ol.bp-history li").all_inner_texts()
    assert [re.search(r": (\w[\w ]*)\n", item).group(1) for item in items] == [
        "Ingediend",
        "Onvolledig",
        "Ingediend",
        "In behandeling",
        "Toegelaten",
    ]
    # One Dutch date format with its weekday: "dinsdag 1 december 2026, 09:30".
    assert all(re.match(r"\w+dag \d{1,2} \w+ 20\d\d, \d\d:\d\d", item) for item in items)
    assert "Past goed bij versnellen en opschalen." in items[-1]
    assert site.locator("ol.bp-history time").count() == 5
    assert "Status: Toegelaten" in site.locator("main").inner_text()
    # The admitted project is a pilot carrying the milestones it promised.
    site.get_by_role("link", name=re.compile("Naar de pilot")).click()
    site.check()
    rows = site.locator("table tbody tr").all_inner_texts()
    assert "Eerste woningen opgeleverd" in rows[0] and rows[0].count("1 juni 2027") == 2
    assert "Tweede fase gegund" in rows[1]
    # The pilot's team files its first progress report.
    site.get_by_label("Status", exact=True).select_option(label="Risico")
    site.get_by_label("Waarom deze status").fill("De omgevingsvergunning loopt vertraging op.")
    site.get_by_role("button", name="Rapportage opslaan").click()
    site.check()
    progress = site.locator("#progress").locator("xpath=..").inner_text()
    assert "Risico" in progress and "De omgevingsvergunning loopt vertraging op." in progress
    # Every step was mailed to the submitter.
    subjects = [m.subject for m in mail.outbox if m.to == [f"Jan Pluim <{planner.email}>"]]
    assert [s.rsplit(": ", 1)[-1] for s in subjects] == [
        "ingediend", "onvolledig", "ingediend", "in behandeling", "toegelaten",
    ]  # fmt: skip
