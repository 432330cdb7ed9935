import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README's first TypeScript example, run against this package's source.
describe('README example', () => {
  it('runs and prints what it claims', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const snippet = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(snippet).toBeDefined();

    const source = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const program = [
      'export const logs: unknown[][] = [];',
      'const console = { log: (...args: unknown[]) => { logs.push(args); } };',
      snippet!.replace("from '@jetlens/xai'", `from ${JSON.stringify(source)}`),
    ].join('\n');
    const file = join(mkdtempSync(join(tmpdir(), 'jetlens-xai-readme-')), 'example.ts');
    writeFileSync(file, program);

    const { logs } = (await import(pathToFileURL(file).href)) as { logs: unknown[][] };
    const [fraction, enrichment, hash] = logs[0]!;
    expect(fraction).toBeGreaterThan(0);
    expect(enrichment).toBeCloseTo(1, 6);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(logs[1]).toEqual([true]);
  });
});
