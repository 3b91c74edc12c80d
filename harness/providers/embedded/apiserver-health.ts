/** Asking the lab apiserver whether it is ready, over TLS with the admin client certificate. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { TIMEOUTS } from '../../timeouts.ts';
import type { Pki } from './pki.ts';

export function apiAgent(pki: Pki): Agent {
  return new Agent({
    connect: {
      ca: readFileSync(pki.ca),
      cert: readFileSync(join(pki.dir, 'admin.crt')),
      key: readFileSync(join(pki.dir, 'admin.key')),
      timeout: TIMEOUTS.apiserverReadyz,
    },
  });
}

export async function readyz(agent: Agent, server: string): Promise<boolean> {
  const res = await request(`${server}/readyz`, {
    dispatcher: agent,
    headersTimeout: TIMEOUTS.apiserverReadyz,
    bodyTimeout: TIMEOUTS.apiserverReadyz,
  });
  await res.body.text();
  return res.statusCode === 200;
}
