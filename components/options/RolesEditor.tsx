import { t } from '../../lib/i18n';
import { dataViews, usePurposes } from '../../lib/model';
import type { Policy } from '../../lib/policy/schema';
import { dataViewLabel, purposeLabel } from '../../lib/ui/format';

type Role = Policy['roles'][number];
const toggle = <T,>(list: readonly T[], item: T, on: boolean): T[] => (on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item));

/**
 * The policy's roles as a form: a name, what the role may see, what it may use calls for, and
 * whether it approves performance use. The lists keep the vocabulary's order, so a saved policy
 * reads the same however the boxes were ticked. Whether the roles are valid (a name each, at
 * least one role) is the caller's: it checks them with the policy schema, as they change.
 */
export function RolesEditor({ roles, disabled, onChange }: { roles: Policy['roles']; disabled: boolean; onChange(roles: Policy['roles']): void }) {
  const set = (i: number, patch: Partial<Role>) => onChange(roles.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="roles">
      {roles.map((role, i) => (
        <fieldset key={i} className="role">
          <legend>{t('options_role_legend', i + 1)}</legend>
          <label>
            {t('options_role_name')}
            <input value={role.role} disabled={disabled} maxLength={60} onChange={(e) => set(i, { role: e.target.value })} />
          </label>
          <fieldset className="checks">
            <legend>{t('options_role_can_view')}</legend>
            {dataViews.map((view) => (
              <label key={view} className="check">
                <input type="checkbox" disabled={disabled} checked={role.canView.includes(view)}
                  onChange={(e) => set(i, { canView: dataViews.filter((v) => toggle(role.canView, view, e.target.checked).includes(v)) })} />
                {dataViewLabel(view)}
              </label>
            ))}
          </fieldset>
          <fieldset className="checks">
            <legend>{t('options_role_purposes')}</legend>
            {usePurposes.map((purpose) => (
              <label key={purpose} className="check">
                <input type="checkbox" disabled={disabled} checked={role.purposes.includes(purpose)}
                  onChange={(e) => set(i, { purposes: usePurposes.filter((p) => toggle(role.purposes, purpose, e.target.checked).includes(p)) })} />
                {purposeLabel(purpose)}
              </label>
            ))}
          </fieldset>
          <label className="check">
            <input type="checkbox" disabled={disabled} checked={role.approvesPerformanceUse} onChange={(e) => set(i, { approvesPerformanceUse: e.target.checked })} />
            {t('options_role_approves')}
          </label>
          <button type="button" disabled={disabled} onClick={() => onChange(roles.filter((_, j) => j !== i))}>{t('options_role_remove')}</button>
        </fieldset>
      ))}
      <button type="button" disabled={disabled} onClick={() => onChange([...roles, { role: '', canView: [], purposes: ['coaching'], approvesPerformanceUse: false }])}>
        {t('options_role_add')}
      </button>
    </div>
  );
}
