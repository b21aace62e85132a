"""Importers and exporters: graph JSON, pairs CSV, world geography, GraphML/GEXF/CSV exports."""
