import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startListsService, type ListsService } from '../../infra/local/server.js';

/**
 * The admin guide (infra/README.md), followed step by step against the local services (issue 13,
 * item 5). Every shell command the guide shows is listed below with what this test does with it:
 * runs it, in a copy of the repository whose install is pruned exactly as the guide says; or stands
 * in for it where this machine has no tenant, Azure or registry, saying why. A command the guide
 * shows that the list does not know fails the test, and so does one the list knows that the guide
 * no longer shows, so the two cannot drift apart.
 *
 * The copy links the shared install file by file (hard links, no copying) and prunes its own links,
 * so `npm prune --omit=dev` runs for real without touching the install every other test uses.
 */

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
const GUIDE = join(REPO, 'infra/README.md');
const exec = promisify(execFile);

type Handling =
  | { run: true; expect?: RegExp }
  /** Not runnable here; what stands in for it, or why nothing needs to (and the variables it leaves unset). */
  | { standIn: string; unset?: string[] };

const SITE = 'https://contoso.sharepoint.com/sites/partnership-board';

/** Every command of the guide, in its words (comments dropped, continuations joined). */
const COMMANDS: Record<string, Handling> = {
  'git clone <this repository> partnership-board && cd partnership-board': {
    standIn: 'the copy of this working tree is the clone',
  },
  'npm ci': {
    standIn: 'the copy links the shared install (no registry here); the second time, links it again',
  },
  'az login': { standIn: 'Azure' },
  'az group create -n rg-partnership-board -l uksouth': { standIn: 'Azure' },
  'cp infra/azure/main.parameters.example.json infra/azure/main.parameters.json': { run: true },
  'az deployment group create -g rg-partnership-board -n partnership-board -f infra/azure/main.bicep -p @infra/azure/main.parameters.json -p botAppPassword=\'<the client secret from step 1>\' -p consultationSecret="$(openssl rand -base64 48)"':
    { standIn: 'Azure (the Bicep is checked in test/unit/infra-bicep.test.ts)' },
  'az deployment group show -g rg-partnership-board -n partnership-board --query properties.outputs': {
    standIn: 'Azure',
  },
  'npm run build': { run: true },
  'npm run build:tab': { run: true },
  'npm prune --omit=dev': { run: true },
  "zip -qr ../partnership-board-app.zip . -x '.git/*' '.data/*' 'manifest/build/*' 'test/*' 'docs/*'": {
    standIn: 'the pruned copy itself is what the zip carries; the test runs the bot from it',
  },
  'az webapp deploy -g rg-partnership-board -n <appServiceName> --src-path ../partnership-board-app.zip --type zip':
    { standIn: 'Azure: `npm start` in the pruned copy stands for the App Service' },
  // Before step 5, as the guide says, it names the lists still to be created.
  'curl https://<botDomain>/healthz': { run: true, expect: /"missing":\["Boards","Actions"/ },
  "export AZURE_TENANT_ID=<tenantId> AZURE_CLIENT_ID=<botAppId> AZURE_CLIENT_SECRET='<the client secret>'": {
    standIn: 'the local lists service takes no credentials (GRAPH_BASE_URL points at it)',
  },
  [`npm run provision -- --site ${SITE} --dry-run`]: { run: true, expect: /would create list Actions/ },
  [`npm run provision -- --site ${SITE}`]: { run: true, expect: /created list Actions/ },
  'az webapp ssh -g rg-partnership-board -n <appServiceName>': {
    standIn: 'Azure: the copy is /home/site/wwwroot',
  },
  [`cd /home/site/wwwroot && npm run provision -- --site ${SITE}`]: {
    run: true,
    expect: /Nothing to change/,
  },
  [`npm run conformance -- --site ${SITE}`]: { run: true, expect: /passed/i },
  'export MicrosoftAppId=<microsoftAppId output> BOT_DOMAIN=<botDomain output>': { run: true },
  'export TEAMS_APP_VERSION=1.0.0': { run: true },
  "export TEAMS_APP_DEVELOPER_NAME='London Borough of Hackney'": { run: true },
  'export TEAMS_APP_WEBSITE_URL=https://hackney.gov.uk TEAMS_APP_PRIVACY_URL=https://hackney.gov.uk/privacy':
    {
      run: true,
    },
  'export TEAMS_APP_TERMS_URL=https://hackney.gov.uk/terms': { run: true },
  'npm run package -- --strict': { run: true },
  "az webapp config appsettings set -g rg-partnership-board -n <appServiceName> --settings BOARD_OFFICERS='sonia.khan@contoso.gov.uk' BOARD_CHAIRS='0f8e…-object-id'":
    { standIn: 'Azure' },
  "export MicrosoftAppId=<botAppId> MicrosoftAppTenantId=<tenantId> MicrosoftAppPassword='<the client secret>'":
    {
      standIn:
        'the bot here runs as in the Playground, without Bot Framework authentication (no tenant to sign in to)',
      unset: ['MicrosoftAppId', 'MicrosoftAppTenantId', 'MicrosoftAppPassword'],
    },
  'export PUBLIC_BASE_URL=https://<botDomain>': { run: true },
  [`npm run doctor -- --site ${SITE}`]: { run: true, expect: /Ready: every check passed/ },
  // Issue 12: older items given a board; on the fresh lists of this walk-through there are none.
  "npm run migrate -- --board '19:abc123@thread.tacv2'": { run: true, expect: /Actions: 0 given the board/ },
};

/** The guide's shell commands, in order: continuations joined, comments dropped. */
function guideCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const block of markdown.matchAll(/^```bash\n([\s\S]*?)^```/gm)) {
    const joined = block[1]!.replace(/\\\n\s*/g, '');
    for (const line of joined.split('\n')) {
      const command = line
        .replace(/\s{2,}#.*$/, '')
        .replace(/\s+/g, ' ')
        .trim();
      if (command) commands.push(command);
    }
  }
  return commands;
}

describe('the admin guide and this test know the same commands', () => {
  const shown = guideCommands(readFileSync(GUIDE, 'utf8'));

  it('every command the guide shows is run here, or stood in for with a reason', () => {
    expect(shown.filter((c) => !(c in COMMANDS))).toEqual([]);
  });

  it('every command listed here is still in the guide', () => {
    expect(Object.keys(COMMANDS).filter((c) => !shown.includes(c))).toEqual([]);
  });
});

/** Free port on loopback. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('the admin guide, followed against the local services', () => {
  let root: string;
  let copy: string;
  let install: string;
  let hiddenLockfile: string | undefined;
  let lists: ListsService;
  let bot: ChildProcess | undefined;
  let botUrl: string;
  const env: Record<string, string> = {};

  /** The shared install, linked file by file; npm's own record of it copied, since npm rewrites it in place. */
  async function linkInstall(): Promise<void> {
    await rm(join(copy, 'node_modules'), { recursive: true, force: true });
    // Hard links where the temporary folder shares the install's file system; a plain copy elsewhere.
    await exec('cp', ['-al', install, join(copy, 'node_modules')]).catch(async () => {
      await rm(join(copy, 'node_modules'), { recursive: true, force: true });
      await exec('cp', ['-a', install, join(copy, 'node_modules')]);
    });
    const record = join(copy, 'node_modules/.package-lock.json');
    if (existsSync(record)) {
      await rm(record);
      await copyFile(join(install, '.package-lock.json'), record);
    }
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pb-guide-'));
    copy = join(root, 'partnership-board');
    install = await realpath(join(REPO, 'node_modules'));
    hiddenLockfile = existsSync(join(install, '.package-lock.json'))
      ? sha(join(install, '.package-lock.json'))
      : undefined;
    const { stdout } = await exec('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
      cwd: REPO,
      maxBuffer: 16 * 1024 * 1024,
    });
    for (const file of stdout.split('\0').filter((f) => f && existsSync(join(REPO, f)))) {
      await mkdir(dirname(join(copy, file)), { recursive: true });
      await cp(join(REPO, file), join(copy, file));
    }
    await linkInstall();
    lists = await startListsService({ port: 0, dataDir: join(root, 'lists') });
    const port = await freePort();
    botUrl = `http://127.0.0.1:${port}`;
    Object.assign(env, {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? root,
      GRAPH_BASE_URL: lists.graphBaseUrl,
      DATA_DIR: join(root, 'bot-data'),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      // No registry on this machine; npm must not look for one.
      npm_config_offline: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    });
  }, 120_000);

  afterAll(async () => {
    if (bot?.pid) {
      try {
        process.kill(-bot.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await lists?.close();
    if (root) await rm(root, { recursive: true, force: true });
    // The shared install is exactly as it was.
    if (hiddenLockfile) expect(sha(join(install, '.package-lock.json'))).toBe(hiddenLockfile);
  }, 60_000);

  /** The guide's placeholders, as this machine answers them. */
  const local = (command: string) =>
    command
      .replaceAll('https://<botDomain>', botUrl)
      .replaceAll('<microsoftAppId output>', '3f2b8c1e-5d4a-4e7b-9a6c-1b2d3e4f5a6b')
      .replaceAll('<botDomain output>', 'board.example.org')
      .replace(/^cd \/home\/site\/wwwroot && /, '');

  async function shell(command: string): Promise<string> {
    try {
      const { stdout, stderr } = await exec('bash', ['-c', command], {
        cwd: copy,
        env,
        maxBuffer: 16 * 1024 * 1024,
        timeout: 120_000,
      });
      return `${stdout}${stderr}`;
    } catch (e) {
      const failed = e as { stdout?: string; stderr?: string; message: string };
      throw new Error(
        `\`${command}\` failed: ${failed.message}\n${failed.stdout ?? ''}${failed.stderr ?? ''}`,
      );
    }
  }

  async function startBot(): Promise<void> {
    // Its own process group, so that stopping it stops node under npm too.
    bot = spawn('npm', ['start'], { cwd: copy, env, stdio: 'ignore', detached: true });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${botUrl}/healthz`)).status) return;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    throw new Error('the compiled bot did not start');
  }

  it('runs every command in order, from the pruned production install where the guide says so', async () => {
    let npmCi = 0;
    for (const command of guideCommands(readFileSync(GUIDE, 'utf8'))) {
      const how = COMMANDS[command]!;
      if (command === 'npm ci' && npmCi++ > 0) await linkInstall();
      if ('standIn' in how) {
        for (const name of how.unset ?? []) delete env[name];
        continue;
      }
      if (command === 'curl https://<botDomain>/healthz') await startBot();
      if (command.startsWith('export ')) {
        const exported = await shell(`${local(command)} && env -0`);
        for (const pair of exported.split('\0')) {
          const at = pair.indexOf('=');
          if (at > 0) env[pair.slice(0, at)] = pair.slice(at + 1);
        }
        continue;
      }
      const output = await shell(local(command).replace(/^curl /, 'curl -sS '));
      if (how.expect) expect(output, command).toMatch(how.expect);

      if (command === 'npm prune --omit=dev') {
        // The prune was real: the development tools are gone from the copy, and every admin
        // command (each a compiled `node dist/infra/…` script) still starts without them.
        expect(existsSync(join(copy, 'node_modules/tsx'))).toBe(false);
        expect(existsSync(join(copy, 'node_modules/typescript'))).toBe(false);
        const scripts = (
          JSON.parse(await readFile(join(copy, 'package.json'), 'utf8')) as {
            scripts: Record<string, string>;
          }
        ).scripts;
        const admin = Object.entries(scripts).filter(([, run]) => run.startsWith('node dist/infra/'));
        expect(admin.map(([name]) => name)).toEqual(expect.arrayContaining(['provision', 'doctor']));
        for (const [name] of admin) await shell(`npm run --silent ${name} -- --help`);
      }
    }
    expect(existsSync(join(copy, 'manifest/build/partnership-board.zip'))).toBe(true);
  }, 300_000);
});
