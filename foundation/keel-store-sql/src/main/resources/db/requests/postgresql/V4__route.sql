-- The routing rule that chose what served the request, and why (lineage.route, lineage.route_reason); NULL when no
-- routing table applied.
ALTER TABLE requests ADD COLUMN route_rule TEXT;
ALTER TABLE requests ADD COLUMN route_reason TEXT;
