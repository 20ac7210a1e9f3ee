"""Which advocates to suggest for a question, best match first, and why each matches.

An advocate open to help matches by what they know (expertise tags shared with the
question's topics), the platforms they use and their department. A shared topic weighs
most, then the platform, then the department; ties go by name, so the order is stable.
"""

from dataclasses import dataclass

from django.db.models import Q

from kb.advocates.models import AdvocateProfile
from kb.questions.models import Question

TOPIC_WEIGHT = 3
PLATFORM_WEIGHT = 2
DEPARTMENT_WEIGHT = 1
SUGGESTED = 8


@dataclass(frozen=True)
class Suggestion:
    profile: AdvocateProfile
    score: int
    reasons: tuple[str, ...]

    @property
    def explanation(self) -> str:
        """Why this advocate matches: "knows LinkedIn, in your department"."""
        return ", ".join(self.reasons)


def suggest_advocates(question: Question, limit: int | None = SUGGESTED) -> list[Suggestion]:
    topic_ids = {tag.pk for tag in question.topics.all()}
    matches = Q(expertise__in=topic_ids) if topic_ids else Q(pk__in=[])
    if question.platform_id:
        matches |= Q(platforms=question.platform_id)
    if question.department_id:
        matches |= Q(department=question.department_id)
    candidates = (
        AdvocateProfile.objects.listed()
        .filter(matches, open_to_help=True)
        .exclude(user=question.asker_id)
        .distinct()
        .for_cards()
    )
    asker_department = (
        AdvocateProfile.objects.filter(user=question.asker_id)
        .values_list("department", flat=True)
        .first()
    )
    suggestions = [
        _explain(profile, question, topic_ids, asker_department) for profile in candidates
    ]
    suggestions.sort(key=lambda s: (-s.score, s.profile.display_name.casefold(), s.profile.pk))
    return suggestions[:limit]


def _explain(
    profile: AdvocateProfile, question: Question, topic_ids: set[int], asker_department: int | None
) -> Suggestion:
    reasons, score = [], 0
    for tag in profile.expertise.all():
        if tag.pk in topic_ids:
            reasons.append(f"knows {tag.name}")
            score += TOPIC_WEIGHT
    if any(platform.pk == question.platform_id for platform in profile.platforms.all()):
        reasons.append(f"knows {question.platform.name}")
        score += PLATFORM_WEIGHT
    if question.department_id and profile.department_id == question.department_id:
        same = profile.department_id == asker_department
        reasons.append("in your department" if same else f"in {profile.department.name}")
        score += DEPARTMENT_WEIGHT
    return Suggestion(profile=profile, score=score, reasons=tuple(reasons))
