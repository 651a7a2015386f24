import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BenchContext } from '../types.js';

/**
 * The bot as production starts it: `npm run build` (tsc with tsconfig.build.json, into dist/), then
 * the node arguments of `npm start`, read from package.json so the bench measures exactly that
 * command (V8 heap flags included). Built once per bench run.
 */

const built = new Map<string, Promise<string[]>>();

export function npmStartArgs(ctx: BenchContext): Promise<string[]> {
  let args = built.get(ctx.root);
  if (!args) {
    args = build(ctx);
    built.set(ctx.root, args);
  }
  return args;
}

async function build(ctx: BenchContext): Promise<string[]> {
  ctx.log('npm run build (the compiled bot npm start runs)');
  const tsc = join(ctx.root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: ctx.root,
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    ctx.log(
      `  npm run build reported problems (${(err as Error).message.split('\n')[0]}); using what it emitted`,
    );
  }
  const pkg = JSON.parse(await readFile(join(ctx.root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const [command, ...args] = (pkg.scripts.start ?? '').split(/\s+/);
  if (command !== 'node') throw new Error(`npm start is not a plain node command: ${pkg.scripts.start}`);
  const entry = args.find((a) => !a.startsWith('-'));
  if (!entry || !existsSync(join(ctx.root, entry))) throw new Error(`npm run build emitted no ${entry}`);
  return args;
}

/** `node …` as people would read it in the report. */
export const commandLine = (args: readonly string[]) => ['node', ...args].join(' ');
