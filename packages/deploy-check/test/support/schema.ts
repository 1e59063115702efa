/**
 * Validation of rendered objects against the Kubernetes API schemas (kubernetes-models, generated
 * from the API's OpenAPI spec). Only the API groups a Reverie deployment uses are loaded; an object
 * of any other apiVersion/kind is reported, so a new kind is a conscious addition here.
 */
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as coreV1 from 'kubernetes-models/v1';

interface ModelClass {
  new (data: object): { validate(): void };
  apiVersion: string;
  kind: string;
}

function isModelClass(value: unknown): value is ModelClass {
  if (typeof value !== 'function') return false;
  const statics: Record<string, unknown> = { ...value };
  return typeof statics.apiVersion === 'string' && typeof statics.kind === 'string';
}

function buildModelIndex(): Map<string, ModelClass> {
  const index = new Map<string, ModelClass>();
  for (const group of [appsV1, autoscalingV2, batchV1, networkingV1, policyV1, rbacV1, coreV1]) {
    for (const value of Object.values(group)) {
      if (isModelClass(value)) index.set(`${value.apiVersion}/${value.kind}`, value);
    }
  }
  return index;
}

const MODELS = buildModelIndex();

/** What names a rendered object; fields it lacks are undefined. */
export interface Identity {
  apiVersion: unknown;
  kind: unknown;
  name: unknown;
  namespace: unknown;
}

export function identityOf(object: unknown): Identity {
  if (typeof object !== 'object' || object === null) return { apiVersion: undefined, kind: undefined, name: undefined, namespace: undefined };
  const { apiVersion, kind, metadata } = object as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  return { apiVersion, kind, name: metadata?.name, namespace: metadata?.namespace };
}

export function kindOf(object: unknown): unknown {
  return identityOf(object).kind;
}

/** A rendered object's `Kind/name`, for messages. */
export function describeObject(object: unknown): string {
  const { kind, name } = identityOf(object);
  return `${String(kind)}/${String(name)}`;
}

/** Problems found by the API schemas, one line per object; empty when every object is valid. */
export function schemaProblems(objects: readonly unknown[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    if (typeof object !== 'object' || object === null) {
      problems.push(`not an object: ${JSON.stringify(object)}`);
      continue;
    }
    const { apiVersion, kind } = identityOf(object);
    const model = MODELS.get(`${String(apiVersion)}/${String(kind)}`);
    if (!model) {
      problems.push(`${describeObject(object)}: no schema for apiVersion ${String(apiVersion)} kind ${String(kind)}`);
      continue;
    }
    try {
      new model(object).validate();
    } catch (err) {
      problems.push(`${describeObject(object)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return problems;
}
