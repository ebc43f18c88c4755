"""No resident ID number in the logs: a filter on the app's, the development server's and
gunicorn's loggers masks anything shaped like one (18 characters: 6 region digits, the birth
date and 4 more), keeping the region and the last four for whoever reads a log."""

import logging
import re

ID_NUMBER_LIKE = re.compile(r"(?<![0-9])([1-9]\d{5})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
LOGGERS = ("", "werkzeug", "gunicorn.access", "gunicorn.error")


def mask_id_numbers(text: str) -> str:
    return ID_NUMBER_LIKE.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), text)


class MaskIdNumbers(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        masked = mask_id_numbers(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def init_app(app):
    mask = MaskIdNumbers()
    for logger in (app.logger, *(logging.getLogger(name) for name in LOGGERS)):
        if not any(isinstance(f, MaskIdNumbers) for f in logger.filters):
            logger.addFilter(mask)
    for handler in logging.getLogger().handlers + app.logger.handlers:
        if not any(isinstance(f, MaskIdNumbers) for f in handler.filters):
            handler.addFilter(mask)
