/**
 * `{{…}}` templates in scenario strings (docs/scenario-format.md, "Templates"): saved values,
 * `{{unique.label}}`, `{{uuid}}` and `{{baseUrl}}`.
 */
export type TemplateRef = { text: string; index: number } & (
  | { kind: 'saved'; name: string }
  | { kind: 'unique'; label: string }
  | { kind: 'uuid' | 'baseUrl' }
  | { kind: 'invalid' }
);

/** A name `save` may use: letters, digits and `_`, not one of the built-in template names. */
export const SAVED_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Spaces inside the braces are allowed, as the runner's filling allows them (harness/steps/template.ts).
const TEMPLATE = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The templates in a string, in order. */
export function templateRefs(text: string): TemplateRef[] {
  return [...text.matchAll(TEMPLATE)].map(({ 0: whole, 1: inner = '', index }): TemplateRef => {
    const at = { text: whole, index };
    if (inner === 'uuid' || inner === 'baseUrl') return { ...at, kind: inner };
    const unique = /^unique\.([A-Za-z0-9_-]+)$/.exec(inner);
    if (unique) return { ...at, kind: 'unique', label: unique[1]! };
    if (inner !== 'unique' && SAVED_NAME.test(inner)) return { ...at, kind: 'saved', name: inner };
    return { ...at, kind: 'invalid' };
  });
}
