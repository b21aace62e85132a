// Constraints and indexes, applied on connect (Neo4j 5.7 or later; all are available in Community
// Edition). Every node carries the common label :Node plus the label of its NodeKind.

// name: node_id_unique
CREATE CONSTRAINT node_id_unique IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE

// name: kind_id_unique
CREATE CONSTRAINT __LABEL___id_unique IF NOT EXISTS FOR (n:__LABEL__) REQUIRE n.id IS UNIQUE

// name: edge_id_unique
CREATE CONSTRAINT __TYPE___id_unique IF NOT EXISTS FOR ()-[r:__TYPE__]-() REQUIRE r.id IS UNIQUE

// name: node_kind_index
CREATE INDEX node_kind IF NOT EXISTS FOR (n:Node) ON (n.kind)

// name: node_country_index
CREATE INDEX node_country IF NOT EXISTS FOR (n:Node) ON (n.country, n.kind)

// name: meta_key_unique
CREATE CONSTRAINT meta_key_unique IF NOT EXISTS FOR (m:Meta) REQUIRE m.key IS UNIQUE

// name: audit_seq_unique
CREATE CONSTRAINT audit_seq_unique IF NOT EXISTS FOR (a:AuditEntry) REQUIRE a.seq IS UNIQUE

// name: api_key_id_unique
CREATE CONSTRAINT api_key_id_unique IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE

// name: api_key_hash_unique
CREATE CONSTRAINT api_key_hash_unique IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.hash IS UNIQUE

// name: session_id_unique
CREATE CONSTRAINT session_id_unique IF NOT EXISTS FOR (s:Session) REQUIRE s.id_hash IS UNIQUE

// name: change_revision_unique
CREATE CONSTRAINT change_revision_unique IF NOT EXISTS FOR (c:Change) REQUIRE c.revision IS UNIQUE

// name: column_mapping_header_unique
CREATE CONSTRAINT column_mapping_header_unique IF NOT EXISTS FOR (m:ColumnMapping) REQUIRE m.header IS UNIQUE
