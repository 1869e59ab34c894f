/** The dependency direction of docs/architecture.md is enforced by the lint configuration. */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

async function lint(code: string, filePath: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.message);
}

describe('layer rule', () => {
  it('fails when core imports electron, the hub or the desktop shell', async () => {
    const messages = await lint(
      "import { app } from 'electron';\nimport { startHub } from '../../hub/server';\nimport '../../desktop/key';\nexport const x = [app, startHub];\n",
      'src/main/core/accounts/probe.ts',
    );
    expect(messages.filter((m) => m.includes('never import'))).toHaveLength(3);
  });

  it('fails when the store imports core', async () => {
    const messages = await lint("import { login } from '../core/accounts/sessions';\nexport const x = login;\n", 'src/main/store/probe.ts');
    expect(messages.some((m) => m.includes('bottom layer'))).toBe(true);
  });

  it('lets core import the shared contract', async () => {
    const messages = await lint("import { AppError } from '../../../shared/api/errors';\nexport const x = AppError;\n", 'src/main/core/accounts/probe.ts');
    expect(messages).toEqual([]);
  });
});
