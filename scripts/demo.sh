#!/usr/bin/env bash
# Runs the demo: builds the web app when it is missing or older than its
# sources, then starts pt-server (release build, embedded store under ./data)
# with the demo studio and the board at http://127.0.0.1:8080/.
#
# Needs the Rust toolchain, Node.js 20+ and npm (Debian: apt-get install -y nodejs npm).
# Extra arguments go to pt-server, e.g. `scripts/demo.sh --listen 127.0.0.1:9000`.
set -euo pipefail
cd "$(dirname "$0")/.."

web=client-ts/dist-web
if ! command -v npm >/dev/null; then
  echo "npm is missing: install Node.js 20+ and npm (Debian: sudo apt-get install -y nodejs npm)" >&2
  exit 1
fi
if [ ! -d client-ts/node_modules ]; then
  (cd client-ts && npm ci --no-audit --no-fund)
fi
# Rebuild when there is no build, or any source is newer than it.
if [ ! -f "$web/index.html" ] ||
  [ -n "$(find client-ts/web client-ts/src client-ts/package.json client-ts/package-lock.json -newer "$web/index.html" -type f -print -quit)" ]; then
  (cd client-ts && npm run build:web)
fi

listen=127.0.0.1:8080
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --listen) listen="${args[$((i + 1))]:-$listen}" ;;
    --listen=*) listen="${args[$i]#--listen=}" ;;
  esac
done
echo
echo "==> Open http://$listen/ once the server says it is listening."
echo "    Sign in as owner@demo.studio, manager@demo.studio or freelancer@demo.studio"
echo "    (password demo-studio-2026). Ctrl-C stops the server."
echo
exec cargo run --release -p pt-server -- --demo --web-dir "$web" "$@"
