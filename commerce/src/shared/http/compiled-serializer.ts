import fastJson from 'fast-json-stringify';
import { z } from 'zod';

/**
 * A route's `serializerCompiler` for the hot answers (checkout's 202, the order page and its polls,
 * the cart after each change): fast-json-stringify, compiled once from the JSON Schema of the same
 * zod schema the OpenAPI document shows. The house compiler parses each response with zod before
 * writing it, about four times the cost of writing it; here the handlers' return types are checked
 * against the schemas by the type provider instead, and properties outside a schema are still left out.
 */
export const compiledSerializer = ({ schema }: { schema: unknown }): ((data: unknown) => string) =>
  fastJson(z.toJSONSchema(schema as z.ZodType, { io: 'output', target: 'draft-7', unrepresentable: 'any' }) as Parameters<typeof fastJson>[0]);
