import { describe, expect, it } from 'vitest';
import type { GoComponent } from './components.ts';
import { buildTarget, inheritedDirectives, ldflags, renderGoMod } from './gomod.ts';

const upstream = `module github.com/traefik/traefik/v3

go 1.25.0

require (
	github.com/gorilla/mux v1.8.1
)

// Containous forks
replace (
	github.com/abbot/go-http-auth => github.com/containous/go-http-auth v0.4.1-0.20200324110947-a37a7636d23e
	github.com/gorilla/mux => github.com/containous/mux v0.0.0-20250523120546-41b6ec3aed59 // fork
	github.com/traefik/traefik/dynamic/ext => ./pkg/config/dynamic/ext
)
replace github.com/mailgun/minheap v0.0.1 => github.com/containous/minheap v0.0.0-20190809180810-6e71eb837595

exclude github.com/tencentcloud/tencentcloud-sdk-go v3.0.83+incompatible
`;

const component = (over: Partial<GoComponent> = {}): GoComponent => ({
  name: 'traefik',
  version: 'v3.6.12',
  require: { 'github.com/traefik/traefik/v3': 'v3.6.12' },
  replace: {},
  ldflags: { 'github.com/traefik/traefik/v3/pkg/version.Version': 'v3.6.12' },
  binaries: [
    { name: 'traefik', package: 'github.com/traefik/traefik/v3/cmd/traefik', version: ['version'], expect: 'v3.6.12' },
  ],
  files: [],
  ...over,
});

describe('wrapper go.mod', () => {
  it('inherits module->module replaces and excludes, and drops local-path replaces', () => {
    const got = inheritedDirectives(upstream);
    expect(got.replace).toEqual({
      'github.com/abbot/go-http-auth': 'github.com/containous/go-http-auth v0.4.1-0.20200324110947-a37a7636d23e',
      'github.com/gorilla/mux': 'github.com/containous/mux v0.0.0-20250523120546-41b6ec3aed59',
      'github.com/mailgun/minheap': 'github.com/containous/minheap v0.0.0-20190809180810-6e71eb837595',
    });
    expect(got.exclude).toEqual(['github.com/tencentcloud/tencentcloud-sdk-go v3.0.83+incompatible']);
  });

  it('renders require, inherited replaces, excludes and tool lines', () => {
    const text = renderGoMod(component(), '1.26.0', inheritedDirectives(upstream));
    expect(text).toContain('module skyprobe.local/traefik');
    expect(text).toContain('go 1.26.0');
    expect(text).toContain('\tgithub.com/traefik/traefik/v3 v3.6.12');
    expect(text).toContain('\tgithub.com/gorilla/mux => github.com/containous/mux v0.0.0-20250523120546-41b6ec3aed59');
    expect(text).not.toContain('./pkg/config/dynamic/ext');
    expect(text).toContain('exclude (\n\tgithub.com/tencentcloud/tencentcloud-sdk-go v3.0.83+incompatible\n)');
    expect(text).toContain('tool (\n\tgithub.com/traefik/traefik/v3/cmd/traefik\n)');
  });

  it('pins every staging module, and lets the pin file override', () => {
    const k8s = component({
      name: 'kubernetes',
      require: { 'k8s.io/kubernetes': 'v1.36.3' },
      stagingReplaces: { version: 'v0.36.3', modules: ['k8s.io/api', 'k8s.io/client-go'] },
      replace: { 'k8s.io/client-go': 'k8s.io/client-go v0.36.4' },
      binaries: [
        { name: 'kubectl', package: 'k8s.io/kubernetes/cmd/kubectl', version: ['version'], expect: 'v1.36.3' },
      ],
    });
    const text = renderGoMod(k8s, '1.26.0');
    expect(text).toContain('\tk8s.io/api => k8s.io/api v0.36.3');
    expect(text).toContain('\tk8s.io/client-go => k8s.io/client-go v0.36.4');
    expect(text).not.toContain('exclude');
  });

  it('builds local packages inside the wrapper and leaves them out of tool lines', () => {
    const cm = component({
      name: 'cert-manager',
      sources: 'x',
      binaries: [{ name: 'acmesolver', package: './acmesolver', buildInfo: 'm' }],
    });
    expect(buildTarget(cm, './acmesolver')).toBe('skyprobe.local/cert-manager/acmesolver');
    expect(buildTarget(cm, 'k8s.io/kubernetes/cmd/kubectl')).toBe('k8s.io/kubernetes/cmd/kubectl');
    expect(renderGoMod(cm, '1.26.0')).not.toContain('tool');
  });

  it('leaves a test binary (go test -c) out of tool lines: its package is no main package', () => {
    const gw = component({
      name: 'gateway-api',
      require: { 'sigs.k8s.io/gateway-api/conformance': 'v1.6.3' },
      binaries: [
        { name: 'echo-basic', package: 'sigs.k8s.io/gateway-api/conformance/echo-basic', buildInfo: 'm' },
        { name: 'gwc', package: 'sigs.k8s.io/gateway-api/conformance', buildInfo: 'm', test: true },
      ],
    });
    const text = renderGoMod(gw, '1.26.0');
    expect(text).toContain('tool (\n\tsigs.k8s.io/gateway-api/conformance/echo-basic\n)');
    expect(text).toContain('\tsigs.k8s.io/gateway-api/conformance v1.6.3');
  });

  it('stamps versions through ldflags and strips symbols', () => {
    expect(ldflags(component())).toBe('-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=v3.6.12');
  });
});
