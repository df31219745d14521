// Which path the suite exercises: with MG_FORCE_COMPOSITE=1 every op runs its composite forward/backward
// instead of its fused kernel, so the whole suite checks both (each test file imports this module first).
import { setForceComposite } from '@mg/core';

/** True when this run forces the composite path (MG_FORCE_COMPOSITE=1). */
export const FORCED_COMPOSITE = process.env.MG_FORCE_COMPOSITE === '1';

setForceComposite(FORCED_COMPOSITE);
