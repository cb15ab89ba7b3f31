import type { ChecklistFields } from '../db';
import type { ChecklistFieldName } from '../policy/schema';

export const checklistLabels: Record<ChecklistFieldName, string> = {
  qualification: 'Qualification details',
  nextSteps: 'Next steps',
  timeline: 'Timeline clarity',
  risks: 'Risks',
  competition: 'Competitive dynamics',
  humanNuance: 'Human nuance',
  powerDynamics: 'Power dynamics',
  hesitation: 'Hesitation',
  emotion: 'Emotion',
  urgency: 'Urgency',
  subtleObjections: 'Subtle objections',
};

export const emptyChecklist = (): ChecklistFields => ({
  qualification: '', nextSteps: [], timeline: '', risks: '', competition: '', humanNuance: '',
  powerDynamics: '', hesitation: '', emotion: '', urgency: '', subtleObjections: '',
});

export function missingRequired(fields: ChecklistFields, required: readonly ChecklistFieldName[]): ChecklistFieldName[] {
  return required.filter((name) => {
    const value = fields[name];
    return Array.isArray(value) ? value.length === 0 : value.trim() === '';
  });
}

