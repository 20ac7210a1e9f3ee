"""Parse what people type into a search box into a small, safe query tree.

Web-search syntax: words are ANDed, "quoted phrases" match in order, OR between two
terms gives alternatives, and a leading minus excludes. Anything else — unbalanced
quotes, FTS operators (NEAR, *, ^, :), SQL, control characters, emoji — is reduced to
plain words, which is all the backends ever see, so no input can break their syntax.
"""

import re
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 12
MAX_WORD_CHARS = 64
WORD = re.compile(r"[^\W_]+")
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    """One word, or several that must appear together in order (a phrase)."""

    words: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def text(self) -> str:
        joined = " ".join(self.words)
        return f'"{joined}"' if self.is_phrase else joined


@dataclass
class Clause:
    """Alternatives joined by OR; a negated clause excludes documents matching any of them."""

    alternatives: list[Term]
    negated: bool = False


@dataclass
class Query:
    clauses: list[Clause] = field(default_factory=list)

    @property
    def positive(self) -> list[Clause]:
        return [clause for clause in self.clauses if not clause.negated]

    @property
    def negative(self) -> list[Clause]:
        return [clause for clause in self.clauses if clause.negated]

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    def words(self) -> list[str]:
        return [word for c in self.positive for term in c.alternatives for word in term.words]

    def text(self) -> str:
        """The query written back in the syntax people type, e.g. for "did you mean"."""
        parts = []
        for clause in self.clauses:
            alternatives = " OR ".join(term.text() for term in clause.alternatives)
            parts.append(("-" if clause.negated else "") + alternatives)
        return " ".join(parts)

    def replace_words(self, replacements: dict[str, str]) -> "Query":
        def fix(term: Term) -> Term:
            return Term(tuple(replacements.get(w, w) for w in term.words))

        return Query([Clause([fix(t) for t in c.alternatives], c.negated) for c in self.clauses])


def _words(text: str) -> tuple[str, ...]:
    return tuple(word[:MAX_WORD_CHARS].lower() for word in WORD.findall(text))


def parse(text: str) -> Query:
    """Parse user input; never raises."""
    text = (text or "").replace("\x00", " ")[:MAX_QUERY_CHARS]
    clauses: list[Clause] = []
    join_next = False
    for match in TOKEN.finditer(text):
        minus, quoted, bare = match.groups()
        if bare == "OR":
            join_next = bool(clauses) and not clauses[-1].negated
            continue
        negated = bool(minus) or (bare is not None and bare.startswith("-") and len(bare) > 1)
        words = _words(quoted if quoted is not None else bare)
        if not words:
            continue
        # A quoted phrase, one word, or "e-mail"/"covid-19"/"a:b" kept together as a phrase.
        term = Term(words)
        if join_next and not negated:
            clauses[-1].alternatives.append(term)
        else:
            clauses.append(Clause([term], negated))
        join_next = False
    return Query(clauses[:MAX_CLAUSES])
