import { startWebTenant, type Caller, type WebTenant } from '../../support/web-tenant';
import { en } from '../../../apps/web/src/i18n/en';

/**
 * The 360's nominations in Chromium against the real API and worker: Ann proposes colleagues as
 * peer raters (proposing herself is refused on the field), her manager Mei approves one and rejects
 * the other with a reason, and the appraisal's state says the same. English labels come from the
 * app's catalogue.
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
    const propose = async (employeeId: string) => {
      await ann.getByLabel(t.employeeId).fill(employeeId);
      await ann.getByRole('button', { name: t.propose }).click();
    };
    // Herself: the API refuses it, and says so on the field.
    await propose('e-ann');
    await ann
      .locator('.ant-form-item-explain-error')
      .getByText('the appraisee does not rate themselves here', { exact: true })
      .waitFor();
    await propose('e-bo');
    await ann.getByRole('row').filter({ hasText: 'e-bo' }).getByText(t.statuses.proposed).waitFor();
    await propose('e-cai');
    await ann.getByRole('row').filter({ hasText: 'e-cai' }).getByText(t.statuses.proposed).waitFor();
    await stack.expectAccessible(ann, 'nominations (employee)');
    expect(await nominationsOf()).toEqual(['e-bo:proposed', 'e-cai:proposed']);

    const mei = await stack.signIn({ role: 'manager', name: 'Mei Lin' });
    await mei.goto(`${stack.base}/app/appraisals/${annAppraisal}`);
    await mei.getByRole('tab', { name: en.appraisal.tabs.raters }).click();
    const approveBo = mei.locator('.ant-card-small').filter({ hasText: 'Approve e-bo as Peer' });
    await approveBo.getByRole('button', { name: t.approve }).click();
    await mei.getByRole('row').filter({ hasText: 'e-bo' }).getByText(t.statuses.approved).waitFor();
    const rejectCai = mei.locator('.ant-card-small').filter({ hasText: 'Reject e-cai' });
    await rejectCai.getByLabel(t.reason).fill('Works in another region this year');
    await stack.expectAccessible(mei, 'nominations (manager)');
    await stack.screenshot(mei, 'nominations');
    await rejectCai.getByRole('button', { name: t.reject }).click();
    await mei.getByRole('row').filter({ hasText: 'e-cai' }).getByText(t.statuses.rejected).waitFor();
    expect(await nominationsOf()).toEqual(['e-bo:approved', 'e-cai:rejected']);
  }, 240_000);
});
