#!/usr/bin/env bash
# The OpenAPI document as tools see it: Redocly's recommended rules pass without errors, and a
# TypeScript client generated with openapi-typescript type-checks a README-style program under
# tsc --strict with no cast. Takes the document at $1 (default: openapi.json beside this script,
# which the contract test writes from the running server).
set -euo pipefail
cd "$(dirname "$0")"
document="${1:-openapi.json}"
[ "$document" = openapi.json ] || cp "$document" openapi.json

# node_modules is kept between runs; it is installed again when the lock file changes.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.lock-copy; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.lock-copy
fi

echo "== redocly lint (recommended rules)"
npx --no-install redocly lint --config redocly.yaml --format=stylish openapi.json

echo "== openapi-typescript"
mkdir -p generated
npx --no-install openapi-typescript openapi.json -o generated/api.d.ts

echo "== tsc --strict"
npx --no-install tsc -p tsconfig.json --strict
echo "contract check passed"
