/**
 * `--renderer CMD`: Satusky's backend (or anything that honours the contract) as the renderer. CMD runs through
 * `sh -c` once per app with the app on stdin (renderer-contract.ts RendererInput); its stdout is the output, its
 * stderr is shown when it fails. A renderer that exits non-zero, runs past TIMEOUTS.renderer, prints nothing usable
 * or an object the contract forbids is one line naming the app, the object and the reason (exit 2), and nothing is
 * applied: the output is checked whole before deploy sees it.
 */
import { SkyprobeError } from '../errors.ts';
import type { Runner } from '../exec/runner.ts';
import { TIMEOUTS } from '../timeouts.ts';
import type { AppFixture } from './app-fixture.ts';
import type { Rendered } from './render.ts';
import { parseRendererOutput, rendererInput, validateRendered } from './renderer-contract.ts';
import type { Routing } from './routing.ts';

export async function runRenderer(cmd: string, a: AppFixture, routing: Routing, run: Runner): Promise<Rendered> {
  const stdout: string[] = [];
  const res = await run('sh', ['-c', cmd], {
    input: JSON.stringify(rendererInput(a, routing)),
    timeoutMs: TIMEOUTS.renderer,
    onLine: (line) => stdout.push(line),
  });
  const app = `${a.org}/${a.app}`;
  if (res.timedOut)
    throw new SkyprobeError(
      `renderer \`${cmd}\` for app ${app} did not finish within ${TIMEOUTS.renderer / 1000} s; nothing was applied`,
      {
        hint: 'a renderer answers at once: read the app from stdin, print the objects, exit',
      },
    );
  if (res.exitCode !== 0) {
    const out = new Set(stdout);
    const stderr = res.output
      .split('\n')
      .filter((l) => l.trim() && !out.has(l))
      .slice(-3)
      .join(' | ');
    throw new SkyprobeError(
      `renderer \`${cmd}\` for app ${app} exited ${res.notFound ? '(not found)' : res.exitCode}${stderr ? `: ${stderr}` : ''}; nothing was applied`,
      { hint: 'run it by hand: skyprobe render FILE --input | CMD' },
    );
  }
  return validateRendered(a, parseRendererOutput(stdout.join('\n'), app));
}
