import { describe, expect, it } from 'vitest';
import { KEEP_ANNOTATION, leftByKilledRun, runNamespace } from './run-namespaces.ts';

describe('run namespaces on an existing cluster', () => {
  const dead = () => false;
  const alive = () => true;
  it('carry the run label and their owner', () => {
    expect(runNamespace('skyprobe-r1', 'r1', 'ci-7/4242').metadata).toEqual({
      name: 'skyprobe-r1',
      labels: { 'skyprobe.satusky.com/run': 'r1', 'app.kubernetes.io/managed-by': 'skyprobe' },
      annotations: { 'skyprobe.satusky.com/owner': 'ci-7/4242' },
    });
  });
  it('are swept only when this machine owned them, the owner is gone, and they were not kept', () => {
    const ns = runNamespace('skyprobe-r1', 'r1', 'ci-7/4242');
    expect(leftByKilledRun(ns, 'ci-7', dead)).toBe(true);
    expect(leftByKilledRun(ns, 'ci-7', alive)).toBe(false);
    expect(leftByKilledRun(ns, 'laptop', dead)).toBe(false);
    const kept = {
      ...ns,
      metadata: { ...ns.metadata, annotations: { ...ns.metadata?.annotations, [KEEP_ANNOTATION]: 'true' } },
    };
    expect(leftByKilledRun(kept, 'ci-7', dead)).toBe(false);
    expect(leftByKilledRun({ metadata: { name: 'x', annotations: {} } }, 'ci-7', dead)).toBe(false);
  });
});
