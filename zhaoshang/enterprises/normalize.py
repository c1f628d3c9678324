"""Normalised enterprise names: one form for the same name written in different ways.

Traditional characters become simplified (OpenCC t2s), full-width characters half-width
(NFKC), whitespace goes, brackets are unified to "()" and the company-form suffixes
有限责任公司 / 股份有限公司 / 有限公司 count as the same. Used to find duplicates and to
search, so "恆銳" finds "苏州恒锐精密机械有限公司".
"""

import re
import unicodedata
from functools import lru_cache

BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")"})
WHITESPACE = re.compile(r"\s+")
# Longest first: every company-form variant becomes 有限公司.
COMPANY_FORMS = re.compile(r"股份有限公司|有限责任公司|有限公司")


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def normalize_name(value):
    """The normalised form of an enterprise name (or of a search fragment)."""
    if not value:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = WHITESPACE.sub("", text)
    text = _converter().convert(text)
    text = text.translate(BRACKETS).casefold()
    return COMPANY_FORMS.sub("有限公司", text)
