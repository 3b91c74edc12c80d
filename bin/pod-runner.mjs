#!/usr/bin/env node
// The embedded lab's pod runner (the kubelet's job); started by `skyprobe lab up`, not by hand.
import { register } from 'tsx/esm/api';

register();
await import('../harness/pod-runner/main.ts');
