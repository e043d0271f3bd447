"""
Searching the news.

Every news item keeps a `search_text`: the words of its title, lead and body,
one part per line, lower-cased, with "ё" written as "е" and "ў" as "у"
(Belarusian writes "у" or "ў" by the word before: "у Лепелі", "ва ўстанове"),
so a query finds either spelling. It is made in Python
when the item is saved (`document_text`), so both databases search the same
normalised text:

* PostgreSQL keeps a weighted `tsvector` of it in a generated column (title A,
  lead B, body C), built with the text-search configuration of the item's
  language and indexed with GIN. Queries use web-search syntax (quoted phrases,
  `-word`, `or`), are ranked, and get highlighted snippets. When the words
  are found nowhere, words that begin with them are looked for; then, for a
  typo, the most similar words of the news (`SearchWord`, a vocabulary compared
  by trigrams on its own small index).
* SQLite has no full-text search here: every word of the query must begin a
  word of `search_text` (a phrase, a run of words), which is already
  lower-cased, so the match is case-insensitive for Cyrillic too. Results are
  correct but not ranked.

No search is cached, so each costs the database its queries: an address may
make PORTAL_SEARCH_RATE_LIMIT searches a minute (`count_search`), and on
PostgreSQL a search's queries may take PORTAL_SEARCH_TIMEOUT_MS (`time_limit`).
"""

import contextlib
import html
import ipaddress
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.conf import settings
from django.contrib.postgres.search import (
    SearchConfig,
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import OperationalError, connections, transaction
from django.db.models import Case, F, Func, Q, TextField, Value, When
from django.db.models.functions import Concat, Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from portal.login_protection import client_ip
from portal.page_cache import CACHE_ERRORS, shared_cache

# The PostgreSQL text-search configuration of each language of the news.
# PostgreSQL has no Belarusian stemmer: `simple` lower-cases and nothing more.
SEARCH_CONFIGS = {"ru": "russian", "en": "english", "be": "simple"}
DEFAULT_SEARCH_CONFIG = "simple"

MAX_QUERY_LENGTH = 200
# Each word of a query is searched for in up to three passes: forty words of
# 200 characters cost a second. Readers' queries have a few.
MAX_QUERY_WORDS = 10
# A typo is looked for in short queries only: each word takes a trigram lookup.
MAX_CORRECTED_WORDS = 3

# What ts_headline puts around matched words. Characters from Unicode's private
# use area never appear in a news item; the snippet is escaped around them.
START_MARK, STOP_MARK = "\ue000", "\ue001"
# Words the database's headline text is put between: a passage that holds one
# begins or ends the text and needs no "…" on that side. (Private-use marks
# would not do: the headline counts them as blanks, and leaves them out.)
TEXT_BEGINS, TEXT_ENDS = "qxtextbeginsqx", "qxtextendsqx"
SNIPPET_WORDS = 30
# At most this many matches, the newest, are ranked (PostgreSQL) or listed (SQLite).
SEARCH_CANDIDATES = 300

_WORD = re.compile(r"\w+")
# Words of three letters or more: shorter ones have too few trigrams to compare.
VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,}")
WORD_MAX_LENGTH = 50
_QUERY_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')

# PostgreSQL's SQLSTATE for a statement cancelled, by statement_timeout among others.
QUERY_CANCELED = "57014"
logger = logging.getLogger(__name__)


FOLDED_LETTERS = str.maketrans("ёў", "еу")
FOLDED_IN_EITHER_CASE = [("ё", "е"), ("Ё", "Е"), ("ў", "у"), ("Ў", "У")]


def fold(text: str) -> str:
    """
    Lower-case `text` and write "ё" as "е" and "ў" as "у", keeping its length (a
    character whose lower case is longer stays as it is), so positions in the
    result are positions in `text`.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # rare: a character such as "İ" lower-cases to two
        lowered = "".join(lower if len(lower := char.lower()) == 1 else char for char in text)
    return lowered.translate(FOLDED_LETTERS)


def folded(field: str) -> Replace:
    """The field with "ё" written as "е" and "ў" as "у", in either case: `fold` in SQL, for LIKE."""
    expression = F(field)
    for letter, replacement in FOLDED_IN_EITHER_CASE:
        expression = Replace(
            expression, Value(letter), Value(replacement), output_field=TextField()
        )
    return expression


class _TextExtractor(HTMLParser):
    """Collects the text of sanitized HTML; block elements separate words."""

    BLOCKS = {
        "blockquote", "br", "caption", "dd", "div", "dt", "figcaption", "figure", "h1", "h2",
        "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "table", "td", "th", "tr",
        "ul",
    }  # fmt: skip

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(body_html: str) -> str:
    """The text of an HTML body, with whitespace collapsed."""
    extractor = _TextExtractor()
    extractor.feed(body_html or "")
    extractor.close()
    return " ".join("".join(extractor.parts).split())


def document_text(title: str, lead: str, body_html: str) -> str:
    """
    What `NewsItem.search_text` holds: the words of the title, the lead and the
    body text, one part per line, folded, punctuation left out.
    """
    parts = (title or "", lead or "", plain_text(body_html))
    return "\n".join(" ".join(_WORD.findall(fold(part))) for part in parts)


@dataclass
class SearchTerms:
    """A query in web-search syntax, taken apart: words and phrases to find or to avoid."""

    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)

    def __bool__(self):
        return bool(self.include)


def parse_query(text: str) -> SearchTerms:
    """
    Split a query like `"лепельский район" урожай -ярмарка` into folded terms.
    Punctuation is ignored; "or" is ignored too (SQLite finds items with all words).
    """
    terms = SearchTerms()
    for match in _QUERY_TOKEN.finditer(text or ""):
        minus = match.group(1) or match.group(3)
        quoted = match.group(2) is not None
        words = _WORD.findall(fold(match.group(2) if quoted else match.group(4)))
        if not words or (not quoted and words == ["or"]):
            continue
        (terms.exclude if minus else terms.include).append(" ".join(words))
    return terms


def query_words(text: str) -> set[str]:
    """The different words a query asks to find or to avoid."""
    terms = parse_query(text)
    return set(_words(terms.include + terms.exclude))


def search_vector_expression():
    """
    The weighted tsvector of `search_text`, in the configuration of the row's language.

    Every part is immutable (constant configurations chosen by CASE, split_part,
    setweight), as PostgreSQL requires of a generated column.
    """
    config = Case(
        *[When(language=code, then=SearchConfig(name)) for code, name in SEARCH_CONFIGS.items()],
        default=SearchConfig(DEFAULT_SEARCH_CONFIG),
    )
    part = {
        number: Func(
            F("search_text"),
            Value("\n"),
            Value(number),
            function="split_part",
            output_field=TextField(),
        )
        for number in (1, 2, 3)
    }
    return PostgreSQLOnly(
        SearchVector(part[1], config=config, weight="A")
        + SearchVector(part[2], config=config, weight="B")
        + SearchVector(part[3], config=config, weight="C"),
        output_field=SearchVectorField(),
    )


class PostgreSQLOnly(Func):
    """An expression computed on PostgreSQL; NULL on other databases."""

    template = "%(expressions)s"

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor != "postgresql":
            return "NULL", []
        return super().as_sql(compiler, connection, **extra_context)


class SearchResults(Sequence):
    """
    What a search found, best first: a sequence of news items to paginate.

    The ids of the matches (at most SEARCH_CANDIDATES) are read at once, so their
    number is known without counting; the items are read for the slice a page
    shows, with `annotations` (PostgreSQL's highlighted passages).
    """

    def __init__(self, queryset, ids: list[int], corrected: bool = False, **annotations):
        self.queryset, self.ids, self.annotations = queryset, ids, annotations
        # True when the query's own words found nothing and words like them did (a typo).
        self.corrected = corrected

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._items(self.ids[index])
        return self._items([self.ids[index]])[0]

    def __iter__(self):
        return iter(self._items(self.ids))

    def _items(self, ids: list[int]) -> list:
        found = self.queryset.annotate(**self.annotations).in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]  # one may be gone since


def search_news(queryset, text: str, language: str) -> SearchResults:
    """
    The items of `queryset` in `language` that match the query `text`, best first
    (of the newest SEARCH_CANDIDATES matches, so that a word found in most of the
    news still costs little).

    On PostgreSQL the candidates are ranked as they are read, in one query, which
    also tells whether to try the next, looser query; each result then carries
    `search_headline` (text with START_MARK and STOP_MARK around matched words).
    """
    terms = parse_query(text)
    if not terms:
        return SearchResults(queryset, [])
    queryset = queryset.filter(language=language)
    if connections[queryset.db].vendor == "postgresql":
        return _full_text_search(queryset, text, terms, language)
    matches = queryset
    for term in terms.include:
        matches = matches.filter(_starts_a_word(term))
    for term in terms.exclude:
        matches = matches.exclude(_starts_a_word(term))
    newest = matches.order_by("-published_at", "-pk").values_list("pk", flat=True)
    return SearchResults(queryset, list(newest[:SEARCH_CANDIDATES]))


def _starts_a_word(term: str) -> Q:
    """`search_text` has a word (or words) beginning with `term`: "лен" finds "лен", "лена"."""
    return (
        Q(search_text__startswith=term)
        | Q(search_text__contains=f" {term}")
        | Q(search_text__contains=f"\n{term}")
    )


def _full_text_search(queryset, text: str, terms: SearchTerms, language: str):
    config = SEARCH_CONFIGS.get(language, DEFAULT_SEARCH_CONFIG)
    for query, corrected in _queries(text, terms, language, config):
        # A word in most of the news would have every match ranked, at 100,000
        # items a second or more: rank only the newest SEARCH_CANDIDATES matches.
        newest = list(
            queryset.filter(search_vector=query)
            .order_by("-published_at", "-pk")
            .values_list("pk", SearchRank(F("search_vector"), query))[:SEARCH_CANDIDATES]
        )
        if newest:
            # Best first; equal ranks stay newest first (the sort is stable).
            ranked = sorted(newest, key=lambda match: match[1], reverse=True)
            if config == DEFAULT_SEARCH_CONFIG:
                # Without a stemmer the database's headline would mark only words
                # written as folded (not «аўтобус», «лён»): `snippet()` marks them.
                return SearchResults(queryset, [pk for pk, _rank in ranked], corrected=corrected)
            # The database makes the snippets from the bodies: they are not read.
            return SearchResults(
                queryset.defer("body"),
                [pk for pk, _rank in ranked],
                corrected=corrected,
                search_headline=_headline(query, config),
            )
    return SearchResults(queryset, [])


def _queries(text: str, terms: SearchTerms, language: str, config: str):
    """
    The queries to try in turn, each only when those before it found nothing,
    and whether it looks for other words than the query's (a typo's correction).
    """
    yield SearchQuery(fold(text), config=config, search_type="websearch"), False
    if beginnings := _prefix_query(terms):
        # Nothing with these very words: words that begin with them ("спорт"
        # finds "спортивный").
        yield SearchQuery(beginnings, config=config, search_type="raw"), False
    if corrected := _corrected_query(terms, language):
        # Still nothing: perhaps a typo ("рмонт" finds "ремонт").
        yield SearchQuery(corrected, config=config, search_type="raw"), True


def _prefix_query(terms: SearchTerms) -> str:
    """`word:* & …` for the words to find, `!word` for those to avoid (PostgreSQL's syntax)."""
    include = [f"{word}:*" for word in _words(terms.include)]
    return " & ".join(include + _excluded(terms)) if include else ""


def _corrected_query(terms: SearchTerms, language: str) -> str:
    """
    The words to find, each replaced by the words of the news most similar to it
    (`(ремонт | ремонта)` for "рмонт"), and those to avoid; "" when a word to
    find has no similar word.
    """
    from .models import SearchWord

    words = _words(terms.include)
    if len(words) > MAX_CORRECTED_WORDS:
        return ""
    include = []
    for word in words:
        similar = SearchWord.objects.similar_to(language, word)
        if not similar:
            return ""
        include.append(f"({' | '.join(similar)})")
    return " & ".join(include + _excluded(terms))


def _words(terms: list[str]) -> list[str]:
    return [word for term in terms for word in _WORD.findall(term)]


def _excluded(terms: SearchTerms) -> list[str]:
    """`!word` for each word to avoid (PostgreSQL's syntax)."""
    return [f"!{word}" for word in _words(terms.exclude)]


def vocabulary(search_text: str) -> set[str]:
    """The words of a (folded) search text that typos are corrected to: letters only."""
    return {word for word in VOCABULARY_WORD.findall(search_text) if len(word) <= WORD_MAX_LENGTH}


def _headline(query: SearchQuery, config: str) -> SearchHeadline:
    """Passages of the lead and body with the matched words between START_MARK and STOP_MARK."""
    body_text = Func(
        F("body"),
        Value("<[^>]*>"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )
    return SearchHeadline(
        Concat(
            Value(f"{TEXT_BEGINS} "),
            F("lead"),
            Value(" "),
            body_text,
            Value(f" {TEXT_ENDS}"),
            output_field=TextField(),
        ),
        query,
        config=config,
        start_sel=START_MARK,
        stop_sel=STOP_MARK,
        max_words=SNIPPET_WORDS,
        min_words=SNIPPET_WORDS // 2,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def snippet(item, text: str) -> SafeString:
    """
    A short passage of the item with the query's words in <mark>, as safe HTML.

    Uses PostgreSQL's headline when the search made one; otherwise finds the
    words in the lead and body here.
    """
    headline = getattr(item, "search_headline", None)
    if headline:
        # "…" where the passage does not begin or end the text, as `_python_snippet` does.
        begins, ends = TEXT_BEGINS in headline, TEXT_ENDS in headline
        for word in (TEXT_BEGINS, TEXT_ENDS):
            headline = re.sub(f"{START_MARK}?{word}{STOP_MARK}?", "", headline)
        headline = ("" if begins else "… ") + " ".join(headline.split()) + ("" if ends else " …")
        # The headline is made from the body's HTML source: decode its entities.
        return _marked(html.unescape(headline))
    return _python_snippet(f"{item.lead} {plain_text(item.body)}", parse_query(text).include)


def _marked(text: str) -> SafeString:
    """Escape `text` and turn START_MARK…STOP_MARK into balanced <mark> elements."""
    out, open_mark = [], False
    for piece in re.split(f"([{START_MARK}{STOP_MARK}])", text):
        if piece == START_MARK:
            if not open_mark:
                out.append("<mark>")
                open_mark = True
        elif piece == STOP_MARK:
            if open_mark:
                out.append("</mark>")
                open_mark = False
        else:
            out.append(escape(piece))
    if open_mark:
        out.append("</mark>")
    return mark_safe("".join(out))  # every piece of text is escaped above


def _python_snippet(text: str, terms: list[str]) -> SafeString:
    """About SNIPPET_WORDS words of `text` around the first term found, terms marked."""
    text = " ".join(text.replace(START_MARK, "").replace(STOP_MARK, "").split())
    folded = fold(text)
    patterns = [
        re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, term.split()))) for term in terms
    ]
    found = [match.start() for pattern in patterns if (match := pattern.search(folded))]
    words = list(re.finditer(r"\S+", text))
    if not words:
        return mark_safe("")
    first = min(found) if found else 0
    center = next((i for i, word in enumerate(words) if word.end() > first), 0)
    start = max(0, center - SNIPPET_WORDS // 3)
    end = min(len(words), start + SNIPPET_WORDS)
    begin, finish = words[start].start(), words[end - 1].end()
    passage, folded_passage = text[begin:finish], folded[begin:finish]

    spans = [match.span() for pattern in patterns for match in pattern.finditer(folded_passage)]
    marked, cursor = [], 0
    for span_start, span_end in sorted(spans):
        if span_start < cursor:
            continue
        marked += [passage[cursor:span_start], START_MARK, passage[span_start:span_end], STOP_MARK]
        cursor = span_end
    marked.append(passage[cursor:])
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(words) else ""
    return _marked(prefix + "".join(marked) + suffix)


def count_search(request) -> int:
    """
    Count a search of the visitor's address (see `client_ip`) in the current
    minute of the clock, and return the seconds it must wait before searching:
    0 while it has made at most PORTAL_SEARCH_RATE_LIMIT searches this minute,
    otherwise those left until the next. A school's or an office's visitors
    share one address. Without a reachable cache nobody is counted.
    """
    limit = settings.PORTAL_SEARCH_RATE_LIMIT
    if limit <= 0:
        return 0
    now = time.time()
    minute = int(now // 60)
    key = f"search:searches:{searcher(client_ip(request))}:{minute}"
    try:
        counts = shared_cache()  # every worker's, or each would allow the limit
        counts.add(key, 0, timeout=2 * 60)
        searches = counts.incr(key)
    except ValueError:  # the entry was evicted between the two calls
        return 0
    except CACHE_ERRORS as error:
        logger.warning("The cache is unreachable (%s): searches are not counted.", error)
        return 0
    if searches <= limit:
        return 0
    return 60 * (minute + 1) - int(now)


def searcher(address: str | None) -> str:
    """
    Whom a search is counted against: an IPv4 address, or an IPv6 address's
    /64 network, which one household or phone is given whole and could
    otherwise search from at a new address each time.
    """
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return str(address)
    if ip.version == 6:
        if ip.ipv4_mapped:  # ::ffff:192.0.2.1, an IPv4 address
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class SearchTookTooLong(Exception):
    """PostgreSQL cancelled a search's query at PORTAL_SEARCH_TIMEOUT_MS."""


@contextlib.contextmanager
def time_limit(using: str):
    """
    Give the queries run inside the block PORTAL_SEARCH_TIMEOUT_MS on PostgreSQL,
    and raise `SearchTookTooLong` when one takes longer. SQLite cannot cancel
    a statement on time: there the block runs without a limit.

    The limit is `SET LOCAL`: it ends with the block's transaction, which is
    rolled back (a search only reads), so that inside an outer transaction (a
    savepoint then) the queries after the block have no limit either.
    """
    connection = connections[using]
    milliseconds = settings.PORTAL_SEARCH_TIMEOUT_MS
    if connection.vendor != "postgresql" or milliseconds <= 0:
        yield
        return
    try:
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                # SET LOCAL statement_timeout, with the value as a parameter.
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)", [f"{milliseconds}ms"]
                )
            yield
            transaction.set_rollback(True, using=using)
    except OperationalError as error:
        cause = error.__cause__
        if getattr(cause, "pgcode", None) != QUERY_CANCELED:
            raise
        raise SearchTookTooLong from error
