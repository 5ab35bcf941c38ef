// Live updates: an EventSource on the release stream (it reconnects by itself with the
// last event id when the server closes it after a few minutes).

import { STREAM_URL } from "./api.js";

export function follow(onRelease) {
  const source = new EventSource(STREAM_URL);
  source.addEventListener("release", (event) => {
    try {
      onRelease(JSON.parse(event.data));
    } catch {
      // A malformed event is ignored; the next one carries the full state again.
    }
  });
  return () => source.close();
}
