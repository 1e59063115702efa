/** How `reverie stack up` shows its endpoints: a table for people, one READY line for programs. */
import Table from 'cli-table3';
import { formatReadyLine } from './ready.js';
import type { StackEndpoints } from './stack.js';

/** The stack's READY payload: every endpoint, in start order. */
export function stackReadyLine(e: StackEndpoints): string {
  return formatReadyLine({ nats: e.nats, modelServer: e.modelServer, learner: e.learner, actors: e.actors });
}

export function renderEndpointTable(e: StackEndpoints): string {
  const table = new Table({ head: ['process', 'pid', 'gRPC', 'metrics'], style: { head: [], border: [] } });
  table.push(['nats', '', e.nats ?? 'none: weights go to the actors in memory', '']);
  const rows: [string, StackEndpoints['modelServer']][] = [
    ['model-server', e.modelServer],
    ['learner', e.learner],
    ...e.actors.map((a): [string, StackEndpoints['modelServer']] => [a.name, a]),
  ];
  for (const [name, ep] of rows) table.push([name, ep.pid === null ? '' : String(ep.pid), ep.grpc ?? '–', ep.metrics ?? '–']);
  return table.toString();
}
