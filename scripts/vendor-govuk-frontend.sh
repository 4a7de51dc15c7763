#!/usr/bin/env bash
# Vendor GOV.UK Frontend and htmx into web/static/ from the npm registry. Re-run to update:
#   scripts/vendor-govuk-frontend.sh                       # the pinned versions below
#   GOVUK_FRONTEND_VERSION=6.7.0 scripts/vendor-govuk-frontend.sh
#
# GOV.UK Frontend's published CSS loads the GDS Transport typeface, which only GOV.UK services may
# use. So the CSS is built from the package's own Sass with its documented settings instead: the
# Arial fallback stack, no @font-face, and asset URLs under the app's static path. Nothing
# restricted to GOV.UK is copied: not the fonts, not the crown favicons and icons, not the royal
# crest (used only by .govuk-footer__copyright-logo, which Llais must not use).
# Needs node and npm; run where the npm registry is reachable. Tests never fetch anything.
set -euo pipefail

GOVUK_FRONTEND_VERSION="${GOVUK_FRONTEND_VERSION:-6.6.0}"
HTMX_VERSION="${HTMX_VERSION:-2.0.11}"
SASS_VERSION="${SASS_VERSION:-1.108.2}"
STATIC_URL="${STATIC_URL:-/static/}"
FONT_STACK="arial, sans-serif"

root="$(cd "$(dirname "$0")/.." && pwd)"
static="$root/web/static"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# unpack SPEC DIR: download one npm package into DIR/package; print "version integrity"
unpack() {
  local spec="$1" dir="$2"
  mkdir -p "$dir"
  npm pack --silent --json --pack-destination "$dir" "$spec" >"$dir/pack.json"
  tar -xzf "$dir"/*.tgz -C "$dir"
  node -e 'const [p] = require(process.argv[1]); console.log(p.version + " " + p.integrity)' \
    "$dir/pack.json"
}

read -r govuk_version govuk_integrity < <(unpack "govuk-frontend@$GOVUK_FRONTEND_VERSION" "$work/govuk")
read -r htmx_version htmx_integrity < <(unpack "htmx.org@$HTMX_VERSION" "$work/htmx")
dist="$work/govuk/package/dist"

npm install --silent --no-save --no-audit --no-fund --prefix "$work/sass" "sass@$SASS_VERSION"
cat >"$work/llais-govuk.scss" <<SCSS
@use "govuk" with (
  \$govuk-font-family: ($FONT_STACK),
  \$govuk-include-default-font-face: false,
  \$govuk-assets-path: "${STATIC_URL}govuk/assets/"
);
SCSS
"$work/sass/node_modules/.bin/sass" --no-source-map --style=compressed --quiet-deps \
  --load-path="$dist" "$work/llais-govuk.scss" "$work/govuk-frontend.min.css"
if grep -q -e "GDS Transport" -e "@font-face" "$work/govuk-frontend.min.css"; then
  echo "the built CSS still names GDS Transport or loads a font: not vendored" >&2
  exit 1
fi

rm -rf "$static/govuk" "$static/htmx"
mkdir -p "$static/govuk" "$static/htmx"
cp "$work/govuk-frontend.min.css" "$static/govuk/"
cp "$dist/govuk/govuk-frontend.min.js" "$dist/govuk/govuk-frontend.min.js.map" "$static/govuk/"
cp "$work/htmx/package/dist/htmx.min.js" "$static/htmx/"
cp "$work/htmx/package/LICENSE" "$static/htmx/LICENCE"

# The npm package states its licence in package.json and README but ships no licence file; this
# is the text of LICENSE.txt in the project's repository.
cat >"$static/govuk/LICENCE" <<'MIT'
The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
MIT

cat >"$static/govuk/VERSION" <<EOF
govuk-frontend $govuk_version
npm package govuk-frontend@$govuk_version (MIT), $govuk_integrity
Vendored by scripts/vendor-govuk-frontend.sh.

govuk-frontend.min.css: built from the package's Sass (dist/govuk/index.scss) with sass $SASS_VERSION:
  \$govuk-font-family: $FONT_STACK   (GDS Transport is for GOV.UK services only)
  \$govuk-include-default-font-face: false
  \$govuk-assets-path: "${STATIC_URL}govuk/assets/"
govuk-frontend.min.js, govuk-frontend.min.js.map: dist/govuk/ as published (an ES module:
  <script type="module"> importing initAll or createAll).
Not copied, being restricted to GOV.UK: assets/fonts/ (GDS Transport); assets/images/ (crown
  favicons and icons; govuk-crest.svg, the royal coat of arms, which the CSS names only for
  .govuk-footer__copyright-logo: do not use that class); assets/manifest.json.
EOF

cat >"$static/htmx/VERSION" <<EOF
htmx.org $htmx_version
npm package htmx.org@$htmx_version (0BSD, see LICENCE), $htmx_integrity
Vendored by scripts/vendor-govuk-frontend.sh: dist/htmx.min.js as published.
EOF

echo "vendored govuk-frontend $govuk_version and htmx.org $htmx_version into web/static/"
