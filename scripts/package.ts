/**
 * `npm run package`: the Teams app package for this deployment, written to
 * manifest/build/partnership-board.zip. Ids and host come from the environment (or `.env`):
 * MicrosoftAppId, TEAMS_APP_ID, TAB_SSO_CLIENT_ID, PUBLIC_BASE_URL or BOT_DOMAIN, TEAMS_APP_VERSION …
 * (see manifest/build.ts). The package is validated before it is written; a package Teams would
 * refuse is never written. `-- --strict` also refuses developer defaults (for a real tenant).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPackage, PACKAGE_FILE, settingsFromEnv, zipPackage } from '../manifest/build.js';
import { packageProblems } from '../manifest/validate.js';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<number> {
  const strict = process.argv.includes('--strict');
  const envFile = join(REPO_ROOT, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);

  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  const { settings, warnings, errors } = settingsFromEnv(process.env, version);
  for (const w of warnings) console.warn(`warning: ${w}`);
  if (errors.length || (strict && warnings.length)) {
    for (const e of errors) console.error(`error: ${e}`);
    if (strict && warnings.length) console.error('--strict: set the variables above for a real tenant.');
    return 1;
  }

  const pkg = buildPackage(settings);
  const problems = packageProblems(pkg);
  if (problems.length) {
    console.error('The app package is not valid, so it was not written:');
    for (const p of problems) console.error(`  - ${p}`);
    return 1;
  }

  const outDir = join(REPO_ROOT, 'manifest', 'build');
  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, PACKAGE_FILE);
  writeFileSync(zipPath, await zipPackage(pkg));
  writeFileSync(join(outDir, 'manifest.json'), pkg.files.get('manifest.json')!);
  console.log(`wrote manifest/build/${PACKAGE_FILE} (manifest ${settings.version}, valid)`);
  console.log(`  app id ${settings.teamsAppId}, bot ${settings.botId}, tab at ${settings.baseUrl}/tab`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
