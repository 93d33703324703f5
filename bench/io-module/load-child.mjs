// Child process of the IO-Module benchmark: loads N synthetic subjects into a fresh store and
// prints { seconds, maxRssMb, records, subjects } as JSON on its last line.
import { Readable } from 'node:stream';
import { openStore } from '../../packages/core/dist/index.js';
import { openDistributionCopy } from '../../packages/io-module/dist/index.js';
import { declaration, syntheticNdjson } from './synthetic-income.mjs';

const [url, count] = [process.argv[2], Number(process.argv[3])];
const store = await openStore(url, { poolSize: 2 });
const copy = await openDistributionCopy({ store, datasets: [declaration] });

const start = process.hrtime.bigint();
const report = await copy.load('furs.income', Readable.from(syntheticNdjson(count)), {
  format: 'ndjson',
  batchRows: 20_000,
});
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
await store.close();

const maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(
  JSON.stringify({ seconds, maxRssMb, records: report.records, subjects: report.subjects }),
);
