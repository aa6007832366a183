"""Demo calls from seed 002: the Intensiveringsprogramma's "Meedoen met uw project?"."""

import datetime

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify

from bouwplaats.accounts.demo import DEMO_PASSWORD, approve
from bouwplaats.accounts.models import Organisation, User
from bouwplaats.core.uploads import check_document, store_with_file
from bouwplaats.programmes.models import Programme, ProgrammeMembership

from . import services
from .models import (
    Attachment,
    Call,
    CallCriterion,
    CallQuestion,
    MilestoneReplan,
    Pilot,
    PilotMilestone,
    ProgressReport,
    Submission,
    SubmissionAnswer,
    SubmissionMilestone,
    SubmissionStep,
    SupportRequest,
)

PROGRAMME = "Intensiveringsprogramma Binnenstedelijke Gebiedstransformaties"

# The call in the seed's own words (002: "Meedoen met uw project?", Activiteiten,
# Aansturing en uitvoering, Planning en looptijd).
CALL_TITLE = "Meedoen met uw project?"
CALL_TEXT = """\
Deelname aan het programma levert u nieuwe kennis, ervaring en een verbreding van uw netwerk \
op. U kunt uw eigen project of cases inbrengen om samen met anderen mee aan de slag te gaan.

Het intensiveringsprogramma is gericht op de uitvoering van concrete binnenstedelijke \
transformatieprojecten. Het gaat om **versnellen, opschalen en verbeteren**. Instrumenten \
daarbij zijn onder andere communicatie, kennisontwikkeling, kennisdeling, begeleiding, \
advisering en bemiddeling.

Voor concrete transformatieprojecten binnen het programma wordt op afroep en naar behoefte \
begeleiding en advisering beschikbaar gesteld, en waar nuttig bemiddeling richting de \
ministeries.

Daarnaast verwachten we van de deelnemende gemeenten, marktpartijen en andere betrokkenen bij \
de pilotprojecten dat hun eigen medewerkers een bijdrage leveren aan de benodigde activiteiten \
(capaciteit en zo mogelijk ook faciliteiten).

In oktober vindt een oproep plaats aan gemeenten, provincies, marktpartijen om \
transformatieprojecten aan te melden en om toe te treden tot het intensiveringsprogramma.
"""
KINDS = [Organisation.Kind.GEMEENTE, Organisation.Kind.PROVINCIE, Organisation.Kind.MARKTPARTIJ]
QUESTIONS = [
    ("Wat wilt u met uw project versnellen, opschalen of verbeteren?", True),
    ("Welke capaciteit en faciliteiten brengen uw eigen medewerkers in?", True),
    ("Welke begeleiding, advisering of bemiddeling richting de ministeries zoekt u?", False),
]
CRITERIA = [
    ("Versnellen, opschalen en verbeteren", 3),
    ("Leerwaarde: kennis opbouwen, uitwisselen en verankeren in onderwijs en opleidingen", 2),
    ("Eigen bijdrage in capaciteit en faciliteiten", 1),
]

TEAM = ("programmateam@demo.bouwplaats.nl", "Programmateam Platform31", "Programmasecretaris")
SUBMITTER = "jan.pluim@demo.bouwplaats.nl"  # Gemeente Deventer (a verified member, accounts demo)
SUBMISSION = {
    "title": "Transformatie Havenkwartier Deventer",
    "summary": "Een voormalig bedrijventerrein aan de IJssel wordt een gemengde woon-werkwijk. "
    "We willen de transformatie versnellen en de lessen delen met andere gemeenten.",
    "answers": [
        "Versnellen: de eerste woningen binnen twee jaar; opschalen naar de naastgelegen kavels.",
        "Twee projectleiders voor een dag per week, en vergaderruimte in het stadhuis.",
        "Advisering over de financiële haalbaarheid van de tweede fase.",
    ],
}


# An admitted one, followed as a pilot: Gemeente Losser (Robert Middelhuis, accounts demo).
PILOT_SUBMITTER = "robert.middelhuis@demo.bouwplaats.nl"
PILOT = {
    "title": "Dorpskern Losser: wonen boven winkels",
    "summary": "Leegstaande winkelpanden in de dorpskern worden woningen; de gemeente zoekt "
    "samen met eigenaren en een woningcorporatie naar een aanpak die opschaalt.",
    "answers": [
        "Opschalen: van drie panden naar de hele winkelstraat.",
        "Een projectleider voor twee dagen per week.",
        "Bemiddeling richting de ministeries over de regels voor functiewijziging.",
    ],
    # (status, reason, days before today): a pilot that reports on its rhythm (91 days).
    "reports": [
        ("op_koers", "De eigenaren van de eerste drie panden zijn akkoord.", 110),
        ("risico", "De omgevingsvergunning voor de eerste woningen loopt vertraging op.", 18),
    ],
    # (title, originally planned, current, re-plans, why, status); dates in days from today.
    "milestones": [
        ("Eigenaren van de eerste drie panden akkoord", -120, -120, 0, "", "gereed"),
        ("Eerste tien woningen opgeleverd", 60, 240, 1,
         "De omgevingsvergunning kwam een half jaar later.", "gepland"),
        ("Aanpak beschreven voor andere gemeenten", 420, 420, 0, "", "gepland"),
    ],
    # The submission's days before today; its steps count from it.
    "submitted": 260,
}  # fmt: skip


# Attached to the call by the programme team: the seed's "Activiteiten" and "Planning en
# looptijd" as a PDF.
CALL_ATTACHMENT = (
    "Toelichting bij de oproep.pdf",
    "Intensiveringsprogramma Binnenstedelijke Gebiedstransformaties: toelichting bij de oproep",
    [
        "Het intensiveringsprogramma is gericht op de uitvoering van concrete binnenstedelijke "
        "transformatieprojecten. Het gaat om versnellen, opschalen en verbeteren. Instrumenten "
        "daarbij zijn onder andere communicatie, kennisontwikkeling, kennisdeling, begeleiding, "
        "advisering en bemiddeling.",
        "Er worden kleinschalige themabijeenkomsten georganiseerd met een beperkt aantal "
        "deelnemers vanuit de transformatieprojecten, met als doel nieuwe kennis te genereren en "
        "om gezamenlijk concrete vraagstukken op te lossen. Er is vanuit het programma beperkt "
        "budget beschikbaar voor externe ondersteuning en advisering.",
        "In oktober vindt een oproep plaats aan gemeenten, provincies, marktpartijen om "
        "transformatieprojecten aan te melden en om toe te treden tot het "
        "intensiveringsprogramma. Tijdens het congres Stad op 30 oktober vindt de formele "
        "kick-off plaats.",
        "Het Intensiveringsprogramma Binnenstedelijke Gebiedstransformaties is een meerjarig "
        "programma, dat in eerste instantie een looptijd van vier jaar heeft. In het vierde jaar "
        "evalueren we de resultaten en kijken we wat er verder nodig is.",
    ],
)
# Attached by Gemeente Deventer to its submission.
SUBMISSION_ATTACHMENT = (
    "Plan van aanpak Havenkwartier.pdf",
    "Plan van aanpak Transformatie Havenkwartier Deventer",
    [
        SUBMISSION["summary"],
        "Fase 1 (2018): de eerste woningen op de kavels langs de IJssel, samen met twee "
        "ontwikkelaars en een woningcorporatie.",
        "Fase 2 (2019–2020): de naastgelegen kavels; de financiële haalbaarheid hiervan is onze "
        "vraag aan het programma.",
        "Inzet van de gemeente: twee projectleiders voor een dag per week, en vergaderruimte in "
        "het stadhuis.",
    ],
)


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    """Return an A4 PDF of ``title`` and ``paragraphs`` (WeasyPrint; it fetches nothing)."""
    from weasyprint import HTML

    def fetch_nothing(url, *args, **kwargs):
        raise ValueError(f"not fetched: {url[:80]}")

    html = format_html(
        "<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>{}</title>"
        "<style>@page {{ size: A4; margin: 2.5cm }} body {{ font-family: sans-serif; "
        "font-size: 11pt; line-height: 1.5 }} h1 {{ font-size: 16pt }}</style></head>"
        "<body><h1>{}</h1>{}</body></html>",
        title,
        title,
        format_html_join("", "<p>{}</p>", ((p,) for p in paragraphs)),
    )
    return HTML(string=html, url_fetcher=fetch_nothing).write_pdf()


def _attach(document: tuple[str, str, list[str]], *, by: User, **parent) -> None:
    """Attach ``document`` (file name, title, paragraphs) as a PDF to the call or submission
    ``parent``, checked as any upload is; once."""
    name, title, paragraphs = document
    if Attachment.objects.filter(name=name, **parent).exists():
        return
    upload = SimpleUploadedFile(name, _pdf(title, paragraphs), "application/pdf")
    if "call" in parent:
        services.attachment_add(actor=by, upload=upload, **parent)
        return
    # The demo submission is already under review, where its organisation adds nothing more.
    checked = check_document(upload, max_bytes=Attachment.max_bytes())
    attachment = Attachment(
        **parent,
        uploaded_by=by,
        name=checked.name,
        content_type=checked.content_type,
        size=len(checked.content),
    )
    store_with_file(
        attachment, "file", name=f"bijlage.{checked.extension}", content=checked.content
    )


def _team_member(programme: Programme) -> User:
    email, name, function = TEAM
    platform31, _ = Organisation.objects.update_or_create(
        name="Platform31", defaults={"kind": Organisation.Kind.KENNISINSTELLING}
    )
    user, created = User.objects.update_or_create(
        email=email, defaults={"full_name": name, "function": function, "organisation": platform31}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    approve(user, platform31)
    ProgrammeMembership.objects.update_or_create(
        programme=programme,
        user=user,
        defaults={"role": ProgrammeMembership.Role.SECRETARIS},
    )
    return user


def load() -> None:
    programme = Programme.objects.filter(slug=slugify(PROGRAMME)).first()
    if programme is None:
        return
    team = _team_member(programme)
    call, _ = Call.objects.update_or_create(
        programme=programme,
        title=CALL_TITLE,
        defaults={
            "text": CALL_TEXT,
            "opens_on": datetime.date(2017, 10, 1),
            "closes_on": None,
            "rolling": True,
            "organisation_kinds": list(KINDS),
            "repair_days": 14,
            "published": True,
        },
    )
    questions = []
    for position, (text, required) in enumerate(QUESTIONS):
        question, _ = CallQuestion.objects.update_or_create(
            call=call, position=position, defaults={"text": text, "required": required}
        )
        questions.append(question)
    for position, (name, weight) in enumerate(CRITERIA):
        CallCriterion.objects.update_or_create(
            call=call, position=position, defaults={"name": name, "weight": weight}
        )
    call.reviewers.add(team)
    _attach(CALL_ATTACHMENT, by=team, call=call)
    _pilot(call, questions, team)
    submitter = User.objects.filter(email=SUBMITTER).select_related("organisation").first()
    if submitter is None or submitter.organisation is None:
        return
    existing = Submission.objects.filter(call=call, title=SUBMISSION["title"]).first()
    if existing is not None:
        _attach(SUBMISSION_ATTACHMENT, by=submitter, submission=existing)
        return
    # Made directly, without mails: the demo's history is in the past.
    now = timezone.now()
    submitted = now - datetime.timedelta(days=12)
    submission = Submission.objects.create(
        call=call,
        organisation=submitter.organisation,
        submitted_by=submitter,
        title=SUBMISSION["title"],
        summary=SUBMISSION["summary"],
        status=Submission.Status.IN_BEHANDELING,
        submitted_at=submitted,
    )
    for question, text in zip(questions, SUBMISSION["answers"], strict=True):
        SubmissionAnswer.objects.create(submission=submission, question=question, text=text)
    SubmissionStep.objects.create(
        submission=submission,
        status=Submission.Status.INGEDIEND,
        reason=f"Ingediend door {submitter.display_name}.",
        by=submitter,
        at=submitted,
    )
    SubmissionStep.objects.create(
        submission=submission,
        status=Submission.Status.IN_BEHANDELING,
        reason="De aanmelding is volledig; de inhoudelijke beoordeling is gestart.",
        contact_name=team.display_name,
        contact_email=team.email,
        by=team,
        at=now - datetime.timedelta(days=5),
    )
    _attach(SUBMISSION_ATTACHMENT, by=submitter, submission=submission)


def _pilot(call: Call, questions: list[CallQuestion], team: User) -> None:
    """Make Gemeente Losser's pilot, or date an existing one again: its history counts back
    from today, so the demo always shows a pilot that reports and has milestones ahead."""
    submitter = User.objects.filter(email=PILOT_SUBMITTER).select_related("organisation").first()
    if submitter is None or submitter.organisation is None:
        return
    today = timezone.localdate()
    submitted = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
    submitted -= datetime.timedelta(days=PILOT["submitted"])
    existing = Submission.objects.filter(call=call, title=PILOT["title"]).first()
    if existing is not None:
        _date_pilot(existing, submitted, today)
        return
    submission = Submission.objects.create(
        call=call,
        organisation=submitter.organisation,
        submitted_by=submitter,
        title=PILOT["title"],
        summary=PILOT["summary"],
        status=Submission.Status.TOEGELATEN,
        submitted_at=submitted,
    )
    for question, text in zip(questions, PILOT["answers"], strict=True):
        SubmissionAnswer.objects.create(submission=submission, question=question, text=text)
    steps = [
        (Submission.Status.INGEDIEND, f"Ingediend door {submitter.display_name}.", None, 0),
        (Submission.Status.ONVOLLEDIG, "De planning van de eerste woningen ontbreekt.", team, 7),
        (Submission.Status.INGEDIEND, f"Aangevuld door {submitter.display_name}.", None, 12),
        (Submission.Status.IN_BEHANDELING, "De aanmelding is volledig.", team, 14),
        (Submission.Status.TOEGELATEN, "Past bij versnellen en opschalen; de lessen over "
         "functiewijziging zijn breed bruikbaar.", team, 35),
    ]  # fmt: skip
    for status, reason, contact, day in steps:
        SubmissionStep.objects.create(
            submission=submission,
            status=status,
            reason=reason,
            contact_name=contact.display_name if contact else "",
            contact_email=contact.email if contact else "",
            by=contact or submitter,
            at=submitted + datetime.timedelta(days=day),
        )
    pilot = Pilot.objects.create(
        submission=submission,
        programme=call.programme,
        organisation=submission.organisation,
        title=submission.title,
        summary=submission.summary,
    )
    for status, reason, _day in PILOT["reports"]:
        ProgressReport.objects.create(pilot=pilot, status=status, reason=reason, by=submitter)
    for position, (title, planned, _current, _n, _why, _status) in enumerate(PILOT["milestones"]):
        SubmissionMilestone.objects.create(
            submission=submission,
            title=title,
            planned=today + datetime.timedelta(days=planned),
            position=position,
        )
        PilotMilestone.objects.create(
            pilot=pilot, title=title, planned=today, current=today, position=position
        )
    _support(pilot, submitter, team)
    _date_pilot(submission, submitted, today)


def _date_pilot(submission: Submission, submitted: datetime.datetime, today) -> None:
    """Set the demo pilot's dates relative to ``today`` (idempotent): submission and its
    steps from ``submitted``, admission, reports, milestones (PILOT) and support request."""
    first = submission.steps.order_by("at", "id").first()
    shift = submitted - (first.at if first else submission.submitted_at)
    Submission.objects.filter(pk=submission.pk).update(submitted_at=submitted)
    for step in submission.steps.all():
        SubmissionStep.objects.filter(pk=step.pk).update(at=step.at + shift)
    pilot = Pilot.objects.get(submission=submission)
    now = timezone.now()
    Pilot.objects.filter(pk=pilot.pk).update(
        created_at=submitted + datetime.timedelta(days=35), reminded_at=None
    )
    for status, reason, days_ago in PILOT["reports"]:
        ProgressReport.objects.filter(pilot=pilot, status=status, reason=reason).update(
            at=now - datetime.timedelta(days=days_ago)
        )
    for position, (title, planned, current, replans, why, status) in enumerate(PILOT["milestones"]):
        planned_on = today + datetime.timedelta(days=planned)
        current_on = today + datetime.timedelta(days=current)
        SubmissionMilestone.objects.filter(submission=submission, position=position).update(
            planned=planned_on
        )
        PilotMilestone.objects.filter(pilot=pilot, position=position).update(
            title=title, planned=planned_on, current=current_on, replans=replans,
            replan_reason=why, status=status,
        )  # fmt: skip
        milestone = PilotMilestone.objects.get(pilot=pilot, position=position)
        if replans:
            MilestoneReplan.objects.update_or_create(
                milestone=milestone,
                reason=why,
                defaults={"previous": planned_on, "current": current_on,
                          "by": submission.submitted_by, "at": now - datetime.timedelta(days=18)},
            )  # fmt: skip
    SupportRequest.objects.filter(pilot=pilot).update(
        at=now - datetime.timedelta(days=90), answered_at=now - datetime.timedelta(days=84)
    )


def _support(pilot: Pilot, submitter: User, team: User) -> None:
    # Seed 002: "op afroep en naar behoefte begeleiding en advisering ..., en waar nuttig
    # bemiddeling richting de ministeries."
    SupportRequest.objects.create(
        pilot=pilot,
        kind=SupportRequest.Kind.BEMIDDELING,
        question=(
            "Voor de tijdelijke woningen op het terrein zoeken wij contact met het ministerie "
            "over de termijn van de tijdelijke omgevingsvergunning."
        ),
        status=SupportRequest.Status.BEANTWOORD,
        answer=(
            "De programmadirecteur heeft het ministerie gevraagd; u krijgt binnen twee weken "
            "een gesprek met de directie Woningbouw."
        ),
        by=submitter,
        answered_by=team,
    )
