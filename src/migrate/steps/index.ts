/**
 * The harbor.yml schema chain, oldest first, as goharbor/harbor's migrations declare it
 * (down_revisions: 1.9.0 → 1.10.0 → 2.0.0 → … → 2.15.0). One file per step.
 */
import type { MigrationStep } from './types.js';
import { step as v1_10_0 } from './v1_10_0.js';
import { step as v2_0_0 } from './v2_0_0.js';
import { step as v2_1_0 } from './v2_1_0.js';
import { step as v2_2_0 } from './v2_2_0.js';
import { step as v2_3_0 } from './v2_3_0.js';
import { step as v2_4_0 } from './v2_4_0.js';
import { step as v2_5_0 } from './v2_5_0.js';
import { step as v2_6_0 } from './v2_6_0.js';
import { step as v2_7_0 } from './v2_7_0.js';
import { step as v2_8_0 } from './v2_8_0.js';
import { step as v2_9_0 } from './v2_9_0.js';
import { step as v2_10_0 } from './v2_10_0.js';
import { step as v2_11_0 } from './v2_11_0.js';
import { step as v2_12_0 } from './v2_12_0.js';
import { step as v2_13_0 } from './v2_13_0.js';
import { step as v2_14_0 } from './v2_14_0.js';
import { step as v2_15_0 } from './v2_15_0.js';

export type { MigrationStep, StepChange } from './types.js';

/** The oldest schema version a migration starts from (Harbor's migrate: "above 1.8.0"). */
export const OLDEST_SCHEMA = '1.9.0';

export const MIGRATION_STEPS: readonly MigrationStep[] = [
  v1_10_0, v2_0_0, v2_1_0, v2_2_0, v2_3_0, v2_4_0, v2_5_0, v2_6_0, v2_7_0, v2_8_0, v2_9_0,
  v2_10_0, v2_11_0, v2_12_0, v2_13_0, v2_14_0, v2_15_0,
];

/** Every schema version the chain knows, oldest first. */
export const SCHEMA_VERSIONS: readonly string[] = [OLDEST_SCHEMA, ...MIGRATION_STEPS.map((s) => s.version)];
