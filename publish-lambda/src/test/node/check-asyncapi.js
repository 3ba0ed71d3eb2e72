// Parses an AsyncAPI document with the official parser (@asyncapi/parser, its default Spectral
// ruleset) and prints every diagnostic as one JSON line:
//   {"severity":"error|warning|info|hint","code":…,"path":"a.b.c","message":…}
// then {"done":true,"diagnostics":N}. Exit code 0 when parsing ran, 2 when it could not run.
const fs = require('fs');
const { Parser, DiagnosticSeverity } = require('@asyncapi/parser');

const SEVERITY = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

async function main(file) {
  const parser = new Parser();
  const { diagnostics } = await parser.parse(fs.readFileSync(file, 'utf8'), { source: file });
  for (const d of diagnostics) {
    console.log(JSON.stringify({
      severity: SEVERITY[d.severity] || String(d.severity),
      code: String(d.code),
      path: (d.path || []).join('.'),
      message: d.message,
    }));
  }
  console.log(JSON.stringify({ done: true, diagnostics: diagnostics.length }));
}

main(process.argv[2]).catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(2);
});
