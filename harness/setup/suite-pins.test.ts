import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePinFile } from './components.ts';

const real = readFileSync(new URL('../../fixtures/components.yaml', import.meta.url), 'utf8');

const gwapi = `  - name: gateway-api
    version: v1.6.3
    require: { sigs.k8s.io/gateway-api/conformance: v1.6.3 }
    binaries:
      - { name: echo-basic, package: sigs.k8s.io/gateway-api/conformance/echo-basic, buildInfo: sigs.k8s.io/gateway-api/conformance }
      - { name: gwc, package: sigs.k8s.io/gateway-api/conformance, test: true, buildInfo: sigs.k8s.io/gateway-api/conformance }
  - name: traefik
    version: v3.6.12
    require: { github.com/traefik/traefik/v3: v3.6.12 }
    binaries:
      - { name: traefik, package: github.com/traefik/traefik/v3/cmd/traefik, buildInfo: github.com/traefik/traefik/v3 }
`;
const suite = (over: Record<string, string> = {}) => {
  const f = {
    component: 'gateway-api',
    binary: 'gwc',
    test: 'TestConformance',
    gatewayClass: 'traefik',
    profiles: '[GATEWAY-HTTP]',
    supportedFeatures: '[HTTPRouteHostRewrite]',
    implementation: '{ organization: o, project: p, url: https://x.test/, component: traefik }',
    ...over,
  };
  const lines = Object.entries(f)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `    ${k}: ${v}`);
  return `go: "1.26"\ndebian: { pebble: [pebble] }\ncomponents:\n${gwapi}suites:\n  gateway-api:\n${lines.join('\n')}\n`;
};

describe('pin file: suites', () => {
  it('pins the Gateway API suite to the gateway-api component, told what Traefik declares', () => {
    const pins = parsePinFile(real);
    const s = pins.suites['gateway-api'];
    expect(s).toMatchObject({
      component: 'gateway-api',
      version: 'v1.6.3',
      binary: 'gateway-api-conformance',
      test: 'TestConformance',
      gatewayClass: 'traefik',
      profiles: ['GATEWAY-HTTP'],
      implementation: { project: 'traefik', component: 'traefik', version: 'v3.6.12' },
    });
    // The 12 extended features Traefik v3.6's published report lists as supported for GATEWAY-HTTP.
    expect(s?.supportedFeatures).toHaveLength(12);
    const bin = pins.components.find((c) => c.name === 'gateway-api')?.binaries.find((b) => b.name === s?.binary);
    expect(bin).toMatchObject({ package: 'sigs.k8s.io/gateway-api/conformance', test: true });
  });

  it('takes the version from the component and the implementation version from its component', () => {
    const s = parsePinFile(suite()).suites['gateway-api'];
    expect(s?.version).toBe('v1.6.3');
    expect(s?.implementation.version).toBe('v3.6.12');
  });

  it.each([
    [{ component: 'nope' }, 'suites.gateway-api.component: "nope" is not a component of this file'],
    [{ binary: 'echo-basic' }, '"echo-basic" is not a test binary (test: true) of gateway-api'],
    [{ test: 'conformance' }, '"conformance" is not a Go test function name'],
    [{ profiles: '[http]' }, '"http" is no profile'],
    [{ supportedFeatures: '[a b]' }, '"a b" is no feature name'],
    [{ gatewayClass: '' }, 'suites.gateway-api: missing "gatewayClass"'],
    [{ extra: 'x' }, 'suites.gateway-api: unknown key "extra"'],
    [{ implementation: '{ organization: o, project: p, url: u, component: x }' }, '"x" is not a component'],
  ])('rejects %o', (over, message) => {
    expect(() => parsePinFile(suite(over))).toThrow(message);
  });

  it('rejects a suite it does not know', () => {
    expect(() => parsePinFile(suite().replace('  gateway-api:\n    component', '  other:\n    component'))).toThrow(
      'suites.other: unknown suite (known: gateway-api)',
    );
  });

  it('rejects a test flag that is not a boolean', () => {
    expect(() => parsePinFile(suite().replace('test: true', 'test: yes please'))).toThrow(
      '.test: must be true or false',
    );
  });
});
