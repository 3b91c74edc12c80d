import { describe, expect, it } from 'vitest';
import { CommandError } from '../../errors.ts';
import { fakeRunner } from '../../testing/fake-runner.ts';
import { runTeardown, teardownByHand, teardownPlan } from './teardown.ts';

describe('kind teardown', () => {
  it('deletes the cluster by name and the containers by the run label', () => {
    expect(teardownPlan('ab12cd', '/k/kubeconfig')).toEqual([
      {
        name: 'delete kind cluster skyprobe-ab12cd',
        argv: ['kind', 'delete', 'cluster', '--name', 'skyprobe-ab12cd', '--kubeconfig', '/k/kubeconfig'],
      },
      {
        name: 'remove containers labelled io.skyprobe.run=ab12cd',
        argv: ['docker', 'ps', '--all', '--quiet', '--filter', 'label=io.skyprobe.run=ab12cd'],
        forEachLine: ['docker', 'rm', '--force', '--volumes'],
      },
    ]);
  });

  it('can be pasted by hand for a kept run', () => {
    expect(teardownByHand('ab12cd', '/k/kubeconfig')).toBe(
      'kind delete cluster --name skyprobe-ab12cd --kubeconfig /k/kubeconfig && docker ps --all --quiet --filter label=io.skyprobe.run=ab12cd | xargs -r docker rm --force --volumes',
    );
  });

  it('removes exactly the containers docker lists for the label', async () => {
    const f = fakeRunner([
      {
        match: /^kind delete cluster --name skyprobe-ab12cd --kubeconfig \/k\/kubeconfig$/,
        reply: { output: 'Deleting cluster "skyprobe-ab12cd" ...' },
      },
      { match: /^docker ps/, reply: { output: '0123456789ab\nba9876543210\n' } },
      { match: /^docker rm/, reply: {} },
    ]);
    await runTeardown(f.run, teardownPlan('ab12cd', '/k/kubeconfig'));
    expect(f.calls.map((c) => c.line)).toEqual([
      'kind delete cluster --name skyprobe-ab12cd --kubeconfig /k/kubeconfig',
      'docker ps --all --quiet --filter label=io.skyprobe.run=ab12cd',
      'docker rm --force --volumes 0123456789ab ba9876543210',
    ]);
  });

  it('runs no removal when nothing carries the label', async () => {
    const f = fakeRunner([{ match: /^(kind|docker ps)/, reply: {} }]);
    await runTeardown(f.run, teardownPlan('ab12cd', '/k/kubeconfig'));
    expect(f.calls.some((c) => c.line.startsWith('docker rm'))).toBe(false);
  });

  it('still removes the containers when deleting the cluster failed, then reports that failure', async () => {
    const f = fakeRunner([
      { match: /^kind/, reply: { exitCode: 1, output: 'ERROR: failed to delete cluster' } },
      { match: /^docker ps/, reply: { output: 'abcdef123456\n' } },
      { match: /^docker rm/, reply: {} },
    ]);
    const err = await runTeardown(f.run, teardownPlan('ab12cd', '/k/kubeconfig')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect(err).toMatchObject({
      command: 'kind delete cluster --name skyprobe-ab12cd --kubeconfig /k/kubeconfig',
      commandExitCode: 1,
      outputTail: 'ERROR: failed to delete cluster',
    });
    expect(f.calls.map((c) => c.line)).toContain('docker rm --force --volumes abcdef123456');
  });
});

describe('kind teardown of the network the run made', () => {
  const network = (containers: string | { exitCode: number; output: string }) =>
    fakeRunner([
      { match: /^kind delete/, reply: {} },
      { match: /^docker ps/, reply: { output: '' } },
      {
        match: /^docker network inspect --format \{\{len \.Containers\}\} kind$/,
        reply: typeof containers === 'string' ? { output: `${containers}\n` } : containers,
      },
      { match: /^docker network rm kind$/, reply: {} },
    ]);

  it('removes it when no container uses it', async () => {
    const f = network('0');
    await runTeardown(f.run, teardownPlan('ab12cd', '/k/kubeconfig', 'kind'));
    expect(f.calls.map((c) => c.line).at(-1)).toBe('docker network rm kind');
  });

  it('leaves it to the containers still on it (another cluster), and a network already gone is no failure', async () => {
    const used = network('2');
    await runTeardown(used.run, teardownPlan('ab12cd', '/k/kubeconfig', 'kind'));
    expect(used.calls.map((c) => c.line)).not.toContain('docker network rm kind');
    const gone = network({ exitCode: 1, output: 'Error: No such network: kind' });
    await expect(runTeardown(gone.run, teardownPlan('ab12cd', '/k/kubeconfig', 'kind'))).resolves.toBeUndefined();
    expect(gone.calls.map((c) => c.line)).not.toContain('docker network rm kind');
  });

  it('is left alone when the run did not make it', () => {
    expect(teardownPlan('ab12cd', '/k/kubeconfig').map((s) => s.argv.join(' '))).not.toContain(
      'docker network inspect --format {{len .Containers}} kind',
    );
    expect(teardownByHand('ab12cd', '/k/kubeconfig', 'kind')).toMatch(/ && \{ docker network rm kind \|\| true; \}$/);
  });
});
