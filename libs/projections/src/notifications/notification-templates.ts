export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export type TemplateName = 'task-assigned' | 'reminder' | 'deadline-missed' | 'escalated';

/** What a template may show: ids, kinds and times only (names are added at send time, for e-mail). */
export interface TemplateParams {
  appraisalId: string;
  stepKind: string;
  stepKey: string;
  /** Null for a step without a due time (only a task can have none; timers need one). */
  dueAt: string | null;
  /** Where to act, a path of the web app (the appraisal's page). */
  link?: string;
  level?: number;
  /** To whom it escalated: manager, skip-level, hr, process-owner. */
  to?: string;
}

const STEP_NAMES: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    plan: '绩效计划',
    'plan-approval': '计划审批',
    'period-review': '阶段述职',
    'period-assessment': '阶段评估',
    improvement: '改进计划',
    'improvement-verification': '改进验证',
    'self-assessment': '自评',
    'peer-rating': '360 评价',
    'nomination-approval': '360 评价人审批',
    'manager-rating': '上级评价',
    calibration: '绩效校准',
    acknowledgement: '结果确认',
    'appeal-resolution': '申诉处理',
    'weekly-plan': '周计划',
    'weekly-plan-review': '周计划批阅',
    'daily-plan': '日计划',
    'daily-plan-review': '日计划批阅',
  },
  en: {
    plan: 'performance plan',
    'plan-approval': 'plan approval',
    'period-review': 'period review',
    'period-assessment': 'period assessment',
    improvement: 'improvement plan',
    'improvement-verification': 'improvement verification',
    'self-assessment': 'self-assessment',
    'peer-rating': '360 rating',
    'nomination-approval': '360 rater approval',
    'manager-rating': 'manager rating',
    calibration: 'calibration',
    acknowledgement: 'acknowledgement',
    'appeal-resolution': 'appeal resolution',
    'weekly-plan': 'weekly plan',
    'weekly-plan-review': 'weekly plan review',
    'daily-plan': 'daily plan',
    'daily-plan-review': 'daily plan review',
  },
};

const TARGETS: Record<Locale, Record<string, string>> = {
  'zh-CN': { manager: '直属上级', 'skip-level': '隔级上级', hr: '人力资源', 'process-owner': '流程负责人' },
  en: {
    manager: 'the manager',
    'skip-level': "the manager's manager",
    hr: 'HR',
    'process-owner': 'the process owner',
  },
};

const utc = (at: string | null) => (at === null ? '—' : `${at.slice(0, 16).replace('T', ' ')} UTC`);

const TEMPLATES: Record<
  Locale,
  Record<TemplateName, (p: TemplateParams, step: string) => [string, string]>
> = {
  'zh-CN': {
    'task-assigned': (p, step) => [
      p.dueAt === null ? `新任务：${step}` : `新任务：${step}，${utc(p.dueAt)} 到期`,
      `${step}已分配给您（考核 ${p.appraisalId}）。请在此处理：${p.link ?? ''}`,
    ],
    reminder: (p, step) => [
      `提醒：${step}将于 ${utc(p.dueAt)} 到期`,
      `请在到期前完成${step}（考核 ${p.appraisalId}）。`,
    ],
    'deadline-missed': (p, step) => [
      `${step}已逾期`,
      `${step}已于 ${utc(p.dueAt)} 到期仍未完成（考核 ${p.appraisalId}）。`,
    ],
    escalated: (p, step) => [
      `${step}逾期升级（第 ${p.level} 级）`,
      `${step}逾期未完成，已升级至${TARGETS['zh-CN'][p.to ?? ''] ?? p.to}（考核 ${p.appraisalId}，原定 ${utc(p.dueAt)} 到期）。`,
    ],
  },
  en: {
    'task-assigned': (p, step) => [
      p.dueAt === null ? `New task: the ${step}` : `New task: the ${step}, due ${utc(p.dueAt)}`,
      `The ${step} is yours to do (appraisal ${p.appraisalId}). Act on it here: ${p.link ?? ''}`,
    ],
    reminder: (p, step) => [
      `Reminder: the ${step} is due ${utc(p.dueAt)}`,
      `Please complete the ${step} before it is due (appraisal ${p.appraisalId}).`,
    ],
    'deadline-missed': (p, step) => [
      `The ${step} is overdue`,
      `The ${step} was due ${utc(p.dueAt)} and is not done (appraisal ${p.appraisalId}).`,
    ],
    escalated: (p, step) => [
      `The ${step} is escalated (level ${p.level})`,
      `The ${step} is overdue and has been escalated to ${TARGETS.en[p.to ?? ''] ?? p.to} (appraisal ${p.appraisalId}, due ${utc(p.dueAt)}).`,
    ],
  },
};

/** A notification's title and body in one locale; `greeting` (the recipient's name) only for e-mail. */
export function renderNotification(
  template: TemplateName,
  params: TemplateParams,
  locale: Locale,
  greeting?: string,
): { title: string; body: string } {
  const step = STEP_NAMES[locale][params.stepKind] ?? params.stepKind;
  const [title, body] = TEMPLATES[locale][template](params, step);
  if (greeting === undefined) return { title, body };
  return {
    title,
    body: locale === 'zh-CN' ? `${greeting}，您好：\n\n${body}` : `Dear ${greeting},\n\n${body}`,
  };
}
