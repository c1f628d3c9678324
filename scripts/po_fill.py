#!/usr/bin/env python
"""Fill empty translations of a .po file from a JSON object read on standard input.

    python scripts/po_fill.py zhaoshang/<app>/locale/zh_Hans/LC_MESSAGES/django.po <<'JSON'
    {"Projects": "项目", "%(counter)s record": "%(counter)s 条记录"}
    JSON

Keys are the full msgid as written in the .po (long ones joined as one string); a plural
entry gets the same Chinese text for every form. Entries that already have a translation
are left alone, and the fuzzy flag is removed from entries it fills.
Then run `make messages` to compile.
"""

import json
import re
import sys
from pathlib import Path

ENTRY = re.compile(
    r"(?P<flags>#, [^\n]*\n)?(?P<comments>(?:#[^\n]*\n)*)"
    r"(?P<msgid>msgid (?:\"[^\n]*\"\n)+)(?P<plural>msgid_plural (?:\"[^\n]*\"\n)+)?"
    r"(?P<msgstr>(?:msgstr(?:\[\d\])? (?:\"[^\n]*\"\n)+)+)"
)


def joined(block):
    return "".join(re.findall(r'"(.*)"', block))


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fill(text, table):
    def replace(match):
        msgid = joined(match.group("msgid"))
        strs = re.findall(r"msgstr(?:\[\d\])? ((?:\"[^\n]*\"\n)+)", match.group("msgstr"))
        if not msgid or msgid not in table:
            return match.group(0)
        fuzzy = match.group("flags") and "fuzzy" in match.group("flags")
        if all(joined(s) for s in strs) and not fuzzy:
            return match.group(0)
        value = table[msgid]
        flags = match.group("flags") or ""
        if fuzzy:
            flags = re.sub(r",? ?fuzzy", "", flags)
            flags = "" if flags.strip() == "#" else flags
        comments = re.sub(r"#\| [^\n]*\n", "", match.group("comments"))
        if match.group("plural"):
            body = f"msgstr[0] {quote(value)}\n"
        else:
            body = f"msgstr {quote(value)}\n"
        return flags + comments + match.group("msgid") + (match.group("plural") or "") + body

    return ENTRY.sub(replace, text)


def main():
    path = Path(sys.argv[1])
    table = json.load(sys.stdin)
    path.write_text(fill(path.read_text(encoding="utf-8"), table), encoding="utf-8")


if __name__ == "__main__":
    main()
