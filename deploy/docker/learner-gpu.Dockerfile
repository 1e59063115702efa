# syntax=docker/dockerfile:1
# Learner image for NVIDIA GPUs. @tensorflow/tfjs-node-gpu 4.22.0 binds libtensorflow 2.9.1, which is
# built for CUDA 11.2 and cuDNN 8.1, so both stages use NVIDIA's CUDA 11.2 + cuDNN 8 runtime base
# (Ubuntu 20.04). Node 20 comes from the official Node image (its binaries need glibc >= 2.28;
# Ubuntu 20.04 has 2.31). The node runs the NVIDIA driver >= 460 and the NVIDIA device plugin.
# Build from the repository root:
#   docker build -f deploy/docker/learner-gpu.Dockerfile -t reverie/learner-gpu:0.1.0 .

FROM node:20.19.5-bookworm-slim AS node

FROM nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04 AS build
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
# node-gyp needs python3, make and g++ if the tfjs-node-gpu addon has to be compiled here.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates python3 make g++ \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && npm install --global pnpm@9.15.9
WORKDIR /src
COPY . .
# tfjs-node-gpu is added to the learner only inside this build (its install script downloads
# libtensorflow, so it is never a repository dependency); it registers the 'tensorflow' backend
# into the same @tensorflow/tfjs 4.22.0 that @reverie/nn uses, which picks it up at start.
RUN pnpm install --frozen-lockfile \
 && pnpm exec tsc -b services/learner \
 && pnpm --filter @reverie/learner add @tensorflow/tfjs-node-gpu@4.22.0 \
 && pnpm --filter @reverie/learner deploy --prod /out \
 && node deploy/docker/place-protos.mjs /out protos

FROM nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04
COPY --from=node /usr/local/bin/node /usr/local/bin/node
RUN groupadd --gid 1000 reverie \
 && useradd --uid 1000 --gid 1000 --no-create-home --shell /usr/sbin/nologin reverie \
 && mkdir -p /var/lib/reverie/checkpoints && chown 1000:1000 /var/lib/reverie/checkpoints
# In a container the servers listen on every interface (the services default to 127.0.0.1);
# the learner's metrics port is fixed (its default, 0, picks a free one). On GPUs newer than
# libtensorflow 2.9's kernels (Hopper, Ada) the driver JIT-compiles them at the first start; the
# cache goes to /tmp (the user has no home) and is big enough to hold them. TensorFlow takes GPU
# memory as it needs it instead of all of it at once.
ENV NODE_ENV=production \
    CUDA_CACHE_PATH=/tmp/cuda-cache \
    CUDA_CACHE_MAXSIZE=4294967296 \
    TF_FORCE_GPU_ALLOW_GROWTH=true \
    REVERIE_BACKEND=tensorflow \
    REVERIE_GRPC_HOST=0.0.0.0 \
    REVERIE_METRICS_HOST=0.0.0.0 \
    REVERIE_METRICS_PORT=9552
WORKDIR /app
COPY --from=build /out /app
USER 1000:1000
# gRPC (LearnerService, grpc.health.v1) and Prometheus /metrics, /healthz, /readyz.
EXPOSE 50552 9552
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9552/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "--enable-source-maps", "dist/main.js"]
