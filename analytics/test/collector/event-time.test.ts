import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { correctEventTime } from '../../src/collector/event-time.ts';

const received = new Date('2026-03-10T12:00:00.000Z');

describe('correctEventTime', () => {
  it('subtracts the device-side delay from receivedAt, whatever the device clock says', () => {
    expect(correctEventTime({ originalTimestamp: '2030-01-01T00:00:00.000Z', sentAt: '2030-01-01T00:05:00.000Z' }, received)).toEqual({
      timestamp: '2026-03-10T11:55:00.000Z',
      receivedAt: '2026-03-10T12:00:00.000Z',
      originalTimestamp: '2030-01-01T00:00:00.000Z',
      sentAt: '2030-01-01T00:05:00.000Z',
    });
  });

  it('is never later than receivedAt and keeps the client values (property)', () => {
    const iso = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    fc.assert(
      fc.property(fc.option(iso, { nil: undefined }), fc.option(iso, { nil: undefined }), (originalTimestamp, sentAt) => {
        const times = correctEventTime({ originalTimestamp, sentAt }, received);
        expect(Date.parse(times.timestamp)).toBeLessThanOrEqual(received.getTime());
        expect(times.originalTimestamp).toBe(originalTimestamp);
        expect(times.sentAt).toBe(sentAt);
        if (originalTimestamp && sentAt && Date.parse(sentAt) >= Date.parse(originalTimestamp)) {
          expect(Date.parse(times.timestamp)).toBe(received.getTime() - (Date.parse(sentAt) - Date.parse(originalTimestamp)));
        }
      }),
    );
  });

  it('normalises offsets to UTC', () => {
    expect(correctEventTime({ originalTimestamp: '2026-03-10T09:00:00+02:00' }, received).timestamp).toBe('2026-03-10T07:00:00.000Z');
  });
});
