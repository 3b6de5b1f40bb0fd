import { Webhook } from 'standardwebhooks';
import type { RecordedEvent } from '@verity/event-store';
import { toCloudEvent, withoutPii } from './cloud-event';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from './retry-policy';
import { newWebhookSecret, signatureHeaders } from './webhook-signature';
import { checkWebhookTarget } from './webhook-target.guard';

const lookup = (answers: Record<string, string[]>) => async (host: string) =>
  (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('checkWebhookTarget (SSRF)', () => {
  it.each([
    ['https://127.0.0.1/x', /127\.0\.0\.1, a loopback address/],
    ['https://10.1.1.1/x', /private/],
    ['https://172.16.0.1/x', /private/],
    ['https://192.168.1.1/x', /private/],
    ['https://169.254.169.254/x', /linkLocal/],
    ['https://100.64.0.1/x', /carrierGradeNat/],
    ['https://0.0.0.0/x', /unspecified/],
    ['https://[::1]/x', /loopback/],
    ['https://[fe80::1]/x', /linkLocal/],
    ['https://[fc00::1]/x', /uniqueLocal/],
    ['https://[::ffff:127.0.0.1]/x', /127\.0\.0\.1, a loopback/],
    // IPv4-compatible IPv6 (::/96) carries an IPv4 address too, and is checked as that address.
    ['https://[::10.0.0.1]/x', /10\.0\.0\.1, a private/],
    ['https://[::a9fe:a9fe]/x', /169\.254\.169\.254, a linkLocal/],
    ['https://[::7f00:1]/x', /127\.0\.0\.1, a loopback/],
    ['https://[64:ff9b::7f00:1]/x', /rfc6052/],
    ['https://inside.example/x', /10\.0\.0\.7, a private/],
    ['https://mixed.example/x', /192\.168\.0\.2, a private/],
    ['http://8.8.8.8/x', /must use https/],
    ['ftp://8.8.8.8/x', /must use https/],
    ['https://nowhere.example/x', /does not resolve/],
  ])('refuses %s', async (url, message) => {
    const dns = lookup({ 'inside.example': ['10.0.0.7'], 'mixed.example': ['8.8.8.8', '192.168.0.2'] });
    await expect(checkWebhookTarget(url, [], { lookup: dns })).rejects.toThrow(message);
  });

  it('keeps IPv6 loopback and unspecified as they are (not read as IPv4-compatible)', async () => {
    await expect(checkWebhookTarget('https://[::1]/x', [])).rejects.toThrow(/::1, a loopback/);
    await expect(checkWebhookTarget('https://[::]/x', [])).rejects.toThrow(/unspecified/);
  });

  it('accepts public https targets and pins the resolved address', async () => {
    const target = await checkWebhookTarget('https://hooks.example/x', [], {
      lookup: lookup({ 'hooks.example': ['93.184.216.34'] }),
    });
    expect(target).toMatchObject({ address: '93.184.216.34', family: 4 });
  });

  it('opens http and non-public ranges only as far as the allow-list says', async () => {
    const dns = lookup({ 'receiver.local': ['127.0.0.1'], 'other.local': ['127.0.0.1'] });
    await expect(checkWebhookTarget('http://127.0.0.1:4000/x', ['127.0.0.0/8'])).resolves.toMatchObject({
      address: '127.0.0.1',
    });
    await expect(
      checkWebhookTarget('http://receiver.local/x', ['receiver.local', '127.0.0.1'], { lookup: dns }),
    ).resolves.toMatchObject({ address: '127.0.0.1' });
    // A named host without its range: http allowed, the loopback address still refused.
    await expect(
      checkWebhookTarget('http://receiver.local/x', ['receiver.local'], { lookup: dns }),
    ).rejects.toThrow(/loopback/);
    // The range without the name: the address is fine, plain http is not.
    await expect(checkWebhookTarget('http://other.local/x', ['127.0.0.1'], { lookup: dns })).rejects.toThrow(
      /must use https/,
    );
    await expect(checkWebhookTarget('https://10.0.0.1/x', ['127.0.0.0/8'])).rejects.toThrow(/private/);
  });
});

describe('Standard Webhooks signing', () => {
  it('verifies with the reference package and fails on any change', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = JSON.stringify({ id: 'e-1', data: { n: 1 } });
    const headers = signatureHeaders(secret, 'e-1', new Date(), body);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual({ id: 'e-1', data: { n: 1 } });
    expect(() => new Webhook(secret).verify(body.replace('1}', '2}'), headers)).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });
});

describe('CloudEvents envelope', () => {
  const event: RecordedEvent = {
    eventId: '7f1c0b7e-0000-4000-8000-000000000001',
    type: 'PlanApproved',
    data: { appraisalId: 'a1', pii: { comment: 'x' }, items: [{ pii: 'y', n: 1 }] },
    metadata: {
      tenantId: 'demo',
      actor: { id: 'u', role: 'hr' },
      correlationId: 'c',
      causationId: null,
      schemaVersion: 1,
    },
    streamId: 'appraisal-demo.a1',
    streamRevision: 3n,
    position: '42',
    recordedAt: new Date('2026-03-01T10:00:00.000Z'),
  };

  it('maps the event and removes pii at any depth unless allowed', () => {
    expect(toCloudEvent(event, { includePii: false })).toEqual({
      specversion: '1.0',
      id: event.eventId,
      source: '/tenants/demo',
      type: 'verity.PlanApproved.v1',
      subject: 'appraisal-demo.a1',
      time: '2026-03-01T10:00:00.000Z',
      datacontenttype: 'application/json',
      position: '42',
      data: { appraisalId: 'a1', items: [{ n: 1 }] },
    });
    expect(toCloudEvent(event, { includePii: true }).data).toEqual(event.data);
    expect(withoutPii('text')).toBe('text');
  });

  it('leaves out an anonymous rater and their single rating unless the pii scope is held (feed, SSE, webhooks)', () => {
    const rating: RecordedEvent = {
      ...event,
      type: 'RatingSubmitted',
      data: { appraisalId: 'a1', raterId: 'e-bob', group: 'peer', rating: '61.5', anonymous: true, pii: {} },
    };
    const step: RecordedEvent = {
      ...event,
      type: 'StepCompleted',
      data: { appraisalId: 'a1', stepKey: 'peer-rating', occurrence: 1, by: 'e-bob', late: false },
    };
    expect(toCloudEvent(rating, { includePii: false }).data).toEqual({
      appraisalId: 'a1',
      raterId: 'anonymous',
      group: 'peer',
      rating: 'withheld',
      anonymous: true,
    });
    expect(toCloudEvent(step, { includePii: false }).data).toMatchObject({ by: 'anonymous' });
    expect(toCloudEvent(rating, { includePii: true }).data).toEqual(rating.data);
    const named = { ...rating, data: { ...(rating.data as object), anonymous: false } };
    expect(toCloudEvent(named, { includePii: false }).data).toMatchObject({
      raterId: 'e-bob',
      rating: '61.5',
    });
  });
});

describe('retry delays', () => {
  it('grow exponentially with jitter, capped, and add up to about a day within the window', () => {
    const low = () => 0;
    const high = () => 1; // the upper bound Math.random approaches
    expect(retryDelayMs(1, DEFAULT_RETRY_POLICY, low)).toBe(5_000);
    expect(retryDelayMs(1, DEFAULT_RETRY_POLICY, high)).toBe(10_000);
    expect(retryDelayMs(4, DEFAULT_RETRY_POLICY, high)).toBe(80_000);
    expect(retryDelayMs(40, DEFAULT_RETRY_POLICY, high)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
    let elapsed = 0;
    let attempts = 1;
    while (elapsed < DEFAULT_RETRY_POLICY.retryWindowMs)
      elapsed += retryDelayMs(attempts++, DEFAULT_RETRY_POLICY, high);
    expect(attempts).toBeGreaterThan(12);
    expect(attempts).toBeLessThan(40);
  });
});
