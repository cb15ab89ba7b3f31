import { lazy } from 'react';

/**
 * The popup's first screen is the call list: it needs React, Dexie and the labels, nothing else.
 * Everything behind a click (a call's detail with its checklist, note, AI draft and concern views;
 * the concern form) and the policy check (zod + policy resolution) load on demand, in their own
 * chunks, so they are not fetched, compiled and evaluated before the first row shows
 * (docs/performance.md, row 5).
 */

/** zod schemas read `jitless` when they are created: configure zod before a chunk defining schemas runs. */
const afterZodConfig = <T,>(load: () => Promise<T>) => () => import('../../lib/ui/zod-jitless').then(load);

const loadDetail = afterZodConfig(() => import('./CallDetail').then((m) => ({ default: m.CallDetail })));
const loadConcernForm = () => import('./ConcernForm').then((m) => ({ default: m.ConcernForm }));
const loadMyConcerns = () => import('./MyConcerns').then((m) => ({ default: m.MyConcerns }));
const loadPolicyIssues = afterZodConfig(() => import('./PolicyIssues').then((m) => ({ default: m.PolicyIssues })));
const loadDecideHere = afterZodConfig(() => import('./DecideHere').then((m) => ({ default: m.DecideHere })));

export const CallDetail = lazy(loadDetail);
export const ConcernForm = lazy(loadConcernForm);
export const MyConcerns = lazy(loadMyConcerns);
export const PolicyIssues = lazy(loadPolicyIssues);
export const DecideHere = lazy(loadDecideHere);

/** Once the list is on screen: fetch the on-demand views while the rep reads, so a click is instant. */
export function preloadViews(): void {
  void loadDetail().catch(() => {});
  void loadConcernForm().catch(() => {});
}
