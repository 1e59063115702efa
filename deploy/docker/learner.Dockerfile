# syntax=docker/dockerfile:1
# Learner image (CPU): trains on TensorFlow.js with its default backend (WebAssembly, else plain JS).
# Build from the repository root:
#   docker build -f deploy/docker/learner.Dockerfile -t reverie/learner:0.1.0 .
# For NVIDIA GPUs use learner-gpu.Dockerfile.

FROM node:20.19.5-bookworm-slim AS build
WORKDIR /src
# pnpm from the registry at the version the repository pins (package.json "packageManager").
RUN npm install --global pnpm@9.15.9
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm exec tsc -b services/learner \
 && pnpm --filter @reverie/learner deploy --prod /out \
 && node deploy/docker/place-protos.mjs /out protos

FROM node:20.19.5-bookworm-slim
# In a container the servers listen on every interface (the services default to 127.0.0.1);
# the learner's metrics port is fixed (its default, 0, picks a free one).
ENV NODE_ENV=production \
    REVERIE_GRPC_HOST=0.0.0.0 \
    REVERIE_METRICS_HOST=0.0.0.0 \
    REVERIE_METRICS_PORT=9552
WORKDIR /app
COPY --from=build /out /app
# Checkpoints; in Kubernetes a PersistentVolumeClaim is mounted here.
RUN mkdir -p /var/lib/reverie/checkpoints && chown 1000:1000 /var/lib/reverie/checkpoints
# 1000 is the image's unprivileged `node` user.
USER 1000:1000
# gRPC (LearnerService, grpc.health.v1) and Prometheus /metrics, /healthz, /readyz.
EXPOSE 50552 9552
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9552/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "--enable-source-maps", "dist/main.js"]
