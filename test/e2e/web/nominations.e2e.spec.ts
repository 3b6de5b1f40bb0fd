import { startWebTenant, type Caller, type WebTenant } from '../../support/web-tenant';
import { en } from '../../../apps/web/src/i18n/en';

/**
 * The 360's nominations in Chromium against the real API and worker: Ann picks colleagues by name
 * as peer raters (the picker offers neither herself nor her manager), her manager Mei approves one
 * and rejects the other with a reason, and the appraisal's state says the same. English labels come
 * from the app's catalogue.
 */
const t = en.nominations;
const HR: Caller = { role: 'hr' };

describe('360 nominations, in a real browser', () => {
  let stack: WebTenant;
  let annAppraisal: string;

  beforeAll(async () => {
    stack = await startWebTenant({ prefix: 'web-nom', company: 'Nominations Co' });
    annAppraisal = stack.appraisalOf.get('e-ann')!;
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const nominationsOf = async () =>
    Object.values(
      (
        await stack.call<{ state: { nominations?: Record<string, { employeeId: string; status: string }> } }>(
          'GET',
          `/appraisals/${annAppraisal}`,
          HR,
        )
      ).state.nominations ?? {},
    )
      .map((nomination) => `${nomination.employeeId}:${nomination.status}`)
      .sort();

  it('Ann proposes two peers, Mei approves one and rejects the other', async () => {
    const ann = await stack.signIn({ role: 'employee', name: 'Ann Chen' });
    await ann.getByRole('tab', { name: en.appraisal.tabs.raters }).click();
    await ann.getByText(t.none).waitFor();
    // The picker offers her department's colleagues by name (ADR 0099): not herself, not her manager.
    const picker = ann.getByLabel(t.employeeId);
    await picker.click();
    const offered = ann.locator('.ant-select-item-option');
    await offered.first().waitFor();
    expect(await offered.allTextContents()).toEqual(['Bo Xu (e-bo)', 'Cai Yun (e-cai)']);
    const propose = async (name: string) => {
      await picker.fill(name);
      await offered.filter({ hasText: name }).click();
      await ann.getByRole('button', { name: t.propose }).click();
    };
    await propose('Bo Xu');
    await ann.getByRole('row').filter({ hasText: 'e-bo' }).getByText(t.statuses.proposed).waitFor();
    await propose('Cai Yun');
    await ann.getByRole('row').filter({ hasText: 'e-cai' }).getByText(t.statuses.proposed).waitFor();
    await stack.expectAccessible(ann, 'nominations (employee)');
    expect(await nominationsOf()).toEqual(['e-bo:proposed', 'e-cai:proposed']);

    const mei = await stack.signIn({ role: 'manager', name: 'Mei Lin' });
    await mei.goto(`${stack.base}/app/appraisals/${annAppraisal}`);
    await mei.getByRole('tab', { name: en.appraisal.tabs.raters }).click();
    // The manager chain reads names (ADR 0099): the decisions name the colleague, not just the number.
    const approveBo = mei.locator('.ant-card-small').filter({ hasText: 'Approve Bo Xu (e-bo) as Peer' });
    await approveBo.getByRole('button', { name: t.approve }).click();
    await mei.getByRole('row').filter({ hasText: 'e-bo' }).getByText(t.statuses.approved).waitFor();
    const rejectCai = mei.locator('.ant-card-small').filter({ hasText: 'Reject Cai Yun (e-cai)' });
    await rejectCai.getByLabel(t.reason).fill('Works in another region this year');
    await stack.expectAccessible(mei, 'nominations (manager)');
    await stack.screenshot(mei, 'nominations');
    await rejectCai.getByRole('button', { name: t.reject }).click();
    await mei.getByRole('row').filter({ hasText: 'e-cai' }).getByText(t.statuses.rejected).waitFor();
    expect(await nominationsOf()).toEqual(['e-bo:approved', 'e-cai:rejected']);
  }, 240_000);
});
