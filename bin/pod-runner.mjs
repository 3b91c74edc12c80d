#!/usr/bin/env node
// The embedded lab's pod runner (the kubelet's job); started by `skyprobe lab up`, not by hand. Compiled or through
// tsx, by the same rule as the CLI (bin/compiled.mjs).
import { importHarness } from './compiled.mjs';

await importHarness('harness/pod-runner/main.ts');
