#!/usr/bin/env bash
# Real test services for SiteHop, on 127.0.0.1 only (what we learned running them: docs/dev-notes.md, "Test services"):
#   sshd           OpenSSH with its own config and host key, a test user (password + key auth)
#   dbus, keyring  a private D-Bus session bus with gnome-keyring-daemon (Secret Service), unlocked, no DISPLAY
#   xvfb-server    the desktop the RDP server shares;  xvfb-client  the display RDP clients open windows on
#   rdp            freerdp-shadow-cli with NLA against a winpr-hash SAM file
#
# Usage: bash scripts/services.sh start|stop|status|restart|env
#   start   starts everything (idempotent: healthy services are reused), writes .state/services.env
#   stop    stops each service by its recorded PID (safe when nothing runs)
#   status  prints what runs; exit 0 when all are healthy, 1 when some are not, 3 when none runs
#   env     prints the path of .state/services.env (for `set -a; . "$(bash scripts/services.sh env)"`)
# It installs nothing: scripts/install-deps.sh does that. Secrets are written only to .state (mode 600).
set -euo pipefail

export PATH="$PATH:/usr/sbin:/sbin"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.state"
RUN="$STATE/run"              # pid files
ENV_FILE="$STATE/services.env"
LOCK_FILE="$STATE/services.lock"
SSH_DIR="$STATE/ssh"
KR_DIR="$STATE/keyring"
RDP_DIR="$STATE/rdp"
X_DIR="$STATE/x"

# service name -> executable that must own the recorded PID (guards against PID reuse)
declare -A EXE=(
  [sshd]=/usr/sbin/sshd
  [dbus]=/usr/bin/dbus-daemon
  [keyring]=/usr/bin/gnome-keyring-daemon
  [xvfb-server]=/usr/bin/Xvfb
  [xvfb-client]=/usr/bin/Xvfb
  [rdp]=/usr/bin/freerdp-shadow-cli
)
# stop order: dependants first
SERVICES=(rdp xvfb-client xvfb-server keyring dbus sshd)

log() { printf 'services: %s\n' "$*" >&2; }
die() { printf 'services: ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------------
# helpers

pid_of() { [[ -s "$RUN/$1.pid" ]] && tr -dc '0-9' <"$RUN/$1.pid" || true; }

# alive <svc>: the recorded PID exists and runs the expected executable
alive() {
  local pid exe
  pid="$(pid_of "$1")"
  [[ -n "$pid" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
  exe="${exe% (deleted)}"
  [[ "$exe" == "$(readlink -f "${EXE[$1]}")" ]]
}

# port_free <port>: nothing listens on it (any address)
port_free() { [[ -z "$(ss -Htln "sport = :$1" 2>/dev/null)" ]]; }

# port_owned_by <port> <pid>: a listening TCP socket on 127.0.0.1:<port> belongs to <pid>
port_owned_by() { ss -Htlnp "sport = :$1" 2>/dev/null | grep -F '127.0.0.1:' | grep -q "pid=$2,"; }

# free_port: a random free port in 20000-39999 (checked with ss; the caller verifies ownership after binding)
free_port() {
  local p i
  for i in $(seq 1 200); do
    p=$((20000 + RANDOM % 20000))
    if port_free "$p"; then echo "$p"; return 0; fi
  done
  die "no free TCP port found"
}

# free_display <exclude>: a free X display number, from 97 downwards (:99 and :98 are what people start by hand)
free_display() {
  local n
  for n in $(seq 97 -1 20); do
    [[ "$n" == "${1:-}" ]] && continue
    [[ -e "/tmp/.X$n-lock" || -e "/tmp/.X11-unix/X$n" ]] && continue
    echo "$n"; return 0
  done
  die "no free X display number"
}

random_secret() { head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24; }

# wait_for <seconds> <command...>: polls every 0.1 s
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

env_get() { [[ -f "$ENV_FILE" ]] && sed -n "s/^$1='\{0,1\}\([^']*\)'\{0,1\}\$/\1/p" "$ENV_FILE" | head -1 || true; }

# launch <svc> <logfile> <cmd...>: starts cmd in its own session, detached from our stdio and lock fd, records $!
launch() {
  local svc="$1" logf="$2"; shift 2
  setsid "$@" </dev/null >>"$logf" 2>&1 9>&- &
  echo $! >"$RUN/$svc.pid"
}

# pid_gone <pid>: exited (a zombie counts as gone: nobody may reap it if our parent is not init)
pid_gone() {
  kill -0 "$1" 2>/dev/null || return 0
  [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" == Z ]]
}

kill_pid() { # kill_pid <svc>: TERM, wait up to 5 s, then KILL; only if the PID still runs the expected program
  local svc="$1" pid
  pid="$(pid_of "$svc")"
  if [[ -n "$pid" ]] && alive "$svc"; then
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_for 5 pid_gone "$pid"; then
      log "$svc (pid $pid) did not stop on TERM, sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      wait_for 2 pid_gone "$pid" || true
    fi
    log "stopped $svc (pid $pid)"
  fi
  rm -f "$RUN/$svc.pid"
}

check_tools() {
  local missing=() t
  for t in /usr/sbin/sshd ssh-keygen useradd chpasswd dbus-daemon dbus-send gnome-keyring-daemon secret-tool \
    Xvfb winpr-hash freerdp-shadow-cli xfreerdp ss setsid flock timeout; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t")
  done
  ((${#missing[@]} == 0)) || die "missing tools: ${missing[*]} (run: bash scripts/install-deps.sh)"
  [[ "$(id -u)" == 0 ]] || die "must run as root (creates the sshd test user, runs sshd)"
}

# ---------------------------------------------------------------------------------------------------------
# health

# health_<svc>: prints a one-line detail; returns 0 when healthy
health_sshd() {
  local port pid; port="$(env_get SITEHOP_TEST_SSHD_PORT)"; pid="$(pid_of sshd)"
  alive sshd || { echo "not running"; return 1; }
  port_owned_by "$port" "$pid" || { echo "pid $pid alive but 127.0.0.1:$port is not its listener"; return 1; }
  echo "pid $pid, 127.0.0.1:$port, user $(env_get SITEHOP_TEST_SSH_USER)"
}
health_dbus() {
  local pid addr; pid="$(pid_of dbus)"; addr="$(env_get DBUS_SESSION_BUS_ADDRESS)"
  alive dbus || { echo "not running"; return 1; }
  bus_answers || { echo "pid $pid alive but the bus does not answer"; return 1; }
  echo "pid $pid, $addr"
}
# the PID owning org.freedesktop.secrets on our bus (empty if none; never triggers activation)
secrets_owner() {
  DBUS_SESSION_BUS_ADDRESS="$(env_get DBUS_SESSION_BUS_ADDRESS)" timeout 5 dbus-send --session --print-reply \
    --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.GetConnectionUnixProcessID \
    string:org.freedesktop.secrets 2>/dev/null | awk '/uint32/ {print $2}'
}
bus_answers() {
  DBUS_SESSION_BUS_ADDRESS="$(env_get DBUS_SESSION_BUS_ADDRESS)" timeout 5 dbus-send --session --print-reply \
    --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.GetId >/dev/null 2>&1
}
keyring_owns_name() { local o; o="$(secrets_owner)"; [[ -n "$o" && "$o" == "$(pid_of keyring)" ]]; }
health_keyring() {
  local pid owner; pid="$(pid_of keyring)"
  alive keyring || { echo "not running"; return 1; }
  owner="$(secrets_owner)"
  [[ "$owner" == "$pid" ]] || { echo "pid $pid alive but org.freedesktop.secrets is owned by '${owner:-nobody}'"; return 1; }
  echo "pid $pid, owns org.freedesktop.secrets"
}
health_xvfb() { # health_xvfb <svc> <env name of display>
  local pid disp; pid="$(pid_of "$1")"; disp="$(env_get "$2")"
  alive "$1" || { echo "not running"; return 1; }
  xvfb_ready "$1" "${disp#:}" || { echo "pid $pid alive but display $disp (lock file, socket) is not its own"; return 1; }
  echo "pid $pid, display $disp"
}
health_xvfb-server() { health_xvfb xvfb-server SITEHOP_TEST_RDP_SERVER_DISPLAY; }
health_xvfb-client() { health_xvfb xvfb-client SITEHOP_TEST_RDP_CLIENT_DISPLAY; }
health_rdp() {
  local port pid; port="$(env_get SITEHOP_TEST_RDP_PORT)"; pid="$(pid_of rdp)"
  alive rdp || { echo "not running"; return 1; }
  port_owned_by "$port" "$pid" || { echo "pid $pid alive but 127.0.0.1:$port is not its listener"; return 1; }
  echo "pid $pid, 127.0.0.1:$port, NLA user $(env_get SITEHOP_TEST_RDP_USER)"
}

# all_status [quiet]: 0 all healthy, 1 some unhealthy, 3 nothing running
all_status() {
  local quiet="${1:-}" svc detail ok=0 bad=0 any=0
  for svc in sshd dbus keyring xvfb-server xvfb-client rdp; do
    alive "$svc" && any=1
    if detail="$("health_$svc")"; then ok=$((ok + 1)); [[ -n "$quiet" ]] || printf '  %-12s up    %s\n' "$svc" "$detail"
    else bad=$((bad + 1)); [[ -n "$quiet" ]] || printf '  %-12s DOWN  %s\n' "$svc" "$detail"; fi
  done
  [[ -f "$ENV_FILE" ]] || bad=$((bad + 1))
  ((bad == 0)) && return 0
  ((any == 0)) && return 3
  return 1
}

# ---------------------------------------------------------------------------------------------------------
# start

sshd_listening() { ! alive sshd || port_owned_by "$1" "$(pid_of sshd)"; }

start_sshd() {
  mkdir -p "$SSH_DIR" /run/sshd
  chmod 700 "$SSH_DIR"; chmod 755 /run/sshd
  [[ -f "$SSH_DIR/host_ed25519" ]] || ssh-keygen -q -t ed25519 -N '' -C sitehop-test-host -f "$SSH_DIR/host_ed25519"
  [[ -f "$SSH_DIR/client_ed25519" ]] || ssh-keygen -q -t ed25519 -N '' -C sitehop-test-client -f "$SSH_DIR/client_ed25519"

  # The user name is per checkout, so two checkouts on one machine do not reset each other's password.
  SSH_USER="sitehop-t$(printf '%s' "$ROOT" | sha256sum | head -c 6)"
  if ! id "$SSH_USER" >/dev/null 2>&1; then
    useradd -m -s /bin/bash -c 'SiteHop test user' "$SSH_USER"
    log "created user $SSH_USER"
  fi
  SSH_PASSWORD="$(random_secret)"
  printf '%s:%s\n' "$SSH_USER" "$SSH_PASSWORD" | chpasswd
  local home; home="$(getent passwd "$SSH_USER" | cut -d: -f6)"
  install -d -m 700 -o "$SSH_USER" -g "$(id -gn "$SSH_USER")" "$home/.ssh"
  install -m 600 -o "$SSH_USER" -g "$(id -gn "$SSH_USER")" "$SSH_DIR/client_ed25519.pub" "$home/.ssh/authorized_keys"

  local attempt
  for attempt in 1 2 3; do
    SSHD_PORT="$(free_port)"
    cat >"$SSH_DIR/sshd_config" <<EOF
# generated by scripts/services.sh
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $SSH_DIR/host_ed25519
PidFile $RUN/sshd.daemon.pid
AllowUsers $SSH_USER
UsePAM yes
PasswordAuthentication yes
PubkeyAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin no
AuthorizedKeysFile .ssh/authorized_keys
StrictModes yes
UseDNS no
PrintMotd no
PrintLastLog no
MaxStartups 200:30:400
MaxSessions 50
LogLevel VERBOSE
Subsystem sftp internal-sftp
EOF
    /usr/sbin/sshd -t -f "$SSH_DIR/sshd_config" || die "sshd rejected its config ($SSH_DIR/sshd_config)"
    launch sshd "$SSH_DIR/sshd.log" /usr/sbin/sshd -D -f "$SSH_DIR/sshd_config" -E "$SSH_DIR/sshd.log"
    local pid; pid="$(pid_of sshd)"
    if wait_for 10 sshd_listening "$SSHD_PORT" && alive sshd && port_owned_by "$SSHD_PORT" "$pid"; then
      log "sshd up: pid $pid, 127.0.0.1:$SSHD_PORT"
      return 0
    fi
    log "sshd attempt $attempt on port $SSHD_PORT failed (see $SSH_DIR/sshd.log)"
    kill_pid sshd
  done
  die "sshd did not come up"
}

start_keyring() {
  rm -rf "$KR_DIR"
  mkdir -p "$KR_DIR/home" "$KR_DIR/share" "$KR_DIR/config" "$KR_DIR/cache"
  # unix socket paths are limited to 107 bytes: use a short runtime dir if the checkout path is long
  KR_RUN="$KR_DIR/run"
  if ((${#KR_RUN} > 70)); then KR_RUN="$(mktemp -d /tmp/sitehop-kr.XXXXXX)"; fi
  mkdir -p "$KR_RUN"; chmod 700 "$KR_RUN" "$KR_DIR"
  echo "$KR_RUN" >"$KR_DIR/runtime-dir"

  # Never let DISPLAY (or WAYLAND_DISPLAY) reach this bus: an unlock prompt would block every keyring call.
  local -a kenv=(env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS -u GNOME_KEYRING_CONTROL -u SSH_AUTH_SOCK
    HOME="$KR_DIR/home" XDG_DATA_HOME="$KR_DIR/share" XDG_CONFIG_HOME="$KR_DIR/config"
    XDG_CACHE_HOME="$KR_DIR/cache" XDG_RUNTIME_DIR="$KR_RUN")

  DBUS_ADDRESS="unix:path=$KR_RUN/bus"
  # --print-pid to a file, not to a pipe: a forked daemon that kept the pipe open would hang $(...)
  rm -f "$KR_DIR/dbus.pidout"
  "${kenv[@]}" dbus-daemon --session --fork --nopidfile --address="$DBUS_ADDRESS" --print-pid=3 \
    3>"$KR_DIR/dbus.pidout" </dev/null >>"$KR_DIR/dbus.log" 2>&1 9>&- || die "dbus-daemon failed (see $KR_DIR/dbus.log)"
  tr -dc '0-9' <"$KR_DIR/dbus.pidout" >"$RUN/dbus.pid"
  alive dbus || die "dbus-daemon is not running after start"
  write_env_partial # health checks read the address from the env file
  wait_for 5 bus_answers || die "the private dbus does not answer"
  log "dbus up: pid $(pid_of dbus), $DBUS_ADDRESS"

  # --foreground so that $! is the daemon itself; the password on stdin creates and unlocks a fresh login keyring
  local pw; pw="$(random_secret)"
  printf '%s' "$pw" | setsid "${kenv[@]}" DBUS_SESSION_BUS_ADDRESS="$DBUS_ADDRESS" \
    gnome-keyring-daemon --foreground --unlock --components=secrets >>"$KR_DIR/keyring.log" 2>&1 9>&- &
  echo $! >"$RUN/keyring.pid"
  local pid; pid="$(pid_of keyring)"
  wait_for 10 keyring_owns_name || die "gnome-keyring-daemon (pid $pid) did not claim org.freedesktop.secrets (see $KR_DIR/keyring.log)"
  # round trip through the Secret Service: proves the default collection exists and is unlocked
  local probe="probe-$(random_secret)"
  printf '%s' "$probe" | DBUS_SESSION_BUS_ADDRESS="$DBUS_ADDRESS" timeout 10 secret-tool store --label='sitehop probe' service sitehop-services-probe account probe \
    || die "secret-tool store failed on the fresh keyring"
  [[ "$(DBUS_SESSION_BUS_ADDRESS="$DBUS_ADDRESS" timeout 10 secret-tool lookup service sitehop-services-probe account probe)" == "$probe" ]] \
    || die "secret-tool lookup did not return what was stored"
  DBUS_SESSION_BUS_ADDRESS="$DBUS_ADDRESS" timeout 10 secret-tool clear service sitehop-services-probe account probe || true
  log "keyring up: pid $pid, owns org.freedesktop.secrets, unlocked (round trip ok)"
}

start_xvfb() { # start_xvfb <svc> <display number>
  local svc="$1" n="$2"
  mkdir -p "$X_DIR"
  # Not -displayfd: with it this Xvfb writes no /tmp/.X<n>-lock, so another Xvfb :<n> would take the socket over.
  # -noreset: by default the server resets when its last client leaves, and a client that connects during the
  # reset gets "failed to open display" (freerdp-shadow-cli did, about one start in two).
  launch "$svc" "$X_DIR/$svc.log" Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp -noreset
  wait_for 10 xvfb_ready "$svc" "$n" || die "Xvfb :$n did not become ready (see $X_DIR/$svc.log)"
  log "$svc up: pid $(pid_of "$svc"), display :$n"
}
# xvfb_ready <svc> <n>: alive, the display's lock file names our PID, and its socket exists
xvfb_ready() {
  alive "$1" || return 1
  [[ "$(tr -dc '0-9' <"/tmp/.X$2-lock" 2>/dev/null)" == "$(pid_of "$1")" && -S "/tmp/.X11-unix/X$2" ]]
}

# rdp_listening <port>: true once listening; stops the wait (returns 0, caller re-checks) if the process died
rdp_listening() { ! alive rdp || port_owned_by "$1" "$(pid_of rdp)"; }

start_rdp() {
  mkdir -p "$RDP_DIR/home"; chmod 700 "$RDP_DIR"
  RDP_USER="rdptech"
  RDP_PASSWORD="$(random_secret)"
  winpr-hash -u "$RDP_USER" -p "$RDP_PASSWORD" -f sam >"$RDP_DIR/sam.txt"
  chmod 600 "$RDP_DIR/sam.txt"
  local attempt pid
  for attempt in 1 2 3; do
    RDP_PORT="$(free_port)"
    launch rdp "$RDP_DIR/shadow.log" env -u WAYLAND_DISPLAY HOME="$RDP_DIR/home" XDG_CONFIG_HOME="$RDP_DIR/home/.config" \
      DISPLAY=":$XVFB_SERVER" /usr/bin/freerdp-shadow-cli /bind-address:127.0.0.1 "/port:$RDP_PORT" +auth /sec:nla \
      "/sam-file:$RDP_DIR/sam.txt"
    pid="$(pid_of rdp)"
    if wait_for 15 rdp_listening "$RDP_PORT" && alive rdp && port_owned_by "$RDP_PORT" "$pid"; then
      log "rdp up: pid $pid, 127.0.0.1:$RDP_PORT (NLA)"
      return 0
    fi
    log "freerdp-shadow-cli attempt $attempt on port $RDP_PORT failed (see $RDP_DIR/shadow.log)"
    kill_pid rdp
  done
  die "freerdp-shadow-cli did not come up"
}

q() { printf "%s='%s'\n" "$1" "$2"; }

write_env_partial() {
  umask 077
  { echo "# partial: start in progress"; q DBUS_SESSION_BUS_ADDRESS "$DBUS_ADDRESS"; } >"$ENV_FILE"
}

write_env() {
  umask 077
  local tmp="$ENV_FILE.tmp"
  {
    echo "# Written by scripts/services.sh start at $(date -u +%FT%TZ). Secrets: keep private."
    echo "# Names used by tests (src/test-support/test-env.ts):"
    q SITEHOP_TEST_SSHD_PORT "$SSHD_PORT"
    q SITEHOP_TEST_SSH_USER "$SSH_USER"
    q SITEHOP_TEST_SSH_PASSWORD "$SSH_PASSWORD"
    q SITEHOP_TEST_SSH_KEY "$SSH_DIR/client_ed25519"
    q SITEHOP_TEST_SSHD_HOST_KEY_PUB "$SSH_DIR/host_ed25519.pub"
    q DBUS_SESSION_BUS_ADDRESS "$DBUS_ADDRESS"
    q SITEHOP_TEST_RDP_PORT "$RDP_PORT"
    q SITEHOP_TEST_RDP_USER "$RDP_USER"
    q SITEHOP_TEST_RDP_PASSWORD "$RDP_PASSWORD"
    q SITEHOP_TEST_RDP_CLIENT_DISPLAY ":$XVFB_CLIENT"
    echo "# Extra:"
    q SITEHOP_TEST_RDP_SERVER_DISPLAY ":$XVFB_SERVER"
    q SITEHOP_TEST_SSH_KEY_PUB "$SSH_DIR/client_ed25519.pub"
    q SITEHOP_TEST_STATE_DIR "$STATE"
    q SITEHOP_TEST_SSHD_PID "$(pid_of sshd)"
    q SITEHOP_TEST_DBUS_PID "$(pid_of dbus)"
    q SITEHOP_TEST_KEYRING_PID "$(pid_of keyring)"
    q SITEHOP_TEST_XVFB_SERVER_PID "$(pid_of xvfb-server)"
    q SITEHOP_TEST_XVFB_CLIENT_PID "$(pid_of xvfb-client)"
    q SITEHOP_TEST_RDP_PID "$(pid_of rdp)"
  } >"$tmp"
  mv -f "$tmp" "$ENV_FILE"
}

do_stop() {
  local svc any=0
  for svc in "${SERVICES[@]}"; do
    [[ -f "$RUN/$svc.pid" ]] && any=1
    kill_pid "$svc"
  done
  rm -f "$RUN/sshd.daemon.pid" "$ENV_FILE" "$ENV_FILE.tmp"
  if [[ -f "$KR_DIR/runtime-dir" ]]; then
    local d; d="$(cat "$KR_DIR/runtime-dir")"
    [[ "$d" == /tmp/sitehop-kr.* ]] && rm -rf "$d"
  fi
  ((any)) && log "all stopped" || log "nothing was running"
}

do_start() {
  check_tools
  rm -f "$RUN/stop-when-idle" # see scripts/test.mjs: a start by hand means "keep them running"
  if all_status quiet; then
    log "already running and healthy:"
    all_status >&2 || true
    return 0
  fi
  if [[ -d "$RUN" ]] && ls "$RUN"/*.pid >/dev/null 2>&1; then
    log "some services are recorded but not healthy: restarting all"
    all_status >&2 || true
    do_stop
  fi
  mkdir -p "$RUN"
  rm -f "$SSH_DIR/sshd.log" "$RDP_DIR/shadow.log" "$X_DIR"/*.log # logs of this run only
  local t0=$SECONDS
  # if anything fails half way, do not leave half the services running
  trap 'rc=$?; if ((rc != 0)); then log "start failed: stopping what was started"; do_stop; fi' EXIT

  start_sshd
  start_keyring
  XVFB_SERVER="$(free_display)"
  start_xvfb xvfb-server "$XVFB_SERVER"
  XVFB_CLIENT="$(free_display "$XVFB_SERVER")"
  start_xvfb xvfb-client "$XVFB_CLIENT"
  start_rdp
  write_env
  trap - EXIT
  if ! all_status quiet; then
    all_status >&2 || true
    do_stop
    die "services are not healthy right after start"
  fi
  log "all services up in $((SECONDS - t0)) s; coordinates in $ENV_FILE"
  all_status >&2 || true
}

with_lock() {
  mkdir -p "$STATE"
  exec 9>"$LOCK_FILE"
  flock -w 120 9 || die "another services.sh holds $LOCK_FILE"
  "$@"
}

case "${1:-}" in
  start) with_lock do_start ;;
  stop) with_lock do_stop ;;
  restart) with_lock do_stop; with_lock do_start ;;
  status)
    set +e
    all_status; rc=$?
    case $rc in
      0) echo "all services healthy (env: $ENV_FILE)" ;;
      3) echo "no services running (start with: bash scripts/services.sh start)" ;;
      *) echo "some services are not healthy (restart with: bash scripts/services.sh restart)" ;;
    esac
    exit $rc ;;
  env) echo "$ENV_FILE" ;;
  *) echo "usage: $0 start|stop|status|restart|env" >&2; exit 2 ;;
esac
