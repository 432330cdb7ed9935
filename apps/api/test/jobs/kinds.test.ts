import { describe, expect, it } from 'vitest';
import { isJobKind, JOB_KINDS, parsePayload } from '../../src/jobs/kinds.js';

const id = '0190a5b2-7c1e-7d3f-8a9b-0123456789ab';

describe('parsePayload', () => {
  it('accepts the payload of each kind', () => {
    const files = [{ path: 'a/HToBB_000.root', sha256: 'ab', sizeBytes: 10, processName: 'HToBB' }];
    expect(parsePayload('dataset.ingest', { datasetId: id, files })).toEqual({
      datasetId: id,
      files,
    });
    expect(parsePayload('run.evaluate', { runId: id, shardIndex: 3 })).toEqual({
      runId: id,
      shardIndex: 3,
    });
    expect(JOB_KINDS.every(isJobKind)).toBe(true);
    expect(isJobKind('run.train')).toBe(false);
  });

  it('BAD CALL: a payload that is not an object', () => {
    expect(() => parsePayload('run.finetune', null)).toThrow(
      new TypeError('run.finetune job: payload must be an object, got null'),
    );
  });

  it('BAD CALL: a missing field', () => {
    expect(() => parsePayload('imageset.build', {})).toThrow(
      new TypeError('imageset.build job: payload field "imageSetId" is missing'),
    );
  });

  it('BAD CALL: an id of the wrong kind or shape', () => {
    expect(() => parsePayload('dataset.ingest', { datasetId: 7 })).toThrow(
      new TypeError('dataset.ingest job: "datasetId" must be a string, got number'),
    );
    expect(() => parsePayload('dataset.ingest', { datasetId: 'abc' })).toThrow(
      new RangeError('dataset.ingest job: "datasetId" must be a UUID, got "abc"'),
    );
  });

  it('BAD CALL: ingestion files that are missing or malformed', () => {
    expect(() => parsePayload('dataset.ingest', { datasetId: id, files: 'x' })).toThrow(
      new TypeError('dataset.ingest job: "files" must be an array, got string'),
    );
    expect(() => parsePayload('dataset.ingest', { datasetId: id, files: [] })).toThrow(
      new RangeError('dataset.ingest job: "files" must not be empty'),
    );
    expect(() => parsePayload('dataset.ingest', { datasetId: id, files: [{ path: 'a' }] })).toThrow(
      new TypeError(
        'dataset.ingest job: files[0] must be {path, sha256, sizeBytes, processName}, got {"path":"a"}',
      ),
    );
  });

  it('BAD CALL: a shard index that is not a non-negative integer', () => {
    expect(() => parsePayload('run.explain', { runId: id, shardIndex: '1' })).toThrow(
      new TypeError('run.explain job: "shardIndex" must be a number, got string'),
    );
    expect(() => parsePayload('run.explain', { runId: id, shardIndex: -1 })).toThrow(
      new RangeError('run.explain job: "shardIndex" must be an integer >= 0, got -1'),
    );
  });
});
