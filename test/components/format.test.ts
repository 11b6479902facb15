import { expect } from '@open-wc/testing';
import { formatClock, formatDay, formatListTime } from '../../src/components/base/format.js';

describe('time formatting', () => {
  // The formatters are cached per set of options: each kind must keep its own.
  it('formats clocks, days and list times as the locale does, each with its own options', () => {
    const now = new Date(2026, 5, 15, 12, 0, 0);
    const at = (d: Date) => Math.floor(d.getTime() / 1000);
    const clock = new Date(2026, 5, 15, 9, 5);
    const hhmm = { hour: '2-digit', minute: '2-digit' } as const;
    expect(formatClock(at(clock))).to.equal(clock.toLocaleTimeString(undefined, hhmm));
    expect(formatListTime(at(clock), now)).to.equal(clock.toLocaleTimeString(undefined, hhmm));
    expect(formatDay(at(clock), now)).to.equal('Today');

    const threeDays = new Date(2026, 5, 12, 9, 5);
    expect(formatListTime(at(threeDays), now)).to.equal(
      threeDays.toLocaleDateString(undefined, { weekday: 'short' }),
    );
    const long = { weekday: 'long', month: 'long', day: 'numeric' } as const;
    expect(formatDay(at(threeDays), now)).to.equal(threeDays.toLocaleDateString(undefined, long));

    const lastYear = new Date(2025, 1, 3, 9, 5);
    expect(formatDay(at(lastYear), now)).to.equal(
      lastYear.toLocaleDateString(undefined, { ...long, year: 'numeric' }),
    );
    expect(formatListTime(at(lastYear), now)).to.equal(
      lastYear.toLocaleDateString(undefined, { month: 'short', day: 'numeric', year: 'numeric' }),
    );
    expect(formatClock(at(clock))).to.equal(clock.toLocaleTimeString(undefined, hhmm));
  });
});
