#!/usr/bin/env bash
# Installs the Debian packages the real test services need (listed below). `npm test` runs
# it first (scripts/test.mjs), and so does CI on a bare Debian 12 machine. Quick no-op when everything is already
# installed. Needs root, or sudo without a password; without either it prints the one command to run and exits 3.
#   bash scripts/install-deps.sh
# SITEHOP_POLICY_RC_D moves the policy-rc.d file it writes while installing (tests use a temp path).
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

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-deps: not a Debian system (no dpkg-query); install the equivalents of: ${PACKAGES[*]}" >&2
  exit 0
fi

# One dpkg-query for all of them (a quick no-op is the common case); unknown packages print nothing.
declare -A installed=()
while read -r name status; do
  [[ "$status" == ii* ]] && installed["$name"]=1
done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${PACKAGES[@]}" 2>/dev/null || true)
missing=()
for p in "${PACKAGES[@]}"; do
  [[ -n "${installed[$p]:-}" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=()
if [[ "$(id -u)" != 0 ]]; then
  # sudo only when it needs no password: this runs unattended (npm test, CI) and must never hang on a prompt.
  if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    SUDO=(sudo -n)
  else
    self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
    if command -v sudo >/dev/null 2>&1; then run="sudo bash $self"; else run="su -c 'bash $self'"; fi
    echo "install-deps: ${#missing[@]} test package(s) missing (${missing[*]}) and installing them needs root; run:  $run" >&2
    exit 3
  fi
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-q -y -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
t0=$SECONDS
"${SUDO[@]}" apt-get update -q -o Dpkg::Use-Pty=0 >/dev/null
# policy-rc.d: do not let the package scripts start the system sshd/dbus services (ours run on their own ports)
policy="${SITEHOP_POLICY_RC_D:-/usr/sbin/policy-rc.d}"
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
