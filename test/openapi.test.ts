import { SELF } from 'cloudflare:test';
import { expect, it } from 'vitest';

interface Parameter {
  name: string;
  required: boolean;
  description?: string;
  schema: { maxLength?: number; minimum?: number; maximum?: number; default?: number };
}

it('publishes the public API as OpenAPI, generated from the schema that validates requests', async () => {
  const response = await SELF.fetch('http://localhost/api/openapi.json');
  expect(response.status).toBe(200);
  const document = await response.json<{ openapi: string; paths: Record<string, { get: { parameters: Parameter[]; responses: Record<string, unknown> }; post: unknown }> }>();
  expect(document.openapi).toBe('3.1.0');
  const get = document.paths['/api/sfwa/auth']!.get;
  const byName = Object.fromEntries(get.parameters.map((p) => [p.name, p]));
  expect(byName['msisdn']?.required).toBe(true);
  expect(byName['sms-text']?.schema.maxLength).toBe(20);
  expect(byName['title-text']?.schema.maxLength).toBe(255);
  expect(byName['button-accept-text']?.schema.maxLength).toBe(50);
  expect(byName['touch-accept-text']?.schema.maxLength).toBe(1024);
  expect(byName['touch-timeout']?.schema).toMatchObject({ minimum: 1, maximum: 300 });
  expect(byName['touch-timeout']?.description).toContain('Cloud dialect: 1–60, default 30');
  expect(byName['touch-timeout']?.description).toContain('Server dialect: 15–300, default 60');
  expect(Object.keys(get.responses)).toEqual(['200', '400', '401', '404', '429', '502']);
  expect(document.paths['/api/sfwa/auth/{endpointName}']?.post).toBeDefined();
});

it('describes both response dialects', async () => {
  const document = await (await SELF.fetch('http://localhost/api/openapi.json')).json<{
    components: { schemas: Record<string, { properties: { code: { enum: string[] } } }> };
  }>();
  const { Outcome, ServerOutcome, ServerRefusal } = document.components.schemas;
  expect(Outcome?.properties.code.enum).toEqual(['ACCEPT', 'REJECT', 'TIMEOUT']);
  expect(ServerOutcome?.properties.code.enum).toEqual(['TOUCH_ACCEPTED', 'TOUCH_REJECTED', 'USER_NOT_RESPONDED', 'FAILED_DELIVERY']);
  expect(ServerRefusal?.properties.code.enum).toEqual(['BAD_REQUEST']);
});
