// Edges: one relationship per Edge, of type __TYPE__ (an EdgeType filled in by
// graph_service/store/cypher.py), directed src -> dst (symmetric types have src < dst). Properties
// are Edge.props() with `attrs` as a JSON string, plus `id`, the Edge.id `src|TYPE|dst[|key]`.

// name: stored_edges
// params: rows
// rows: {src, id}; the lookup starts from the indexed source node.
UNWIND $rows AS row
MATCH (:Node {id: row.src})-[r {id: row.id}]->(:Node)
RETURN properties(r) AS props

// name: upsert_edges
// params: rows
// One batch of edges of one type; endpoints were checked in the same transaction.
UNWIND $rows AS row
MATCH (a:Node {id: row.src})
MATCH (b:Node {id: row.dst})
MERGE (a)-[r:__TYPE__ {id: row.id}]->(b)
SET r = row
RETURN count(r) AS written

// name: delete_edges
// params: rows
// Returns the ids of the edges it deleted.
UNWIND $rows AS row
MATCH (:Node {id: row.src})-[r {id: row.id}]->(:Node)
DELETE r
RETURN collect(row.id) AS ids

// name: neighbour_ids
// params: ids, types
// One hop of a neighbourhood, in either direction; types is null for every type.
UNWIND $ids AS id
MATCH (:Node {id: id})-[r]-(m:Node)
WHERE $types IS NULL OR type(r) IN $types
RETURN DISTINCT m.id AS id

// name: edges_among
// params: ids, types
UNWIND $ids AS id
MATCH (:Node {id: id})-[r]->(m:Node)
WHERE m.id IN $ids AND ($types IS NULL OR type(r) IN $types)
RETURN properties(r) AS props, r.id AS edge_id
ORDER BY edge_id

// name: count_edges
MATCH (:Node)-[r]->(:Node)
RETURN type(r) AS type, count(*) AS count
ORDER BY type

// name: all_edges
MATCH (:Node)-[r]->(:Node)
RETURN properties(r) AS props, r.id AS id
ORDER BY id

// name: list_edges
// params: type, limit, offset
// Every edge, of $type (every type when null), ordered by id.
MATCH (:Node)-[r]->(:Node)
WHERE $type IS NULL OR type(r) = $type
RETURN properties(r) AS props, r.id AS id
ORDER BY id
SKIP $offset
LIMIT $limit

// name: list_node_edges
// params: node, type, limit, offset
// The edges touching $node (from its index entry), of $type (every type when null), ordered by id.
MATCH (:Node {id: $node})-[r]-(:Node)
WHERE $type IS NULL OR type(r) = $type
RETURN DISTINCT properties(r) AS props, r.id AS id
ORDER BY id
SKIP $offset
LIMIT $limit

// name: edge_page
// params: after, limit
// One page of every edge in id order (keyset paging on the id), for whole-graph exports.
MATCH (:Node)-[r]->(:Node)
WHERE r.id > $after
RETURN properties(r) AS props
ORDER BY r.id
LIMIT $limit
