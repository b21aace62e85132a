// Nodes: every node has the label :Node and the label of its kind (__LABEL__, a NodeKind filled in
// by graph_service/store/cypher.py). Properties are Node.props() with `attrs` as a JSON string,
// plus `search_keys`, the normalised names and pinyin that find_nodes matches.

// name: node_kinds
// params: ids
UNWIND $ids AS id
MATCH (n:Node {id: id})
RETURN n.id AS id, n.kind AS kind

// name: stored_nodes
// params: ids
UNWIND $ids AS id
MATCH (n:Node {id: id})
RETURN properties(n) AS props

// name: upsert_nodes
// params: rows
// One batch of nodes of one kind; each row is the full property map, so stale properties go.
UNWIND $rows AS row
MERGE (n:Node {id: row.id})
SET n = row, n:__LABEL__
RETURN count(n) AS written

// name: list_nodes
// params: kind, country, limit, offset
MATCH (n:Node)
WHERE ($kind IS NULL OR n.kind = $kind) AND ($country IS NULL OR n.country = $country)
RETURN properties(n) AS props, coalesce(n.population, -1) AS population, n.id AS id
ORDER BY population DESC, id
SKIP $offset LIMIT $limit

// name: search_nodes
// params: kind, country, text, compact, han_first, limit, offset
// Ranks like text.search_rank (and SQLiteStore): an exact own name, an exact alternate name, a prefix
// of an own name, a substring of one, a prefix of an alternate, a substring of one; then, when han_first
// lists the countries a query in Han characters looks in first, nodes in those; then population (none
// or 0 last), then id.
MATCH (n:Node)
WHERE ($kind IS NULL OR n.kind = $kind) AND ($country IS NULL OR n.country = $country)
  AND any(key IN n.search_keys + coalesce(n.search_alt_keys, []) WHERE key CONTAINS $text OR key CONTAINS $compact)
WITH n, coalesce(n.search_alt_keys, []) AS alternates
WITH n,
     CASE
       WHEN any(key IN n.search_keys WHERE key = $text OR key = $compact) THEN 0
       WHEN any(key IN alternates WHERE key = $text OR key = $compact) THEN 1
       WHEN any(key IN n.search_keys WHERE key STARTS WITH $text OR key STARTS WITH $compact) THEN 2
       WHEN any(key IN n.search_keys WHERE key CONTAINS $text OR key CONTAINS $compact) THEN 3
       WHEN any(key IN alternates WHERE key STARTS WITH $text OR key STARTS WITH $compact) THEN 4
       ELSE 5
     END AS rank,
     CASE WHEN $han_first IS NULL OR n.country IN $han_first THEN 0 ELSE 1 END AS elsewhere,
     CASE WHEN coalesce(n.population, 0) = 0 THEN -1 ELSE n.population END AS population
RETURN properties(n) AS props, rank, elsewhere, population, n.id AS id
ORDER BY rank, elsewhere, population DESC, id
SKIP $offset LIMIT $limit

// name: set_search_keys
// params: rows
// Schema version 3: rows {id, search_keys, search_alt_keys}, each node's search keys as they are now kept.
UNWIND $rows AS row
MATCH (n:Node {id: row.id})
SET n.search_keys = row.search_keys, n.search_alt_keys = row.search_alt_keys
RETURN count(n) AS written

// name: node_edge_ids
// params: ids
// The ids of the edges a delete of these nodes takes with it (for the audit and the change feed).
UNWIND $ids AS id
MATCH (:Node {id: id})-[r]-()
RETURN collect(DISTINCT r.id) AS ids

// name: delete_nodes
// params: ids
// Returns the ids of the nodes it deleted.
UNWIND $ids AS id
MATCH (n:Node {id: id})
DETACH DELETE n
RETURN collect(id) AS ids

// name: delete_all_nodes
MATCH (n:Node)
DETACH DELETE n
RETURN count(*) AS deleted

// name: count_nodes
MATCH (n:Node)
RETURN n.kind AS kind, count(*) AS count
ORDER BY kind

// name: all_nodes
MATCH (n:Node)
RETURN properties(n) AS props, n.id AS id
ORDER BY id

// name: node_page
// params: after, limit
// One page of every node in id order (keyset paging on the unique id), for whole-graph exports.
MATCH (n:Node)
WHERE n.id > $after
RETURN properties(n) AS props
ORDER BY n.id
LIMIT $limit
