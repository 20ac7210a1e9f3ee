"""The demo questions: answered and open ones, one private and one waiting over a week."""

from io import StringIO

from django.core.management import call_command

from kb.questions.models import Question


def test_the_demo_has_answered_open_private_and_stale_questions(db) -> None:
    call_command("load_demo", stdout=StringIO())
    questions = Question.objects.all()
    assert questions.answered().count() >= 4
    assert questions.open().count() >= 2
    assert questions.unanswered_for_a_week().exists()
    assert questions.filter(private=True).exists()
    assert questions.filter(most_useful__isnull=False).exists()
    assert all(q.routings.exists() for q in questions)
    call_command("load_demo", "--force", stdout=StringIO())
    assert Question.objects.count() == questions.count()
