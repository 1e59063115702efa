/** The Kustomize targets under deploy/k8s that a user applies, rendered once per test file. */
import { join } from 'node:path';
import { K8S_DIR } from './repo.js';
import { parseDocuments, renderKustomization } from './kustomize.js';
import { podTemplates, type PodTemplate } from './pods.js';

export interface Target {
  /** Folder under deploy/k8s. */
  dir: string;
  /** Namespace every namespaced object lands in; undefined for the namespace-less base. */
  namespace: string | undefined;
  /** Reads grafana/ from outside its folder, so it renders with the load restrictor relaxed. */
  loadRestrictorNone: boolean;
}

export const TARGETS: readonly Target[] = [
  { dir: 'base', namespace: undefined, loadRestrictorNone: false },
  { dir: 'overlays/local', namespace: 'reverie', loadRestrictorNone: false },
  { dir: 'overlays/gpu', namespace: 'reverie', loadRestrictorNone: false },
  { dir: 'overlays/monitoring', namespace: 'reverie', loadRestrictorNone: true },
  { dir: 'scale', namespace: 'reverie', loadRestrictorNone: true },
];

export interface Rendered {
  objects: unknown[];
  pods: PodTemplate[];
}

const cache = new Map<string, Rendered>();

/** `kubectl kustomize` of a target, parsed, with its pod templates. */
export function render(dir: string): Rendered {
  let rendered = cache.get(dir);
  if (!rendered) {
    const target = TARGETS.find((t) => t.dir === dir);
    if (!target) throw new Error(`unknown deploy/k8s target ${dir}`);
    const objects = parseDocuments(renderKustomization(join(K8S_DIR, dir), { loadRestrictorNone: target.loadRestrictorNone }));
    rendered = { objects, pods: podTemplates(objects) };
    cache.set(dir, rendered);
  }
  return rendered;
}
