#!/usr/bin/env bash
# Prints the manifests of one scaling-experiment point: ACTORS actor pods x ENVS_PER_ACTOR envs
# each, stepping for DURATION_SECONDS, on the base stack with Prometheus and Grafana.
#   deploy/k8s/scale/render-point.sh 8 32 120 | kubectl apply -f -
# It writes a throwaway kustomization (kustomize wants relative paths) next to nothing of the repo's.
# KUSTOMIZE=/path/to/kustomize uses a standalone kustomize instead of kubectl's.
set -euo pipefail

usage() { echo "usage: $0 ACTORS ENVS_PER_ACTOR DURATION_SECONDS" >&2; exit 2; }
[ "$#" -eq 3 ] || usage
for value in "$@"; do
  [[ "$value" =~ ^[1-9][0-9]*$ ]] || { echo "$0: '$value' is not a positive whole number" >&2; usage; }
done

k8s_dir="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rel="$(realpath --relative-to="$work" "$k8s_dir")"

cat > "$work/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: reverie
resources:
  - $rel/namespace
  - $rel/base
  - scale-params.yaml
components:
  - $rel/components/monitoring
  - $rel/components/scale
YAML

cat > "$work/scale-params.yaml" <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: scale-params
data:
  ACTORS: "$1"
  ENVS_PER_ACTOR: "$2"
  DURATION_SECONDS: "$3"
YAML

# kubectl's built-in kustomize, or a standalone one named by KUSTOMIZE (`kustomize build`).
if [ -n "${KUSTOMIZE:-}" ]; then
  "$KUSTOMIZE" build --load-restrictor LoadRestrictionsNone "$work"
else
  kubectl kustomize --load-restrictor LoadRestrictionsNone "$work"
fi
