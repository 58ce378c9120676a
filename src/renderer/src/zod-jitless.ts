// zod probes for `new Function` to compile fast parsers; the page's CSP forbids eval, and Chromium reports the
// refused probe as a CSP violation even though zod catches it. Jitless mode skips the probe. Imported first by
// app-main.tsx (the app's chunk) and api/back-end.ts, since the probe runs when the first schema is built.
import { z } from 'zod';

z.config({ jitless: true });
