// The change bus hands changes on in version order, though lanes commit side by side: a version a
// transaction took holds back every later change until it is published or dropped with its rollback.
import { describe, expect, it } from 'vitest';
import type { Change } from '../../shared/protocol';
import { ChangeBus } from '../../server/write/changeBus';

const change = (version: number): Change => ({ version, groups: [], counts: { registered: 0, sampled: 0, waitingGroups: 0 } });

function listening() {
  const bus = new ChangeBus();
  const heard: number[] = [];
  bus.subscribe((c) => heard.push(c.version));
  return { bus, heard };
}

describe('change bus', () => {
  it('hands on at once a change no open version comes before', () => {
    const { bus, heard } = listening();
    bus.publish(change(1));
    bus.taken(2);
    bus.publish(change(2));
    expect(heard).toEqual([1, 2]);
  });

  it('holds a change back until the lower version taken before it is published, then hands on both in order', () => {
    const { bus, heard } = listening();
    bus.taken(10);
    bus.taken(11);
    bus.taken(12);
    bus.publish(change(12));
    bus.publish(change(11));
    expect(heard).toEqual([]);
    bus.publish(change(10));
    expect(heard).toEqual([10, 11, 12]);
  });

  it('lets the later changes go when the lower version is dropped with its rollback', () => {
    const { bus, heard } = listening();
    bus.taken(10);
    bus.taken(11);
    bus.publish(change(11));
    bus.dropped(10);
    expect(heard).toEqual([11]);
  });

  it('waits for a version taken again after a rollback: a second taker of the same number', () => {
    const { bus, heard } = listening();
    bus.taken(10); // one lane, about to roll back
    bus.taken(10); // another lane took the number once it was free again
    bus.taken(11);
    bus.publish(change(11));
    bus.dropped(10);
    expect(heard).toEqual([]);
    bus.publish(change(10));
    expect(heard).toEqual([10, 11]);
  });
});
