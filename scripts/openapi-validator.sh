#!/bin/sh
# Install openapi-spec-validator (PyPI; the standard OpenAPI 3.0/3.1 validator) into a virtual
# environment at $1, once. The API test validates the served document with it.
#   scripts/openapi-validator.sh target/openapi-validator
set -eu
out="${1:-target/openapi-validator}"
version="0.7.1"
if [ -x "$out/bin/openapi-spec-validator" ] && "$out/bin/python" -c "import importlib.metadata as m; assert m.version('openapi-spec-validator') == '$version'" 2>/dev/null; then
    exit 0
fi
rm -rf "$out"
python3 -m venv "$out"
"$out/bin/pip" install --quiet --disable-pip-version-check "openapi-spec-validator==$version"
echo "openapi-spec-validator $version in $out"
