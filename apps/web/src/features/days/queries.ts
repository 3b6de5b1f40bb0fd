import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok, type Answer } from '../../api/client';

/** A person's seven days of a week (GET /daily-plans, ADR 0154). */
export type WeekDays = Answer<'/daily-plans'>;
export type Day = WeekDays['days'][number];
export type DayItem = Day['items'][number];
/** The person's weeks of a month (GET /weekly-plans): the week's items a day's item may work on. */
export type MonthWeeks = Answer<'/weekly-plans'>;
export type WeekItem = MonthWeeks['weeks'][number]['items'][number];

export const daysKey = (employeeId: string, week: string) => ['daily-plans', employeeId, week];

export function useDays(employeeId: string, week: string) {
  return useQuery({
    queryKey: daysKey(employeeId, week),
    queryFn: () => ok<WeekDays>(api.GET('/daily-plans', { params: { query: { employeeId, week } } })),
  });
}

export function useMonthWeeks(employeeId: string, month: string) {
  return useQuery({
    queryKey: ['weekly-plans', employeeId, month],
    queryFn: () => ok<MonthWeeks>(api.GET('/weekly-plans', { params: { query: { employeeId, month } } })),
  });
}

/** After a write (or a refusal): the week's days are read again, and the inbox whose steps they may close. */
export function useReloadDays(employeeId: string, week: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: daysKey(employeeId, week) }),
      client.invalidateQueries({ queryKey: ['inbox'] }),
    ]);
}
