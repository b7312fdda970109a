#!/usr/bin/env bash
# Replays the Dockerfile without a Docker engine: reads its instructions and carries them out in a
# scratch copy of the repository.
#   build stage:   COPY the listed paths, RUN the npm steps (install + build, prune to production);
#                  the apt-get toolchain step is checked (python3, make, g++ must be here) not run.
#   runtime stage: COPY --from=build the listed paths into a fresh directory, apply ENV, then start
#                  CMD as an unprivileged user (USER; here `nobody` when run as root), run the
#                  HEALTHCHECK command, GET /healthz, POST one review, and stop it with SIGTERM.
# Differences from a real image, on purpose: the machine's Node instead of the image's; HOST is
# 127.0.0.1 instead of 0.0.0.0 (test servers listen on loopback only); a free port instead of 8080.
# Exit status: 0 passed, 1 failed, 77 cannot run here (e.g. no unprivileged user to switch to).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOCKERFILE="$ROOT/Dockerfile"
KEEP=${DOCKER_STEPS_KEEP:-}

say() { printf 'docker-steps: %s\n' "$*" >&2; }
fail() { say "FAILED: $*"; exit 1; }
skip() { say "SKIPPED: $*"; exit 77; }

# --- who runs the server (the image's USER) ---
if [ "$(id -u)" = 0 ]; then
  id nobody >/dev/null 2>&1 || skip "running as root and there is no 'nobody' user to run the server as"
  command -v setpriv >/dev/null 2>&1 || skip "running as root and setpriv (util-linux) is missing"
  RUN_AS=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups --)
  RUN_AS_NAME=nobody
else
  RUN_AS=()
  RUN_AS_NAME=$(id -un)
fi
for tool in python3 make g++ node npm; do
  command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (the build stage needs it)"
done

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/docker-steps.XXXXXX")
chmod 755 "$SCRATCH"
BUILD="$SCRATCH/build"
RUNTIME="$SCRATCH/runtime"
mkdir -p "$BUILD" "$RUNTIME"
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -KILL "$SERVER_PID" 2>/dev/null || true; fi
  if [ -z "$KEEP" ]; then rm -rf "$SCRATCH"; else say "kept $SCRATCH"; fi
}
trap cleanup EXIT

# --- the Dockerfile's instructions, continuation lines joined, comments dropped ---
mapfile -t LINES < <(sed -e ':a' -e '/\\$/N; s/\\\n/ /; ta' "$DOCKERFILE" | grep -v '^[[:space:]]*#' | grep -v '^[[:space:]]*$')

json_array() { node -e 'const a = JSON.parse(process.argv[1]); for (const x of a) process.stdout.write(x + "\0");' "$1"; }

STAGE=
ENV_VARS=()
CMD_JSON=
HEALTH_JSON=
USER_NAME=
for line in "${LINES[@]}"; do
  read -r instr rest <<<"$line"
  case "${instr^^}" in
    ARG) ;;
    FROM)
      if [[ "$rest" =~ [Aa][Ss][[:space:]]+build$ ]]; then STAGE=build; else STAGE=runtime; fi
      say "FROM $rest"
      ;;
    WORKDIR) ;;
    ENV)
      # KEY=VALUE pairs (no spaces inside values in our Dockerfile).
      read -r -a pairs <<<"$rest"
      ENV_VARS+=("${pairs[@]}")
      ;;
    RUN)
      [ "$STAGE" = build ] || fail "a RUN in the runtime stage cannot be replayed: $rest"
      if [[ "$rest" == *apt-get* ]]; then
        say "RUN (toolchain) checked: python3, make and g++ are installed"
      else
        say "RUN $rest"
        (cd "$BUILD" && bash -c "$rest") || fail "RUN $rest"
      fi
      ;;
    COPY)
      read -r -a words <<<"$rest"
      from=
      args=()
      for w in "${words[@]}"; do
        case "$w" in
          --from=*) from=${w#--from=} ;;
          --*) ;;
          *) args+=("$w") ;;
        esac
      done
      dest=${args[-1]}
      unset 'args[-1]'
      if [ -z "$from" ]; then src_root=$ROOT; dest_root=$BUILD; else src_root=$BUILD; dest_root=$RUNTIME; fi
      for src in "${args[@]}"; do
        rel=${src#/app/}
        target="$dest_root/${dest#./}"
        if [[ "$dest" == */ ]]; then mkdir -p "$target"; cp -a "$src_root/$rel" "$target"; else mkdir -p "$(dirname "$target")"; cp -a "$src_root/$rel" "$target"; fi
      done
      say "COPY ${from:+--from=$from }${args[*]} -> $dest"
      ;;
    USER) USER_NAME=$rest ;;
    EXPOSE | STOPSIGNAL | LABEL) ;;
    HEALTHCHECK) HEALTH_JSON=$(sed -e 's/^.*CMD[[:space:]]*//' <<<"$rest") ;;
    CMD) CMD_JSON=$rest ;;
    *) fail "instruction $instr is not replayed by this script; teach it or keep the Dockerfile simple" ;;
  esac
done
[ -n "$CMD_JSON" ] || fail "the Dockerfile has no CMD"
[ -n "$HEALTH_JSON" ] || fail "the Dockerfile has no HEALTHCHECK"
[ -n "$USER_NAME" ] || fail "the Dockerfile has no USER: the image would run as root"

# --- the runtime image holds production dependencies only ---
[ -d "$RUNTIME/node_modules/fastify" ] || fail "fastify missing from the runtime node_modules"
for dev in typescript eslint playwright-core autocannon; do
  [ ! -e "$RUNTIME/node_modules/$dev" ] || fail "dev dependency $dev is in the runtime image"
done
[ ! -e "$RUNTIME/src" ] || fail "sources are in the runtime image"
[ -f "$RUNTIME/dist/src/api/run.js" ] || fail "the compiled server is missing"
[ -f "$RUNTIME/dist/src/api/static/index.html" ] || fail "the review page is missing from the build"
chmod -R a+rX "$SCRATCH"

# --- start the server as the image would, but on loopback and a free port ---
PORT=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
mapfile -d '' -t CMD < <(json_array "$CMD_JSON")
mapfile -d '' -t HEALTH < <(json_array "$HEALTH_JSON")
LOG="$SCRATCH/server.log"
say "USER $USER_NAME -> running as $RUN_AS_NAME: ${CMD[*]} (HOST=127.0.0.1 PORT=$PORT)"
(cd "$RUNTIME" && exec "${RUN_AS[@]}" env -i PATH="$PATH" HOME=/nonexistent "${ENV_VARS[@]}" HOST=127.0.0.1 PORT="$PORT" WORKERS=1 "${CMD[@]}") >"$LOG" 2>&1 &
SERVER_PID=$!

BASE="http://127.0.0.1:$PORT"
http() { node -e '
  const [method, url, file, type] = process.argv.slice(1);
  const body = file ? require("fs").readFileSync(file) : undefined;
  fetch(url, { method, body, headers: type ? { "content-type": type } : {} })
    .then(async (r) => { process.stdout.write(await r.text()); process.exit(r.ok ? 0 : 1); }, (e) => { console.error(e.message); process.exit(2); });
' "$@"; }

for _ in $(seq 1 600); do
  grep -q '"patch-review API listening"' "$LOG" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$LOG" >&2; fail "the server exited before listening"; }
  sleep 0.1
done
grep -q '"patch-review API listening"' "$LOG" || { cat "$LOG" >&2; fail "the server did not start listening"; }

(cd "$RUNTIME" && "${RUN_AS[@]}" env -i PATH="$PATH" PORT="$PORT" "${HEALTH[@]}") || fail "HEALTHCHECK failed"
say "HEALTHCHECK passed"
http GET "$BASE/healthz" >/dev/null || fail "GET /healthz"
say "GET /healthz: 200"
REVIEW=$(http POST "$BASE/v1/reviews" "$ROOT/examples/xen-vtd-flush-review.txt" text/plain) || fail "POST /v1/reviews: $REVIEW"
FINDINGS=$(node -e 'console.log(JSON.parse(process.argv[1]).findings.length)' "$REVIEW")
[ "$FINDINGS" -gt 0 ] || fail "the review of the bundled example has no findings"
say "POST /v1/reviews (examples/xen-vtd-flush-review.txt): 200, $FINDINGS findings"
if [ "$(id -u)" = 0 ]; then
  owner=$(stat -c %U "/proc/$SERVER_PID")
  [ "$owner" != root ] || fail "the server runs as root"
fi

kill -TERM "$SERVER_PID"
status=0
wait "$SERVER_PID" || status=$?
SERVER_PID=
[ "$status" = 0 ] || { cat "$LOG" >&2; fail "the server exited $status on SIGTERM"; }
grep -q '"shut down cleanly"' "$LOG" || fail "no clean shutdown in the log"
say "SIGTERM: exited 0 after a clean shutdown"
say "PASSED"
