// Weeks as the hub reads them. A release names each week by its Monday (YYYY-MM-DD).

const format = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** "2026-11-23" -> "23 Nov 2026". */
export const weekWords = (iso) => format.format(new Date(`${iso}T12:00:00Z`));
