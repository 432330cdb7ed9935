import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_USAGE, layerListOption } from '../../src/cli/errors.js';
import { backboneLayers, resolveTrainableLayers } from '../../src/cli/settings.js';
import { jetlens } from '../helpers/cli.js';

describe('study settings on the command line', () => {
  it('reads layer lists and ranges counted from 1', () => {
    const parse = layerListOption('--trainable-layers');
    expect(parse('11-12')).toEqual([11, 12]);
    expect(parse('10,11, 12')).toEqual([10, 11, 12]);
    expect(() => parse('0-1')).toThrow('--trainable-layers must list layer numbers counted from 1');
    expect(() => parse('eleven')).toThrow('got "eleven"');
  });

  it('defaults to the last two layers of the backbone, and checks given ones against it', () => {
    expect(resolveTrainableLayers(undefined, 12)).toEqual([11, 12]);
    expect(resolveTrainableLayers(undefined, 1)).toEqual([1]);
    expect(resolveTrainableLayers([12, 11, 11], 12)).toEqual([11, 12]);
    expect(() => resolveTrainableLayers([13], 12)).toThrow(
      '--trainable-layers: the backbone has 12 layers, got layer 13',
    );
  });

  it("reads the backbone's depth from its config.json", () => {
    const dir = mkdtempSync(join(tmpdir(), 'jetlens-config-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ num_hidden_layers: 6 }));
    expect(backboneLayers(dir)).toBe(6);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ num_hidden_layers: 'six' }));
    expect(() => backboneLayers(dir)).toThrow('num_hidden_layers must be an integer >= 1, got six');
    expect(() => backboneLayers(join(dir, 'missing'))).toThrow(/cannot read .*config\.json/);
  });

  it('BAD CALL: unknown tasks, out-of-range counts and radii are usage errors (exit 2)', async () => {
    const task = await jetlens(['study', '--tasks', 'ttbar-vs-everything']);
    expect(task.code).toBe(EXIT_USAGE);
    expect(task.err).toContain('--tasks takes ttbar-vs-qcd, hbb-vs-hcc or SIGNAL:BACKGROUND');

    const prongs = await jetlens(['study', '--max-prongs', '4']);
    expect(prongs.code).toBe(EXIT_USAGE);
    expect(prongs.err).toContain('--max-prongs must be in [1, 3], got 4');

    const radius = await jetlens(['study', '--roi-radius', '-0.2']);
    expect(radius.code).toBe(EXIT_USAGE);
    expect(radius.err).toContain('--roi-radius must be in (0, 2], got -0.2');

    const method = await jetlens(['explain', '--run', 'x', '--map-method', 'gradcam']);
    expect(method.code).toBe(EXIT_USAGE);
    expect(method.err).toMatch(/cumulative, rollout, layer/);
  });
});
