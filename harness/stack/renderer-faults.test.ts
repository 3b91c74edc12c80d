import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../paths.ts';
import {
  FAULTS_IN_NPM_TEST,
  REFERENCE_RENDERER,
  TABLE_END,
  TABLE_START,
  faultsTable,
  readFaults,
  selectFaults,
} from './renderer-faults.ts';

describe('fixtures/renderers/faults.json, the expected failures of each faulty renderer', () => {
  const faults = readFaults();

  it("names exactly reference.py's faults, with its words for each mistake", async () => {
    const r = await execa('python3', [join(repoRoot(), REFERENCE_RENDERER), '--fault', 'no-such-fault'], {
      reject: false,
    });
    expect(r.exitCode).not.toBe(0);
    const known = /known: ([^)]*)\)/.exec(r.stderr)?.[1]?.split(', ');
    expect(Object.keys(faults).sort()).toEqual(known);
    const script = readFileSync(join(repoRoot(), REFERENCE_RENDERER), 'utf8');
    for (const [name, f] of Object.entries(faults)) expect(script).toContain(`"${name}": "${f.mistake}"`);
  });

  it('each fault runs in at least one mode, and fails only in the modes it runs in', () => {
    for (const [name, f] of Object.entries(faults)) {
      expect(f.modes.length, name).toBeGreaterThan(0);
      for (const x of f.fails) expect(f.modes, `${name}: ${x.scenario}`).toContain(x.routing);
    }
  });

  it("is the README's table (regenerate it from faults.json with faultsTable)", () => {
    const readme = readFileSync(join(repoRoot(), 'fixtures', 'renderers', 'README.md'), 'utf8');
    const shown = readme.slice(readme.indexOf(TABLE_START), readme.indexOf(TABLE_END) + TABLE_END.length);
    expect(shown).toBe(faultsTable(faults));
  });
});

describe('SKYPROBE_RENDERER_FAULTS', () => {
  const known = ['www-302', 'alias-other-service', 'wrong-listener'];
  it('1 is every fault, a comma list the named ones in the table order, 0 none, unset the default ones', () => {
    expect(selectFaults('1', known)).toEqual(known);
    expect(selectFaults('wrong-listener, alias-other-service', known)).toEqual([
      'alias-other-service',
      'wrong-listener',
    ]);
    expect(selectFaults(undefined, known)).toEqual([]);
    expect(selectFaults(undefined, known, ['wrong-listener'])).toEqual(['wrong-listener']);
    expect(selectFaults('', known, ['www-302'])).toEqual(['www-302']);
    expect(selectFaults('0', known, ['www-302'])).toEqual([]);
  });
  it("npm test's default faults are faults of the table", () => {
    expect(Object.keys(readFaults())).toEqual(expect.arrayContaining(FAULTS_IN_NPM_TEST));
    expect(FAULTS_IN_NPM_TEST.length).toBeGreaterThan(0);
  });
  it('refuses a name that is no fault, naming the known ones', () => {
    expect(() => selectFaults('www-302,nope', known)).toThrow(
      /names nope, which is no fault \(known: www-302, alias-other-service, wrong-listener; or 1 for all\)/,
    );
  });
});
