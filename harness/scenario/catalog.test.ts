import { describe, expect, it } from 'vitest';
import { CATALOG_FILES_ENV, catalogFiles, catalogOrder } from './catalog-files.ts';
import { scenarioFiles } from './load.ts';

describe('the catalog file', () => {
  it('imports the files skyprobe run names, or every scenario file', () => {
    expect(catalogFiles(JSON.stringify(['/x/suites/dns/DNS-01.ts']))).toEqual(['/x/suites/dns/DNS-01.ts']);
    expect(catalogFiles(undefined)).toEqual(scenarioFiles());
    expect(() => catalogFiles('{"a":1}')).toThrow(CATALOG_FILES_ENV);
  });

  it('registers the scenarios that run alone first, then the others, by id', () => {
    const order = catalogOrder([
      { id: 'TLS-01' },
      { id: 'ST-02', alone: 'why' },
      { id: 'DP-01' },
      { id: 'MG-03', alone: 'why' },
    ]);
    expect(order.map((s) => s.id)).toEqual(['MG-03', 'ST-02', 'DP-01', 'TLS-01']);
  });
});
