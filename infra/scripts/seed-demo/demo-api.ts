/**
 * The client as the demo seed writes through it: every write with its own Idempotency-Key, so an
 * interrupted seed can be finished by the next run, and a retry on a lost race.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiClient, type Reply } from './client';
import { CAST, type DemoCalendar, type Person } from './data';

export const SEED_USER_AGENT = 'verity-demo-seed';
/** Longer than the API's 30 s before it hands over an abandoned Idempotency-Key claim. */
const TAKEOVER_WAIT_MS = 45_000;
/**
 * How long the seed waits for the worker's process managers (opening the cycle, scoring a month):
 * generous, because on a loaded machine the opening alone took longer than 30 s.
 */
export const PROCESS_MANAGER_WAIT_MS = 180_000;

export class SeedError extends Error {}

/** The client as the seed writes: an Idempotency-Key per write, a retry on a lost race. */
export class DemoApi extends ApiClient {
  /** Finishing an interrupted seed: a write the domain refuses was already made. */
  resuming = false;
  refusedAsDone = 0;

  /** The token of a person of the directory acting as themselves. */
  as(employeeId: string, people: Map<string, Person>, managers: Set<string>): Promise<string> {
    if (employeeId === CAST.hr) return this.token('hr', employeeId);
    if (employeeId === CAST.processOwner) return this.token('process-owner', employeeId);
    if (!people.has(employeeId)) throw new SeedError(`no demo person ${employeeId}`);
    return this.token(managers.has(employeeId) ? 'manager' : 'employee', employeeId);
  }

  async get(path: string, token: string): Promise<Reply> {
    return this.send('GET', path, token);
  }

  async post(path: string, token: string, body: unknown, idempotencyKey?: string): Promise<Reply> {
    let takenOver = false;
    const deadline = Date.now() + TAKEOVER_WAIT_MS;
    const headers: Record<string, string> = idempotencyKey
      ? {
          'idempotency-key': `demo-seed/${idempotencyKey}`,
          // The trail shows which writes the demo seed made, grouped per appraisal.
          'x-correlation-id': `demo-seed.${idempotencyKey.includes('/') ? idempotencyKey.split('/')[0] : 'setup'}`,
        }
      : {};
    for (let attempt = 1; ; attempt++) {
      const reply = await this.send('POST', path, token, body, { headers });
      const code = reply.body?.code;
      // Another writer (the worker's timers) appended to the stream first: decide again on the new state.
      if (reply.status === 409 && code === 'wrong-expected-revision' && attempt < 5) continue;
      // An interrupted seed left this key claimed by a request the API dropped while stopping; the
      // API hands the claim over after 30 s.
      if (reply.status === 409 && code === 'idempotency-in-progress' && Date.now() < deadline) {
        takenOver = true;
        await sleep(2_000, undefined, { signal: this.signal });
        continue;
      }
      // Finishing an interrupted seed, a refusal means the interrupted run had applied this write but
      // its Idempotency-Key record was lost (the API stopped between the two): it is done.
      if ((takenOver || this.resuming) && (reply.status === 409 || reply.status === 422)) {
        this.refusedAsDone++;
        return reply;
      }
      if (reply.status >= 300)
        throw new SeedError(`POST ${path}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 600)}`);
      return reply;
    }
  }
}

/** The company the seed writes for, and how many appraisals it works on at the same time. */
export interface Company {
  people: Person[];
  byId: Map<string, Person>;
  managers: Set<string>;
  calendar: DemoCalendar;
  concurrency?: number;
}
