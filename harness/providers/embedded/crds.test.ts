import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCrds } from './crds.ts';

describe('readCrds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skyprobe-crds-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the CRDs of every file as written, x-kubernetes-* schema fields kept, other documents left out', () => {
    const a = join(dir, 'a.yaml');
    const b = join(dir, 'b.yaml');
    writeFileSync(
      a,
      `---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  versions:
    - name: v1
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
---
---
apiVersion: v1
kind: Namespace
metadata: {name: other}
`,
    );
    writeFileSync(
      b,
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: gadgets.example.com}\n',
    );
    const crds = readCrds([a, b]);
    expect(crds.map((c) => c.metadata?.name)).toEqual(['widgets.example.com', 'gadgets.example.com']);
    expect(crds[0]).toMatchObject({
      spec: { versions: [{ schema: { openAPIV3Schema: { 'x-kubernetes-preserve-unknown-fields': true } } }] },
    });
  });
});
