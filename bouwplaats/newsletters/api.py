from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from bouwplaats.core.errors import NotAllowed
from bouwplaats.core.pagination import LimitOffsetPagination
from bouwplaats.core.schemas import DbId, model_field

from . import permissions, selectors, services
from .models import (
    BLOCK_TITLE_MAX_LENGTH,
    MAX_BLOCKS,
    TEXT_MAX_LENGTH,
    Issue,
    NewsletterList,
    Subscription,
)

router = Router(tags=["newsletters"])


class ListOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    programme: str
    programme_id: int
    url: str

    @staticmethod
    def resolve_programme(obj):
        return obj.programme.name

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class SubscribeIn(Schema):
    email: model_field(Subscription, "email")
    name: model_field(Subscription, "name") = ""


class MessageOut(Schema):
    detail: str


class BlockIn(Schema):
    # Checked as a whole by Issue.clean(); the limits are here for the OpenAPI document.
    title: str = Field("", max_length=BLOCK_TITLE_MAX_LENGTH)
    text: str = Field("", max_length=TEXT_MAX_LENGTH)


class IssueIn(Schema):
    subject: model_field(Issue, "subject")
    intro: model_field(Issue, "intro") = ""
    blocks: list[BlockIn] = Field([], max_length=MAX_BLOCKS)
    signature: str = Field(
        "",
        max_length=401,
        description="Naam en functie in één tekst („Naam, Functie” of twee regels); "
        "alleen gebruikt als signature_name leeg is.",
    )
    signature_name: model_field(Issue, "signature_name") = ""
    signature_role: model_field(Issue, "signature_role") = ""
    agenda_days: model_field(Issue, "agenda_days") = 90


class IssueOut(Schema):
    id: int
    list_id: int
    subject: str
    intro: str
    signature_name: str
    signature_role: str
    agenda_days: int
    status: str
    sent_at: datetime | None
    total: int
    sent: int
    failed: int
    url: str | None


def _issue_out(issue: Issue, user) -> dict:
    progress = selectors.issue_progress(issue)
    if issue.status == Issue.Status.DRAFT and permissions.can_view_subscribers(
        user, issue.newsletter_list
    ):
        progress = {**progress, "total": selectors.issue_recipient_count(issue, user)}
    return {
        "id": issue.pk,
        "list_id": issue.newsletter_list_id,
        "subject": issue.subject,
        "intro": issue.intro,
        "signature_name": issue.signature_name,
        "signature_role": issue.signature_role,
        "agenda_days": issue.agenda_days,
        "status": issue.status,
        "sent_at": issue.sent_at,
        "total": progress["total"],
        "sent": progress["sent"],
        "failed": progress["failed"],
        "url": issue.get_absolute_url() if issue.status == Issue.Status.SENT else None,
    }


@router.get("/newsletters/lists", response=list[ListOut])
@paginate(LimitOffsetPagination)
def list_lists(request):
    """Return the newsletter lists."""
    return selectors.list_all()


@router.post("/newsletters/lists/{list_id}/subscribers", response={202: MessageOut})
def subscribe(request, list_id: DbId, payload: SubscribeIn):
    """Subscribe an address: the caller's own verified address at once, any other by double
    opt-in (a confirmation mail with a link goes to it; the same answer for every address)."""
    newsletter_list = get_object_or_404(NewsletterList, pk=list_id)
    subscribed = services.subscription_start(
        newsletter_list=newsletter_list,
        email=payload.email,
        name=payload.name,
        source="api",
        member=request.user,
    )
    if subscribed:
        # The caller's own verified address: no confirmation needed.
        return Status(202, {"detail": _("U bent geabonneerd op de %(list)s.") % {
            "list": newsletter_list.name}})  # fmt: skip
    detail = _(
        "Als dit adres nog niet is geabonneerd, ontvangt het een mail met een link om het "
        "abonnement te bevestigen."
    )
    return Status(202, {"detail": detail})


@router.post("/newsletters/lists/{list_id}/issues", response={201: IssueOut})
def create_issue(request, list_id: DbId, payload: IssueIn):
    """Create a draft issue (programme team)."""
    newsletter_list = get_object_or_404(
        NewsletterList.objects.select_related("programme"), pk=list_id
    )
    name, role = payload.signature_name, payload.signature_role
    if payload.signature and not name:
        # "Diana Kool, Trekker Leerplatform MIRT" or two lines: name first, then the role.
        first, _sep, rest = payload.signature.replace("\n", ",", 1).partition(",")
        name, role = first.strip(), role or rest.strip()
    issue = services.issue_create(
        newsletter_list=newsletter_list,
        user=request.user,
        subject=payload.subject,
        intro=payload.intro,
        blocks=[block.dict() for block in payload.blocks],
        signature_name=name,
        signature_role=role,
        agenda_days=payload.agenda_days,
    )
    return Status(201, _issue_out(issue, request.user))


def _issue(issue_id: int) -> Issue:
    return get_object_or_404(
        Issue.objects.select_related("newsletter_list__programme"), pk=issue_id
    )


@router.post("/newsletters/issues/{issue_id}/send", response={202: IssueOut})
def send_issue(request, issue_id: DbId):
    """Start sending in the background (programme team); answers at once."""
    issue = services.issue_send(issue=_issue(issue_id), user=request.user)
    return Status(202, _issue_out(issue, request.user))


@router.get("/newsletters/issues/{issue_id}", response=IssueOut)
def get_issue(request, issue_id: DbId):
    """Return an issue with its sending figures (drafts only for the programme team)."""
    issue = _issue(issue_id)
    if not permissions.can_view_issue(request.user, issue):
        raise NotAllowed(_("Alleen het programmateam ziet een nieuwsflits vóór verzending."))
    return _issue_out(issue, request.user)
