import { describe, expect, it } from 'vitest';
import { type Reply, fakeRunner } from '../../testing/fake-runner.ts';
import { kindProvider } from './kind-provider.ts';

const ok = {
  docker: { output: '29.1.0\n' },
  kind: { output: 'kind v0.33.0 go1.26.3 linux/amd64\n' },
  kubectl: { output: 'Client Version: v1.36.3\n' },
};
type Replies = { docker: Reply; kind: Reply; kubectl: Reply };

async function info(r: Partial<Replies>) {
  const replies = { ...ok, ...r };
  const f = fakeRunner([
    { match: /^docker info --format \{\{\.ServerVersion\}\}$/, reply: replies.docker },
    { match: /^kind version$/, reply: replies.kind },
    { match: /^kubectl version --client$/, reply: replies.kubectl },
  ]);
  return { info: await kindProvider({ run: f.run }).info(), calls: f.calls.map((c) => c.line) };
}

describe('kind provider: info()', () => {
  it('is available when the daemon answers and kind (pinned release) and kubectl are on PATH', async () => {
    expect((await info({})).info).toEqual({ name: 'kind', available: true });
  });

  it.each([
    [
      'docker missing',
      { docker: { notFound: true, exitCode: 127 } },
      'docker info failed: docker is not on PATH; install Docker Engine',
    ],
    [
      'the daemon not answering',
      {
        docker: {
          exitCode: 1,
          output:
            '\nCannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n',
        },
      },
      'docker info failed: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?; start the Docker daemon',
    ],
    [
      'kind missing',
      { kind: { notFound: true, exitCode: 127 } },
      'kind is not on PATH; install kind v0.33.0: go install sigs.k8s.io/kind@v0.33.0, or https://kind.sigs.k8s.io/dl/v0.33.0/kind-linux-amd64 on PATH',
    ],
    [
      'another kind release',
      { kind: { output: 'kind v0.29.0 go1.24.2 linux/amd64' } },
      'kind v0.29.0 is not the pinned v0.33.0 (the pinned node image is built for it); install kind v0.33.0',
    ],
    [
      'kubectl missing',
      { kubectl: { notFound: true, exitCode: 127 } },
      'kubectl is not on PATH; install kubectl v1.36',
    ],
  ])('is unavailable with %s, saying the fix in one line', async (_what, r, reason) => {
    const { info: i } = await info(r as Partial<Replies>);
    expect(i.available).toBe(false);
    expect(i.reason?.startsWith(reason)).toBe(true);
    expect(i.reason).not.toContain('\n');
  });

  it('stops at the first missing piece and changes nothing (read-only commands only)', async () => {
    const { calls } = await info({ docker: { notFound: true, exitCode: 127 } });
    expect(calls).toEqual(['docker info --format {{.ServerVersion}}']);
  });
});
