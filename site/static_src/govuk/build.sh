#!/usr/bin/env bash
# Rebuild the committed GOV.UK Frontend assets. Needs node/npm; run only when bumping the version.
set -euo pipefail
VERSION=6.6.0
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../static/govuk"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent "govuk-frontend@$VERSION" sass@1.108.2
npx sass --no-source-map --style=compressed --load-path=node_modules --load-path="$here" --quiet-deps \
  "$here/council.scss" "$out/council.min.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js.map "$out/"
cp "$here/LICENSE.txt" "$out/LICENSE.txt"  # the npm package ships no licence file, only "license": "MIT"
echo "govuk-frontend $VERSION, compiled $(date -u +%F) with sass 1.108.2 from site/static_src/govuk/council.scss" > "$out/VERSION"
grep -c "GDS Transport" "$out/council.min.css" && { echo "Transport font leaked into the build" >&2; exit 1; } || true
echo "built $(wc -c < "$out/council.min.css") bytes of CSS"
