// `node --import tsx --import ./import-recorder.register.mjs entry.ts` records the entry's module graph in IMPORT_RECORD_FILE.
import { register } from 'node:module';

register('./import-recorder.hooks.mjs', import.meta.url, { data: { file: process.env.IMPORT_RECORD_FILE } });
