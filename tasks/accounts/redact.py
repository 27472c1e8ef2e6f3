"""Keep password hashes out of logs, even when SQL logging is switched on.

SQLAlchemy logs statement parameters when its ``sqlalchemy.engine`` logger is
set to INFO (e.g. while debugging); an ``INSERT INTO accounts`` would then
print the argon2 hash.  :func:`install` adds a filter that blanks them.

>>> install(); logging.getLogger(ENGINE_LOGGER).filters[-1].__class__.__name__
'RedactSecrets'
"""

from __future__ import annotations

import logging
import re

ENGINE_LOGGER = "sqlalchemy.engine.Engine"
#: the whole PHC string: ``$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>`` (commas included)
_HASH = re.compile(r"\$argon2[a-z]*\$[A-Za-z0-9+/=,.$-]+")
MASK = "[已隐藏]"


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:
            return True
        if "$argon2" in text:
            record.msg, record.args = _HASH.sub(MASK, text), None
        return True


def install() -> None:
    """Idempotent: add the filter to SQLAlchemy's engine logger once."""
    logger = logging.getLogger(ENGINE_LOGGER)
    if not any(isinstance(f, RedactSecrets) for f in logger.filters):
        logger.addFilter(RedactSecrets())
