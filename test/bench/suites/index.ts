import type { Suite } from '../types.js';
import { foundation } from './foundation.js';
import { consultations } from './consultations.js';
import { actions } from './actions.js';
import { agenda } from './agenda.js';
import { resilience } from './resilience.js';
import { load } from './load.js';
import { soak } from './soak.js';

/**
 * Every bench suite, in the order the runner runs them. A later issue adds its benchmarks as one
 * module in this folder exporting a `Suite`, and one line here.
 */
export const SUITES: Suite[] = [foundation, consultations, actions, agenda, resilience, load, soak];
