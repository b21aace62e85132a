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
// params: kind, country, text, compact, limit, offset
// Ranks like SQLiteStore: exact key first, then prefix, then substring; then larger population.
MATCH (n:Node)
WHERE ($kind IS NULL OR n.kind = $kind) AND ($country IS NULL OR n.country = $country)
  AND any(key IN n.search_keys WHERE key CONTAINS $text OR key CONTAINS $compact)
WITH n,
     CASE
       WHEN any(key IN n.search_keys WHERE key = $text OR key = $compact) THEN 0
       WHEN any(key IN n.search_keys WHERE key STARTS WITH $text OR key STARTS WITH $compact) THEN 1
       ELSE 2
     END AS rank
RETURN properties(n) AS props, rank, coalesce(n.population, -1) AS population, n.id AS id
ORDER BY rank, population DESC, id
SKIP $offset LIMIT $limit

// name: count_node_edges
// params: ids
UNWIND $ids AS id
MATCH (:Node {id: id})-[r]-()
RETURN count(DISTINCT r) AS edges

// name: delete_nodes
// params: ids
UNWIND $ids AS id
MATCH (n:Node {id: id})
DETACH DELETE n
RETURN count(*) AS deleted

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
