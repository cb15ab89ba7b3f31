import { useState } from 'react';
import type { Refusal } from '../../lib/protocol/replies';
import { Details } from './Details';

/** Something that went wrong, as the person reads it (`error`) and for support (`detail`, under "Details"). */
export interface Problem {
  error: string;
  detail?: string;
}

/** A refused reply as a Problem (null for a reply that succeeded). */
export const problemOf = (reply: { ok: true } | Refusal): Problem | null =>
  reply.ok ? null : { error: reply.error, ...(reply.detail ? { detail: reply.detail } : {}) };

/** A problem in a form: its sentence (announced) and its Details. */
export function ProblemText({ problem, id }: { problem: Problem | null; id?: string }) {
  if (!problem) return null;
  return (
    <div className="problem" id={id}>
      <p role="alert" className="error">{problem.error}</p>
      <Details text={problem.detail} />
    </div>
  );
}

/**
 * A refusal about what the person typed, shown until they change it: once the input it was about
 * differs (they are fixing it), the message goes, instead of staying next to a corrected field.
 * `input` is anything comparable by JSON (the form's values).
 */
export function useProblem(input: unknown): [Problem | null, (problem: Problem | null) => void] {
  const [state, setState] = useState<{ problem: Problem; about: string } | null>(null);
  const about = JSON.stringify(input) ?? '';
  const shown = state && state.about === about ? state.problem : null;
  return [shown, (problem) => setState(problem ? { problem, about } : null)];
}
