// Web UI sessions: a :Session node per sign-in, keyed by the SHA-256 of its id (the id itself lives
// only in the visitor's cookie). Sessions are not part of the graph: no revision bump, no audit entry.

// name: save_session
// params: id_hash, key_id, csrf, created, expires
MERGE (s:Session {id_hash: $id_hash})
SET s.key_id = $key_id, s.csrf = $csrf, s.created = $created, s.expires = $expires
RETURN s.id_hash AS id_hash

// name: get_session
// params: id_hash
MATCH (s:Session {id_hash: $id_hash})
RETURN s.id_hash AS id_hash, s.key_id AS key_id, s.csrf AS csrf, s.created AS created, s.expires AS expires

// name: delete_session
// params: id_hash
MATCH (s:Session {id_hash: $id_hash})
DELETE s
RETURN count(*) AS deleted

// name: purge_sessions
// params: now
MATCH (s:Session)
WHERE s.expires <= $now
DELETE s
RETURN count(*) AS deleted
