"""The demo's follows and digest choices: the demo reader sees "For you" filled at once."""

from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command

from kb.follows.models import DigestPreference, Follow, Frequency, ItemRead
from kb.follows.services import for_you


def test_the_demo_users_follow_things_and_chose_how_often_they_hear_of_them() -> None:
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    reader = User.objects.get(username="reader")
    assert Follow.objects.filter(user=reader).count() == 5
    assert Follow.objects.filter(user__username="advocate").count() == 3
    frequencies = dict(DigestPreference.objects.values_list("user__username", "frequency"))
    assert frequencies == {
        "reader": Frequency.WEEKLY,
        "advocate": Frequency.DAILY,
        "editor": Frequency.OFF,
    }
    assert for_you(reader, 8).followed_count > 0
    assert ItemRead.objects.exists()
