#!/usr/bin/env bash
# The .deb on a clean Debian: a minimal Debian 12 (debootstrap --variant=minbase, made once
# and kept as a tarball, unpacked afresh every run), the package installed there with
# apt-get (which fetches what its Depends name, and nothing else), then the installed
# binary started on an empty data folder against an Xvfb display outside the chroot. It
# passes when the app opened its database and painted its first screen, which is saved as
# clean-debian-first-run.png beside the other screenshots.
#
# Usage: scripts/clean-debian-test.sh PACKAGE.deb SCREENSHOT_FOLDER
# Needs root, debootstrap, Xvfb, xwd (x11-apps) and ImageMagick; Debian's mirror.
set -euo pipefail
deb=$(realpath "$1")
shots=$(realpath "$2")
cache="${TRADEWIND_CI_CACHE:-/var/tmp/tradewind-ci}/clean-debian"
mirror="${TRADEWIND_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
mkdir -p "$cache/archives" "$shots"

say() { printf '==> %s\n' "$*"; }

if [ ! -f "$cache/base.tar" ]; then
  say "Making a minimal Debian 12 (once)"
  base=$(mktemp -d /var/tmp/clean-debian-base.XXXXXX)
  debootstrap --variant=minbase bookworm "$base" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { tail -20 "$cache/debootstrap.log"; exit 1; }
  tar -C "$base" -cf "$cache/base.tar.partial" .
  mv "$cache/base.tar.partial" "$cache/base.tar"
  rm -rf "$base"
fi

root=$(mktemp -d /var/tmp/clean-debian.XXXXXX)
display=""
xvfb=""
# Every process running in the chroot (the app and its WebKit helpers) is stopped, every
# mount undone, and only then is the folder deleted: with /dev or the X sockets still
# bound into it, deleting it would reach the host's.
in_chroot() {
  for process in /proc/[0-9]*; do
    [ "$(readlink "$process/root" 2>/dev/null)" = "$root" ] && echo "${process#/proc/}"
  done
  return 0
}
cleanup() {
  set +e
  local pids
  pids=$(in_chroot)
  [ -n "$pids" ] && kill $pids 2>/dev/null
  for _ in $(seq 50); do [ -z "$(in_chroot)" ] && break; sleep 0.1; done
  pids=$(in_chroot)
  [ -n "$pids" ] && kill -9 $pids 2>/dev/null
  [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null
  local mounted=0
  for mount in tmp/.X11-unix var/cache/apt/archives dev proc; do
    if mountpoint -q "$root/$mount"; then
      umount "$root/$mount" || true
      mountpoint -q "$root/$mount" && mounted=1
    fi
  done
  if [ "$mounted" -eq 0 ]; then
    rm -rf --one-file-system "$root"
  else
    echo "left $root: something is still mounted in it" >&2
  fi
}
trap cleanup EXIT

say "Unpacking a clean Debian into $root"
tar -C "$root" -xf "$cache/base.tar"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
# Packages fetched by earlier runs are kept, so the mirror is asked only for new ones.
mount --bind "$cache/archives" "$root/var/cache/apt/archives"
cp "$deb" "$root/tmp/tradewind.deb"

say "Installing $(basename "$deb") with apt-get"
chroot "$root" apt-get -o APT::Sandbox::User=root update -qq
if ! DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get -o APT::Sandbox::User=root install -y -qq /tmp/tradewind.deb \
  >"$root/tmp/install.log" 2>&1; then
  tail -30 "$root/tmp/install.log"
  exit 1
fi
chroot "$root" dpkg-query -W -f='${Package} ${Version} ${Status}\n' tradewind

for number in $(seq 90 120); do
  if [ ! -e "/tmp/.X11-unix/X$number" ] && [ ! -e "/tmp/.X$number-lock" ]; then
    display=":$number"
    break
  fi
done
[ -n "$display" ] || { echo "no free X display" >&2; exit 1; }
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
mkdir -p "$root/tmp/.X11-unix" "$root/tmp/data"
mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix"

say "Starting /usr/bin/tradewind-desktop on $display"
DISPLAY="$display" HOME=/root chroot "$root" /usr/bin/tradewind-desktop --data-dir /tmp/data \
  >"$root/tmp/app.log" 2>&1 &
for _ in $(seq 120); do
  [ -f "$root/tmp/data/tradewind.db" ] && break
  sleep 0.5
done
if [ ! -f "$root/tmp/data/tradewind.db" ]; then
  echo "the installed app did not open its database within a minute:" >&2
  cat "$root/tmp/app.log" >&2
  exit 1
fi
# The first screen paints once the web view has loaded the app.
shot="$shots/clean-debian-first-run.png"
colours=0
for _ in $(seq 30); do
  sleep 1
  xwd -root -display "$display" -silent | convert xwd:- "$shot"
  colours=$(identify -format '%k' "$shot")
  [ "$colours" -gt 200 ] && break
done
if [ "$colours" -le 200 ]; then
  echo "the installed app's window stayed blank ($colours colours in $shot):" >&2
  cat "$root/tmp/app.log" >&2
  exit 1
fi
say "The installed app started to its first screen ($colours colours): $shot"
