// The Share section's route, and which page addresses open the read-only snapshot viewer.
import { describe, expect, it } from 'vitest';
import { AVAILABLE_SECTIONS, hrefFor, parseRoute, sectionHref, sectionOf } from '../../../src/state/route.ts';
import { readSnapshotSource } from '../../../src/state/snapshot-source.ts';

describe('share route', () => {
  it('is an available section with a real route that round-trips', () => {
    expect(AVAILABLE_SECTIONS).toContain('share');
    const route = parseRoute('#/import/a%2Fb/share');
    expect(route).toEqual({ view: 'share', importId: 'a/b' });
    expect(hrefFor(route)).toBe('#/import/a%2Fb/share');
    expect(sectionHref('a/b', 'share')).toBe('#/import/a%2Fb/share');
    expect(sectionOf(route)).toBe('share');
  });
});

describe('readSnapshotSource', () => {
  it('reads a snapshot hash on any path, alone or beside other parameters', () => {
    expect(readSnapshotSource('/', '#s=abc')).toEqual({ kind: 'hash', hash: '#s=abc' });
    expect(readSnapshotSource('/', '#x=1&s=abc')).toEqual({ kind: 'hash', hash: '#x=1&s=abc' });
  });

  it('reads an upload id from /s/<id> and its key from #k=, and notices a missing key', () => {
    expect(readSnapshotSource('/s/Ab_-09', '#k=KEY')).toEqual({ kind: 'upload', id: 'Ab_-09', key: 'KEY' });
    expect(readSnapshotSource('/s/Ab_-09/', '')).toEqual({ kind: 'upload', id: 'Ab_-09', key: null });
  });

  it('leaves ordinary pages alone, including app routes opened under /s/<id>', () => {
    expect(readSnapshotSource('/', '')).toBeNull();
    expect(readSnapshotSource('/', '#/import/x/share')).toBeNull();
    expect(readSnapshotSource('/', '#/import/s=1')).toBeNull();
    expect(readSnapshotSource('/s/abc', '#/')).toBeNull();
    expect(readSnapshotSource('/s/a/b', '#k=1')).toBeNull();
  });
});
