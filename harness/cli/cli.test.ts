import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/skyprobe.mjs', import.meta.url).pathname;
const skyprobe = (...args: string[]) => execa('node', [bin, ...args], { reject: false, env: { NO_COLOR: '1' } });

describe('the skyprobe CLI', () => {
  it('--help lists every verb of the design with one line each', async () => {
    const r = await skyprobe('--help');
    expect(r.exitCode).toBe(0);
    for (const verb of ['setup', 'lab up', 'lab down', 'lab status', 'lab kubeconfig', 'lab exec', 'deploy', 'run', 'domains check', 'mgmt status', 'report open'])
      expect(r.stdout).toMatch(new RegExp(`^  ${verb} .*\\S`, 'm'));
  });

  it('an unknown verb is one clear line and exit 2', async () => {
    const r = await skyprobe('frobnicate');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("error: unknown command 'frobnicate'");
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('an unknown flag is exit 2', async () => {
    const r = await skyprobe('setup', '--frob');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("unknown option '--frob'");
  });

  it('an unknown component for setup names the choices, exit 2, no stack trace', async () => {
    const r = await skyprobe('setup', '--check', '--only', 'nginx');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: unknown component "nginx"');
    expect(r.stderr).toMatch(/hint: choose from: kubernetes, etcd/);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('a verb whose issue has not landed says so instead of pretending, exit 2', async () => {
    const r = await skyprobe('domains', 'check', 'shop.example.com');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: skyprobe domains check is not available yet');
  });
});
