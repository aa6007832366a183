import pytest

from bouwplaats.newsletters import avg, services
from bouwplaats.newsletters.models import Subscription

pytestmark = pytest.mark.django_db


def test_export_and_forget_the_members_subscriptions(member, other_member, newsletter_list):
    services.member_subscribe(user=member, newsletter_list=newsletter_list)
    services.member_subscribe(user=other_member, newsletter_list=newsletter_list)
    exported = avg.export(user=member)
    assert [
        (row["email"], row["status"], row["bron_toestemming"]) for row in exported["nieuwsbrieven"]
    ] == [(member.email, "confirmed", "profiel")]
    assert exported["nieuwsbrieven"][0]["toestemming_op"]
    avg.forget(user=member)
    assert list(Subscription.objects.values_list("email", flat=True)) == [other_member.email]
