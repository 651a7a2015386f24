import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The README's configuration table names every variable the bot reads, so it stays true. */

describe('README configuration', () => {
  it('names every environment variable bot/config.ts reads', () => {
    const source = readFileSync('bot/config.ts', 'utf8');
    const start = source.indexOf('const EnvSchema = z.object({');
    const schema = source.slice(start, source.indexOf('\n});', start));
    const variables = [...schema.matchAll(/^\s{2}([A-Za-z][A-Za-z0-9_]*):/gm)].map((m) => m[1]!);
    expect(variables).toContain('PORT');
    expect(variables.length).toBeGreaterThan(20);
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Layout'));
    expect(variables.filter((v) => !section.includes(`\`${v}\``))).toEqual([]);
  });
});
