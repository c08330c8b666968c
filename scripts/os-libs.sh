#!/usr/bin/env bash
# Installs the few OS libraries Qt needs when they are missing (Debian/Ubuntu, as root), or
# prints the exact command to run. Checks by shared-object name, so it is fast when all is there.
set -euo pipefail

# soname  debian-package
needed="
libpulse.so.0            libpulse0
libxkbcommon.so.0        libxkbcommon0
libxkbcommon-x11.so.0    libxkbcommon-x11-0
libxcb-cursor.so.0       libxcb-cursor0
libxcb-icccm.so.4        libxcb-icccm4
libxcb-keysyms.so.1      libxcb-keysyms1
libxcb-shape.so.0        libxcb-shape0
libxcb-randr.so.0        libxcb-randr0
libxcb-render-util.so.0  libxcb-render-util0
libxcb-image.so.0        libxcb-image0
libEGL.so.1              libegl1
libGL.so.1               libgl1
libfontconfig.so.1       libfontconfig1
libdbus-1.so.3           libdbus-1-3
"
have=$(/sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null || true)
missing=()
while read -r soname pkg; do
  [ -z "$soname" ] && continue
  grep -qF "$soname " <<<"$have" || missing+=("$pkg")
done <<<"$needed"
# Text is unreadable in screenshots without at least one scalable font.
if command -v fc-list >/dev/null 2>&1; then
  [ -n "$(fc-list 2>/dev/null | head -n 1)" ] || missing+=("fonts-dejavu-core")
else
  [ -d /usr/share/fonts/truetype/dejavu ] || missing+=("fontconfig" "fonts-dejavu-core")
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing OS libraries Qt needs: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Qt needs OS libraries that are missing. Install them with:" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
