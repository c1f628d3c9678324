#!/usr/bin/env bash
# Vendor the front-end libraries into zhaoshang/static/vendor/ at pinned versions.
#
# Needs node/npm (and python3) at *build* time only; the app itself never needs
# node, a CDN or any external URL at run time.  Re-run after changing a version:
#     scripts/vendor-static.sh
# The whole vendor directory is regenerated (including VERSIONS.txt).
set -euo pipefail

# --- pinned versions ---------------------------------------------------------
TABLER_CORE_VERSION=1.6.1        # @tabler/core            MIT
TABLER_ICONS_VERSION=3.49.0      # @tabler/icons-webfont   MIT
HTMX_VERSION=2.0.11              # htmx.org (v2 line)      0BSD
ECHARTS_VERSION=6.1.0            # echarts                 Apache-2.0
LEAFLET_VERSION=1.9.4            # leaflet                 BSD-2-Clause
SWAGGER_UI_VERSION=5.35.0        # swagger-ui-dist         Apache-2.0
# ------------------------------------------------------------------------------

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/zhaoshang/static/vendor"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

VERSIONS_LINES=()

# fetch <package> <version> -> prints the extracted package dir
fetch() {
    local pkg="$1" ver="$2" tgz dir
    tgz="$(cd "$TMP" && npm pack --silent "${pkg}@${ver}" 2>/dev/null | tail -n1)"
    [[ -f "$TMP/$tgz" ]] || { echo "npm pack ${pkg}@${ver} failed" >&2; exit 1; }
    dir="$TMP/${tgz%.tgz}"
    mkdir -p "$dir"
    tar xzf "$TMP/$tgz" -C "$dir"
    dir="$dir/package"
    python3 - "$dir/package.json" "$pkg" "$ver" <<'EOF'
import json, sys
p = json.load(open(sys.argv[1]))
if p["name"] != sys.argv[2] or p["version"] != sys.argv[3]:
    sys.exit(f"unexpected package {p['name']}@{p['version']}")
EOF
    echo "$dir"
}

# record <package> <version> <pkgdir> <subdir> [licence-override]
record() {
    local lic="${5:-}"
    if [[ -z "$lic" ]]; then
        lic="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("license") or "")' "$3/package.json")"
    fi
    [[ -n "$lic" ]] || { echo "no licence for $1" >&2; exit 1; }
    VERSIONS_LINES+=("$(printf '%-24s %-9s %-14s %s' "$1" "$2" "$lic" "$4/")")
}

rm -rf "$DEST"
mkdir -p "$DEST"

# 1. Tabler core -------------------------------------------------------------
d="$(fetch @tabler/core "$TABLER_CORE_VERSION")"
mkdir -p "$DEST/tabler"
cp "$d/dist/css/tabler.min.css" "$d/dist/js/tabler.min.js" "$DEST/tabler/"
record @tabler/core "$TABLER_CORE_VERSION" "$d" tabler

# 2. Tabler icons webfont (woff2 only) ------------------------------------------
d="$(fetch @tabler/icons-webfont "$TABLER_ICONS_VERSION")"
mkdir -p "$DEST/tabler-icons/fonts"
cp "$d/dist/tabler-icons.min.css" "$DEST/tabler-icons/"
cp "$d/dist/fonts/tabler-icons.woff2" "$DEST/tabler-icons/fonts/"
cp "$d/LICENSE" "$DEST/tabler-icons/"
# package.json has no "license" field; LICENSE file is MIT.
grep -q '^MIT License' "$d/LICENSE" || { echo "tabler-icons licence changed?" >&2; exit 1; }
record @tabler/icons-webfont "$TABLER_ICONS_VERSION" "$d" tabler-icons MIT
# keep only the woff2 source in @font-face (no woff/ttf -> no 404s)
python3 - "$DEST/tabler-icons/tabler-icons.min.css" <<'EOF'
import re, sys
path = sys.argv[1]
css = open(path, encoding="utf-8").read()
css, n = re.subn(
    r'(@font-face\s*\{[^}]*?font-family:\s*"tabler-icons"[^}]*?)src:[^;}]*',
    r'\1src:url("./fonts/tabler-icons.woff2") format("woff2")',
    css,
)
if n != 1:
    sys.exit(f"tabler-icons: expected 1 @font-face src, rewrote {n}")
open(path, "w", encoding="utf-8").write(css)
EOF

# 3. htmx (v2) -------------------------------------------------------------------
d="$(fetch htmx.org "$HTMX_VERSION")"
mkdir -p "$DEST/htmx"
cp "$d/dist/htmx.min.js" "$d/LICENSE" "$DEST/htmx/"
record htmx.org "$HTMX_VERSION" "$d" htmx

# 4. ECharts ---------------------------------------------------------------------
d="$(fetch echarts "$ECHARTS_VERSION")"
mkdir -p "$DEST/echarts"
cp "$d/dist/echarts.min.js" "$d/LICENSE" "$d/NOTICE" "$DEST/echarts/"
record echarts "$ECHARTS_VERSION" "$d" echarts

# 5. Leaflet ---------------------------------------------------------------------
d="$(fetch leaflet "$LEAFLET_VERSION")"
mkdir -p "$DEST/leaflet/images"
cp "$d/dist/leaflet.js" "$d/dist/leaflet.css" "$d/LICENSE" "$DEST/leaflet/"
cp "$d"/dist/images/* "$DEST/leaflet/images/"
record leaflet "$LEAFLET_VERSION" "$d" leaflet

# 6. Swagger UI ------------------------------------------------------------------
d="$(fetch swagger-ui-dist "$SWAGGER_UI_VERSION")"
mkdir -p "$DEST/swagger-ui"
cp "$d/swagger-ui-bundle.js" "$d/swagger-ui-standalone-preset.js" "$d/swagger-ui.css" \
   "$d/favicon-16x16.png" "$d/favicon-32x32.png" \
   "$d/swagger-ui-bundle.js.LICENSE.txt" "$d/swagger-ui-standalone-preset.js.LICENSE.txt" \
   "$d/LICENSE" "$d/NOTICE" "$DEST/swagger-ui/"
record swagger-ui-dist "$SWAGGER_UI_VERSION" "$d" swagger-ui

# --- post-processing on all vendored CSS/JS ----------------------------------------
# * drop sourceMappingURL comments (maps are not vendored; Django's
#   ManifestStaticFilesStorage would otherwise fail on the missing .map files)
# * drop any @import of an external stylesheet (e.g. rsms.me / Google Fonts)
# * fail if any CSS url() still points outside (http://, https://, //)
python3 - "$DEST" <<'EOF'
import pathlib, re, sys
root = pathlib.Path(sys.argv[1])
# only the trailing map comment at the very end of the file (never inside code)
smap = re.compile(r'\n?(?:/\*[#@]\s*sourceMappingURL=[^*]*\*/|//[#@]\s*sourceMappingURL=[^\s\'"]*)\s*\Z')
ext_import = re.compile(r'@import\s+(?:url\(\s*)?["\']?(?:https?:)?//[^;]*;', re.I)
ext_url = re.compile(r'url\(\s*["\']?(?:https?:)?//', re.I)
bad = []
for p in sorted(root.rglob("*")):
    if p.suffix not in (".css", ".js"):
        continue
    with open(p, encoding="utf-8", newline="") as f:
        text = f.read()
    new = smap.sub("", text)
    if p.suffix == ".css":
        new = ext_import.sub("", new)
        if ext_url.search(new):
            bad.append(str(p))
    if new != text:
        with open(p, "w", encoding="utf-8", newline="") as f:
            f.write(new)
        print(f"  cleaned {p.relative_to(root)}")
if bad:
    sys.exit("external url() left in: " + ", ".join(bad))
EOF

# --- VERSIONS.txt ---------------------------------------------------------------------
{
    echo "# Vendored front-end libraries - generated by scripts/vendor-static.sh, do not edit."
    echo "# Source: npm registry tarballs (npm pack). Minified dist files only; no source maps."
    printf '%-24s %-9s %-14s %s\n' "# package" "version" "licence" "directory"
    printf '%s\n' "${VERSIONS_LINES[@]}"
} > "$DEST/VERSIONS.txt"

echo "vendored into $DEST:"
cat "$DEST/VERSIONS.txt"
du -sh "$DEST"
