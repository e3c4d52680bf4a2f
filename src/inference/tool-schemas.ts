import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';

/**
 * Tools are written to OpenAI's strict mode: every property required, an optional one nullable.
 * A strict backend gets them so, marked `strict`. Other backends get the optional properties as
 * optional (left out of `required`): a model without constrained decoding may simply omit them,
 * and a server that enforces `required` with grammar-guided decoding must not force a value.
 */
export function toolsForBackend(tools: ChatCompletionFunctionTool[], strict: boolean): ChatCompletionFunctionTool[] {
  return tools.map((tool) =>
    strict
      ? { ...tool, function: { ...tool.function, strict: true } }
      : { ...tool, function: { ...tool.function, parameters: withOptionalNullables(tool.function.parameters) } },
  );
}

type ObjectSchema = { properties?: Record<string, { type?: unknown }>; required?: string[] };

function withOptionalNullables(parameters: ChatCompletionFunctionTool['function']['parameters']) {
  const schema = parameters as ObjectSchema | undefined;
  if (!schema?.properties || !schema.required) return parameters;
  const properties = schema.properties;
  const nullable = (name: string) => {
    const type = properties[name]?.type;
    return Array.isArray(type) && type.includes('null');
  };
  return { ...parameters, required: schema.required.filter((name) => !nullable(name)) };
}
