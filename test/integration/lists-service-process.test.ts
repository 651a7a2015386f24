import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startListsService } from '../../infra/local/server.js';

/**
 * The standalone entry (`npm run lists`) as a real process: acknowledged writes survive SIGKILL,
 * SIGTERM stops it cleanly, and bad configuration is refused naming the variable.
 */

const dirs: string[] = [];
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function launch(env: Record<string, string>, args: string[] = []): Running & { ready: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts', ...args], {
    cwd: process.cwd(),
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  const running = {
    child,
    url: '',
    output: () => out,
    exited: new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    ),
    ready: new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        const m = /Local lists service: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${out}`)));
    }),
  };
  return running;
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lists-process-'));
  dirs.push(dir);
  return dir;
}

describe('standalone lists service', () => {
  it('loses no acknowledged write when killed with SIGKILL', async () => {
    const dir = await tempDir();
    const proc = launch({ DATA_DIR: dir, LOCAL_LISTS_PORT: '0' }, ['--provision']);
    const url = await proc.ready;
    const acknowledged: string[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await fetch(`${url}/v1.0/sites/root/lists/Actions/items`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ fields: { ActionRef: `K-${i}`, Status: 'Open', SourceKey: `k${i}` } }),
      });
      expect(res.status).toBe(201);
      acknowledged.push(`K-${i}`);
    }
    const patched = await fetch(`${url}/v1.0/sites/root/lists/Actions/items/3/fields`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ Status: 'Done' }),
    });
    expect(patched.status).toBe(200);
    proc.child.kill('SIGKILL');
    expect((await proc.exited).signal).toBe('SIGKILL');

    const svc = await startListsService({ port: 0, dataDir: dir });
    try {
      const res = await fetch(`${svc.graphBaseUrl}/sites/root/lists/Actions/items?$expand=fields&$top=100`);
      const body = (await res.json()) as {
        value: { id: string; fields: { ActionRef: string; Status: string } }[];
      };
      expect(body.value.map((i) => i.fields.ActionRef)).toEqual(acknowledged);
      expect(body.value.find((i) => i.id === '3')?.fields.Status).toBe('Done');
    } finally {
      await svc.close();
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    const dir = await tempDir();
    const proc = launch({ DATA_DIR: dir, LOCAL_LISTS_PORT: '0' });
    const url = await proc.ready;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    proc.child.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);
    expect(proc.output()).toContain('stopping');
  });

  it('refuses a bad setting, naming the variable', async () => {
    const proc = launch({ DATA_DIR: await tempDir(), LOCAL_LISTS_FAULT_RATE: '2' });
    proc.ready.catch(() => undefined);
    const { code } = await proc.exited;
    expect(code).toBe(2);
    expect(proc.output()).toContain('LOCAL_LISTS_FAULT_RATE');
  });
});
