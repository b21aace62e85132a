  /* Groups and bundles (viz/ego.py): double-click one to draw its members one by one. The drawn edges
     are always recomputed from every real tie (groups.all_edges) and what now stands for each end. */
  var groups = {{ groups|tojson }};
  function expandGroup(node) {
    if (!groups) return;
    var where = groups.where, added = [];
    node.group_of.forEach(function (id) {
      where[id] = id;
      if (groups.members[id]) added.push(groups.members[id]);
    });
    nodes.remove(node.id);
    nodes.add(added);
    edges.clear();
    edges.add(aggregateEdges(groups.all_edges, where, groups.centre));
    container.setAttribute("data-nodes", String(nodes.length));
    container.setAttribute("data-edges", String(edges.length));
  }
  /* The same rule as viz.ego.aggregate_edges: one edge per pair of drawn nodes, the strongest tie's
     style, wider with more ties, fainter away from the centre. */
  function aggregateEdges(rows, where, centre) {
    var rank = {SISTER_CITY: 0, FRIENDLY_EXCHANGE: 1, EXCHANGE: 2}, buckets = {};
    rows.forEach(function (row) {
      var a = where[row.from], b = where[row.to];
      if (a == null || b == null || a === b) return;
      var key = a < b ? a + "\u0000" + b : b + "\u0000" + a;
      (buckets[key] = buckets[key] || []).push(row);
    });
    return Object.keys(buckets).map(function (key) {
      var ties = buckets[key];
      ties.sort(function (x, y) { return (rank[x.type] == null ? 3 : rank[x.type]) - (rank[y.type] == null ? 3 : rank[y.type]); });
      var row = Object.assign({}, ties[0], {from: where[ties[0].from], to: where[ties[0].to]});
      if (ties.length > 1) {
        row.width = Math.round(Math.min(1 + Math.log2(ties.length), 6) * 100) / 100;
        row.title = ties.length + " ×\n" + ties.slice(0, 12).map(function (r) { return r.title; }).join("\n");
        row.dashes = false;
      }
      if (row.from !== centre && row.to !== centre) {
        row.width = Math.min(row.width || 1, 2.5);
        row.color = Object.assign({}, row.color, {opacity: 0.3});
      }
      delete row.id;
      return row;
    });
  }
