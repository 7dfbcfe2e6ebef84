/**
 * When caseworkers answer. People in a handoff are told honestly: "usually within N minutes" during working
 * hours, "the team is back on Monday at 08:00" outside them. Pure and runtime-agnostic (Intl only).
 *
 * Hours are written like "mon-fri 08:00-18:00, sat 09:00-13:00" in an IANA time zone; unset means always open.
 */
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
type Day = (typeof DAYS)[number];

interface Window {
  days: Set<number>;
  /** Minutes since local midnight. */
  from: number;
  to: number;
}

export interface Schedule {
  windows: Window[];
  timeZone: string;
  waitMinutes: number;
}

export type Availability = { open: true; waitMinutes: number } | { open: false; opensAt: { day: number; minutes: number } | null };

export class ScheduleError extends Error {
  override name = "ScheduleError";
}

const minutes = (hhmm: string): number => {
  const match = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!match || Number(match[1]) > 24 || Number(match[2]) > 59) throw new ScheduleError(`not a time: "${hhmm}" (use HH:MM)`);
  return Number(match[1]) * 60 + Number(match[2]);
};

const dayIndex = (name: string): number => {
  const index = DAYS.indexOf(name.toLowerCase() as Day);
  if (index < 0) throw new ScheduleError(`not a day: "${name}" (use mon, tue, wed, thu, fri, sat, sun)`);
  return index;
};

/** Parses "mon-fri 08:00-18:00, sat 09:00-13:00"; undefined or "" means always open. */
export function parseSchedule(hours: string | undefined, timeZone: string, waitMinutes: number): Schedule {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch {
    throw new ScheduleError(`not a time zone: "${timeZone}" (use an IANA name such as America/Panama)`);
  }
  const windows: Window[] = [];
  for (const part of (hours ?? "").split(",").map((p) => p.trim()).filter(Boolean)) {
    const match = /^([a-z]{3})(?:-([a-z]{3}))?\s+(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/i.exec(part);
    if (!match) throw new ScheduleError(`cannot read "${part}" (expected e.g. "mon-fri 08:00-18:00")`);
    const first = dayIndex(match[1]!);
    const last = match[2] ? dayIndex(match[2]) : first;
    const days = new Set<number>();
    for (let d = first; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === last) break;
    }
    const from = minutes(match[3]!);
    const to = minutes(match[4]!);
    if (to <= from) throw new ScheduleError(`"${part}": the end must be after the start`);
    windows.push({ days, from, to });
  }
  return { windows, timeZone, waitMinutes };
}

/** Local weekday (0 = Sunday) and minutes since midnight in the schedule's time zone. */
function localTime(at: Date, timeZone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { day: dayIndex(get("weekday").slice(0, 3)), minutes: Number(get("hour")) * 60 + Number(get("minute")) };
}

export function availability(schedule: Schedule, at: Date): Availability {
  if (schedule.windows.length === 0) return { open: true, waitMinutes: schedule.waitMinutes };
  const now = localTime(at, schedule.timeZone);
  if (schedule.windows.some((w) => w.days.has(now.day) && now.minutes >= w.from && now.minutes < w.to)) {
    return { open: true, waitMinutes: schedule.waitMinutes };
  }
  // The next opening within a week: later today, then the following days.
  for (let offset = 0; offset < 8; offset++) {
    const day = (now.day + offset) % 7;
    const starts = schedule.windows.filter((w) => w.days.has(day) && (offset > 0 || w.from > now.minutes)).map((w) => w.from);
    if (starts.length > 0) return { open: false, opensAt: { day, minutes: Math.min(...starts) } };
  }
  return { open: false, opensAt: null };
}
