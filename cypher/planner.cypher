// Read queries for planners who work in Neo4j Browser or cypher-shell against the production store.
// Set the parameters first, e.g. `:param city => 'geonames:1799869'` (Nanning) and
// `:param region => 'ASEAN'`. The adapter does not run these; the Cypher lint checks them like
// every other statement. Partnerships are the two tiers SISTER_CITY and FRIENDLY_EXCHANGE.

// name: planner_partners
// params: city
// A city's partners by tier and status.
MATCH (home:City {id: $city})-[tie:SISTER_CITY|FRIENDLY_EXCHANGE]-(partner:City)
RETURN type(tie) AS tier, tie.status AS status, tie.since AS since, partner.id AS id,
       partner.name AS name, partner.name_zh AS name_zh, partner.country AS country
ORDER BY tier, status, country, name

// name: planner_regions_covered
// params: city
// Per region: how many partners the city has there and in which countries.
MATCH (home:City {id: $city})-[:SISTER_CITY|FRIENDLY_EXCHANGE]-(partner:City)
MATCH (country:Country {id: partner.country})-[:IN_REGION]->(region:Region)
RETURN region.id AS region, region.name AS name, count(DISTINCT partner) AS partners,
       collect(DISTINCT country.id) AS partner_countries
ORDER BY partners DESC, region

// name: planner_gap_countries
// params: city, region
// The countries of a region where the city has no partner yet, with how many other cities of the
// city's own country already have one there (peer coverage: a gap peers have shown can be filled).
MATCH (home:City {id: $city})
MATCH (region:Region {id: $region})<-[:IN_REGION]-(country:Country)
WHERE NOT EXISTS {
  MATCH (home)-[:SISTER_CITY|FRIENDLY_EXCHANGE]-(:City {country: country.id})
}
OPTIONAL MATCH (peer:City {country: home.country})-[:SISTER_CITY|FRIENDLY_EXCHANGE]-(:City {country: country.id})
WHERE peer <> home
RETURN country.id AS country, country.name AS name, country.name_zh AS name_zh,
       count(DISTINCT peer) AS peer_coverage
ORDER BY peer_coverage DESC, country

// name: planner_partners_of_partners
// params: city, limit
// Cities two partnership hops away in other countries (以点带面), by how many partners lead there.
MATCH (home:City {id: $city})-[:SISTER_CITY|FRIENDLY_EXCHANGE]-(partner:City)
      -[:SISTER_CITY|FRIENDLY_EXCHANGE]-(candidate:City)
WHERE candidate <> home AND candidate.country <> home.country
  AND NOT EXISTS { MATCH (home)-[:SISTER_CITY|FRIENDLY_EXCHANGE]-(candidate) }
RETURN candidate.id AS id, candidate.name AS name, candidate.country AS country,
       count(DISTINCT partner) AS shared_partners, collect(DISTINCT partner.name)[..5] AS via
ORDER BY shared_partners DESC, id
LIMIT $limit
