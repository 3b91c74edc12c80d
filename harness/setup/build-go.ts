/**
 * Building one Go component in its wrapper module: prepare -> tidy -> build -> files -> verify.
 * Each step reports progress; each failure is classified (errors.ts) and names the log and the command.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shellQuote } from '../errors.ts';
import { type Progress, timedStep } from '../log.ts';
import type { RunResult, Runner } from '../exec/runner.ts';
import type { GoComponent } from './components.ts';
import {
  type CachePaths,
  type ComponentManifest,
  binaryPath,
  componentDir,
  componentLog,
  writeManifest,
} from './cache.ts';
import { classifyGoFailure } from './errors.ts';
import { buildTarget, inheritedDirectives, ldflags, renderGoMod } from './gomod.ts';
import { verifyBinary } from './verify.ts';
import { TIMEOUTS } from '../timeouts.ts';

export interface BuildContext {
  run: Runner;
  paths: CachePaths;
  repoRoot: string;
  progress: Progress;
  /** go line of the wrapper modules, e.g. 1.26.0 */
  goDirective: string;
  goVersion: string;
}

/** Environment of every go command: fixed caches, no cgo, modules through the proxy only. */
export function goEnv(paths: CachePaths): Record<string, string> {
  return {
    GOMODCACHE: paths.gomodcache,
    GOCACHE: paths.gocache,
    CGO_ENABLED: '0',
    GOFLAGS: '-mod=mod -buildvcs=false',
    GOTOOLCHAIN: 'local',
  };
}

interface ModuleInfo {
  Dir?: string;
  GoMod?: string;
  Error?: string;
}

export async function buildComponent(ctx: BuildContext, c: GoComponent, recipe: string): Promise<ComponentManifest> {
  const started = Date.now();
  const dir = componentDir(ctx.paths, c);
  const wrapper = join(dir, 'wrapper');
  const log = componentLog(ctx.paths, c);
  mkdirSync(ctx.paths.logs, { recursive: true });
  writeFileSync(log, `skyprobe setup: ${c.name}@${c.version} (recipe ${recipe}) at ${new Date().toISOString()}\n`);
  const env = goEnv(ctx.paths);
  const go = async (stepName: string, args: string[], timeoutMs: number): Promise<RunResult> => {
    const res = await ctx.run('go', args, { cwd: wrapper, env, logFile: log, timeoutMs });
    if (res.exitCode !== 0) {
      const envText = Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      throw classifyGoFailure(
        `${c.name}@${c.version}`,
        stepName,
        res,
        log,
        `(cd ${wrapper} && ${envText} ${shellQuote(['go', ...args])})`,
      );
    }
    return res;
  };
  const moduleInfo = async (stepName: string, mod: string): Promise<ModuleInfo> => {
    const res = await go(stepName, ['mod', 'download', '-json', `${mod}@${c.require[mod]}`], TIMEOUTS.goModDownload);
    return JSON.parse(res.output.slice(res.output.indexOf('{'), res.output.lastIndexOf('}') + 1)) as ModuleInfo;
  };

  await timedStep(ctx.progress, `${c.name}@${c.version}`, 'prepare wrapper module', async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(wrapper, { recursive: true });
    if (c.sources) cpSync(join(ctx.repoRoot, c.sources), wrapper, { recursive: true });
    // A bare go.mod first, so that `go mod download` can run inside the wrapper.
    writeFileSync(join(wrapper, 'go.mod'), `module skyprobe.local/${c.name}\n\ngo ${ctx.goDirective}\n`);
    let inherited;
    if (c.inheritReplaces) {
      const info = await moduleInfo('prepare wrapper module', c.inheritReplaces);
      inherited = inheritedDirectives(readFileSync(info.GoMod ?? '', 'utf8'));
    }
    writeFileSync(join(wrapper, 'go.mod'), renderGoMod(c, ctx.goDirective, inherited));
  });
  await timedStep(ctx.progress, `${c.name}@${c.version}`, 'download modules (go mod tidy)', () =>
    go('download modules', ['mod', 'tidy'], TIMEOUTS.goModTidy),
  );
  await timedStep(
    ctx.progress,
    `${c.name}@${c.version}`,
    `build ${c.binaries.map((b) => b.name).join(', ')}`,
    async () => {
      mkdirSync(join(dir, 'bin'), { recursive: true });
      for (const b of c.binaries) {
        // `go test -c` builds a package's tests as one binary (an upstream suite), with the flags of `go build`.
        await go(
          `build ${b.name}`,
          [
            ...(b.test ? ['test', '-c'] : ['build']),
            '-trimpath',
            '-ldflags',
            ldflags(c),
            '-o',
            binaryPath(ctx.paths, c, b.name),
            buildTarget(c, b.package),
          ],
          TIMEOUTS.goBuild,
        );
      }
    },
  );
  const files: string[] = [];
  if (c.files.length > 0) {
    await timedStep(ctx.progress, `${c.name}@${c.version}`, 'copy files from the module cache', async () => {
      for (const f of c.files) {
        const info = await moduleInfo('copy files', f.module);
        const from = join(info.Dir ?? '', f.from);
        if (!info.Dir || !existsSync(from))
          throw classifyGoFailure(
            `${c.name}@${c.version}`,
            'copy files',
            {
              command: '',
              exitCode: 1,
              output: `${from} is not in the module`,
              timedOut: false,
              notFound: false,
              durationMs: 0,
            },
            log,
            `ls ${from}`,
          );
        cpSync(from, join(dir, f.to), { recursive: true });
        files.push(f.to);
      }
    });
  }
  const binaries = await timedStep(ctx.progress, `${c.name}@${c.version}`, 'verify versions', async () => {
    const out = [];
    for (const b of c.binaries) {
      const path = binaryPath(ctx.paths, c, b.name);
      out.push({ name: b.name, path, verified: await verifyBinary(ctx.run, c, b, path, log) });
    }
    return out;
  });
  const manifest: ComponentManifest = {
    name: c.name,
    version: c.version,
    recipe,
    goVersion: ctx.goVersion,
    builtAt: new Date().toISOString(),
    buildSeconds: Math.round((Date.now() - started) / 1000),
    binaries,
    files,
  };
  writeManifest(ctx.paths, manifest);
  return manifest;
}
