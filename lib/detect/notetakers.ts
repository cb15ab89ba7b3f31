/**
 * Which participant names are notetaker bots, by the policy's list ("Otter" matches "Otter.ai" and
 * "Otter.ai Notetaker"). Matching is on word starts, case- and accent-insensitive, so "Gong" does not
 * match "Gonzalo" and "Grain" does not match "Ingrain".
 */
const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function notetakerMatcher(botNames: readonly string[]): (participant: string) => string | null {
  const patterns = botNames
    .filter((n) => n.trim())
    .map((name) => ({ name, re: new RegExp(`(?:^|[^\\p{L}\\p{N}])${escape(fold(name.trim()))}(?![\\p{L}])`, 'u') }));
  return (participant) => {
    const folded = fold(participant);
    return patterns.find((p) => p.re.test(folded))?.name ?? null;
  };
}
