import { checklistShape, type ChecklistFieldName, type ChecklistFields } from '../model';

/** A checklist with nothing filled in: every text field empty, no next steps. */
export const emptyChecklist = (): ChecklistFields => checklistShape([], () => '') as ChecklistFields;

export function missingRequired(fields: ChecklistFields, required: readonly ChecklistFieldName[]): ChecklistFieldName[] {
  return required.filter((name) => {
    const value = fields[name];
    return Array.isArray(value) ? value.length === 0 : value.trim() === '';
  });
}
