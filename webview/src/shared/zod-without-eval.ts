// Zod compiles fast validators with `new Function`, which the panel's CSP (no 'unsafe-eval')
// forbids. Zod falls back by itself, but its probe still logs a CSP violation, so the panel turns
// the compiler off before anything is validated. Imported first by main.ts.

import { z } from 'zod';

z.config({ jitless: true });
