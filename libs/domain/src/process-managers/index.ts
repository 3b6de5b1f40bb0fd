import { cycleOpening } from './cycle-opening.process-manager';
import { periodScoring } from './period-scoring.process-manager';
import type { ProcessManager } from './process-manager';

export * from './process-manager';
export { cycleOpening, periodScoring };

/** Every process manager the worker runs. */
export const PROCESS_MANAGERS: readonly ProcessManager[] = [cycleOpening, periodScoring] as ProcessManager[];
