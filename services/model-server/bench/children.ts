/** Starts a server process and waits for its `READY {json}` line (model-server's main.js or the echo server). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildServer {
  proc: ChildProcess;
  ready: { grpc: string; metrics?: string };
  stop(): Promise<void>;
}

export function startChild(script: string, args: string[]): Promise<ChildServer> {
  const proc = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      resolve({
        proc,
        ready: JSON.parse(line.slice(6)) as ChildServer['ready'],
        stop: async () => {
          proc.kill('SIGTERM');
          await exited;
        },
      });
    });
    void exited.then(() => reject(new Error(`${script} exited before READY`)));
  });
}
