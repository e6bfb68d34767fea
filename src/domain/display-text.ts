/**
 * Texts that people read (on the magic-link page, in the app, in an SMS): no control characters, a
 * line break only where the text has several lines, and no bidirectional overrides, which can make
 * a page show something other than what was sent (a "Trojan Source" style trick).
 */
import * as z from './zod';

const LINE_BREAK = /[\n\r]/;
// C0 and C1 control characters, and DEL.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
// Embeddings, overrides and isolates: U+202A–U+202E, U+2066–U+2069.
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/u;

const codePoint = (character: string): string => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `text` may not be shown, or null when it may. */
export function displayTextProblem(text: string, multiline: boolean): string | null {
  if (!multiline && LINE_BREAK.test(text)) return 'must be a single line (no line breaks)';
  const control = (multiline ? CONTROL_BUT_LINE_BREAKS : CONTROL).exec(text)?.[0];
  if (control !== undefined) return `must not contain control characters (found ${codePoint(control)})`;
  const bidi = BIDI_CONTROL.exec(text)?.[0];
  if (bidi !== undefined) return `must not contain bidirectional override characters (found ${codePoint(bidi)})`;
  return null;
}

/** A text of at most `max` characters that displayTextProblem() accepts. */
export const displayTextSchema = (max: number, options: { multiline?: boolean } = {}) =>
  z.string({ error: 'must be a string' }).check(
    z.maxLength(max, `must be at most ${max} characters`),
    z.superRefine((text: string, context) => {
      const problem = displayTextProblem(text, options.multiline === true);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    }),
  );
