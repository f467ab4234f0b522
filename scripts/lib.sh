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

# ensure_python [test]: .venv with what serving needs (`-e .`), or with the test tools
# too (`-e .[test]`: pytest, Playwright, schemathesis, moto...). Each has its stamp
# (the hash of pyproject.toml it was installed from), so run -> test -> run installs
# nothing the second time: a test install serves running too.
#
# The installer is uv when it can be had (uv on PATH, or uv from PyPI into the user's
# cache once: a few seconds), pip otherwise: measured on a fresh clone with warm caches, uv
# installs the server's packages in about 10 s where pip takes over a minute.
ensure_python() {
  local with="${1:-}"
  local want run_stamp="$VENV/.installed-from" test_stamp="$VENV/.installed-from-test"
  want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
  if [ -x "$VENV/bin/python" ]; then
    [ "$(cat "$test_stamp" 2>/dev/null)" = "$want" ] && return
    [ -z "$with" ] && [ "$(cat "$run_stamp" 2>/dev/null)" = "$want" ] && return
  fi
  local python="${PYTHON:-python3}"
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || { echo "Python 3.11 or newer is needed (found: $("$python" --version 2>&1))" >&2; exit 1; }
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating the Python environment .venv"
    "$python" -m venv --without-pip "$VENV"
  fi
  local target="$ROOT" what="what the server needs"
  if [ -n "$with" ]; then
    target="$ROOT[test]"
    what="the server's packages and the test tools"
  fi
  local log="$VENV/install.log"
  if find_uv "$python"; then
    say "installing $what into .venv (uv)"
    # The dependencies straight from pyproject.toml, and pip too (so that .venv/bin/pip
    # works as in any environment); then the project is put on the path by a .pth
    # file, which is all an editable install of it does (it has no entry points), and
    # its build is skipped: a third of the time.
    local extras=()
    [ -n "$with" ] && extras=(--extra test)
    if ! UV_PYTHON_DOWNLOADS=never "$UV" pip install --python "$VENV/bin/python" pip \
          -r "$ROOT/pyproject.toml" "${extras[@]}" 2>&1 \
        | tee "$log" | sed -u -n -e 's/^ + /    + /p' -e '/^Resolved\|^Installed\|^Prepared/s/^/    /p'; then
      echo "uv pip install failed:" >&2
      cat "$log" >&2
      exit 1
    fi
    "$VENV/bin/python" -c 'import sys, sysconfig, pathlib
pathlib.Path(sysconfig.get_path("purelib"), "yibao-source.pth").write_text(sys.argv[1] + "\n")' "$ROOT"
  else
    "$VENV/bin/python" -m pip --version >/dev/null 2>&1 || "$VENV/bin/python" -m ensurepip -q
    say "installing $what into .venv (pip; from its cache when there)"
    # One line per package as pip collects it, so a slow network shows where it is.
    if ! PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install --progress-bar off -e "$target" 2>&1 \
        | tee "$log" | sed -u -n -e 's/^Collecting \([^ ]*\).*/    \1/p' \
                               -e 's/^\(Installing collected packages\).*/    \1.../p'; then
      echo "pip install failed:" >&2
      cat "$log" >&2
      exit 1
    fi
  fi
  echo "$want" > "$run_stamp"
  [ -n "$with" ] && echo "$want" > "$test_stamp"
  return 0
}

# find_uv PYTHON: sets UV to uv on PATH, or to the copy this script installed from PyPI
# into the user's cache (~/.cache/yibao-tools) on an earlier checkout, or installs that
# copy now with whichever pip there is (.venv's, or PYTHON's). Kept outside the
# checkout so that the next fresh clone finds it, like every other cached package.
# Fails when none of that works: the caller then installs with pip.
find_uv() {
  if command -v uv >/dev/null; then UV="$(command -v uv)"; return 0; fi
  local tools="${XDG_CACHE_HOME:-$HOME/.cache}/yibao-tools"
  UV="$tools/bin/uv"
  [ -x "$UV" ] && "$UV" --version >/dev/null 2>&1 && return 0
  say "installing uv (a fast installer, from PyPI) into $tools, kept for the next checkout"
  local pip=() staging
  if "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then pip=("$VENV/bin/python" -m pip)
  elif "$1" -m pip --version >/dev/null 2>&1; then pip=("$1" -m pip)
  else return 1; fi
  mkdir -p "$(dirname "$tools")" 2>/dev/null || return 1
  # Installed beside, then moved into place: two checkouts set up at once never see
  # half of it.
  staging="$(mktemp -d "$tools.XXXXXX")" || return 1
  if PIP_DISABLE_PIP_VERSION_CHECK=1 "${pip[@]}" install -q --target "$staging" uv >/dev/null 2>&1 \
      && [ -x "$staging/bin/uv" ]; then
    rm -rf "$tools" 2>/dev/null; mv "$staging" "$tools" 2>/dev/null || rm -rf "$staging"
  else
    rm -rf "$staging"
  fi
  [ -x "$UV" ] && "$UV" --version >/dev/null 2>&1
}

# ensure_node_modules [test]: the mock's packages from npm. Serving needs only its
# `dependencies` (WeUI, signature_pad, Swagger UI: files the browser loads from
# /node_modules at run time); the tests add the `devDependencies` (axe-core).
ensure_node_modules() {
  local with="${1:-}"
  local dir="$ROOT/miniprogram_mock"
  local run_stamp="$dir/node_modules/.installed-from-runtime" test_stamp="$dir/node_modules/.installed-from"
  local want
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  [ "$(cat "$test_stamp" 2>/dev/null)" = "$want" ] && return
  [ -z "$with" ] && [ "$(cat "$run_stamp" 2>/dev/null)" = "$want" ] && return
  command -v npm >/dev/null || apt_install nodejs npm
  if [ -n "$with" ]; then
    say "installing the mock's front-end packages and test tools (npm ci)"
    (cd "$dir" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error)
    echo "$want" > "$test_stamp"
  else
    say "installing the mock's front-end packages (npm ci --omit=dev)"
    (cd "$dir" && npm ci --omit=dev --prefer-offline --no-audit --no-fund --loglevel=error)
  fi
  echo "$want" > "$run_stamp"
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
