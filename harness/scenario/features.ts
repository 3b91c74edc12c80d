/**
 * The feature vocabulary of scenario headers (like Gateway API's pkg/features): what part of Satusky's networking a
 * scenario exercises, one name with its one-line meaning each. `features` in defineScenario is typed by it, the
 * names reach report.json's scenarios[] and index.html (a chip per feature, a filter with counts), and a name
 * outside this table does not compile.
 */
export const FEATURES = {
  // The public data path: load balancer -> Gateway API or Ingress -> ClusterIP Service -> pods.
  Gateway: "the Gateway API edge (Gateway satusky-edge): its listeners, addresses and the edge's own answers",
  GatewayClass: 'the GatewayClass the edge belongs to, accepted by its controller (Traefik)',
  HTTPRoute: 'Gateway API HTTPRoute: how generated hosts route today and every host routes in target routing',
  Ingress: 'legacy Kubernetes Ingress: how custom domains, aliases and www redirects route in current routing',
  Status: 'route and Gateway status conditions (Accepted, ResolvedRefs, Programmed) and published addresses',
  Isolation: "one org's hosts answer from that org's pods only, never another org's",
  HostClaims: 'a host belongs to one deployment: the platform refuses a second claim on it',
  ClusterIP: "the app's ClusterIP Service in front of its pods",
  ClusterDNS: 'Kubernetes DNS inside the cluster: svc.ns.svc.cluster.local and the short name, bypassing the edge',
  // Hostnames.
  CustomDomain: "a user's own domain pointed at the edge",
  Alias: 'a further hostname of an app, served like its custom domain',
  WwwRedirect: 'www.<apex> answers a permanent redirect to the apex, with the exact Location',
  Middleware: "Traefik's Middleware (redirectRegex): the www redirect in current routing",
  RequestRedirect: "Gateway API's RequestRedirect filter: the www redirect in target routing",
  HttpsRedirect: 'plain HTTP answers a redirect to HTTPS',
  Migration: 'the migration seam: current (Ingress) and target (Gateway API) routing look the same from outside',
  // DNS.
  DNSAutomation: "Satusky's DNS automation: records of generated hosts in Satusky's own zone, published and removed",
  UserZone: 'a user-owned zone: Satusky publishes nothing there, the user points records at the edge',
  CNAME: 'CNAME chains that must end at the edge',
  CAA: 'CAA records (RFC 8659 climb) that must allow the certificate authority',
  // TLS.
  CertManager: "cert-manager's Certificates, orders and challenges, issuing from the ACME server (Pebble)",
  HTTP01: "ACME's HTTP-01 challenge path on :80",
  IngressShim: "cert-manager's ingress-shim: a Certificate from an Ingress's tls section",
  GatewayShim: "cert-manager's gateway-shim: a Certificate from a Gateway listener's certificate reference",
  GatewayListenerTLS: 'the HTTPS listener of the Gateway serving the certificate of a host',
  // Readiness and the four facts.
  Readiness: 'endpoint readiness (route, DNS, certificate, HTTPS) reported apart from workload readiness',
  DomainFacts: 'the four facts of a host (metadata, routing, DNS, TLS) as `skyprobe domains check` establishes them',
  ReadOnly: 'reads the cluster only (needs: []), so it runs on every provider, an existing cluster included',
  // The management path.
  SideroLink: 'the machine-management overlay from the control plane to a machine',
  WireGuard: 'the WireGuard tunnel under SideroLink: handshakes, keys and counters',
  NAT: 'the machine sits behind NAT: reachable over the overlay only, nothing inbound',
  TalosAPI: "the machine's Talos API (apid) over its ULA address",
  DataPathSeparation: 'app traffic never uses the management overlay',
  // Scale.
  Scale: "a fleet of many hosts at once, laid out on the edge past one Gateway's 64 listeners (--layout, --scale)",
} as const satisfies Record<string, string>;

export type Feature = keyof typeof FEATURES;

export const FEATURE_NAMES = Object.keys(FEATURES) as Feature[];
