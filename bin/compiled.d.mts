// Types of bin/compiled.mjs, for the TypeScript that imports it (scripts, tests).
export declare const ROOT: string;
export declare const DIST: string;
export declare const BUILD_RECORD: string;
export type BuildState = { fresh: true } | { fresh: false; reason: string };
export declare function buildInputs(root?: string): string[];
export declare function buildState(root?: string): BuildState;
export declare function importHarness(path: string, root?: string): Promise<Record<string, unknown>>;
