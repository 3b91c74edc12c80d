/**
 * Setup file of the conformance vitest project: as each scenario module loads, its defineScenario call registers
 * its tests (register-tests.ts). The catalog (catalog.ts, which skyprobe run loads) takes the registrar over while
 * it imports the scenarios, to register them in the order the scheduler wants.
 *
 * The area is the folder of the file being collected. vitest records that file in `expect.getState().testPath`
 * before it imports the module, so the registrar reads it there: no scenario has to pass its own path
 * (import.meta.url in each of them would be one more thing to copy), and a file outside an area's folder fails
 * as it loads, before any test of it runs.
 */
import { expect } from 'vitest';
import { areaOf } from './areas.ts';
import { setScenarioRegistrar } from './define.ts';
import { registerScenario } from './register-tests.ts';

setScenarioRegistrar((s) => registerScenario(s, areaOf(expect.getState().testPath ?? '')));
