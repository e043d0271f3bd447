"""
SQLite's LIKE, case-insensitive for every letter, not for ASCII alone.

Django's SQLite backend turns `contains`, `icontains`, `iexact`, `startswith`,
`istartswith`, `endswith` and `iendswith` into `LIKE %s ESCAPE '\\'`, and
SQLite's own LIKE folds only A-Z: the admin's search for «москва» did not find
«Москва», nor «ўздзеянне» «ЎЗДЗЕЯННЕ». Each new SQLite connection gets a `like()`
function in its place (SQLite calls it for every LIKE), which compares letters
as PostgreSQL's ILIKE does. The lookups without an "i" were already
case-insensitive for ASCII on SQLite (Django documents it); now they are for
every letter, the same rule throughout. `exact` is `=` and stays exact.

Letters are compared one by one, as Python's `re.IGNORECASE` compares them
(simple case folding: «Ў» is «ў», «Σ» is «σ» and «ς»), not by `str.casefold()`,
which makes «ß» two letters «ss»: LIKE's `_` stands for one character, and a
pattern must not match a different number of them than it says.

SQLite drops its LIKE optimisation (an index for a prefix) once `like()` is
replaced; nothing here searches by an index on SQLite, which is the demo's
database.
"""

import functools
import re

# SQLite refuses longer patterns too (SQLITE_MAX_LIKE_PATTERN_LENGTH).
MAX_PATTERN_LENGTH = 50_000
_FLAGS = re.IGNORECASE | re.DOTALL


def register(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: give a new SQLite connection the Unicode LIKE."""
    if connection.vendor != "sqlite":
        return
    # SQLite's documentation: override both forms, with and without ESCAPE.
    connection.connection.create_function("like", 2, like, deterministic=True)
    connection.connection.create_function("like", 3, like, deterministic=True)


def like(pattern, value, *escape):
    """
    `value LIKE pattern [ESCAPE escape]`: 1 or 0, or None when any of them is
    NULL. `%` stands for any characters, `_` for one; the escape character makes
    the character after it (`%`, `_` or itself) literal.
    """
    if pattern is None or value is None or None in escape:
        return None
    segments = _compile(_text(pattern), _escape_character(*escape))
    return int(segments is not None and _matches(segments, _text(value)))


def _text(value) -> str:
    """A value as SQLite's LIKE reads it: as text."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _escape_character(escape=None) -> str | None:
    if escape is None:
        return None
    escape = _text(escape)
    if len(escape) != 1:
        raise ValueError("ESCAPE expression must be a single character")
    return escape


@functools.lru_cache(maxsize=256)
def _compile(pattern: str, escape: str | None):
    """
    The pattern as the regular expressions of its parts between `%`s, each of a
    fixed length (a character or `_` is one character); None when the pattern
    ends in a lone escape character, which matches nothing (as in SQLite).
    """
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError("LIKE or GLOB pattern too complex")
    segments, current = [], []
    characters = iter(pattern)
    for character in characters:
        if character == escape:
            literal = next(characters, None)
            if literal is None:
                return None
            current.append(re.escape(literal))
        elif character == "%":
            segments.append(current)
            current = []
        elif character == "_":
            current.append(".")
        else:
            current.append(re.escape(character))
    segments.append(current)
    return [(re.compile("".join(segment), _FLAGS), len(segment)) for segment in segments]


def _matches(segments, value: str) -> bool:
    """
    Whether `value` matches: the first part at its start, the last at its end,
    the others in order between, each at the first place it fits (any match can
    be moved there, so no backtracking is needed).
    """
    (first, first_length), *middle = segments
    if not middle:
        return first.fullmatch(value) is not None
    *middle, (last, last_length) = middle
    if first.match(value) is None:
        return False
    position = first_length
    for part, length in middle:
        if length == 0:
            continue
        found = part.search(value, position)
        if found is None:
            return False
        position = found.end()
    end = len(value) - last_length
    return end >= position and last.fullmatch(value, end) is not None
