import { openAppraisalCommands } from '../cycle/cycle.decide';
import { commandIdFor, type ProcessManager } from './process-manager';

/**
 * A cycle opened → one `OpenAppraisal` per subject it lists (the directory as it stood on the
 * cycle's scope date, resolved when the cycle was opened). The appraisal ids are in `CycleOpened`,
 * so the commands are the same however often the event is handed over.
 */
export const cycleOpening: ProcessManager<'CycleOpened'> = {
  name: 'cycle-opening',
  eventTypes: ['CycleOpened'],
  react: (event) =>
    openAppraisalCommands(event.data).map((command) => ({
      commandId: commandIdFor('cycle-opening', event, command.data.appraisalId),
      command,
    })),
};
