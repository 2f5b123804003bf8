#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages coach needs, when run as root; otherwise prints the exact
# apt line and stops. Usage: scripts/system-deps.sh [core|test]
set -euo pipefail
want=(espeak-ng libportaudio2 libsndfile1)
if [ "${1:-core}" = "test" ]; then
  want+=(pulseaudio pulseaudio-utils chromium chromium-driver)
fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
line="apt-get update && apt-get install -y ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "coach needs system packages that are missing. Run as root:" >&2
  echo "  sudo sh -c '$line'" >&2
  exit 1
fi
echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
