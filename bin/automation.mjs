#!/usr/bin/env node
// The embedded lab's platform automation (acts on the renderer contract's objects); started by `skyprobe lab up`,
// not by hand. Compiled or through tsx, by the same rule as the CLI (bin/compiled.mjs).
import { importHarness } from './compiled.mjs';

await importHarness('harness/automation/main.ts');
