import type { InboxCaller } from '../inbox/inbox.queries';

/** An inbox caller who is nobody's manager, peer, unit head or HR: sees only their own steps. */
export const callerWithoutRelations = (employeeId: string | null): InboxCaller => ({
  employeeId,
  reports: [],
  skipReports: [],
  peers: [],
  units: { self: [], manager: [], skipLevel: [] },
  hr: false,
  processes: [],
});
