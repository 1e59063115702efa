import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root (this file is packages/deploy-check/test/support/repo.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export const DEPLOY_DIR = join(REPO_ROOT, 'deploy');
export const K8S_DIR = join(DEPLOY_DIR, 'k8s');
export const DOCKER_DIR = join(DEPLOY_DIR, 'docker');
export const GRAFANA_DIR = join(REPO_ROOT, 'grafana');
