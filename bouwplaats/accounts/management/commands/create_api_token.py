from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext

from bouwplaats.accounts.models import User
from bouwplaats.accounts.services import api_token_create
from bouwplaats.core.errors import DomainError
from bouwplaats.core.validation import validate_single_line


def _checked_email(email: str) -> str:
    """Return ``email`` if the User model takes it (format, 254 characters, one line).

    Raises CommandError naming the rule, instead of a database error or a member whose address
    no mail can reach.
    """
    field = User._meta.get_field("email")
    try:
        validate_single_line(email)
        field.clean(email, None)
    except ValidationError as exc:
        raise CommandError(
            gettext("Ongeldig e-mailadres %(email)r: %(reasons)s")
            % {"email": email[:100], "reasons": " ".join(exc.messages)}
        ) from exc
    return email


class Command(BaseCommand):
    help = "Print a new personal access token for the member with EMAIL (on the last line)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--create-user", action="store_true", help="create the member")
        parser.add_argument("--staff", action="store_true", help="make them an administrator")
        parser.add_argument("--name", default="command line", help="the token's name")

    @transaction.atomic
    def handle(self, *args, email, create_user, staff, name, **options):
        email = _checked_email(email.strip().lower())
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            if not create_user:
                raise CommandError(
                    gettext("Geen lid met e-mailadres %(email)s (gebruik --create-user).")
                    % {"email": email}
                )
            user = User.objects.create_user(email=email, full_name=email.split("@")[0][:150])
        if staff and not (user.is_staff and user.is_superuser):
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        try:
            _token, key = api_token_create(user=user, name=name)
        except DomainError as exc:
            # The atomic block rolls back a member created above.
            raise CommandError(
                gettext("Ongeldige --name: %(reason)s") % {"reason": exc.message}
            ) from exc
        self.stdout.write(key)
