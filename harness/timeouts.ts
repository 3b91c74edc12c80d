/**
 * Every bound skyprobe waits within, in milliseconds, named by what it bounds (one table, as Gateway API's
 * conformance suite keeps its TimeoutConfig): the waits of harness/ and suites/, the per-call timeouts of the
 * probes, and the timeouts of the commands the harness runs. Nothing else writes a duration. Scenario bounds are
 * those of a conformance run; a fault-twin run scales them by faultTwinConverge / converge (scenario/steps.ts
 * `within`), so that an injected fault shows as a failed check in seconds. POLL holds the pauses between attempts.
 */
export const TIMEOUTS = {
  // ── Scenarios: conformance checks ──
  /** A converging check: its probe passes N times in a row (a route programmed, DNS answering, HTTP 200...). */
  converge: 60_000,
  /** The same bound in a fault-twin run, where the injected fault must show as the failed check. */
  faultTwinConverge: 6_000,
  /** A certificate issued or re-issued through ACME HTTP-01 (Pebble; cert-manager's 5-pass self-check). */
  certificateIssued: 90_000,
  /** The endpoint of a freshly deployed app ready: route, DNS, certificate and HTTPS (TLS-03). */
  endpointReady: 90_000,
  /** Replayed hosts (`lab replay`): their checks give the captured verdicts, 3 in a row (issuance included). */
  replaySettled: 120_000,
  /** The SideroLink overlay's handshake, and the Talos API answering over it (MG-01). */
  overlayUp: 30_000,
  /** An HTTPRoute's parent statuses Accepted and ResolvedRefs (DP-02; never more than converge). */
  routeStatus: 15_000,
  /** The edge has reported (status of this generation) on every route of a namespace after a deploy (CD-04). */
  routesReported: 20_000,
  /** The edge gives the same answers twice in a row after it reported a route's status (CD-04's settle). */
  edgeSettled: 20_000,
  /** A sample of requests that measures a distribution (which pods answer, which app, overlay bytes). */
  sample: 30_000,
  /** A fault injected below the platform has taken effect at the edge: a route, a listener, a redirect. */
  faultAtEdge: 15_000,
  /** The pods of a Deployment scaled to zero are gone (DP-01's fault). */
  podsGone: 20_000,
  /** cert-manager has noticed a fault: the Certificate is no longer Ready (TLS-02's fault). */
  certificateNotReady: 20_000,
  /** The edge no longer serves a certificate whose app and Secret were removed (TLS-03's start from nothing). */
  certificateForgotten: 20_000,
  /** A scenario's own client pod Ready (DNS-03). */
  clientPodReady: 30_000,

  // ── Scenario environments ──
  /** An app's pods Ready after a deploy: scheduled, started by the pod runner, readiness probe passed. */
  appPodsReady: 60_000,
  /** Public DNS serving a zone's new SOA serial after an edit (CoreDNS reloads its zone files every 500 ms). */
  dnsSerialServed: 5_000,

  // ── Probes: one call each ──
  /** One HTTP request (curl -m) as the user makes it. */
  httpRequest: 3_000,
  /** One HTTP request inside a repeated probe or a sample, where a slow answer counts as no answer. */
  quickRequest: 2_000,
  /** One TCP connect. */
  tcpConnect: 2_000,
  /** One TLS handshake that fetches the served chain (openssl s_client). */
  tlsHandshake: 4_000,
  /** One try of a DNS question (dig +time; the lab's resolv.conf timeout). */
  digTry: 1_000,
  /** A whole dig: its tries (dig +tries=2) and its start. */
  dig: 8_000,
  /** Time a probe's command gets past its own timeout to exit and report. */
  probeExit: 2_000,
  /** One list of the cluster view (facts), per kind. */
  apiList: 5_000,
  /** An external renderer's run for one app (`--renderer CMD`): it reads the app and prints objects. */
  renderer: 10_000,
  /** The Kubernetes API of a kubeconfig answering its version request. */
  apiReachable: 5_000,
  /** The platform's metadata URL answering. */
  metadataUrl: 5_000,
  /** One /readyz request to the lab's apiserver (connect, headers, body). */
  apiserverReadyz: 2_000,
  /** One request to a local readiness endpoint (CoreDNS :8181/ready, Traefik's ping). */
  readyEndpoint: 1_000,
  /** One request to Pebble's management API (its issuing root). */
  pebbleRequest: 5_000,

  // ── The embedded lab's steps ──
  /** kube-apiserver /readyz after start (etcd on tmpfs). */
  apiserverReady: 60_000,
  /** Every node Ready (kwok's heartbeat). */
  nodesReady: 30_000,
  /** kube-system exists, a moment after the apiserver is ready. */
  kubeSystem: 5_000,
  /** Cluster DNS (CoreDNS) ready. */
  clusterDnsReady: 30_000,
  /** The pod runner watching pods. */
  podRunnerReady: 20_000,
  /** A new namespace's default ServiceAccount, without which its pods are not admitted. */
  serviceAccount: 15_000,
  /** Public DNS ready. */
  publicDnsReady: 20_000,
  /** Pebble serving its issuing root. */
  pebbleRoot: 20_000,
  /** kubectl applying the CRDs. */
  crdsApplied: 60_000,
  /** Every CRD Established. */
  crdsEstablished: 30_000,
  /** Traefik answering its ping. */
  edgeReady: 20_000,
  /** The load balancer forwarding to the edge. */
  lbForwarding: 10_000,
  /** Gateway satusky-edge Programmed with the load balancer's address. */
  gatewayProgrammed: 30_000,
  /** Both ClusterIssuers Ready (ACME accounts registered with Pebble). */
  clusterIssuersReady: 30_000,
  /** A WireGuard interface created by wireguard-go. */
  overlayLink: 10_000,
  /** A container's mount namespace made (overlay root, pivot_root, its volumes bound in). */
  mountNamespace: 20_000,
  /** The Talos API stand-in answering over the overlay. */
  apidAnswering: 20_000,
  /** One Version call to apid (the client's own deadline; its process gets this much again to start and exit). */
  apidCall: 3_000,
  /** A lab process stopping after SIGTERM, before it gets SIGKILL. */
  processStop: 1_500,
  /** A lab process gone after SIGKILL. */
  processKill: 2_000,
  /** A pod's containers stopping after SIGTERM (the pod's terminationGracePeriodSeconds, at most this). */
  podStopGrace: 5_000,
  /** The pod runner's restart back-off, at most this (it doubles from 1 s, as the kubelet's). */
  podRestartBackoff: 10_000,
  /** The pod runner's pause before it restarts a failed watch. */
  watchRestart: 1_000,
  /** The platform automation watching the renderer contract's objects (its first pass done). */
  automationReady: 20_000,
  /** The platform automation's first pause before it runs a failed pass again (doubling, at most automationRetryMax). */
  automationRetry: 1_000,
  automationRetryMax: 10_000,

  // ── Commands the harness runs ──
  /** A command that must succeed, unless its caller names a bound. */
  command: 20_000,
  /** One `ip` query (a link exists). */
  ipQuery: 5_000,
  /** One `ip`, sysctl or iptables command in a lab namespace. */
  ipCommand: 10_000,
  /** One `ip -batch` that builds a host's links and addresses. */
  ipBatch: 30_000,
  /** A lab tool run as part of a lab step (wg genkey, ip in a namespace, iptables). */
  labCommand: 15_000,
  /** The cluster's API answering from where an upstream suite runs (the lab's internet host), before it starts. */
  apiFromSuiteHost: 30_000,
  /** The namespaces an earlier upstream suite run deleted are gone (the suite cannot create in a terminating one). */
  suiteNamespacesGone: 120_000,
  /** A whole upstream conformance suite run (`skyprobe run --suite gateway-api`; its own per-test bounds apply). */
  upstreamSuite: 40 * 60_000,
  /** git and dpkg-query reads for a run's environment record. */
  runRecord: 10_000,
  /** go version, and a built binary's version command. */
  versionCommand: 20_000,
  /** dpkg-query for the packages setup needs. */
  dpkgQuery: 30_000,
  /** One apt-get (update or install). */
  aptGet: 20 * 60_000,
  /** go mod download of one module. */
  goModDownload: 15 * 60_000,
  /** go mod tidy of a wrapper module. */
  goModTidy: 30 * 60_000,
  /** go build of a component. */
  goBuild: 60 * 60_000,

  // ── The kind provider ──
  /** docker info. */
  dockerInfo: 20_000,
  /** kind version, kubectl version. */
  toolVersion: 10_000,
  /** kind create cluster, with its own wait for the node. */
  kindCreate: 600_000,
  /** kind's own wait for the node Ready (--wait). */
  kindNodeReady: 180_000,
  /** docker inspect of the node. */
  dockerInspect: 20_000,
  /** A container (public DNS, Pebble) logging that it is ready. */
  containerStart: 90_000,
  /** kubectl apply of a release manifest by URL (kubectl downloads it). */
  manifestApply: 120_000,
  /** kubectl apply, patch or set image of objects given inline. */
  kubectlApply: 30_000,
  /** A rollout or condition that kubectl waits for (--timeout), unless the step names a shorter one. */
  kubectlWait: 180_000,
  /** CRDs Established (kubectl wait). */
  kubectlCrdsEstablished: 60_000,
  /** The Gateway Programmed, the ClusterIssuers Ready (kubectl wait). */
  kubectlEdgeReady: 120_000,
  /** Time kubectl gets past its own --timeout. */
  kubectlExit: 15_000,
  /** kind delete cluster, docker rm. */
  kindTeardown: 180_000,
  /** skyprobe's own dockerd answering after it was started (setup --kind --engine). */
  engineStart: 60_000,
  /** dockerd gone after SIGTERM (it stops its containers first). */
  engineStop: 60_000,
  /** debootstrap of the kind node's Debian root file system (~1 min measured with a warm mirror). */
  debootstrap: 20 * 60_000,
  /** docker import, build or commit of one image. */
  imageBuild: 10 * 60_000,
  /** docker save of the node's images into its containerd (ctr import). */
  imageImport: 10 * 60_000,
  /** One command in the node image's build container. */
  nodeImageStep: 5 * 60_000,

  // ── The existing provider ──
  /** The run's namespace gone after its deletion. */
  namespaceGone: 60_000,

  // ── vitest (harness/vitest.config.ts): a test file may give one test a longer bound ──
  /** A unit test. */
  unitTest: 20_000,
  /** A components test (the real binaries, the kind path). */
  componentTest: 120_000,
  /** A lab test. */
  labTest: 60_000,
  /** A lab test file's hooks (a lab up or down). */
  labHook: 120_000,
  /** One scenario in one routing mode in a conformance run (setup, body, diagnostics). */
  scenarioRun: 300_000,
  /** What each host of a scale scenario's fleet adds to its run's bound (deploy, certificate, facts; SC-01). */
  scaleHostRun: 5_000,
  /** What each host of the fleet adds to the bound within which every host's facts pass (SC-01). */
  scaleHostGreen: 1_500,
  /** A whole `skyprobe run --routing both` on a lab that is up, as a lab test runs it (~4 min measured). */
  conformanceRun: 600_000,
  /**
   * Rendering every renderer input a faults test recorded, with and without each fault (hundreds of inputs after all
   * five faults' runs, a Python start each: more than 60 s measured).
   */
  renderEveryInput: 600_000,
} as const satisfies Record<string, number>;

/** Pauses between attempts of a wait or a converging check, by what is asked. */
export const POLL = {
  /** A process signalled to exit. */
  exit: 50,
  /** A file or process on this machine. */
  local: 100,
  /** The Kubernetes API. */
  api: 200,
  /** A probe through the edge or public DNS (HTTP, DNS, TLS). */
  edge: 300,
  /** A certificate's issuance, the management overlay. */
  slow: 500,
} as const satisfies Record<string, number>;

/** A bound in whole seconds, for a program that takes seconds (curl -m, timeout, kubectl --timeout). */
export const seconds = (ms: number): number => Math.ceil(ms / 1000);
