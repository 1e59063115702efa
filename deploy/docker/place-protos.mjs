// Copies the repository's protos/ to the folder @reverie/transport loads them from at run time
// (its PROTO_ROOT), inside a `pnpm deploy` output. Asking the package itself keeps this right
// whatever layout pnpm chose for the deployed node_modules.
// Usage: node place-protos.mjs <deploy-dir> <protos-dir>
import { cpSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [deployDir, protosDir] = process.argv.slice(2).map((p) => resolve(p));
if (!deployDir || !protosDir) throw new Error('usage: node place-protos.mjs <deploy-dir> <protos-dir>');
if (!existsSync(join(protosDir, 'reverie', 'v1'))) throw new Error(`no reverie/v1 protos under ${protosDir}`);

const requireFromDeploy = createRequire(join(deployDir, 'package.json'));
const transport = await import(pathToFileURL(requireFromDeploy.resolve('@reverie/transport')).href);
cpSync(protosDir, transport.PROTO_ROOT, { recursive: true });
console.log(`protos copied to ${transport.PROTO_ROOT}`);
