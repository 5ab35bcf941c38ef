// The plain words the diary uses for moods and the 1-5 scales, and for dates and times.

/** Used until (or when offline before) the taxonomy has been fetched once. */
export const MOOD_WORDS = ["Really tough", "Tough", "Okay", "Good", "Great"];

export const SCALES = [
  {
    field: "energy",
    question: "Energy",
    words: ["Running on empty", "Low", "Okay", "Good", "Full of beans"],
  },
  { field: "sleep", question: "Sleep", words: ["Hardly slept", "Poorly", "Okay", "Well", "Really well"] },
  { field: "stress", question: "Stress", words: ["Calm", "A little", "Some", "A lot", "Overwhelming"] },
];

/** The five words of a 1-5 scale, from the taxonomy when it has them. */
export function scaleWords(scale, taxonomy) {
  const words = taxonomy && taxonomy.scales && taxonomy.scales[scale.field];
  return Array.isArray(words) && words.length === 5 ? words : scale.words;
}

/** The word for a mood value, from the taxonomy when it has one. */
export function moodWord(value, taxonomy) {
  const found = taxonomy && (taxonomy.moods || []).find((m) => m.value === value);
  return found ? found.label : MOOD_WORDS[value - 1] || "";
}

/** The label of a factor or need code, from the taxonomy, or the code itself. */
export function labelOf(list, code) {
  const found = (list || []).find((item) => item.code === code);
  return found ? found.label : code;
}

const pad = (n) => String(n).padStart(2, "0");

/** RFC 3339 in the phone's own zone, e.g. 2026-11-22T08:30:00+00:00. */
export function rfc3339(date) {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** The value an <input type="datetime-local"> wants for a date. */
export function localInputValue(date) {
  return rfc3339(date).slice(0, 16);
}

/** The phone's calendar day of a date, as YYYY-MM-DD. */
export function dayKey(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const dayFormat = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long" });
const timeFormat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });
const monthFormat = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric" });
const shortFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short" });

export const formatDay = (date) => dayFormat.format(date);
export const formatTime = (date) => timeFormat.format(date);
export const formatMonth = (date) => monthFormat.format(date);
export const formatShort = (date) => shortFormat.format(date);

/** "Today", "Yesterday" or the day's name and date. */
export function friendlyDay(date, now = new Date()) {
  const key = dayKey(date);
  if (key === dayKey(now)) return "Today";
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (key === dayKey(yesterday)) return "Yesterday";
  return formatDay(date);
}

export function timeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "Europe/London";
  } catch {
    return "Europe/London";
  }
}
