/**
 * The console pages of one kind of named settings (assisted login, LDAP or Entra ID profiles): list,
 * create, edit, delete and, for repositories, Test. The forms go through the same schemas and
 * services (src/admin/directory.ts) as the JSON API; read-only users see, administrators change.
 */
import type { Child } from 'hono/jsx';
import type * as z from '../domain/zod';
import type { DirectoryTestResult } from '../admin/directory';
import { parseInput } from '../admin/validation';
import { directoryTestSchema } from '../domain/directory-config';
import { hasRole } from '../domain/user';
import { ConfirmPage } from '../views/console/confirm-page';
import { emptyForm, sentence, type FormState } from '../views/console/form-fields';
import { NamedSettingsEditorPage, NamedSettingsListPage, deleteQuestion, type NamedSettingsKind } from '../views/console/named-settings-pages';
import { paths } from '../views/console/paths';
import { fieldErrorsOf, readForm, redirectWithFlash, renderPage, takeFlash, type ConsoleContext } from './page';
import { requirePage } from './page-auth';
import { pageGroup } from './page-group';
import { schemaDefaults, settingFormValues, settingInput } from './settings-form';

export interface NamedSettingsService<Stored extends { name: string }> {
  kind: NamedSettingsKind;
  /** The create schema (its defaults fill a new form); the patch schema checks an edit. */
  createSchema: z.ZodMiniObject;
  patchSchema: z.ZodMiniType;
  list(c: ConsoleContext): Promise<Stored[]>;
  /** 404 (an ApiError) when there is none. */
  find(c: ConsoleContext, name: string): Promise<Stored>;
  usedBy(c: ConsoleContext, stored: Stored): Promise<string[]>;
  summary(stored: Stored): Child;
  create(c: ConsoleContext, input: never): Promise<Stored>;
  edit(c: ConsoleContext, name: string, patch: never): Promise<Stored>;
  remove(c: ConsoleContext, name: string): Promise<void>;
  test?(c: ConsoleContext, name: string, id: string): Promise<DirectoryTestResult>;
}

const canEdit = (c: ConsoleContext) => hasRole(c.get('adminUser').role, 'admin');

export function namedSettingsPages<Stored extends { name: string }>(service: NamedSettingsService<Stored>) {
  const { kind } = service;
  const pages = pageGroup();
  const defaults = schemaDefaults(kind.panels, service.createSchema);
  const input = (values: Record<string, string>, editing: boolean) => settingInput(kind.panels, values, { editing, defaults });

  pages.get('/', requirePage('user'), async (c) => {
    const stored = await service.list(c);
    const rows = await Promise.all(stored.map(async (item) => ({ name: item.name, summary: service.summary(item), usedBy: await service.usedBy(c, item) })));
    return renderPage(c, <NamedSettingsListPage user={c.get('adminUser')} kind={kind} rows={rows} canEdit={canEdit(c)} flash={takeFlash(c)} />);
  });

  const newPage = (c: ConsoleContext, form: FormState, status: 200 | 400 = 200) =>
    renderPage(c, <NamedSettingsEditorPage user={c.get('adminUser')} kind={kind} form={form} canEdit />, status);

  pages.get('/new', requirePage('admin'), (c) => newPage(c, emptyForm(settingFormValues(kind.panels, defaults))));

  pages.post('/new', requirePage('admin'), async (c) => {
    const values = await readForm(c);
    try {
      const created = await service.create(c, parseInput(service.createSchema, input(values, false)) as never);
      return redirectWithFlash(c, paths.settingsEditor(kind.basePath, created.name), `${sentence(kind.noun)} “${created.name}” created.`);
    } catch (error) {
      const errors = fieldErrorsOf(error);
      if (!errors) throw error;
      return newPage(c, { values, errors }, 400);
    }
  });

  /** The editor of a stored one; after a refused form or a test, with what they answered. */
  async function editorPage(c: ConsoleContext, name: string, after?: { form?: FormState; test?: { form: FormState; result?: DirectoryTestResult } }) {
    const stored = await service.find(c, name);
    return renderPage(
      c,
      <NamedSettingsEditorPage
        user={c.get('adminUser')}
        kind={kind}
        flash={after ? undefined : takeFlash(c)}
        stored={{ name: stored.name, usedBy: await service.usedBy(c, stored) }}
        form={after?.form ?? emptyForm(settingFormValues(kind.panels, stored))}
        canEdit={canEdit(c)}
        test={service.test ? (after?.test ?? { form: emptyForm() }) : undefined}
      />,
      after?.form ? 400 : 200,
    );
  }

  async function save(c: ConsoleContext) {
    const name = c.req.param('name') ?? '';
    const values = await readForm(c);
    try {
      const saved = await service.edit(c, name, parseInput(service.patchSchema, input(values, true)) as never);
      return redirectWithFlash(c, paths.settingsEditor(kind.basePath, saved.name), `${sentence(kind.noun)} “${saved.name}” saved.`);
    } catch (error) {
      const errors = fieldErrorsOf(error);
      if (!errors) throw error;
      return editorPage(c, name, { form: { values, errors } });
    }
  }

  pages.get('/:name', requirePage('user'), (c) => editorPage(c, c.req.param('name')));
  pages.post('/:name', requirePage('admin'), save);
  // One named "new" is edited here, since .../new creates one (see paths.settingsEditor).
  pages.get('/:name/edit', requirePage('user'), (c) => editorPage(c, c.req.param('name')));
  pages.post('/:name/edit', requirePage('admin'), save);

  if (service.test) {
    const test = service.test;
    pages.post('/:name/test', requirePage('admin'), async (c) => {
      const name = c.req.param('name');
      const values = await readForm(c);
      try {
        const { id } = parseInput(directoryTestSchema, { id: values['id'] ?? '' });
        return editorPage(c, name, { test: { form: emptyForm(values), result: await test(c, name, id) } });
      } catch (error) {
        const errors = fieldErrorsOf(error);
        if (!errors) throw error;
        return editorPage(c, name, { test: { form: { values, errors } } });
      }
    });
    // After a session ends mid-test, sign-in comes back here: the editor, where the Test panel is.
    pages.get('/:name/test', requirePage('user'), (c) => c.redirect(paths.settingsEditor(kind.basePath, c.req.param('name')), 303));
  }

  // Without JavaScript, Delete leads here to confirm; with it, a dialog confirms and POSTs here directly.
  pages.get('/:name/delete', requirePage('admin'), async (c) => {
    const stored = await service.find(c, c.req.param('name'));
    const usedBy = await service.usedBy(c, stored);
    const editor = paths.settingsEditor(kind.basePath, stored.name);
    const trail = [{ label: 'Assisted login', href: '/admin/assisted' }, { label: kind.title, href: kind.basePath }, { label: stored.name, href: editor }, { label: 'Delete' }];
    if (usedBy.length) return redirectWithFlash(c, editor, `“${stored.name}” is used by ${usedBy.join(', ')}: remove it from their Assisted Login tab first.`);
    return renderPage(
      c,
      <ConfirmPage user={c.get('adminUser')} title={`Delete “${stored.name}”?`} message={deleteQuestion(kind, stored.name)} action={paths.settingsDelete(kind.basePath, stored.name)} confirmLabel={`Delete ${kind.noun}`} cancelHref={editor} trail={trail} section="assisted" />,
    );
  });

  pages.post('/:name/delete', requirePage('admin'), async (c) => {
    const name = c.req.param('name');
    await service.remove(c, name);
    return redirectWithFlash(c, kind.basePath, `${sentence(kind.noun)} “${name}” deleted.`);
  });

  return pages;
}
