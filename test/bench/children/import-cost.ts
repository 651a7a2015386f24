import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * Where start-up time goes: run as its own process, it reports how long the runtime took to reach
 * this script (node plus the tsx loader, when run with `--import tsx`), then the cost of the first
 * import of each heavy dependency the bot loads at start (keep this list in step with the bot's
 * imports; a package that is not installed is skipped; @azure/identity and exceljs are left out
 * because the bot loads them only when it first needs them), and finally of the bot's own modules on
 * top, with the resident memory each step adds. Prints one JSON line
 * `{ "url": "", "steps": { name: ms }, "memory": { name: MB } }`.
 */

const STEPS: Array<[string, () => Promise<unknown>]> = [
  ['zod', () => import('zod')],
  ['pino', () => import('pino')],
  ['restify', () => import('restify')],
  ['botbuilder', () => import('botbuilder')],
  ['@microsoft/microsoft-graph-client', () => import('@microsoft/microsoft-graph-client')],
  ['chrono-node', () => import('chrono-node')],
  ['jose', () => import('jose')],
  ['bot modules (bot/, cards/) and the rest', () => import('../../../bot/index.js')],
];

/** VmRSS of this process in MB. */
function rssMb(): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m?.[1] ? Number(m[1]) / 1024 : NaN;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const first = 'runtime until the first line of a script';
  const steps: Record<string, number> = { [first]: performance.now() };
  const memory: Record<string, number> = { [first]: rssMb() };
  for (const [name, load] of STEPS) {
    const t = performance.now();
    const before = rssMb();
    try {
      await load();
      steps[name] = performance.now() - t;
      memory[name] = rssMb() - before;
    } catch {
      // not a dependency (any more): leave it out
    }
  }
  steps.total = performance.now();
  memory.total = rssMb();
  process.stdout.write(`${JSON.stringify({ url: '', steps, memory })}\n`);
}
