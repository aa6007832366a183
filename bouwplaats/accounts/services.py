import copy
import datetime
import secrets
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bouwplaats.core.audit import log_action
from bouwplaats.core.background import enqueue_owed_on_commit
from bouwplaats.core.errors import DomainError, InvalidInput, NotAllowed
from bouwplaats.core.hooks import app_modules
from bouwplaats.core.validation import validate_instance

from . import permissions, tasks
from .models import ApiToken, Organisation, OrganisationDomain, OrganisationMembership, User

# A token's "laatst gebruikt" is kept to the minute: no write on every call.
LAST_USED_PRECISION = 60


def _check_only(instance, *names: str, as_fields: dict[str, str] | None = None) -> None:
    # Check the named fields of ``instance`` with the model's rules; report them under the
    # page's field names (``as_fields``) where those differ.
    exclude = [f.name for f in instance._meta.concrete_fields if f.name not in names]
    try:
        validate_instance(instance, exclude=exclude)
    except InvalidInput as error:
        raise InvalidInput(
            {(as_fields or {}).get(name, name): found for name, found in error.errors.items()}
        ) from None


@transaction.atomic
def profile_update(
    *,
    user: User,
    full_name: str,
    function: str,
    organisation_name: str,
    organisation_kind: str = Organisation.Kind.ANDERS,
) -> User:
    """Update the member's name, function and stated organisation.

    The organisation is a claim: it is shown beside the member's name and, when it changes,
    asks for membership (``membership_request``), which gives rights only once approved. A
    name that matches a known organisation (ignoring case) claims that one; a new name creates
    an unverified organisation that staff check.

    Raises InvalidInput naming ``full_name``, ``function``, ``organisation`` (the name) or
    ``organisation_kind``; nothing is stored and ``user`` is left as it was.
    """
    changed = copy.copy(user)
    changed.full_name = (full_name or "").strip()
    changed.function = (function or "").strip()
    _check_only(changed, "full_name", "function")
    organisation = None
    name = (organisation_name or "").strip()
    if name:
        organisation = Organisation.objects.filter(name__iexact=name).first()
        if organisation is None:
            organisation = Organisation(name=name, kind=organisation_kind, verified=False)
            _check_only(
                organisation,
                "name",
                "kind",
                as_fields={"name": "organisation", "kind": "organisation_kind"},
            )
            # Another member may have added it meanwhile: the unique name decides.
            organisation, _created = Organisation.objects.get_or_create(
                name=name, defaults={"kind": organisation_kind, "verified": False}
            )
    claimed_before = user.organisation_id
    user.full_name, user.function = changed.full_name, changed.function
    user.organisation = organisation
    user.save(update_fields=["full_name", "function", "organisation"])
    if organisation is not None and organisation.pk != claimed_before:
        exists = OrganisationMembership.objects.filter(user=user, organisation=organisation)
        if not exists.exists():
            membership_request(user=user, organisation=organisation)
    return user


# Organisation memberships ------------------------------------------------------------------


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""


def verified_domain_match(*, user: User, organisation: Organisation) -> bool:
    """Return whether one of ``user``'s verified addresses is on a verified domain of
    ``organisation`` (the whole domain after the @, ignoring case)."""
    domains = {
        _domain(email)
        for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }
    domains.discard("")
    return (
        bool(domains)
        and OrganisationDomain.objects.filter(
            organisation=organisation, verified=True, domain__in=domains
        ).exists()
    )


def _after_commit(task, membership: OrganisationMembership) -> None:
    # A mail about a request or a decision, owed through core's outbox: the membership's
    # status is what the mail says, not a sign that it still has to go.
    enqueue_owed_on_commit(task, membership.pk)


def _approve_by_domain(membership: OrganisationMembership) -> None:
    membership.status = OrganisationMembership.Status.APPROVED
    membership.via_domain = True
    membership.decided_by = None
    membership.decided_at = timezone.now()
    membership.reason = ""


@transaction.atomic
def membership_request(*, user: User, organisation: Organisation) -> OrganisationMembership:
    """Ask to act for ``organisation``; return the membership (``requested`` or ``approved``).

    Approved at once when one of the member's verified addresses is on a verified domain of
    the organisation; otherwise the organisation's administrators (or staff) are mailed, but
    only once the member has a confirmed address (a fresh sign-up's request is announced by
    ``memberships_announce`` when the address is confirmed). An open or approved membership
    is returned as it is; a refused or revoked one is reopened.
    Raises NotAllowed (visitor, removed member, an unchecked organisation of someone else).
    """
    if not permissions.can_request_membership(user, organisation) and not (
        # The member who typed a new name asks for the organisation they just created.
        user.organisation_id == organisation.pk and user.is_authenticated
    ):
        raise NotAllowed(_("U kunt geen lidmaatschap van deze organisatie aanvragen."))
    membership, created = OrganisationMembership.objects.select_for_update().get_or_create(
        user=user, organisation=organisation
    )
    Status = OrganisationMembership.Status
    if not created and membership.status in (Status.REQUESTED, Status.APPROVED):
        return membership
    membership.status = Status.REQUESTED
    membership.via_domain = False
    membership.decided_by, membership.decided_at, membership.reason = None, None, ""
    if organisation.verified and verified_domain_match(user=user, organisation=organisation):
        _approve_by_domain(membership)
    validate_instance(membership, exclude=["user", "organisation", "decided_by"])
    membership.save()
    permissions.forget_cached_memberships(user)
    log_action(
        "accounts.membership.requested",
        actor=user,
        obj=membership,
        data={"organisation": organisation.pk, "status": membership.status},
    )
    if membership.status == Status.APPROVED:
        _after_commit(tasks.mail_membership_decided, membership)
    elif _verified_addresses(user).exists():
        _after_commit(tasks.mail_membership_requested, membership)
    return membership


def _verified_addresses(user: User):
    return EmailAddress.objects.filter(user=user, verified=True)


# Which decision may follow which status.
TRANSITIONS = {
    OrganisationMembership.Status.APPROVED: {"requested", "refused", "revoked"},
    OrganisationMembership.Status.REFUSED: {"requested"},
    OrganisationMembership.Status.REVOKED: {"approved"},
}


@transaction.atomic
def membership_decide(
    *, actor: User, membership: OrganisationMembership, status: str, reason: str = ""
) -> OrganisationMembership:
    """Approve, refuse or revoke ``membership``; the member is mailed after commit.

    Refusing and revoking need a ``reason`` (the member reads it). Raises NotAllowed unless
    permissions.can_decide_membership, InvalidInput naming ``status`` (not a decision, or
    not possible from the current status) or ``reason``.
    """
    membership = OrganisationMembership.objects.select_for_update().get(pk=membership.pk)
    if not permissions.can_decide_membership(actor, membership):
        raise NotAllowed(_("Alleen beheerders van de organisatie beslissen over leden."))
    Status = OrganisationMembership.Status
    allowed = TRANSITIONS.get(status)
    if allowed is None:
        raise InvalidInput({"status": [_("Kies goedkeuren, weigeren of intrekken.")]})
    if membership.status not in allowed:
        raise InvalidInput(
            {
                "status": [
                    _("Dit lidmaatschap is %(status)s: dat kan niet meer.")
                    % {"status": membership.get_status_display().lower()}
                ]
            }
        )
    reason = (reason or "").strip()
    if status in (Status.REFUSED, Status.REVOKED) and not reason:
        raise InvalidInput({"reason": [_("Geef een reden op; het lid leest die.")]})
    membership.status = status
    membership.reason = reason
    membership.via_domain = False
    membership.decided_by = actor
    membership.decided_at = timezone.now()
    validate_instance(membership, exclude=["user", "organisation", "decided_by"])
    membership.save()
    log_action(
        f"accounts.membership.{status}",
        actor=actor,
        obj=membership,
        data={"organisation": membership.organisation_id, "member": membership.user_id},
    )
    _after_commit(tasks.mail_membership_decided, membership)
    return membership


def is_last_admin(membership: OrganisationMembership) -> bool:
    """Return True if ``membership`` is its organisation's only approved administrator."""
    Status, Role = OrganisationMembership.Status, OrganisationMembership.Role
    if membership.role != Role.ADMIN or membership.status != Status.APPROVED:
        return False
    return (
        not OrganisationMembership.objects.filter(
            organisation_id=membership.organisation_id, role=Role.ADMIN, status=Status.APPROVED
        )
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def membership_leave(*, user: User, organisation: Organisation) -> None:
    """End ``user``'s own (requested or approved) membership of ``organisation``, recorded in
    the audit log; the profile then no longer names the organisation.

    Raises NotAllowed (404 on pages) without such a membership; DomainError (409, code
    ``organisation``) for the organisation's last administrator, who would leave it without
    one. Nothing is stored then.
    """
    # Two administrators leaving at once: the organisation's row makes them take turns, so the
    # second sees that the first has gone.
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    membership = OrganisationMembership.objects.filter(
        user_id=user.pk, organisation=organisation
    ).first()
    if membership is None or not permissions.can_leave_membership(user, membership):
        raise NotAllowed(_("U bent geen lid van deze organisatie."), code="organisation")
    if is_last_admin(membership):
        raise DomainError(
            _(
                "U bent de enige beheerder van %(organisation)s en kunt de organisatie daarom "
                "niet verlaten. Vraag het platformbeheer eerst een ander lid beheerder te maken."
            )
            % {"organisation": organisation.name},
            code="organisation",
            status_code=409,
        )
    log_action(
        "accounts.membership.left",
        actor=user,
        obj=membership,
        data={"organisation": organisation.pk, "status": membership.status,
              "role": membership.role},
    )  # fmt: skip
    membership.delete()
    if user.organisation_id == organisation.pk:
        user.organisation = None
        user.save(update_fields=["organisation"])
    permissions.forget_cached_memberships(user)


@transaction.atomic
def memberships_approve_by_domain(*, user: User) -> list[OrganisationMembership]:
    """Approve ``user``'s open requests that a verified address now covers (after a newly
    confirmed address); return the approved memberships."""
    approved = []
    open_requests = OrganisationMembership.objects.select_for_update().filter(
        user=user, status=OrganisationMembership.Status.REQUESTED, organisation__verified=True
    )
    for membership in open_requests.select_related("organisation"):
        if verified_domain_match(user=user, organisation=membership.organisation):
            _approve_by_domain(membership)
            membership.save()
            log_action("accounts.membership.approved", obj=membership, data={"via": "domain"})
            _after_commit(tasks.mail_membership_decided, membership)
            approved.append(membership)
    permissions.forget_cached_memberships(user)
    return approved


@transaction.atomic
def memberships_announce(*, user: User) -> list[OrganisationMembership]:
    """Mail the deciders of ``user``'s open requests once their first address is confirmed
    (requests made before that were not announced, see ``membership_request``); return the
    announced memberships. A later confirmed address announces nothing again."""
    if _verified_addresses(user).count() != 1:
        return []
    open_requests = list(
        OrganisationMembership.objects.filter(
            user=user, status=OrganisationMembership.Status.REQUESTED
        )
    )
    for membership in open_requests:
        _after_commit(tasks.mail_membership_requested, membership)
    return open_requests


@transaction.atomic
def organisation_update(*, actor: User, organisation: Organisation, contact: str) -> Organisation:
    """Change the organisation's public contact (shown to residents and partners).

    Raises NotAllowed unless permissions.can_manage_members (its administrators, staff),
    InvalidInput naming ``contact``; nothing is stored then.
    """
    if not permissions.can_manage_members(actor, organisation):
        raise NotAllowed(_("Alleen beheerders van de organisatie wijzigen haar gegevens."))
    changed = copy.copy(organisation)
    changed.contact = (contact or "").strip()
    _check_only(changed, "contact")
    organisation.contact = changed.contact
    organisation.save(update_fields=["contact"])
    log_action("accounts.organisation.updated", actor=actor, obj=organisation)
    return organisation


@transaction.atomic
def organisation_domain_add(
    *, actor: User, organisation: Organisation, domain: str
) -> OrganisationDomain:
    """Register a mail domain of ``organisation``; unchecked unless staff add it.

    Only a checked domain approves members at once: platform staff check an administrator's
    proposal (in the admin), so nobody claims ``gmail.com`` for their organisation.
    Raises NotAllowed, or InvalidInput naming ``domain`` (not a domain name, already taken).
    """
    if not permissions.can_manage_members(actor, organisation):
        raise NotAllowed(_("Alleen beheerders van de organisatie beheren haar domeinen."))
    row = OrganisationDomain(
        organisation=organisation,
        domain=(domain or "").strip().lower().lstrip("@"),
        verified=bool(actor.is_staff),
    )
    validate_instance(row, exclude=["organisation"])
    row.save()
    log_action(
        "accounts.domain.added",
        actor=actor,
        obj=row,
        data={"domain": row.domain, "verified": row.verified},
    )
    return row


@transaction.atomic
def organisation_domain_remove(*, actor: User, domain: OrganisationDomain) -> None:
    """Remove a mail domain; approved memberships stay (revoke them one by one)."""
    if not permissions.can_manage_members(actor, domain.organisation_id):
        raise NotAllowed(_("Alleen beheerders van de organisatie beheren haar domeinen."))
    log_action("accounts.domain.removed", actor=actor, obj=domain, data={"domain": domain.domain})
    domain.delete()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal access token; return it with the secret, which is shown only once.

    Raises InvalidInput naming ``name`` (empty, too long, not one line); nothing is stored.
    """
    key = ApiToken.generate_key()
    token = ApiToken(
        user=user,
        name=(name or "").strip(),
        key_prefix=key[:10],
        key_hash=ApiToken.hash_key(key),
    )
    validate_instance(token)
    token.save()
    log_action("accounts.token.created", actor=user, obj=token, data={"name": token.name})
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, user: User) -> ApiToken:
    """Revoke ``token``; only its owner may (raises NotAllowed)."""
    if not permissions.can_manage_token(user, token):
        raise NotAllowed(_("Deze sleutel is niet van u."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action("accounts.token.revoked", actor=user, obj=token, data={"name": token.name})
    return token


def api_token_authenticate(key: str) -> User | None:
    """Return the active member owning the token ``key``, or None."""
    # One indexed lookup on the token's digest, with its member in the same statement; the
    # "last used" time is written at most once per LAST_USED_PRECISION.
    # key_hash is unique: get() needs no ORDER BY, which first() would add from Meta.ordering.
    try:
        token = (
            ApiToken.objects.active().select_related("user").get(key_hash=ApiToken.hash_key(key))
        )
    except ApiToken.DoesNotExist:
        return None
    now = timezone.now()
    stale_after = now - datetime.timedelta(seconds=LAST_USED_PRECISION)
    if token.last_used_at is None or token.last_used_at < stale_after:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def member_export(*, user: User) -> dict[str, Any]:
    """Return everything Bouwplaats holds about the member (AVG art. 15 and 20)."""
    data: dict[str, Any] = {
        "profile": {
            "email": user.email,
            "full_name": user.full_name,
            "function": user.function,
            "organisation": (
                {"name": user.organisation.name, "kind": user.organisation.kind}
                if user.organisation
                else None
            ),
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "organisation_memberships": [
            {
                "organisation": m.organisation.name,
                "status": m.status,
                "role": m.role,
                "reason": m.reason,
                "requested_at": m.created_at.isoformat(),
                "decided_at": m.decided_at.isoformat() if m.decided_at else None,
            }
            for m in user.memberships.select_related("organisation")
        ],
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ],
        "api_tokens": [
            {
                "name": t.name,
                "key_prefix": t.key_prefix,
                "created_at": t.created_at.isoformat(),
                "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
                "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
            }
            for t in user.api_tokens.all()
        ],
    }
    for app, module in app_modules("avg"):
        if app != "bouwplaats.accounts":
            data.update(module.export(user=user))
    return data


@transaction.atomic
def member_delete(*, user: User) -> None:
    """Remove the person: personal data goes, content they wrote stays as "verwijderd lid"."""
    for app, module in app_modules("avg"):
        if app != "bouwplaats.accounts":
            module.forget(user=user)
    log_action("accounts.member.deleted", data={"member_id": user.pk})
    EmailAddress.objects.filter(user=user).delete()
    user.api_tokens.all().delete()
    user.memberships.all().delete()
    user.socialaccount_set.all().delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.email = f"verwijderd-{user.pk}@leden.invalid"
    user.full_name = ""
    user.function = ""
    user.organisation = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.is_removed = True
    user.set_unusable_password()
    user.save()


@transaction.atomic
def host_notices_set(*, user: User, host_notices: str) -> User:
    """Choose how the member hears, as host, of approvals and cancellations.

    ``host_notices`` is ``"mail"`` (a mail per registration) or ``"digest"`` (one overview a
    day). Raises InvalidInput naming ``host_notices`` for any other value (nothing stored).
    """
    changed = copy.copy(user)
    changed.host_notices = host_notices
    _check_only(changed, "host_notices")
    user.host_notices = host_notices
    user.save(update_fields=["host_notices"])
    log_action("accounts.host_notices.set", actor=user, obj=user, data={"value": host_notices})
    return user


@transaction.atomic
def calendar_token_reset(*, user: User) -> str:
    """Give the member a new secret for their calendar feed's address; return it.

    The previous address stops working at once (a leaked address is closed this way).
    """
    user.calendar_token = secrets.token_urlsafe(32)
    user.save(update_fields=["calendar_token"])
    log_action("accounts.calendar_token.reset", actor=user, obj=user)
    return user.calendar_token
