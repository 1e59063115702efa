export interface ConfigIssue {
  /** Dotted field path, e.g. `nats.url`; empty for a problem with a whole source. */
  path: string;
  /** Where the value came from: `file config.yaml`, `env REVERIE_GRPC_PORT`, `flag --grpc-port`, or `not set ...`. */
  source: string;
  /** Why it was rejected (the zod issue message, or a file/parse problem). */
  message: string;
}

function formatIssue(issue: ConfigIssue): string {
  const where = issue.path ? `${issue.path}: ` : '';
  return `  - ${where}${issue.message} (${issue.source})`;
}

/** Bad service configuration; the message lists every bad field, its source and the reason. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly service: string;
  readonly issues: readonly ConfigIssue[];

  constructor(service: string, issues: readonly ConfigIssue[]) {
    super(`invalid config for service "${service}":\n${issues.map(formatIssue).join('\n')}`);
    this.service = service;
    this.issues = issues;
  }
}
