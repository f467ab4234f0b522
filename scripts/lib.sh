# Shared by scripts/run and scripts/test: install what is missing, fast when nothing is.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

need_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  say "installing Debian packages: $*"
  need_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_python() {
  local stamp="$VENV/.installed-from"
  local want
  want="$(cat "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)"
  if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    return
  fi
  local python="${PYTHON:-python3}"
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || { echo "Python 3.11 or newer is needed (found: $("$python" --version 2>&1))" >&2; exit 1; }
  say "installing Python packages into .venv"
  [ -x "$VENV/bin/python" ] || "$python" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e "$ROOT[test]"
  echo "$want" > "$stamp"
}

ensure_node_modules() {
  local dir="$ROOT/miniprogram_mock"
  local stamp="$dir/node_modules/.installed-from"
  local want
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    return
  fi
  command -v npm >/dev/null || apt_install nodejs npm
  say "installing front-end packages (npm ci)"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
}

ensure_chromium() {
  # Debian's Chromium for the browser walks (no browser is downloaded), and CJK fonts
  # so that the screenshots show Chinese rather than empty boxes.
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

ensure_walk_tools() {
  # The README's walks are run by the tests with curl and jq, as a reader would.
  local missing=()
  for tool in curl jq; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

NGINX="${NGINX:-/usr/sbin/nginx}"

ensure_redis() {
  # The rate-limit tests run two servers on one Redis (REDIS_URL). Machines of this
  # project's kind start Redis before a session; elsewhere, install and start it here.
  if "$VENV/bin/python" -c 'import redis, sys; redis.Redis(socket_connect_timeout=1).ping()' 2>/dev/null; then
    return
  fi
  command -v redis-server >/dev/null || apt_install redis-server
  say "starting Redis on 127.0.0.1:6379 (nothing kept on disk)"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    "$VENV/bin/python" -c 'import redis; redis.Redis(socket_connect_timeout=1).ping()' 2>/dev/null && return
    sleep 0.5
  done
  echo "Redis did not start on 127.0.0.1:6379" >&2
  return 1
}

ensure_nginx() {
  # Debian's nginx for scripts/serve (the production recipe). Only the binary is
  # used: scripts/serve runs it as the current user with its own rendered config
  # (deploy/nginx.conf); the system's /etc/nginx is never read. nginx-light is
  # enough (proxying only); where it is gone from Debian, nginx is the same binary.
  [ -x "$NGINX" ] && return
  if apt-cache show nginx-light >/dev/null 2>&1; then
    apt_install nginx-light
  else
    apt_install nginx
  fi
}

ensure_wrk() {
  # Debian's wrk drives scripts/bench (and its smoke test); nothing is downloaded.
  command -v wrk >/dev/null || apt_install wrk
}
