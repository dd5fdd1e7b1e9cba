#!/usr/bin/env bash
# Serve xent from K Streamlit processes behind nginx, all on 127.0.0.1, and tear it all
# down on exit (Ctrl-C, SIGTERM, the end of --duration, or the end of the command given
# after --). Nothing outside a temporary run directory is written: nginx runs in the
# foreground from its own prefix with its own pid file, logs and temp dirs.
#
#   deploy/run_cluster.sh                  # K = number of cores, nginx on :8580, until Ctrl-C
#   deploy/run_cluster.sh -k 2 -p 8580 -d 600
#   deploy/run_cluster.sh -k 2 -- .venv/bin/python benchmarks/load.py --sessions 1,10,30,60
#       (the command sees XENT_CLUSTER_URL and XENT_CLUSTER_PIDFILE; load.py reads both)
#
# Options:
#   -k K         Streamlit processes (default: nproc). One process runs Python on about one
#                core (the GIL), so K = cores is the natural choice.
#   -p PORT      nginx port (default 8580); Streamlit gets the K ports after --base.
#   -b BASE      first Streamlit port (default 8551)
#   -d SECONDS   stop after this long (default: run until interrupted)
#   -a APP       the app script (default: streamlit_app.py of this repository)
# Needs nginx. If it is missing and we are root on Debian/Ubuntu, it is installed with
# apt-get (needs network access to the package mirror); otherwise the script says so.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
K="$(nproc)"
PORT=8580
BASE=8551
DURATION=0
APP="${XENT_APP_ROOT:-$repo}/streamlit_app.py"  # XENT_APP_ROOT: e.g. a benchmarks/snapshot.sh tree
PYTHON="${PYTHON:-$repo/.venv/bin/python}"

while getopts "k:p:b:d:a:h" opt; do
  case "$opt" in
    k) K="$OPTARG" ;;
    p) PORT="$OPTARG" ;;
    b) BASE="$OPTARG" ;;
    d) DURATION="$OPTARG" ;;
    a) APP="$(cd "$(dirname "$OPTARG")" && pwd)/$(basename "$OPTARG")" ;;
    h) sed -n '2,25p' "$0"; exit 0 ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[[ "${1:-}" == "--" ]] && shift

log() { echo "run_cluster: $*" >&2; }

if [[ ! -x "$PYTHON" ]]; then
  log "no Python at $PYTHON: run 'make run' (or create .venv) first, or set PYTHON"
  exit 1
fi

NGINX="$(command -v nginx || true)"
[[ -z "$NGINX" && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
if [[ -z "$NGINX" ]]; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    log "nginx not found: installing Debian's nginx package (apt-get install -y nginx)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq nginx >/dev/null || {
      log "apt-get could not install nginx (no network to the mirror?): install nginx and retry"
      exit 1
    }
    NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
  else
    log "nginx is missing: install it (Debian: sudo apt-get install nginx) and retry"
    exit 1
  fi
fi

RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/xent-cluster.XXXXXX")"
chmod 755 "$RUN_DIR"  # nginx workers may run as an unprivileged user
PIDFILE="$RUN_DIR/streamlit.pids"
: >"$PIDFILE"
pids=()
nginx_pid=""

cleanup() {
  trap - EXIT INT TERM
  [[ -n "$nginx_pid" ]] && kill -TERM "$nginx_pid" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}" $nginx_pid; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$RUN_DIR"
  log "stopped"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_healthy() {  # url, seconds
  local deadline=$((SECONDS + $2))
  until "$PYTHON" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$1" 2>/dev/null; do
    if ((SECONDS >= deadline)); then log "$1 not healthy after $2 s"; return 1; fi
    sleep 0.2
  done
}

# All processes share one cookie secret, so that a signed cookie set by one is valid on all.
# (Streamlit accepts the secret only from config files or the environment, not the CLI.)
STREAMLIT_SERVER_COOKIE_SECRET="$("$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')"
export STREAMLIT_SERVER_COOKIE_SECRET
ports=()
for ((i = 0; i < K; i++)); do
  port=$((BASE + i))
  ports+=("$port")
  # Each process is the stock `streamlit run`, with the repository's .streamlit/config.toml.
  cmd=("$PYTHON" -m streamlit run "$APP" "--server.port=$port" --server.address=127.0.0.1 --server.headless=true
    --browser.gatherUsageStats=false)
  (cd "$(dirname "$APP")" && exec "${cmd[@]}") >"$RUN_DIR/streamlit-$port.log" 2>&1 &
  pids+=("$!")
  echo "$!" >>"$PIDFILE"
done
for port in "${ports[@]}"; do
  wait_healthy "http://127.0.0.1:$port/_stcore/health" 90 || {
    tail -n 20 "$RUN_DIR/streamlit-$port.log" >&2
    exit 1
  }
done

backends="$(IFS=,; echo "${ports[*]}")"
"$PYTHON" "$here/render_nginx.py" --run-dir "$RUN_DIR" --listen "$PORT" --backends "$backends" \
  >"$RUN_DIR/nginx.conf"
"$NGINX" -t -q -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log"
"$NGINX" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log" -g "daemon off;" &
nginx_pid="$!"
wait_healthy "http://127.0.0.1:$PORT/_stcore/health" 30

export XENT_CLUSTER_URL="http://127.0.0.1:$PORT"
export XENT_CLUSTER_PIDFILE="$PIDFILE"
log "ready: $XENT_CLUSTER_URL -> $K Streamlit processes on ports $backends (pids: ${pids[*]}; nginx $nginx_pid); run dir $RUN_DIR"

if (($# > 0)); then
  "$@"
elif ((DURATION > 0)); then
  sleep "$DURATION" &
  wait $! || true
else
  wait "$nginx_pid" || true
fi
