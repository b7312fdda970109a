# patch-review API. Two stages: the build stage has the C/C++ toolchain (tree-sitter and
# better-sqlite3 compile natively: tree-sitter's prebuilt binary does not load on Debian 12's
# libstdc++) and compiles the TypeScript; the runtime stage has only the compiled build and the
# production dependencies, and runs as the unprivileged `node` user.
# scripts/docker-steps.sh replays these steps without a Docker engine (CI runs it); keep each
# COPY a plain list of paths and each build RUN a shell command it can replay.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json openapi.yaml ./
COPY bin ./bin
COPY scripts/build-bundle.mjs scripts/bundle-import-meta.js ./scripts/
COPY scripts/bundle-builtins ./scripts/bundle-builtins
COPY src ./src
COPY rules ./rules
# npm ci compiles the native modules, then `prepare` builds dist/ (tsc + the review page's files).
# The define makes a tree-sitter call interrupted by a worker's stop (heap bound, hard time limit)
# throw in that worker instead of aborting the whole process (nodejs/node-addon-api#975).
RUN CXXFLAGS=-DNODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS npm ci --no-audit --no-fund
RUN npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/openapi.yaml ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/bin ./bin
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop, Kubernetes) lets in-flight reviews finish; give it SHUTDOWN_TIMEOUT_MS.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/api/run.js"]
