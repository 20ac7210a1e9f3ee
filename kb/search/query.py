"""Parse what people type into a search box into a small, safe query tree.

Web-search syntax: words are ANDed, "quoted phrases" match in order, OR between two
terms gives alternatives, and a leading minus excludes. Anything else — unbalanced
quotes, FTS operators (NEAR, *, ^, :), SQL, control characters, emoji — is reduced to
plain words, which is all the backends ever see, so no input can break their syntax.
The search leaves out common words ("does", "on", "the": STOP_WORDS) except inside a
phrase (Query.without_stop_words).
"""

import re
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 12
MAX_WORD_CHARS = 64
WORD = re.compile(r"[^\W_]+")
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# PostgreSQL's "english" text search configuration (Snowball's list) ignores these words,
# so they can never match there. Dropping them from the query on every database makes
# SQLite, whose index keeps them, find the same things, and keeps a natural question
# ("does employee advocacy on linkedin help recruitment") from requiring "does" and "on".
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now""".split()
)


@dataclass(frozen=True)
class Term:
    """One word, or several that must appear together in order (a phrase). A quoted term
    is ``exact``: it is looked for as typed, without synonyms."""

    words: tuple[str, ...]
    exact: bool = False

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
            return Term(tuple(replacements.get(w, w) for w in term.words), term.exact)

        return Query([Clause([fix(t) for t in c.alternatives], c.negated) for c in self.clauses])

    def stop_words(self) -> list[str]:
        """The common words this query looks for on their own (not inside a phrase)."""
        return list(
            dict.fromkeys(
                term.words[0]
                for clause in self.clauses
                for term in clause.alternatives
                if not term.is_phrase and term.words[0] in STOP_WORDS
            )
        )

    def without_stop_words(self) -> "Query":
        """This query less its common words (see STOP_WORDS); a clause made only of them
        goes. Phrases keep theirs: "state of the art" still means those words in order."""
        clauses = []
        for clause in self.clauses:
            kept = [
                term
                for term in clause.alternatives
                if term.is_phrase or term.words[0] not in STOP_WORDS
            ]
            if kept:
                clauses.append(Clause(kept, clause.negated))
        return Query(clauses)


def words_of_text(text: str) -> tuple[str, ...]:
    """The words the search looks for in ``text``: lower case, letters and digits."""
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
        words = words_of_text(quoted if quoted is not None else bare)
        if not words:
            continue
        # A quoted phrase, one word, or "e-mail"/"covid-19"/"a:b" kept together as a phrase.
        term = Term(words, exact=quoted is not None)
        if join_next and not negated:
            clauses[-1].alternatives.append(term)
        else:
            clauses.append(Clause([term], negated))
        join_next = False
    return Query(clauses[:MAX_CLAUSES])
