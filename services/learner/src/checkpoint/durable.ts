/** fsync helpers: a rename or a new file is only crash-safe once its directory is synced too. */
import { open, writeFile } from 'node:fs/promises';

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes and fsyncs a file. */
export async function writeFileDurable(path: string, data: Uint8Array | string): Promise<void> {
  await writeFile(path, data);
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
