# syntax=docker/dockerfile:1
# Model-server image: versioned weight store, NATS broadcast, PolicyService for simulators.
# Build from the repository root:
#   docker build -f deploy/docker/model-server.Dockerfile -t reverie/model-server:0.1.0 .

FROM node:20.19.5-bookworm-slim AS build
WORKDIR /src
# pnpm from the registry at the version the repository pins (package.json "packageManager").
RUN npm install --global pnpm@9.15.9
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm exec tsc -b services/model-server \
 && pnpm --filter @reverie/model-server deploy --prod /out \
 && node deploy/docker/place-protos.mjs /out protos

FROM node:20.19.5-bookworm-slim
# In a container the servers listen on every interface (the defaults are 127.0.0.1).
ENV NODE_ENV=production \
    REVERIE_GRPC_HOST=0.0.0.0 \
    REVERIE_METRICS_HOST=0.0.0.0
WORKDIR /app
# Owned by root and read-only for the service user: the code cannot be changed at run time.
COPY --from=build /out /app
# The weight store; in Kubernetes a PersistentVolumeClaim is mounted here.
RUN mkdir -p /var/lib/reverie/weights && chown 1000:1000 /var/lib/reverie/weights
# 1000 is the image's unprivileged `node` user.
USER 1000:1000
# gRPC (ModelService, PolicyService, grpc.health.v1) and Prometheus /metrics, /healthz, /readyz.
EXPOSE 50551 9551
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9551/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "--enable-source-maps", "dist/main.js"]
