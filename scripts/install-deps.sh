#!/usr/bin/env bash
# Installs the Debian packages the real test services need (listed below), for CI on a bare
# Debian 12 machine. Quick no-op when everything is already installed. Needs root (or sudo without a password).
#   bash scripts/install-deps.sh
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

PACKAGES=(
  dbus gnome-keyring libsecret-tools libsecret-1-dev # Secret Service keyring (secret-tool; libsecret for keytar builds)
  openssh-server openssh-client                      # sshd under test, ssh-keygen
  xvfb xauth                                         # virtual X displays
  freerdp2-x11 freerdp2-shadow-x11 winpr-utils       # xfreerdp client, freerdp-shadow-cli server, winpr-hash
  chromium                                           # Playwright drives Debian's Chromium
  iproute2                                           # ss: which PID serves a port (not in minimal images)
  procps util-linux passwd coreutils                 # kill/ps, setsid/flock, useradd/chpasswd, timeout
)

missing=()
for p in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)"
  [[ "$status" == ii* ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=()
if [[ "$(id -u)" != 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-deps: need root to install: ${missing[*]}" >&2; exit 1; }
  SUDO=(sudo -n)
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-q -y -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
t0=$SECONDS
"${SUDO[@]}" apt-get update -q -o Dpkg::Use-Pty=0 >/dev/null
# policy-rc.d: do not let the package scripts start the system sshd/dbus services (ours run on their own ports)
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
  "${SUDO[@]}" chmod 755 "$policy"
  created_policy=1
fi
trap '((created_policy)) && "${SUDO[@]}" rm -f "$policy"' EXIT
"${SUDO[@]}" apt-get install "${apt_opts[@]}" "${missing[@]}" >/tmp/sitehop-apt.log 2>&1 || {
  tail -n 40 /tmp/sitehop-apt.log >&2
  echo "install-deps: apt-get install failed (full log: /tmp/sitehop-apt.log)" >&2
  exit 1
}
echo "install-deps: done in $((SECONDS - t0)) s"
