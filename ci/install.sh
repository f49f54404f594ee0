#!/usr/bin/env bash
# Installs what cors-harness needs to drive real browsers, on Debian or Ubuntu:
#   chromium + chromium-driver and firefox-esr (apt), geckodriver (cargo install),
#   the AWS CLI in a private virtual environment (pip) for the bucket server's CLI test, and
#   the S3-compatible servers the external-target tests run against (ci/install-targets.sh).
# Idempotent: every step checks first and is a fast no-op when the tool is already there.
#
# Usage: bash ci/install.sh [--no-awscli] [--no-targets]
#   CORS_HARNESS_TOOLS   where the AWS CLI venv goes (default: ~/.cache/cors-harness)
set -euo pipefail

want_awscli=1
want_targets=1
for arg in "$@"; do
  case "$arg" in
    --no-awscli) want_awscli=0 ;;
    --no-targets) want_targets=0 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "ci/install.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

export PATH="$HOME/.cargo/bin:$PATH"
tools="${CORS_HARNESS_TOOLS:-$HOME/.cache/cors-harness}"

say() { printf 'ci/install.sh: %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

have() { command -v "$1" >/dev/null 2>&1; }

# 1. Browsers and chromedriver from the distribution.
missing=()
have chromium || have chromium-browser || missing+=(chromium)
have chromedriver || missing+=(chromium-driver)
have firefox-esr || have firefox || missing+=(firefox-esr)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]} with apt-get"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  say "chromium, chromedriver and firefox are present"
fi

# 2. geckodriver is not packaged by Debian; crates.io has it.
if ! have geckodriver; then
  say "installing geckodriver with cargo (a few minutes, once)"
  cargo install geckodriver --locked --version 0.37.1 --quiet
else
  say "geckodriver is present"
fi

# 3. The AWS CLI, used by the bucket server's CLI test, in its own venv.
if [ "$want_awscli" -eq 1 ]; then
  if [ -x "$tools/awscli/bin/aws" ]; then
    say "AWS CLI is present in $tools/awscli"
  else
    say "installing the AWS CLI into $tools/awscli"
    mkdir -p "$tools"
    python3 -m venv "$tools/awscli"
    "$tools/awscli/bin/pip" install --quiet --disable-pip-version-check awscli
  fi
fi

# 4. s3rver and SeaweedFS for the external-target tests.
if [ "$want_targets" -eq 1 ]; then
  bash "$(dirname "$0")/install-targets.sh"
fi

say "versions: $( (chromium --version || chromium-browser --version) 2>/dev/null | head -1);" \
  "$(chromedriver --version 2>/dev/null | cut -d' ' -f1-2);" \
  "$( (firefox-esr --version || firefox --version) 2>/dev/null | head -1);" \
  "$(geckodriver --version 2>/dev/null | head -1)"
