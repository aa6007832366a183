import re

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bouwplaats.accounts import services as accounts_services
from bouwplaats.accounts.forms import HostNoticesForm
from bouwplaats.accounts.models import OrganisationMembership
from bouwplaats.accounts.permissions import memberships_decidable_by
from bouwplaats.core import forms as core_forms
from bouwplaats.core.errors import DomainError, InvalidInput, NotAllowed
from bouwplaats.core.page_cache import visitor_page_cache
from bouwplaats.core.pagination import paginate
from bouwplaats.core.views import confirmed, perform, render_confirm
from bouwplaats.programmes.models import Programme, Theme

from . import mails, selectors, services
from .calendar import personal_feed, programme_feed, session_ics
from .forms import (
    CancelForm,
    DeclineForm,
    FacilitationAnswerForm,
    FacilitationForm,
    MessageForm,
    RegistrationForm,
    SendBackForm,
    SessionFilterForm,
    SessionForm,
)
from .mine_hooks import mine_sections, waiting_for
from .models import CoHostInvitation, Registration, Session
from .permissions import (
    can_answer_cohost_invitation,
    can_manage_session,
    can_publish_session,
    can_register,
    can_see_facilitation_queue,
    can_see_online_link,
    can_see_participants,
    is_host,
    registration_open,
)


def _visible_session(request, pk: int, *, full: bool = True) -> Session:
    # A session the person may not see is not found (permissions.sessions_visible_to).
    try:
        return selectors.session_get(pk=pk, user=request.user, full=full)
    except Session.DoesNotExist as exc:
        raise Http404 from exc


def _managed_session(request, pk: int) -> Session:
    session = _visible_session(request, pk)
    if not can_manage_session(request.user, session):
        raise PermissionDenied(_("Alleen de organisatoren en het programmateam kunnen dit."))
    return session


@visitor_page_cache("events")
def session_list(request):
    """List upcoming (or past) sessions with filters."""
    past = request.GET.get("wanneer") == "voorbij"
    filters = SessionFilterForm(request.GET).filters()
    sessions = selectors.session_list(user=request.user, upcoming=not past, **filters)
    page = paginate(request, sessions, per_page=12)
    # No upcoming session matches: offer the past ones with the same filters (they stay
    # findable with what they left).
    past_query = ""
    if (
        not past
        and not page.paginator.count
        and selectors.session_list(user=request.user, upcoming=False, **filters).exists()
    ):
        query = request.GET.copy()
        query.pop("page", None)
        query["wanneer"] = "voorbij"
        past_query = query.urlencode()
    context = {
        "page": page,
        "past": past,
        "past_query": past_query,
        "filters": filters,
        "show_queue_link": can_see_facilitation_queue(request.user),
        "programmes": Programme.objects.order_by("name"),
        "types": Session.Type.choices,
        "themes": Theme.objects.order_by("name"),
    }
    return render(request, "events/list.html", context)


@visitor_page_cache("events")
def session_detail(request, pk: int):
    """Show a session laid out like a bouwsessie page."""
    session = _visible_session(request, pk)
    return render(request, "events/detail.html", _detail_context(request, session))


def _detail_context(request, session: Session, registration_form=None) -> dict:
    """Return the session page's context; ``registration_form`` a bound form to show again."""
    user = request.user
    registration = selectors.registration_of(session=session, user=user)
    context = {
        "session": session,
        "is_over": session.status != Session.Status.CANCELLED and session.end <= timezone.now(),
        "registration": registration,
        "waitlist_position": registration
        and selectors.waitlist_position(registration=registration),
        "can_manage": can_manage_session(user, session),
        "can_register": can_register(user, session),
        "registration_open": registration_open(session),
        "show_online_link": can_see_online_link(user, session),
        "show_participants": can_see_participants(user, session),
        "participants": selectors.participants(session=session, user=user),
        "registration_form": RegistrationForm(questions=session.questions)
        if registration_form is None
        else registration_form,
        "changes": list(selectors.session_changes(session=session)),
        "button_label": _("Ja, ik praat mee")
        if session.type == Session.Type.BOUWSESSIE
        else _("Schrijf u in"),
    }
    # Full: a registration now lands on the waiting list (services.registration_create's rule),
    # so the button says so before the member clicks.
    if waitlist_applies(session):
        context["waitlist_full"] = True
        context["button_label"] = _("Vol – zet mij op de wachtlijst")
    return context


def waitlist_applies(session: Session) -> bool:
    """Tell whether a new registration would be waitlisted: capacity reached, no approval.

    Reads the annotated ``confirmed_count`` (selectors.with_counts) when present, else the
    session's stored seat count.
    """
    if session.requires_approval or session.capacity is None:
        return False
    confirmed = getattr(session, "confirmed_count", session.seats_confirmed)
    return confirmed >= session.capacity


@require_POST
@login_required
def session_register(request, pk: int):
    """Sign the member up for the session."""
    # The service locks and reads what it decides on: the page's counts and lists only when
    # the page is shown again.
    session = _visible_session(request, pk, full=False)
    form = RegistrationForm(request.POST, questions=session.questions)
    if form.is_valid():
        try:
            registration = services.registration_create(
                session=session, member=request.user, answers=form.answers()
            )
        except InvalidInput as error:
            form.add_domain_error(error)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(session)
    if form.errors:
        # The page again, the answers kept and each refusal beside its question.
        session = _visible_session(request, pk)
        context = _detail_context(request, session, registration_form=form)
        return render(request, "events/detail.html", context, status=422)
    texts = {
        Registration.Status.CONFIRMED: _("U bent aangemeld. De afspraak staat in uw mail."),
        Registration.Status.WAITLISTED: _("De sessie is vol: u staat op de wachtlijst."),
        Registration.Status.PENDING: _("Uw aanmelding wacht op beoordeling door de organisator."),
    }
    messages.success(request, texts[registration.status])
    return redirect(session)


@login_required
def registration_cancel(request, pk: int):
    """Cancel the member's own registration; giving up a scarce seat asks first."""
    session = _visible_session(request, pk)
    registration = get_object_or_404(Registration, session=session, member=request.user)
    scarce = session.capacity is not None and registration.status == Registration.Status.CONFIRMED
    if request.method == "POST" and (confirmed(request) or not scarce):
        perform(
            request,
            lambda: services.registration_cancel(registration=registration, actor=request.user),
            success=_("U bent afgemeld."),
        )
        return redirect(session)
    consequences = [
        _("U meldt zich af voor „%(title)s” (%(when)s).")
        % {"title": session.title, "when": mails.when(session)},
    ]
    if scarce:
        # The seat goes to the next on the waiting list only when someone waits.
        waiting = session.registrations.filter(status=Registration.Status.WAITLISTED).exists()
        if waiting:
            text = ngettext(
                "Deze sessie heeft %(capacity)s plaats. Uw plaats gaat naar wie op de "
                "wachtlijst staat; meldt u zich later opnieuw aan, dan kan de sessie vol zijn.",
                "Deze sessie heeft %(capacity)s plaatsen. Uw plaats gaat naar wie op de "
                "wachtlijst staat; meldt u zich later opnieuw aan, dan kan de sessie vol zijn.",
                session.capacity,
            )
        else:
            text = ngettext(
                "Deze sessie heeft %(capacity)s plaats. Meldt u zich later opnieuw aan, dan "
                "kan de sessie vol zijn.",
                "Deze sessie heeft %(capacity)s plaatsen. Meldt u zich later opnieuw aan, dan "
                "kan de sessie vol zijn.",
                session.capacity,
            )
        consequences.append(text % {"capacity": session.capacity})
    return render_confirm(
        request,
        title=_("Afmelden voor deze sessie?"),
        consequences=consequences,
        yes_label=_("Ja, meld mij af"),
        back_url=session.get_absolute_url(),
    )


def session_calendar(request, pk: int):
    """Download the session as an .ics file."""
    session = _visible_session(request, pk)
    response = HttpResponse(session_ics(session), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sessie-{session.pk}.ics"'
    return response


def programme_calendar(request, slug: str):
    """Serve a programme's subscribable calendar feed."""
    programme = get_object_or_404(Programme, slug=slug)
    sessions = selectors.programme_feed_sessions(programme=programme)
    return HttpResponse(
        programme_feed(programme, sessions), content_type="text/calendar; charset=utf-8"
    )


def _invitations_sent(request, emails: list[str]) -> None:
    # The same words for every address: whether it belongs to a member is not told.
    if emails:
        messages.success(
            request,
            _("Uitnodiging verstuurd naar: %(emails)s. Wie aanvaardt, organiseert mee.")
            % {"emails": ", ".join(emails)},
        )


@login_required
def session_create(request):
    """Organise a session: a draft with the member as host."""
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        try:
            session = services.session_create(
                actor=request.user, programme=form.cleaned_data["programme"], **kwargs
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                _(
                    "Uw sessie is opgeslagen als concept. Het programmateam publiceert haar: "
                    "vraag dat hieronder aan, met of zonder facilitering."
                ),
            )
            _invitations_sent(request, kwargs["cohost_emails"])
            return redirect("events:manage", pk=session.pk)
    return render(request, "events/form.html", {"form": form, "session": None})


@login_required
def session_edit(request, pk: int):
    """Edit a session; changes to a published session are recorded and mailed."""
    session = _managed_session(request, pk)
    form = SessionForm(request.POST or None, initial=SessionForm.initial_from(session))
    form.fields["programme"].disabled = True
    if request.method == "POST" and form.is_valid():
        changes_before = session.changes.count()
        try:
            services.session_update(
                session=session, actor=request.user, **form.service_kwargs(changed_only=True)
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            recorded = session.changes.count() > changes_before
            notified = (
                recorded
                and session.registrations.filter(
                    status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
                ).count()
            )
            if notified:
                messages.success(
                    request,
                    ngettext(
                        "De sessie is bijgewerkt. De aangemelde deelnemer (of wie op de "
                        "wachtlijst staat) krijgt bericht van de wijziging, met de nieuwe "
                        "afspraak voor de agenda.",
                        "De sessie is bijgewerkt. De %(n)s aangemelde deelnemers (ook wie op de "
                        "wachtlijst staat) krijgen bericht van de wijziging, met de nieuwe "
                        "afspraak voor hun agenda.",
                        notified,
                    )
                    % {"n": notified},
                )
            elif recorded:
                messages.success(
                    request,
                    _("De sessie is bijgewerkt. De wijziging is vastgelegd; er is nog niemand "
                      "aangemeld om bericht te krijgen."),
                )  # fmt: skip
            else:
                messages.success(request, _("De sessie is bijgewerkt."))
            _invitations_sent(request, form.cleaned_data["cohost_emails"])
            return redirect("events:manage", pk=session.pk)
    return render(request, "events/form.html", {"form": form, "session": session})


@login_required
def session_manage(request, pk: int):
    """Show the organisers' page: registrations, approval, export, mail, status."""
    session = _managed_session(request, pk)
    registrations = list(selectors.registrations_for_hosts(session=session))
    # The waiting list's order is the order of sign-up (selectors.waitlist_position).
    position = 0
    for registration in registrations:
        if registration.status == Registration.Status.WAITLISTED:
            position += 1
            registration.waitlist_position = position
    pending = [
        (r, DeclineForm(prefix=f"r{r.pk}"))
        for r in registrations
        if r.status == Registration.Status.PENDING
    ]
    context = {
        "session": session,
        "registrations": registrations,
        "pending": pending,
        "co_hosts": list(session.co_hosts.all()),
        "invitations": list(
            session.cohost_invitations.filter(status=CoHostInvitation.Status.PENDING)
        ),
        "message_form": MessageForm(),
        "facilitation_form": FacilitationForm(),
        "can_publish": can_publish_session(request.user, session),
        "is_host": is_host(request.user, session),
    }
    return render(request, "events/manage.html", context)


def _act(request, action, success: str, *to):
    perform(request, action, success=success)
    return redirect(*to)


@require_POST
@login_required
def registration_approve(request, pk: int, registration_pk: int):
    """Approve one registration; say where the member went (a seat or the waiting list)."""
    session = _managed_session(request, pk)
    registration = get_object_or_404(Registration, session=session, pk=registration_pk)
    name = registration.member.display_name
    try:
        decided = services.registration_approve(registration=registration, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if decided.status == Registration.Status.WAITLISTED:
            messages.warning(
                request,
                _(
                    "De aanmelding van %(name)s is goedgekeurd, maar de sessie is vol: "
                    "%(name)s staat nu op de wachtlijst en krijgt daarover bericht."
                )
                % {"name": name},
            )
        else:
            messages.success(
                request,
                _("De aanmelding van %(name)s is goedgekeurd; %(name)s krijgt bericht.")
                % {"name": name},
            )
    return redirect("events:manage", pk=session.pk)


@require_POST
@login_required
def registration_approve_many(request, pk: int):
    """Approve the ticked pending registrations at once."""
    session = _managed_session(request, pk)
    ids = [
        value
        for value in request.POST.getlist("registration")
        if value.isascii() and value.isdigit()
    ]
    if not ids:
        messages.error(request, _("Kies eerst de aanmeldingen die u wilt goedkeuren."))
        return redirect("events:manage", pk=session.pk)
    try:
        counts = services.registration_approve_many(
            session=session, registration_ids=ids, actor=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("events:manage", pk=session.pk)
    approved = counts["confirmed"] + counts["waitlisted"]
    text = ngettext(
        "%(n)s aanmelding goedgekeurd.", "%(n)s aanmeldingen goedgekeurd.", approved
    ) % {"n": approved}
    if counts["waitlisted"]:
        text += " " + ngettext(
            "De sessie was vol: %(n)s van hen staat nu op de wachtlijst.",
            "De sessie was vol: %(n)s van hen staan nu op de wachtlijst.",
            counts["waitlisted"],
        ) % {"n": counts["waitlisted"]}
        messages.warning(request, text)
    else:
        messages.success(request, text)
    return redirect("events:manage", pk=session.pk)


@login_required
def registration_promote(request, pk: int, registration_pk: int):
    """Move a member from the waiting list by hand, after the confirmation page."""
    session = _managed_session(request, pk)
    registration = get_object_or_404(
        Registration.objects.select_related("member"), session=session, pk=registration_pk
    )
    name = registration.member.display_name
    if confirmed(request):
        perform(
            request,
            lambda: services.registration_promote(registration=registration, actor=request.user),
            success=_("%(name)s heeft nu een plaats en krijgt daarover bericht.") % {"name": name},
        )
        return redirect("events:manage", pk=session.pk)
    consequences = [
        _("%(name)s krijgt een plaats, vóór wie eerder op de wachtlijst stond, en een bericht "
          "met de agenda-uitnodiging.") % {"name": name},
    ]  # fmt: skip
    if services.promotion_raises_capacity(session):
        consequences.append(
            _("De sessie is vol: het aantal plaatsen gaat van %(old)s naar %(new)s.")
            % {"old": session.capacity, "new": session.capacity + 1}
        )
    return render_confirm(
        request,
        title=_("%(name)s van de wachtlijst halen?") % {"name": name},
        consequences=consequences,
        yes_label=_("Ja, geef %(name)s een plaats") % {"name": name},
        back_url=reverse("events:manage", kwargs={"pk": session.pk}),
    )


@require_POST
@login_required
def registration_decline(request, pk: int, registration_pk: int):
    session = _managed_session(request, pk)
    registration = get_object_or_404(Registration, session=session, pk=registration_pk)
    form = DeclineForm(request.POST, prefix=f"r{registration.pk}")
    if not form.is_valid():
        messages.error(request, _("Geef een reden waarom u de aanmelding afwijst."))
        return redirect("events:manage", pk=session.pk)
    return _act(
        request,
        lambda: services.registration_decline(
            registration=registration, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        _("De aanmelding van %(name)s is afgewezen.") % {"name": registration.member.display_name},
        "events:manage",
        session.pk,
    )


@require_POST
@login_required
def session_message(request, pk: int):
    """Mail all confirmed participants."""
    session = _managed_session(request, pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vul een onderwerp en een bericht in."))
        return redirect("events:manage", pk=session.pk)
    try:
        count = services.session_message_participants(
            session=session, actor=request.user, **form.cleaned_data
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "Uw bericht gaat naar %(n)s deelnemer.",
                "Uw bericht gaat naar %(n)s deelnemers.",
                count,
            )
            % {"n": count},
        )
    return redirect("events:manage", pk=session.pk)


@login_required
def participants_export(request, pk: int, fmt: str):
    """Download the participant list as CSV or XLSX (each export is logged)."""
    session = _managed_session(request, pk)
    try:
        content, content_type, name = services.participants_export(
            session=session, actor=request.user, fmt=fmt
        )
    except DomainError as error:
        raise Http404 from error
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def session_cancel(request, pk: int):
    """Cancel the session with a reason, after the confirmation page."""
    session = _managed_session(request, pk)
    form = CancelForm(request.POST if confirmed(request) else None)
    if confirmed(request) and form.is_valid():
        try:
            services.session_cancel(
                session=session, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            core_forms.add_domain_error(form, error, {})
        else:
            messages.success(
                request, _("De sessie is geannuleerd; alle aangemelde deelnemers krijgen bericht.")
            )
            return redirect("events:manage", pk=session.pk)
    registered = session.registrations.filter(status__in=mails.ACTIVE_STATUSES).count()
    return render_confirm(
        request,
        title=_("Sessie „%(title)s” annuleren?") % {"title": session.title},
        consequences=[
            _("De sessie gaat niet door. Dit kan niet ongedaan worden gemaakt."),
            _(
                "%(n)s aangemelde deelnemers (ook wie wacht) krijgen een bericht met uw reden "
                "en een agenda-annulering."
            )
            % {"n": registered},
        ],
        yes_label=_("Ja, annuleer de sessie"),
        back_url=reverse("events:manage", kwargs={"pk": session.pk}),
        form=form,
    )


@require_POST
@login_required
def session_request_facilitation(request, pk: int):
    session = _managed_session(request, pk)
    form = FacilitationForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    # Two buttons of one form: publication only, or publication and facilitation.
    wanted = request.POST.get("facilitering") != "nee"
    return _act(
        request,
        lambda: services.session_request_facilitation(
            session=session, actor=request.user, note=note, facilitation=wanted
        ),
        _("Uw vraag om publicatie en facilitering is naar het programmateam gestuurd.")
        if wanted
        else _("Uw vraag om publicatie is naar het programmateam gestuurd."),
        "events:manage",
        session.pk,
    )


@login_required
def facilitation_queue(request):
    """List the sessions that wait for the programme team's facilitation."""
    if not can_see_facilitation_queue(request.user):
        raise PermissionDenied(_("Alleen programmateams zien deze wachtrij."))
    sessions = selectors.facilitation_queue(user=request.user)
    page = paginate(request, sessions, per_page=20)
    items = [
        (
            s,
            SendBackForm(prefix=f"s{s.pk}"),
            FacilitationAnswerForm(
                prefix=f"f{s.pk}", session=s, initial={"facilitator": request.user.pk}
            ),
        )
        for s in page
    ]
    return render(request, "events/queue.html", {"page": page, "items": items})


@require_POST
@login_required
def session_facilitation_accept(request, pk: int):
    """The programme team takes a request on: a facilitator and an answer to the host."""
    session = _visible_session(request, pk)
    form = FacilitationAnswerForm(request.POST, prefix=f"f{session.pk}", session=session)
    if not form.is_valid():
        messages.error(request, _("Kies een facilitator en schrijf de organisator een antwoord."))
        return redirect("events:queue")
    return _act(
        request,
        lambda: services.session_facilitation_accept(
            session=session,
            actor=request.user,
            facilitator=form.cleaned_data["facilitator"],
            answer=form.cleaned_data["answer"],
        ),
        _("%(name)s faciliteert „%(title)s”; de organisator krijgt uw antwoord.")
        % {"name": form.cleaned_data["facilitator"].display_name, "title": session.title},
        "events:queue",
    )


@require_POST
@login_required
def session_publish(request, pk: int):
    session = _visible_session(request, pk)
    return _act(
        request,
        lambda: services.session_publish(session=session, actor=request.user),
        _("De sessie „%(title)s” is gepubliceerd.") % {"title": session.title},
        *(
            ("events:queue",)
            if request.POST.get("from") == "queue"
            else ("events:manage", session.pk)
        ),
    )


@require_POST
@login_required
def session_send_back(request, pk: int):
    session = _visible_session(request, pk)
    form = SendBackForm(request.POST, prefix=f"s{session.pk}")
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _act(
        request,
        lambda: services.session_send_back(session=session, actor=request.user, comment=comment),
        _("De sessie is teruggestuurd naar de organisator."),
        "events:queue",
    )


@require_POST
@login_required
def cohost_remove(request, pk: int, user_pk: int):
    """Remove a co-host (a manager, or the co-host themself)."""
    session = _visible_session(request, pk)
    member = get_object_or_404(session.co_hosts.all(), pk=user_pk)
    ok = perform(
        request,
        lambda: services.cohost_remove(session=session, actor=request.user, member=member),
        success=_("%(name)s organiseert niet meer mee.") % {"name": member.display_name},
    )
    if ok and member == request.user:
        return redirect(session)
    return redirect("events:manage", pk=session.pk)


@require_POST
@login_required
def cohost_invitation_withdraw(request, pk: int, invitation_pk: int):
    session = _managed_session(request, pk)
    invitation = get_object_or_404(session.cohost_invitations, pk=invitation_pk)
    return _act(
        request,
        lambda: services.cohost_invitation_withdraw(invitation=invitation, actor=request.user),
        _("De uitnodiging aan %(email)s is ingetrokken.") % {"email": invitation.email},
        "events:manage",
        session.pk,
    )


def cohost_invitation(request, token: str):
    """Show a co-host invitation from its mailed link: accept (its member only) or decline."""
    invitation = get_object_or_404(
        CoHostInvitation.objects.select_related("session", "created_by"),
        token_hash=CoHostInvitation.hash_token(token),
    )
    answerable = (
        invitation.status == CoHostInvitation.Status.PENDING
        and invitation.expires_at > timezone.now()
    )
    context = {
        "invitation": invitation,
        "token": token,
        "session": invitation.session,
        "answerable": answerable,
        "can_accept": answerable and can_answer_cohost_invitation(request.user, invitation),
    }
    return render(
        request, "events/cohost_invitation.html", context, status=200 if answerable else 410
    )


@require_POST
def cohost_invitation_accept(request, token: str):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("events:cohost_invitation", kwargs={"token": token}))
    try:
        session = services.cohost_invitation_accept(token=token, actor=request.user)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        if error.status_code == 404:
            raise Http404 from error
        messages.error(request, error.message)
        return redirect("events:cohost_invitation", token=token)
    messages.success(request, _("U organiseert nu mee aan „%(title)s”.") % {"title": session.title})
    return redirect("events:manage", pk=session.pk)


@require_POST
def cohost_invitation_decline(request, token: str):
    try:
        services.cohost_invitation_decline(token=token, actor=request.user)
    except DomainError as error:
        if error.status_code == 404:
            raise Http404 from error
        messages.error(request, error.message)
        return redirect("events:cohost_invitation", token=token)
    messages.success(request, _("U heeft de uitnodiging afgeslagen."))
    return redirect("events:list")


# Mijn Bouwplaats: one page with what concerns the member, and their calendar feed.

CALENDAR_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


@login_required
def my_bouwplaats(request):
    """Show my registrations, the sessions I organise and what waits for me."""
    user = request.user
    queue = (
        list(selectors.facilitation_queue(user=user)[:20])
        if can_see_facilitation_queue(user)
        else []
    )
    memberships = list(
        memberships_decidable_by(
            user,
            OrganisationMembership.objects.filter(status=OrganisationMembership.Status.REQUESTED),
        ).select_related("user", "organisation")[:20]
    )
    feed_url = (
        request.build_absolute_uri(
            reverse("mine:calendar_feed", kwargs={"token": user.calendar_token})
        )
        if user.calendar_token
        else ""
    )
    context = {
        "registrations": selectors.my_registrations(user=user),
        "past_registrations": selectors.my_registrations(user=user, upcoming=False, limit=10),
        "hosted": list(selectors.my_hosted_sessions(user=user)),
        "approvals": list(selectors.approvals_waiting_for(user=user)[:50]),
        "invitations": list(selectors.cohost_invitations_waiting_for(user=user)),
        "queue": queue,
        "memberships": memberships,
        "waiting": waiting_for(user=user),
        "sections": mine_sections(user=user),
        "notices_form": HostNoticesForm(initial={"host_notices": user.host_notices}),
        "feed_url": feed_url,
    }
    return render(request, "events/mine.html", context)


@require_POST
@login_required
def my_host_notices(request):
    """Choose a mail per registration or one overview a day."""
    form = HostNoticesForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: accounts_services.host_notices_set(
                user=request.user, host_notices=form.cleaned_data["host_notices"]
            ),
            success=_("Uw keuze voor berichten is opgeslagen."),
        )
    else:
        messages.error(request, _("Kies hoe u berichten wilt krijgen."))
    return redirect("mine:index")


@require_POST
@login_required
def my_calendar_token(request):
    """Make (or renew) the secret address of the member's calendar feed."""
    renewed = bool(request.user.calendar_token)
    accounts_services.calendar_token_reset(user=request.user)
    messages.success(
        request,
        _("Uw agenda heeft een nieuw adres; het oude werkt niet meer.")
        if renewed
        else _("Uw persoonlijke agenda staat klaar. Neem het adres over in uw agenda-app."),
    )
    return redirect(reverse("mine:index") + "#agenda")


def my_calendar_feed(request, token: str):
    """Serve the member's calendar feed at its secret address (no login: calendar apps)."""
    # Only what calendar_token_reset makes (token_urlsafe) can match; anything else is not
    # looked up (PostgreSQL refuses a NUL in a text parameter).
    if not CALENDAR_TOKEN.fullmatch(token):
        raise Http404
    user = get_object_or_404(
        get_user_model(), calendar_token=token, is_active=True, is_removed=False
    )
    sessions = selectors.personal_feed_sessions(user=user)
    response = HttpResponse(
        personal_feed(_("Mijn Bouwplaats"), sessions), content_type="text/calendar; charset=utf-8"
    )
    # The address is the key: it must not end up in shared caches.
    response["Cache-Control"] = "private, no-store"
    return response
