import { describe, expect, it } from 'vitest';
import { fakeRunner } from '../testing/fake-runner.ts';
import type { GoComponent } from './components.ts';
import { matchVersionOutput, moduleVersionFromBuildInfo, verifyBinary } from './verify.ts';

const listing = `/c/bin/echo-basic: go1.26.8
	path	sigs.k8s.io/gateway-api/conformance/echo-basic
	mod	sigs.k8s.io/gateway-api/conformance	v1.6.3	h1:abc=
	dep	sigs.k8s.io/gateway-api	v1.6.2
	=>	sigs.k8s.io/gateway-api	v1.6.3	h1:def=
	dep	golang.org/x/net	v0.50.0	h1:ghi=
`;

const c: GoComponent = {
  name: 'gateway-api',
  version: 'v1.6.3',
  require: { 'sigs.k8s.io/gateway-api/conformance': 'v1.6.3' },
  replace: {},
  ldflags: {},
  binaries: [],
  files: [],
};

describe('version verification', () => {
  it('reads a module version from build info: main module, dependency, replacement', () => {
    expect(moduleVersionFromBuildInfo(listing, 'sigs.k8s.io/gateway-api/conformance')).toBe('v1.6.3');
    expect(moduleVersionFromBuildInfo(listing, 'golang.org/x/net')).toBe('v0.50.0');
    expect(moduleVersionFromBuildInfo(listing, 'sigs.k8s.io/gateway-api')).toBe('v1.6.2');
    expect(moduleVersionFromBuildInfo(listing, 'k8s.io/api')).toBeUndefined();
  });

  it('finds the line holding the expected version text', () => {
    expect(matchVersionOutput('etcd Version: 3.6.16\nGit SHA: x', 'etcd Version: 3.6.16')).toBe('etcd Version: 3.6.16');
    expect(matchVersionOutput('etcd Version: 3.6.15', 'etcd Version: 3.6.16')).toBeUndefined();
  });

  it('passes when the version command and build info both match, with the evidence', async () => {
    const f = fakeRunner([
      { match: /^\/bin\/x --version$/, reply: { output: 'x version v1.6.3' } },
      { match: /^go version -m/, reply: { output: listing } },
    ]);
    const evidence = await verifyBinary(
      f.run,
      c,
      {
        name: 'x',
        package: 'p',
        version: ['--version'],
        expect: 'v1.6.3',
        buildInfo: 'sigs.k8s.io/gateway-api/conformance',
      },
      '/bin/x',
    );
    expect(evidence).toBe('x version v1.6.3; build info: sigs.k8s.io/gateway-api/conformance v1.6.3');
  });

  it('fails when the binary reports another version', async () => {
    const f = fakeRunner([{ match: /--version/, reply: { output: 'x version v1.6.2' } }]);
    await expect(
      verifyBinary(f.run, c, { name: 'x', package: 'p', version: ['--version'], expect: 'v1.6.3' }, '/bin/x'),
    ).rejects.toThrow('gateway-api: x does not report version "v1.6.3"');
  });

  it('fails when the version command exits non-zero even if it prints the text', async () => {
    const f = fakeRunner([{ match: /--version/, reply: { output: 'v1.6.3', exitCode: 1 } }]);
    await expect(
      verifyBinary(f.run, c, { name: 'x', package: 'p', version: ['--version'], expect: 'v1.6.3' }, '/bin/x'),
    ).rejects.toThrow(/does not report/);
  });

  it('fails when the build info names another module version', async () => {
    const f = fakeRunner([
      { match: /^go version -m/, reply: { output: listing.replace('conformance\tv1.6.3', 'conformance\tv1.5.0') } },
    ]);
    await expect(
      verifyBinary(f.run, c, { name: 'x', package: 'p', buildInfo: 'sigs.k8s.io/gateway-api/conformance' }, '/bin/x'),
    ).rejects.toThrow('x was built from sigs.k8s.io/gateway-api/conformance v1.5.0, not v1.6.3');
  });
});
