"""
Log records as JSON lines on stdout, for a log collector to read (or as text,
DJANGO_LOG_FORMAT=text), with share links' tokens left out, and ERROR kept for
the server's own failures.
"""

import datetime
import json
import logging
import re

from django.http import HttpRequest

# Attributes every LogRecord has; anything else was passed as `extra`.
STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
}

# A share link's token lets whoever has it read a draft. Logs are read by more
# people and programs than the admin's share links page: they name such a link
# (a request's path, a 404 or 410 warning) without it.
SHARE_TOKEN = re.compile(r"(/news/shared/)[^/\s?#'\"\\]+")


def without_share_tokens(line: str) -> str:
    return SHARE_TOKEN.sub(r"\1…", line)


def _loggable(value):
    """
    A record's extra value as JSON can hold it. Django's request records
    carry the request, whose text would have the query string: what was
    searched for, whatever a form sent by GET. It is written as its method
    and path, like the portal's own request lines.
    """
    if isinstance(value, HttpRequest):
        return f"{value.method} {value.path}"
    return value if isinstance(value, str | int | float | bool | None) else str(value)


class VisitorsFaultsAsWarnings(logging.Filter):
    """
    Django logs a request it refuses as suspicious (a Host not served here, more
    form fields or a larger body than allowed: its `django.security.*` loggers)
    as an ERROR with a traceback. The fault is the visitor's, who gets the 400
    page, and any bot can send one: such records are WARNINGs without the
    traceback, so that an ERROR in the log means the server failed.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.security.") and record.levelno > logging.WARNING:
            record.levelno, record.levelname = (
                logging.WARNING,
                logging.getLevelName(logging.WARNING),
            )
            record.exc_info = record.exc_text = None
        return True


class TextFormatter(logging.Formatter):
    """Logging's own formatter, share links' tokens left out."""

    def format(self, record: logging.LogRecord) -> str:
        return without_share_tokens(super().format(record))


class JSONFormatter(logging.Formatter):
    """
    One JSON object per line: time (UTC), level, logger, message, the
    record's `extra` values (method, path, status, duration_ms for requests)
    and, for errors, the traceback. Share links' tokens are left out.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = _loggable(value)
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return without_share_tokens(json.dumps(entry, ensure_ascii=False))
