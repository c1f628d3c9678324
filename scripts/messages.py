#!/usr/bin/env python
"""Refresh and compile the zh_Hans translation catalogues, or check that they are complete.

Each app keeps its own catalogue (zhaoshang/<app>/locale/), covering its Python code and
its templates (zhaoshang/<app>/templates/); the project catalogue (locale/) covers
templates/ and the zhaoshang package's own modules. Separate catalogues keep parallel work
on different apps from touching the same file.

    python scripts/messages.py           refresh every catalogue, then compile the .mo files
    python scripts/messages.py --app X   the same for app X only (or "project")
    python scripts/messages.py --check   in a scratch copy: refresh, and fail on any message
                                         without a translation, any fuzzy one, or a .mo file
                                         that does not match its .po
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANG = "zh_Hans"


def catalogue_dirs(root, only=None):
    """(directory to run makemessages in, extra ignore patterns) for every catalogue."""
    apps = sorted(p.parent for p in (root / "zhaoshang").glob("*/apps.py"))
    if only in (None, "project"):
        yield root, ["zhaoshang/*/*", ".venv/*", "bench/*", "tests/*", "*/tests/*", "docs/*"]
    for app in apps:
        if only is None or app.name == only:
            yield app, ["tests/*", "migrations/*"]


def run_makemessages(root, only=None):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhaoshang.settings", "PYTHONPATH": str(root)}
    env.setdefault("ZHAOSHANG_DATA_DIR", tempfile.mkdtemp(prefix="zs-messages-"))
    for folder, ignores in catalogue_dirs(root, only):
        (folder / "locale").mkdir(exist_ok=True)
        # -P: the app folder is the working directory and must not shadow the standard
        # library with a module of the same name.
        cmd = [
            sys.executable,
            "-P",
            "-m",
            "django",
            "makemessages",
            "-l",
            LANG,
            "--no-obsolete",
            "--add-location=never",
        ]
        for pattern in ignores:
            cmd += ["--ignore", pattern]
        subprocess.run(cmd, cwd=folder, env=env, check=True, stdout=subprocess.DEVNULL)


def po_files(root, only=None):
    tail = f"locale/{LANG}/LC_MESSAGES/django.po"
    if only == "project":
        return sorted(root.glob(tail))
    if only:
        return sorted(root.glob(f"zhaoshang/{only}/{tail}"))
    return sorted([*root.glob(tail), *root.glob(f"zhaoshang/*/{tail}")])


def compile_all(root, only=None):
    for po in po_files(root, only):
        subprocess.run(["msgfmt", "--check", "-o", str(po.with_suffix(".mo")), str(po)], check=True)


ENTRY = re.compile(
    # "#, fuzzy" alone or among other flags ("#, fuzzy, python-format").
    r'(#,[^\n]*\bfuzzy\b[^\n]*\n)?(?:#.*\n)*msgid ((?:".*"\n)+)(?:msgid_plural (?:".*"\n)+)?'
    r'((?:msgstr(?:\[\d\])? (?:".*"\n)+)+)'
)


def problems(po):
    text = po.read_text(encoding="utf-8") + "\n"
    found = []
    for match in ENTRY.finditer(text):
        msgid = "".join(re.findall(r'"(.*)"', match.group(2)))
        if not msgid:
            continue  # the header
        strs = re.findall(r'msgstr(?:\[\d\])? ((?:".*"\n)+)', match.group(3))
        values = ["".join(re.findall(r'"(.*)"', s)) for s in strs]
        if match.group(1):
            found.append(f"{po}: fuzzy: {msgid}")
        elif not all(values):
            found.append(f"{po}: untranslated: {msgid}")
    return found


def check():
    scratch = Path(tempfile.mkdtemp(prefix="zs-messages-check-"))
    try:
        ignore = shutil.ignore_patterns(
            ".venv",
            ".git",
            "data",
            ".test-data",
            "staticfiles",
            "vendor",
            "node_modules",
            "*.png",
            "test-artifacts",
        )
        copy = scratch / "src"
        shutil.copytree(ROOT, copy, ignore=ignore)
        run_makemessages(copy)
        issues = [p for po in po_files(copy) for p in problems(po)]
        for po in po_files(ROOT):
            compiled = subprocess.run(
                ["msgfmt", "-o", "-", str(po)], capture_output=True, check=True
            ).stdout
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.read_bytes() != compiled:
                issues.append(f"{mo}: missing or not compiled from its .po (run make messages)")
        return [i.replace(str(copy), ".") for i in issues]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--app", help="only this app's catalogue (or 'project')")
    args = parser.parse_args()
    if args.check:
        issues = check()
        print("\n".join(issues) or "all catalogues complete")
        return 1 if issues else 0
    run_makemessages(ROOT, args.app)
    compile_all(ROOT, args.app)
    untranslated = [p for po in po_files(ROOT, args.app) for p in problems(po)]
    print("\n".join(untranslated) or "all catalogues complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
