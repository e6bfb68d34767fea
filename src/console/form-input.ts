/**
 * A submitted form's text as the schemas' input, shared by every console form: a ticked checkbox, a
 * textarea of one entry per line, a number field. Anything that is not what it should be stays text,
 * for the schema to refuse with its own message beside the field.
 */
export const checkbox = (on: boolean): string => (on ? 'on' : '');

/** A textarea's entries, one per line, blank lines dropped. */
export const lines = (text: string | undefined): string[] =>
  (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

/** A number input sends text; whole numbers become numbers, anything else stays text for the schema to refuse. */
export const wholeNumber = (text: string | undefined): number | string => (/^\s*-?\d+\s*$/.test(text ?? '') ? Number(text) : (text ?? ''));
