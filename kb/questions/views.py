"""Ask an advocate: the lists, asking and routing, the thread and what the asker,
answerers and editors do on it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kb.articles.models import Article
from kb.core.lists import paginate
from kb.core.permissions import can_add
from kb.questions import services
from kb.questions.forms import AnswerForm, HideForm, QuestionForm, RouteForm
from kb.questions.matching import suggest_advocates
from kb.questions.models import Answer, Question, can_moderate

# The lists, by the ``show`` parameter: (heading, how to narrow the visible questions).
LISTS = {
    "open": ("Open questions", lambda qs, user: qs.open()),
    "answered": ("Answered questions", lambda qs, user: qs.answered()),
    "stale": ("Unanswered for a week or more", lambda qs, user: qs.unanswered_for_a_week()),
    "waiting": ("Waiting for you", lambda qs, user: qs.waiting_for(user)),
    "mine": ("Your questions", lambda qs, user: qs.filter(asker=user)),
}


def question_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "open")
    if show not in LISTS:
        show = "open"
    heading, narrow = LISTS[show]
    visible = Question.objects.visible_to(request.user).live()
    page = paginate(request, narrow(visible, request.user).for_lists())
    context = {"page": page, "object_list": page.object_list, "show": show, "heading": heading}
    context["tabs"] = [(key, title) for key, (title, _) in LISTS.items()]
    return render(request, "questions/question_list.html", context)


def question_ask(request: HttpRequest) -> HttpResponse:
    question = Question(asker=request.user, department=services.asker_department(request.user))
    form = QuestionForm(request.POST if request.method == "POST" else None, instance=question)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():  # the question, its topics and its search queue entry
            form.save()
        return redirect("questions:route", pk=form.instance.pk)
    status = 400 if form.is_bound else 200
    return render(request, "questions/question_form.html", {"form": form}, status=status)


def _viewable(request: HttpRequest, pk: int) -> Question:
    question = get_object_or_404(
        Question.objects.select_related(
            "asker__advocate_profile", "platform", "department", "most_useful"
        ),
        pk=pk,
    )
    if not question.can_view(request.user):
        raise Http404("No such question.")
    return question


def question_route(request: HttpRequest, pk: int) -> HttpResponse:
    question = _viewable(request, pk)
    if not question.is_asker(request.user):
        raise PermissionDenied("Only the asker routes a question.")
    suggestions = suggest_advocates(question)
    form = RouteForm(request.POST if request.method == "POST" else None, suggestions=suggestions)
    if request.method == "POST" and form.is_valid():
        try:
            routings = services.question_route(
                question=question, asker=request.user, advocates=form.cleaned_data["advocates"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Your question went to {len(routings)} advocate(s).")
            return redirect(question)
    # What stays ticked: the asker's picks after an error; the best match at first.
    picked = (
        request.POST.getlist("advocates")
        if form.is_bound
        else [str(s.profile.user_id) for s in suggestions[:1]]
    )
    context = {"question": question, "suggestions": suggestions, "form": form, "picked": picked}
    return render(
        request, "questions/question_route.html", context, status=400 if form.errors else 200
    )


def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _viewable(request, pk), AnswerForm())


def _render_detail(
    request: HttpRequest, question: Question, form: AnswerForm, status: int = 200
) -> HttpResponse:
    user = request.user
    moderator = can_moderate(user)
    answers = [
        {
            "answer": answer,
            "can_delete": answer.can_delete(user),
            # A hidden answer's text stays readable to its author and the editors.
            "show_body": answer.hidden_at is None or moderator or answer.author_id == user.pk,
        }
        for answer in question.answers.filter(deleted_at__isnull=True).select_related(
            "author__advocate_profile"
        )
    ]
    context = {
        "question": question,
        "answers": answers,
        "show_body": question.hidden_at is None or moderator or question.is_asker(user),
        "routings": question.routings.select_related("advocate__advocate_profile"),
        "form": form if question.hidden_at is None else None,
        "is_asker": question.is_asker(user),
        "can_moderate": moderator,
        "can_write_articles": can_add(user, Article),
        "hide_form": HideForm(),
    }
    return render(request, "questions/question_detail.html", context, status=status)


@require_POST
def answer_create(request: HttpRequest, pk: int) -> HttpResponse:
    question = _viewable(request, pk)
    # Refused before the form is read, as the service would refuse it after.
    if not question.can_answer(request.user):
        raise PermissionDenied("You may not answer this question.")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, question, form, status=400)
    answer = services.answer_post(
        question=question, author=request.user, body=form.cleaned_data["body"]
    )
    return redirect(answer.get_absolute_url())


@require_POST
def question_answered(request: HttpRequest, pk: int) -> HttpResponse:
    question = _viewable(request, pk)
    answered = request.POST.get("answered") != "0"
    services.question_mark_answered(question=question, user=request.user, answered=answered)
    return redirect(question)


def _answer(request: HttpRequest, pk: int) -> Answer:
    answer = get_object_or_404(
        Answer.objects.select_related("question", "author").filter(deleted_at__isnull=True),
        pk=pk,
    )
    if not answer.question.can_view(request.user):
        raise Http404("No such answer.")
    return answer


@require_POST
def answer_most_useful(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _answer(request, pk)
    try:
        services.answer_mark_most_useful(answer=answer, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(answer.get_absolute_url())


@require_POST
def answer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _answer(request, pk)
    services.answer_delete(answer=answer, user=request.user)
    messages.success(request, "Your answer is deleted.")
    return redirect(answer.question)


@require_POST
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = _viewable(request, pk)
    services.question_delete(question=question, user=request.user)
    messages.success(request, "The question is in the trash.")
    return redirect("questions:list")


def _moderate(request: HttpRequest, item: Question | Answer) -> HttpResponse:
    # Refused before the form is read: a reader's empty POST is a 403, not "give a reason".
    if not can_moderate(request.user):
        raise PermissionDenied("Only editors may hide questions and answers.")
    hide = request.POST.get("action") != "unhide"
    form = HideForm(request.POST)
    if hide and not form.is_valid():
        messages.error(request, "Give the reason readers will see.")
    else:
        reason = form.cleaned_data.get("reason", "") if hide else ""
        services.moderate(item=item, editor=request.user, reason=reason, hide=hide)
    return redirect(item.get_absolute_url())


@require_POST
def question_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    return _moderate(request, _viewable(request, pk))


@require_POST
def answer_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    return _moderate(request, _answer(request, pk))


@require_POST
def answer_article(request: HttpRequest, pk: int) -> HttpResponse:
    article = services.answer_to_article(answer=_answer(request, pk), user=request.user)
    messages.success(request, "A draft article is ready: edit it, then submit it for review.")
    return redirect("articles:edit", slug=article.slug)
