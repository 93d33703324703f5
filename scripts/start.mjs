// `npm start`: the main job. The reference e-Social Security flow (examples/esocial) is not built
// yet; until it is, this says what it will run and exits.
console.log(`interop-blocks: the reference e-Social Security flow is not built yet.

When it is (issue "The reference deployment"), \`npm start\` will start 50+ simulated institutions on
loopback, submit 1,000 applications for means-tested rights on the embedded SQLite store, gather each
household's income and property through the Tray, the IO-Modules and the Asynchronous Module, and
print a summary of the decisions proposed.

What works today: @interop-blocks/core (identifiers, envelopes, storage on SQLite and PostgreSQL),
@interop-blocks/security (PKI, mutual TLS, signatures, rights, the trail; try
\`npx interop-pki init ./dev-pki\` after \`npm run build\`), and @interop-blocks/io-module (a data
owner's distribution copy served over mutual TLS). Run the tests with \`npm test\`.`);
