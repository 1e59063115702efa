# syntax=docker/dockerfile:1
# Actor image: Piscina workers step vector envs; trajectories stream to the learner.
# Build from the repository root:
#   docker build -f deploy/docker/actor.Dockerfile -t reverie/actor:0.1.0 .

FROM node:20.19.5-bookworm-slim AS build
WORKDIR /src
# pnpm from the registry at the version the repository pins (package.json "packageManager").
RUN npm install --global pnpm@9.15.9
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm exec tsc -b services/actor \
 && pnpm --filter @reverie/actor deploy --prod /out \
 && node deploy/docker/place-protos.mjs /out protos

FROM node:20.19.5-bookworm-slim
# In a container the metrics server listens on every interface (the default is 127.0.0.1).
ENV NODE_ENV=production \
    REVERIE_METRICS_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /out /app
# 1000 is the image's unprivileged `node` user.
USER 1000:1000
# Actors serve no gRPC; only Prometheus /metrics, /healthz and /readyz.
EXPOSE 9553
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9553/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "--enable-source-maps", "dist/main.js"]
