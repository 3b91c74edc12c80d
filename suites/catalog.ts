/**
 * The conformance project's test file: every scenario skyprobe run chose, registered in one file so that they can
 * run side by side on one lab (harness/scenario/catalog.ts). Each scenario stays one file of its area's folder.
 */
import { collectCatalog } from '../harness/scenario/catalog.ts';

await collectCatalog();
