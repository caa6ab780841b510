/**
 * Validates `--json` lines against `schema/events.schema.json` with a real JSON Schema validator:
 * Ajv (draft 2020-12), pinned here and nowhere else.
 * @module
 */

import { ROOT } from "./diff.ts";

/** The npm package this module loads (tools/setup.ts fetches it ahead of the tests). */
export const AJV_PACKAGE = "npm:ajv@8.17.1/dist/2020.js";

// deno-lint-ignore no-explicit-any
type AnyValidate = ((data: unknown) => boolean) & { errors?: any[] | null };

let validate: AnyValidate | undefined;

/** The compiled validator of the event schema (Ajv is loaded on first use). */
async function validator(): Promise<AnyValidate> {
  if (validate) return validate;
  const { default: Ajv2020 } = await import(String(AJV_PACKAGE));
  const schema = JSON.parse(Deno.readTextFileSync(`${ROOT}schema/events.schema.json`));
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
  });
  validate = ajv.compile(schema) as AnyValidate;
  return validate;
}

/**
 * Parses JSON Lines and validates every line; returns the objects, or throws naming the first
 * lines that do not parse or do not validate (with Ajv's reasons).
 */
export async function validateLines(text: string): Promise<Record<string, unknown>[]> {
  const v = await validator();
  const out: Record<string, unknown>[] = [];
  const bad: string[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      bad.push(`not JSON (${e}): ${line}`);
      continue;
    }
    if (!v(obj)) {
      const why = (v.errors ?? []).slice(0, 4).map((e) => `${e.instancePath} ${e.message}`);
      bad.push(`${why.join("; ")}: ${line}`);
      continue;
    }
    out.push(obj as Record<string, unknown>);
  }
  if (bad.length) throw new Error(`${bad.length} invalid line(s):\n${bad.slice(0, 5).join("\n")}`);
  return out;
}
