import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildPackage,
  DEV_BOT_ID,
  ICONS,
  MANIFEST_VERSION,
  readIcon,
  readTemplate,
  renderManifest,
  settingsFromEnv,
  unzipPackage,
  zipPackage,
  type AppPackage,
  type PackageSettings,
} from '../../manifest/build.js';
import { decodePng } from '../../manifest/png.js';
import { packageProblems, ruleProblems, schemaPath, schemaProblems } from '../../manifest/validate.js';

// Negative cases change manifests freely; their shape is what is under test.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

const TENANT_ENV = {
  MicrosoftAppId: '3f2b8c1e-5d4a-4e7b-9a6c-1b2d3e4f5a6b',
  TEAMS_APP_ID: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  BOT_DOMAIN: 'partnership-board.azurewebsites.net',
  TEAMS_APP_VERSION: '1.2.3',
  TEAMS_APP_DEVELOPER_NAME: 'London Borough of Hackney',
  TEAMS_APP_PRIVACY_URL: 'https://hackney.gov.uk/privacy',
};

function settings(env: Record<string, string> = TENANT_ENV): PackageSettings {
  const result = settingsFromEnv(env, '0.1.0');
  expect(result.errors).toEqual([]);
  return result.settings;
}

/** A copy of a package with its manifest changed, for the validator's negative cases. */
function altered(change: (m: Loose) => void, files?: Map<string, Buffer>): AppPackage {
  const pkg = buildPackage(settings());
  const manifest = structuredClone(pkg.manifest) as Loose;
  change(manifest);
  return { manifest, files: files ?? pkg.files };
}

describe('the app package', () => {
  it('is valid with developer defaults, and says which defaults it used', () => {
    const { settings: dev, warnings } = settingsFromEnv({}, '0.1.0');
    expect(warnings.join('\n')).toMatch(/MicrosoftAppId is not set/);
    expect(warnings.join('\n')).toMatch(/PUBLIC_BASE_URL nor BOT_DOMAIN/);
    const pkg = buildPackage(dev);
    expect(packageProblems(pkg)).toEqual([]);
    expect((pkg.manifest.bots as { botId: string }[])[0]!.botId).toBe(DEV_BOT_ID);
  });

  it("is valid with a tenant's settings, which reach every place they belong", () => {
    const pkg = buildPackage(settings());
    expect(packageProblems(pkg)).toEqual([]);
    const json = JSON.stringify(pkg.manifest);
    expect(json).not.toContain('{{');
    const m = pkg.manifest as Loose;
    expect(m.id).toBe(TENANT_ENV.TEAMS_APP_ID);
    expect(m.version).toBe('1.2.3');
    expect(m.bots[0].botId).toBe(TENANT_ENV.MicrosoftAppId);
    expect(m.composeExtensions[0].botId).toBe(TENANT_ENV.MicrosoftAppId);
    expect(m.validDomains).toEqual(['partnership-board.azurewebsites.net']);
    expect(m.webApplicationInfo).toEqual({
      id: TENANT_ENV.MicrosoftAppId,
      resource: `api://partnership-board.azurewebsites.net/${TENANT_ENV.MicrosoftAppId}`,
    });
    expect(m.developer.name).toBe('London Borough of Hackney');
    expect(m.developer.privacyUrl).toBe('https://hackney.gov.uk/privacy');
    // Issue 12: a team's owners are its board's officers, read with one resource-specific
    // permission, consented per team at installation; nothing tenant-wide is asked for.
    expect(m.authorization).toEqual({
      permissions: { resourceSpecific: [{ name: 'TeamMember.Read.Group', type: 'Application' }] },
    });
  });

  it('has the bot in personal, team and group chats, the message action, and both tabs under /tab', () => {
    const m = buildPackage(settings()).manifest as Loose;
    expect(m.bots[0].scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(m.composeExtensions[0].commands).toEqual([
      expect.objectContaining({
        id: 'logAsAction',
        type: 'action',
        title: 'Log as action',
        context: ['message'],
        fetchTask: true,
      }),
    ]);
    const base = 'https://partnership-board.azurewebsites.net';
    expect(m.staticTabs).toContainEqual(
      expect.objectContaining({
        name: 'My actions',
        contentUrl: `${base}/tab/actions`,
        scopes: ['personal'],
      }),
    );
    // The personal app keeps its chat with the bot next to the tab.
    expect(m.staticTabs[0].entityId).toBe('conversations');
    expect(m.configurableTabs).toEqual([
      expect.objectContaining({ configurationUrl: `${base}/tab/config`, scopes: ['team'] }),
    ]);
  });

  it('uses the newest released manifest schema that @microsoft/app-manifest bundles', () => {
    const versions = readdirSync(dirname(dirname(schemaPath())))
      .filter((d) => /^v\d+\.\d+$/.test(d))
      .map((d) => d.slice(1))
      .sort((a, b) => {
        const [am, an] = a.split('.').map(Number);
        const [bm, bn] = b.split('.').map(Number);
        return am! - bm! || an! - bn!;
      });
    expect(versions.at(-1)).toBe(MANIFEST_VERSION);
    expect(JSON.parse(readTemplate()).manifestVersion).toBe(MANIFEST_VERSION);
  });

  it('zips flat, with exactly the manifest and the two icons, the same bytes every time', async () => {
    const pkg = buildPackage(settings());
    const zip = await zipPackage(pkg);
    expect(await zipPackage(pkg)).toEqual(zip);
    const files = await unzipPackage(zip);
    expect([...files.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(JSON.parse(files.get('manifest.json')!.toString('utf8'))).toEqual(pkg.manifest);
    expect(packageProblems({ manifest: pkg.manifest, files })).toEqual([]);
  });
});

describe('the icons', () => {
  it('are a 192×192 colour icon and a 32×32 white-on-transparent outline', () => {
    const color = decodePng(readIcon(ICONS.color.file));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = decodePng(readIcon(ICONS.outline.file));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    expect(outline.hasAlpha).toBe(true);
    const alphas = [...outline.rgba.filter((_, i) => i % 4 === 3)];
    expect(alphas.filter((a) => a === 0).length).toBeGreaterThan(32 * 32 * 0.4);
    expect(alphas.filter((a) => a === 255).length).toBeGreaterThan(32 * 32 * 0.1);
  });

  it('are refused when swapped, since neither has the size or the colours Teams needs', () => {
    const pkg = buildPackage(settings());
    const swapped = new Map(pkg.files);
    swapped.set('color.png', pkg.files.get('outline.png')!);
    swapped.set('outline.png', pkg.files.get('color.png')!);
    const problems = ruleProblems({ manifest: pkg.manifest, files: swapped }).join('\n');
    expect(problems).toContain('icon color.png is 32×32; Teams needs 192×192');
    expect(problems).toContain('icon outline.png is 192×192; Teams needs 32×32');
    expect(problems).toContain('outline icon outline.png has no transparency');
  });
});

describe('the validator catches what Teams would refuse', () => {
  const cases: [string, (m: Loose) => void, RegExp][] = [
    [
      'eleven commands in a scope',
      (m) => {
        m.bots[0].commandLists[0].commands = Array.from({ length: 11 }, (_, i) => ({
          title: `c${i}`,
          description: 'x',
        }));
      },
      /has 11 commands; Teams shows at most 10/,
    ],
    [
      'a command title over 32 characters',
      (m) => void (m.bots[0].commandLists[1].commands[0].title = 'x'.repeat(33)),
      /title "x{33}" is over 32 characters/,
    ],
    [
      'a description over 128 characters',
      (m) => void (m.bots[0].commandLists[2].commands[0].description = 'y'.repeat(129)),
      /description of "help" is over 128 characters/,
    ],
    [
      'a scope without a command list',
      (m) => void m.bots[0].commandLists.pop(),
      /bot scope groupChat has 0 command lists/,
    ],
    [
      'a bot id that is not a GUID',
      (m) => void (m.bots[0].botId = 'partnership-board'),
      /botId must be a GUID/,
    ],
    [
      'a message action served by another bot',
      (m) => void (m.composeExtensions[0].botId = '11111111-1111-4111-8111-111111111111'),
      /same bot/,
    ],
    [
      'a tab outside validDomains',
      (m) => void (m.staticTabs[1].contentUrl = 'https://elsewhere.example/tab/actions'),
      /on elsewhere.example, which is not in validDomains/,
    ],
    [
      'a tab over plain http',
      (m) => void (m.configurableTabs[0].configurationUrl = 'http://partnership-board.azurewebsites.net/x'),
      /must be an https URL/,
    ],
    [
      'an SSO resource for another host',
      (m) => void (m.webApplicationInfo.resource = 'api://other.example/abc'),
      /webApplicationInfo.resource/,
    ],
    ['a version Teams cannot compare', (m) => void (m.version = '1.0'), /version must be major.minor.patch/],
    [
      'a message action without fetchTask',
      (m) => void delete m.composeExtensions[0].commands[0].fetchTask,
      /fetchTask/,
    ],
  ];
  it.each(cases)('%s', (_name, change, expected) => {
    expect(ruleProblems(altered(change)).join('\n')).toMatch(expected);
  });

  it('reports schema errors: an unknown property, a name over 30 characters', () => {
    const pkg = altered((m) => {
      m.colour = 'red';
      m.name.short = 'The Community Strategy Partnership Board';
    });
    const problems = schemaProblems(pkg.manifest).join('\n');
    expect(problems).toMatch(/must NOT have additional properties.*colour/);
    expect(problems).toMatch(/\/name\/short must NOT have more than 30 characters/);
  });

  it('a folder inside the zip', () => {
    const pkg = buildPackage(settings());
    const files = new Map(pkg.files);
    files.set('icons/extra.png', Buffer.alloc(1));
    expect(ruleProblems({ manifest: pkg.manifest, files })).toContain(
      'the package must be flat; icons/extra.png is in a folder',
    );
  });
});

describe('settings from the environment', () => {
  it('take the host from PUBLIC_BASE_URL, port included', () => {
    const s = settings({ ...TENANT_ENV, PUBLIC_BASE_URL: 'https://board.example.org:8443/' });
    expect(s.baseUrl).toBe('https://board.example.org:8443');
    expect(s.domain).toBe('board.example.org:8443');
    expect(renderManifest(readTemplate(), s).validDomains).toEqual(['board.example.org:8443']);
  });

  it('use the bot id for the app and SSO unless told otherwise', () => {
    const s = settings({ MicrosoftAppId: TENANT_ENV.MicrosoftAppId, BOT_DOMAIN: 'x.example' });
    expect(s.teamsAppId).toBe(TENANT_ENV.MicrosoftAppId);
    expect(s.ssoAppId).toBe(TENANT_ENV.MicrosoftAppId);
    const other = '9b2f0d3c-1a4e-4c8d-8f6a-2e3b4c5d6e7f';
    expect(settings({ ...TENANT_ENV, TAB_SSO_CLIENT_ID: other }).ssoResource).toBe(
      `api://partnership-board.azurewebsites.net/${other}`,
    );
  });

  it('warn when a managed identity is the bot and no app registration is named for SSO', () => {
    const { warnings } = settingsFromEnv({ ...TENANT_ENV, MicrosoftAppType: 'UserAssignedMSI' }, '0.1.0');
    expect(warnings.join('\n')).toMatch(/TAB_SSO_CLIENT_ID is not set/);
  });

  it('refuse what cannot make a valid package', () => {
    const { errors } = settingsFromEnv(
      { MicrosoftAppId: 'my-bot', PUBLIC_BASE_URL: 'http://board.example.org', TEAMS_APP_VERSION: 'v2' },
      '0.1.0',
    );
    expect(errors).toEqual([
      'MicrosoftAppId must be a GUID, not "my-bot"',
      'TEAMS_APP_ID must be a GUID, not "my-bot"',
      'TAB_SSO_CLIENT_ID must be a GUID, not "my-bot"',
      'Teams loads tabs only over https, not http://board.example.org',
      'TEAMS_APP_VERSION must be major.minor.patch (Teams compares it), not "v2"',
    ]);
  });

  it('an unknown placeholder in the template stops the build', () => {
    expect(() => renderManifest('{"x":"{{NOPE}}"}', settings())).toThrow(/unknown placeholder \{\{NOPE\}\}/);
  });
});
