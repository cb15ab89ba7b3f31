import { checklistShape, type CallCategory, type ChecklistFieldName, type ChecklistFields } from '../model';

/** A checklist with nothing filled in: every text field empty, no next steps. */
export const emptyChecklist = (): ChecklistFields => checklistShape([], () => '') as ChecklistFields;

export function missingRequired(fields: ChecklistFields, required: readonly ChecklistFieldName[]): ChecklistFieldName[] {
  return required.filter((name) => {
    const value = fields[name];
    return Array.isArray(value) ? value.length === 0 : value.trim() === '';
  });
}

/**
 * Whether the policy asks for a CRM checklist after a call of this category. A call with no
 * category (no decision was made) gets one: nothing says it has no CRM record.
 */
export function checklistRequired(category: CallCategory | null | undefined, scope: readonly CallCategory[]): boolean {
  return category == null || scope.includes(category);
}

/** Nothing typed yet: no text in any field, no next step. */
export function isEmptyChecklist(fields: ChecklistFields): boolean {
  return Object.values(fields).every((value) => (Array.isArray(value) ? value.length === 0 : value.trim() === ''));
}
