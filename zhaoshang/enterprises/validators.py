"""Validation of the unified social credit code (统一社会信用代码, GB 32100-2015)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError


def clean_credit_code(value):
    """The code in its compact upper-case form; whitespace and dashes removed."""
    return uscc.compact(value or "")


def validate_credit_code(value):
    if not value:
        return
    try:
        uscc.validate(value)
    except InvalidLength:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)s."),
            code="invalid_length",
            params={"count": len(clean_credit_code(value))},
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong: please check it."),
            code="invalid_checksum",
        ) from None
    except (InvalidFormat, StdnumError):
        raise ValidationError(
            _("This is not a valid unified social credit code: please check it."),
            code="invalid",
        ) from None
