/**
 * A generic registry of model factories: name → zod options schema (with defaults) + factory + tags +
 * description. Two instances, {@link backbones} and {@link heads}, are filled by importing
 * `backbones/mod.ts` and `heads/mod.ts`; tests, benchmarks and the bench harness iterate them.
 * @module
 */
import type { z } from "zod";
import type { ModuleContext } from "../nn/module.ts";
import type { Backbone } from "./backbones/backbone.ts";
import type { Head } from "./heads/head.ts";

/** What a model file registers. */
export interface RegistryEntry<Ctx, T, S extends z.ZodType = z.ZodType> {
  /** unique name, lower snake_case, e.g. "ir_se_50" */
  name: string;
  /** options schema; every field has a default unless the caller must supply it */
  schema: S;
  /** builds the model from parsed options */
  create(options: z.output<S>, ctx: Ctx): T;
  /** free-form tags for filtering, e.g. "ir", "evo", "tiny" */
  tags: readonly string[];
  /** one line for listings and reports */
  description: string;
  /** the batch sampler training needs, overriding the preset's ("pk": P identities × K images, for triplet losses) */
  sampler?: "pk";
}

/** A registered entry whose `create` parses raw options against the schema first. */
export interface Registered<Ctx, T> {
  /** unique name */
  readonly name: string;
  /** options schema */
  readonly schema: z.ZodType;
  /** tags */
  readonly tags: readonly string[];
  /** description */
  readonly description: string;
  /** the batch sampler training needs, if any */
  readonly sampler?: "pk";
  /** validates `options` (defaults filled in; errors name the field) and builds the model */
  create(options: unknown, ctx: Ctx): T;
  /** the options with every default filled in */
  parse(options: unknown): Record<string, unknown>;
}

/** A registry of one kind of model. */
export interface Registry<Ctx, T> {
  /** "backbone" or "head": used in error messages */
  readonly kind: string;
  /** Adds an entry; throws on a duplicate or malformed name. */
  register<S extends z.ZodType>(entry: RegistryEntry<Ctx, T, S>): void;
  /** The entry `name`; throws naming the known entries when missing. */
  get(name: string): Registered<Ctx, T>;
  /** Entries in registration order, optionally filtered by a glob on the name ("ir*", "*_tiny") or a tag. */
  list(filter?: string): Registered<Ctx, T>[];
  /** Options schema of every entry, by name (for JSON Schema generation). */
  schemas(): Record<string, z.ZodType>;
}

/**
 * Whether `name` matches the glob `pattern` (`*` any run of characters, `?` one character, case-sensitive); the one
 * glob of the code base (registry listings, preset filters).
 */
export function globMatch(pattern: string, name: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`).test(name);
}

/** Formats zod issues as "field: message" lines prefixed by what was being parsed. */
function formatIssues(what: string, issues: readonly z.core.$ZodIssue[], value: unknown): string {
  const lines = issues.map((i) => {
    const path = i.path.map(String).join(".") || "(options)";
    const got = i.path.reduce<unknown>(
      (v, k) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined),
      value,
    );
    return `  ${path}: ${i.message} (got ${JSON.stringify(got)})`;
  });
  return `${what}: invalid options\n${lines.join("\n")}`;
}

/** Creates an empty registry of `kind`. */
export function createRegistry<Ctx, T>(kind: string): Registry<Ctx, T> {
  const entries = new Map<string, Registered<Ctx, T>>();
  return {
    kind,
    register<S extends z.ZodType>(entry: RegistryEntry<Ctx, T, S>): void {
      if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(entry.name)) {
        throw new Error(`${kind} registry: name "${entry.name}" must be lower snake_case`);
      }
      if (entries.has(entry.name)) throw new Error(`${kind} registry: "${entry.name}" is already registered`);
      const parse = (options: unknown): z.output<S> => {
        const result = entry.schema.safeParse(options ?? {});
        if (!result.success) throw new Error(formatIssues(`${kind} "${entry.name}"`, result.error.issues, options));
        return result.data;
      };
      entries.set(entry.name, {
        name: entry.name,
        schema: entry.schema,
        tags: Object.freeze([...entry.tags]),
        description: entry.description,
        ...(entry.sampler ? { sampler: entry.sampler } : {}),
        parse: (options) => parse(options) as Record<string, unknown>,
        create: (options, ctx) => entry.create(parse(options), ctx),
      });
    },
    get(name: string): Registered<Ctx, T> {
      const entry = entries.get(name);
      if (!entry) throw new Error(`Unknown ${kind} "${name}": expected one of ${[...entries.keys()].join(", ")}`);
      return entry;
    },
    list(filter?: string): Registered<Ctx, T>[] {
      const all = [...entries.values()];
      if (!filter) return all;
      return all.filter((e) => globMatch(filter, e.name) || e.tags.includes(filter));
    },
    schemas(): Record<string, z.ZodType> {
      return Object.fromEntries([...entries].map(([name, e]) => [name, e.schema]));
    },
  };
}

/** Every backbone family; filled by importing `backbones/mod.ts`. */
export const backbones: Registry<ModuleContext, Backbone> = createRegistry("backbone");

/** Every classification head; filled by importing `heads/mod.ts`. */
export const heads: Registry<ModuleContext, Head> = createRegistry("head");
