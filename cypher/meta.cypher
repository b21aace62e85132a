// The graph's revision, the audit log, API keys and the schema version. Meta nodes are keyed by
// `key`: 'graph' holds the revision, 'schema' the schema version.

// name: bump_revision
// Runs first in every write transaction, so it also serialises writers on the Meta node.
MERGE (m:Meta {key: 'graph'})
SET m.revision = coalesce(m.revision, 0) + 1
RETURN m.revision AS revision

// name: revision
OPTIONAL MATCH (m:Meta {key: 'graph'})
RETURN coalesce(m.revision, 0) AS revision

// name: append_audit
// params: revision, at, actor, action, target, summary, nodes, edges, reset, kept
// One entry per write, in the write's own transaction; its seq is the revision the write made. The
// same statement writes the change feed's record of that revision (the ids of the nodes and edges the
// write touched; reset when it emptied the graph first) and drops records older than the $kept
// newest, so every revision the feed still holds has its record.
CREATE (a:AuditEntry {seq: $revision, revision: $revision, at: $at, actor: $actor, action: $action,
                      target: $target, summary: $summary})
CREATE (:Change {revision: $revision, nodes: $nodes, edges: $edges, reset: $reset})
WITH a
OPTIONAL MATCH (old:Change)
WHERE old.revision <= $revision - $kept
WITH a, collect(old) AS expired
FOREACH (old IN expired | DELETE old)
RETURN a.seq AS seq

// name: changes_after
// params: revision
// The change feed after $revision, oldest first (see append_audit).
MATCH (c:Change)
WHERE c.revision > $revision
RETURN c.revision AS revision, c.nodes AS nodes, c.edges AS edges, c.reset AS reset
ORDER BY revision

// name: read_audit
// params: limit, offset
MATCH (a:AuditEntry)
RETURN a.seq AS seq, a.at AS at, a.actor AS actor, a.action AS action, a.target AS target,
       a.summary AS summary, a.revision AS revision
ORDER BY seq DESC
SKIP $offset LIMIT $limit

// name: save_api_key
// params: id, hash, role, created, label, revoked
MERGE (k:ApiKey {id: $id})
ON CREATE SET k.hash = $hash, k.created = $created
SET k.role = $role, k.label = $label, k.revoked = $revoked
RETURN k.id AS id

// name: api_keys
MATCH (k:ApiKey)
RETURN k.id AS id, k.hash AS hash, k.role AS role, k.created AS created, k.label AS label,
       k.revoked AS revoked
ORDER BY created, id

// name: schema_version
OPTIONAL MATCH (m:Meta {key: 'schema'})
RETURN coalesce(m.version, 0) AS version

// name: set_schema_version
// params: version
MERGE (m:Meta {key: 'schema'})
SET m.version = $version
RETURN m.version AS version

// name: wipe_for_tests
// Empties the whole database but its schema (constraints, indexes and the schema version, so the next
// connect has nothing to migrate): only for the test suite's scratch database.
MATCH (n)
WHERE NOT (n:Meta AND n.key = 'schema')
DETACH DELETE n

// name: save_column_mapping
// params: header, mapping, saved
// The spreadsheet import's column mapping for one header (a JSON object of column -> field).
MERGE (m:ColumnMapping {header: $header})
SET m.mapping = $mapping, m.saved = $saved
RETURN m.header AS header

// name: column_mapping
// params: header
MATCH (m:ColumnMapping {header: $header})
RETURN m.mapping AS mapping
