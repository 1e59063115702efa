/**
 * Renders Kustomize directories with the real `kubectl kustomize` and parses the multi-document
 * YAML it prints. A missing kubectl is an error, never a skip: deploy/ is only checked when it
 * really renders.
 */
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

export interface RenderOptions {
  /** Lets the kustomization read files outside its folder (the monitoring component reads grafana/). */
  loadRestrictorNone?: boolean;
}

const KUBECTL_MISSING =
  'kubectl is not on PATH: install kubectl (Debian: `apt-get install kubectl` from the Kubernetes apt ' +
  'repository, or the `kubernetes-client` package) so that deploy/k8s can be rendered and checked';

/** The YAML that `kubectl kustomize <dir>` prints; throws with kubectl's own message on failure. */
export function renderKustomization(dir: string, options: RenderOptions = {}): string {
  const args = ['kustomize', dir];
  if (options.loadRestrictorNone) args.push('--load-restrictor', 'LoadRestrictionsNone');
  const result = spawnSync('kubectl', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? KUBECTL_MISSING : `kubectl failed to start: ${result.error.message}`);
  }
  if (result.status !== 0) {
    throw new Error(`kubectl ${args.join(' ')} exited with ${result.status}:\n${result.stderr.trim()}`);
  }
  return result.stdout;
}

/** Every non-empty document of a multi-document YAML text; a syntax error throws naming its position. */
export function parseDocuments(text: string): unknown[] {
  const objects: unknown[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value);
  }
  return objects;
}
