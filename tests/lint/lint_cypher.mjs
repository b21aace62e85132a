// Lint Cypher statements with Neo4j's own language support (npm @neo4j-cypher/language-support).
//
// stdin:  {"labels": [...], "relationshipTypes": [...],
//          "statements": [{"id": "nodes.cypher:upsert_nodes[City]", "text": "...", "params": ["rows"]}]}
// stdout: [{"id": ..., "diagnostics": [{"severity", "message", "range", "offsets"}]}]
//
// Each statement is linted against a schema holding the known labels and relationship types and
// only its own declared parameters, so an undeclared $parameter is reported like a syntax error.
// The package's ESM build does not load on plain node, so its CommonJS build is required.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const { lintCypherQuery } = createRequire(import.meta.url)('@neo4j-cypher/language-support');
const input = JSON.parse(readFileSync(0, 'utf8'));

const results = input.statements.map(({ id, text, params }) => {
  const dbSchema = {
    labels: input.labels,
    relationshipTypes: input.relationshipTypes,
    parameters: Object.fromEntries(params.map((name) => [name, null])),
  };
  return { id, diagnostics: lintCypherQuery(text, dbSchema) };
});
process.stdout.write(JSON.stringify(results));
