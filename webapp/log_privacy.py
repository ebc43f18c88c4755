"""No resident ID number or mobile number in the logs: a filter on the app's, the development
server's, gunicorn's and the request log's loggers masks anything shaped like one, keeping what
lets whoever reads a log tell records apart (an ID number's region and last four, a mobile's
first three and last four)."""

import logging
import re

ID_NUMBER_LIKE = re.compile(r"(?<![0-9])([1-9]\d{5})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
MOBILE_LIKE = re.compile(r"(?<![0-9])((?:86)?1[3-9]\d)(\d{4})(\d{4})(?![0-9])")
LOGGERS = ("", "werkzeug", "gunicorn.access", "gunicorn.error", "studentloan.requests")


def mask_personal_numbers(text: str) -> str:
    text = ID_NUMBER_LIKE.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), text)
    return MOBILE_LIKE.sub(lambda m: m.group(1) + "****" + m.group(3), text)


class MaskPersonalNumbers(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        masked = mask_personal_numbers(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def init_app(app):
    mask = MaskPersonalNumbers()
    for logger in (app.logger, *(logging.getLogger(name) for name in LOGGERS)):
        if not any(isinstance(f, MaskPersonalNumbers) for f in logger.filters):
            logger.addFilter(mask)
    for handler in logging.getLogger().handlers + app.logger.handlers:
        if not any(isinstance(f, MaskPersonalNumbers) for f in handler.filters):
            handler.addFilter(mask)
