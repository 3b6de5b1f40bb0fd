import type { EventStore, ForeignReadReporter, ForeignStreamRead } from '../index';
import { describeAppendContract } from './append.contract';
import { describeAppendToStreamsContract } from './append-to-streams.contract';
import { storeWhenBuilt, type ContractSubject } from './contract-fixtures';
import { describeReadAllContract } from './read-all.contract';
import { describeReadStreamsContract } from './read-streams.contract';

export {
  freshStream,
  metadataFor,
  newEvent,
  readAllAfter,
  readAllThrough,
  type ContractContext,
  type ContractSubject,
} from './contract-fixtures';

/**
 * The behaviour every adapter of the event-store port must show. Each adapter's spec calls this
 * with a factory; the KurrentDB adapter's spec runs it only when a server is configured.
 */
export interface ContractOptions {
  /**
   * Whether an event id is refused in a second stream. PostgreSQL keeps ids unique across the
   * store; KurrentDB has no index by event id, so there ids are unique per stream only.
   */
  globallyUniqueEventIds?: boolean;
}

export function describeEventStoreContract(
  adapter: string,
  /** Builds the store under test; it must tell `reportForeignRead` of each refused foreign read. */
  makeSubject: (reportForeignRead: ForeignReadReporter) => Promise<ContractSubject>,
  options: ContractOptions = {},
): void {
  const globallyUnique = options.globallyUniqueEventIds ?? true;
  describe(`event store contract: ${adapter}`, () => {
    let subject: ContractSubject;
    let store: EventStore;
    const foreignReads: ForeignStreamRead[] = [];

    beforeAll(async () => {
      subject = await makeSubject((read) => foreignReads.push(read));
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.cleanup();
    });

    const context = { adapter, store: storeWhenBuilt(() => store), foreignReads, globallyUnique };
    describeAppendContract(context);
    describeAppendToStreamsContract(context);
    describeReadStreamsContract(context);
    describeReadAllContract(context);
  });
}
