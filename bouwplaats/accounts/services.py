import copy
import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bouwplaats.core.audit import log_action
from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.core.hooks import app_modules
from bouwplaats.core.validation import validate_instance

from . import permissions
from .models import ApiToken, Organisation, User

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
    """Update the member's name, function and organisation (created when new).

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
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            organisation = Organisation(name=name, kind=organisation_kind)
            _check_only(
                organisation,
                "name",
                "kind",
                as_fields={"name": "organisation", "kind": "organisation_kind"},
            )
            # Another member may have added it meanwhile: the unique name decides.
            organisation, _created = Organisation.objects.get_or_create(
                name=name, defaults={"kind": organisation_kind}
            )
    user.full_name, user.function = changed.full_name, changed.function
    user.organisation = organisation
    user.save(update_fields=["full_name", "function", "organisation"])
    return user


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
        raise NotAllowed(_("Deze sleutel is niet van jou."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action("accounts.token.revoked", actor=user, obj=token, data={"name": token.name})
    return token


def api_token_authenticate(key: str) -> User | None:
    """Return the active member owning the token ``key``, or None."""
    # One indexed lookup on the token's digest, with its member in the same statement; the
    # "last used" time is written at most once per LAST_USED_PRECISION.
    token = (
        ApiToken.objects.active()
        .filter(key_hash=ApiToken.hash_key(key))
        .select_related("user")
        .first()
    )
    if token is None:
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
