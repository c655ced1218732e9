// Analyses KQL with Microsoft's Kusto parser (npm @kusto/language-service-next) against declared
// table schemas. Input on stdin: {"tables": {"Name": "(Col:type, ...)"}, "queries": ["...", ...]}.
// Output on stdout: [[{"severity","code","start","message"}, ...], ...], one list per query.
'use strict';
require('@kusto/language-service-next/bridge.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.js');
const K = Kusto.Language;
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', c => { input += c; });
process.stdin.on('end', () => {
    const req = JSON.parse(input);
    const tables = Object.entries(req.tables).map(([name, schema]) => new K.Symbols.TableSymbol.$ctor7(name, schema, null));
    const db = new K.Symbols.DatabaseSymbol.ctor('workspace', tables);
    const globals = K.GlobalState.Default.WithDatabase(db);
    const out = req.queries.map(q => {
        const diags = K.KustoCode.ParseAndAnalyze(q, globals).GetDiagnostics();
        const list = [];
        for (let i = 0; i < diags.Count; i++) {
            const d = diags.getItem(i);
            list.push({severity: String(d.Severity), code: String(d.Code), start: d.Start, message: String(d.Message)});
        }
        return list;
    });
    process.stdout.write(JSON.stringify(out));
});
