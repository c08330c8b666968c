#!/usr/bin/env bash
# Installs what the voice clips (scripts/make_voice.py) and the end-to-end cue benchmark
# (bench/cue_timing.py) need when it is missing: espeak-ng to speak, a PulseAudio server and
# its tools (pactl, parecord) for a private null sink. Debian/Ubuntu as root; otherwise it
# prints the exact command. Exits 0 with nothing to do when all is there.
set -euo pipefail

# command  debian-package
needed="
espeak-ng   espeak-ng
pulseaudio  pulseaudio
pactl       pulseaudio-utils
parecord    pulseaudio-utils
"
missing=()
while read -r cmd pkg; do
  [ -z "$cmd" ] && continue
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done <<<"$needed"
[ ${#missing[@]} -eq 0 ] && exit 0
# shellcheck disable=SC2207
missing=($(printf '%s\n' "${missing[@]}" | sort -u))

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing audio tools for the cue benchmark: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  for attempt in 1 2 3 4 5 6; do  # another apt may hold the lock for a while
    if apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
      exit 0
    fi
    sleep 10
  done
  echo "Could not install ${missing[*]}" >&2
  exit 1
else
  echo "The cue benchmark needs: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
