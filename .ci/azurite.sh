#!/usr/bin/env bash
# Azurite (Azure Blob Storage emulator) for the Azure tests, from npm, on the machine's Node.js.
# The tests (io/src/test/.../AzureTestServer.java) install and start Azurite themselves; this
# script does the same by hand or ahead of the build, into the same cache.
#
#   .ci/azurite.sh install            npm install azurite@3.37.0 into the cache (once); prints main.js
#   .ci/azurite.sh start PORT [DIR]   starts azurite-blob on 127.0.0.1:PORT (data in DIR, default a
#                                     temp dir) in the background; prints its PID; waits until it listens
#   .ci/azurite.sh stop PID           stops a server started by 'start'
#
# Cache: $AZURITE_HOME, default ~/.cache/milvus-beam-bulkwriter/azurite. Needs node (18+) and npm.
# Account devstoreaccount1, published key; connection string for PORT:
#   DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:PORT/devstoreaccount1;
set -euo pipefail
VERSION=3.37.0
DIR="${AZURITE_HOME:-$HOME/.cache/milvus-beam-bulkwriter/azurite}"
MAIN="$DIR/node_modules/azurite/dist/src/blob/main.js"

need() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "azurite.sh: '$1' is not on the PATH; the Azure tests need Node.js 20 and npm (e.g. apt-get install nodejs npm)" >&2
    exit 1
  }
}

install() {
  need node
  if [ -f "$DIR/.installed-$VERSION" ] && [ -f "$MAIN" ]; then
    echo "$MAIN"; return
  fi
  need npm
  mkdir -p "$DIR"
  (
    flock 9
    if [ ! -f "$DIR/.installed-$VERSION" ] || [ ! -f "$MAIN" ]; then
      start=$(date +%s)
      npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error "azurite@$VERSION" >&2
      [ -f "$MAIN" ] || { echo "azurite.sh: npm install azurite@$VERSION did not produce $MAIN" >&2; exit 1; }
      echo "npm install azurite@$VERSION took $(( $(date +%s) - start )) s" > "$DIR/.installed-$VERSION"
    fi
  ) 9>"$DIR/.lock"
  echo "$MAIN"
}

case "${1:-}" in
  install)
    install
    ;;
  start)
    port="${2:?usage: azurite.sh start PORT [DIR]}"
    main="$(install)"
    data="${3:-$(mktemp -d -t azurite-XXXXXX)}"
    mkdir -p "$data"
    nohup node "$main" --blobHost 127.0.0.1 --blobPort "$port" --location "$data" \
      --skipApiVersionCheck --loose --disableTelemetry >"$data/azurite.log" 2>&1 </dev/null &
    pid=$!
    for _ in $(seq 1 300); do
      if ! kill -0 "$pid" 2>/dev/null; then
        echo "azurite.sh: Azurite exited:" >&2; cat "$data/azurite.log" >&2; exit 1
      fi
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "$pid"; exit 0
      fi
      sleep 0.2
    done
    echo "azurite.sh: Azurite did not listen on 127.0.0.1:$port within 60 s" >&2
    kill "$pid" 2>/dev/null || true
    exit 1
    ;;
  stop)
    pid="${2:?usage: azurite.sh stop PID}"
    kill "$pid" 2>/dev/null || exit 0
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    ;;
  *)
    sed -n '2,16p' "$0" >&2
    exit 2
    ;;
esac
