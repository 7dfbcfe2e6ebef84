import { describe, expect, it } from "vitest";
import { availability, parseSchedule, ScheduleError } from "../../src/core/availability.js";

const schedule = parseSchedule("mon-fri 08:00-18:00, sat 09:00-13:00", "America/Panama", 30);
// Panama is UTC-5 all year.
const at = (iso: string) => new Date(iso);

describe("caseworker availability", () => {
  it("is open inside the hours, in the schedule's time zone", () => {
    expect(availability(schedule, at("2026-11-25T14:00:00Z"))).toEqual({ open: true, waitMinutes: 30 }); // Wed 09:00
    expect(availability(schedule, at("2026-11-28T17:59:00Z"))).toEqual({ open: true, waitMinutes: 30 }); // Sat 12:59
  });

  it("says when it opens next: later today, tomorrow, or after the weekend", () => {
    expect(availability(schedule, at("2026-11-25T12:00:00Z"))).toEqual({ open: false, opensAt: { day: 3, minutes: 480 } }); // Wed 07:00
    expect(availability(schedule, at("2026-11-26T00:00:00Z"))).toEqual({ open: false, opensAt: { day: 4, minutes: 480 } }); // Wed 19:00
    expect(availability(schedule, at("2026-11-29T15:00:00Z"))).toEqual({ open: false, opensAt: { day: 1, minutes: 480 } }); // Sun 10:00
  });

  it("is always open without hours, and refuses what it cannot read", () => {
    expect(availability(parseSchedule(undefined, "UTC", 15), new Date())).toEqual({ open: true, waitMinutes: 15 });
    expect(() => parseSchedule("weekdays 8-6", "UTC", 15)).toThrow(ScheduleError);
    expect(() => parseSchedule("mon 18:00-08:00", "UTC", 15)).toThrow(/after the start/);
    expect(() => parseSchedule("mon 08:00-18:00", "Mars/Olympus", 15)).toThrow(/time zone/);
  });
});
