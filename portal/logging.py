"""
Log records as JSON lines on stdout, for a log collector to read (or as text,
DJANGO_LOG_FORMAT=text), with share links' tokens left out.
"""

import datetime
import json
import logging
import re

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
                entry[key] = (
                    value if isinstance(value, str | int | float | bool | None) else str(value)
                )
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return without_share_tokens(json.dumps(entry, ensure_ascii=False))
