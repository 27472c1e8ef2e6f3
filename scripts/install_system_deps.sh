#!/usr/bin/env bash
# Debian packages the tests need: chromium + a CJK font (browser test; without the font
# every Chinese character renders as a box), PostgreSQL (store tests run on SQLite and
# PostgreSQL), graphviz (graph pictures), LibreOffice Writer + poppler-utils (official documents are
# rendered to PDF and their text layer checked). Installs only what is missing; needs root.
set -euo pipefail
need=()
for pkg in chromium fonts-noto-cjk postgresql graphviz fontconfig libreoffice-writer-nogui poppler-utils; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${need[*]} (as root: apt-get install ${need[*]}); the tests that need them skip" >&2
  exit 0
fi
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q "${need[@]}" >/dev/null
