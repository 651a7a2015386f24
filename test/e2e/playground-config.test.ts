import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAYGROUND_CONFIG_FILE, renderPlaygroundConfig } from '../../scripts/board-fixture.js';
import { REPO_ROOT } from '../../scripts/stack.js';

describe('the Playground configuration', () => {
  it('is the one generated from scripts/board-fixture.ts, so dev roles and tests use the same ids', () => {
    const committed = readFileSync(join(REPO_ROOT, PLAYGROUND_CONFIG_FILE), 'utf8');
    expect(committed, 'run `npx tsx scripts/board-fixture.ts --write`').toBe(
      renderPlaygroundConfig('officer'),
    );
  });
});
