-- A sweep's spec is kept as it was written: jsonb orders keys by length and name, and the order of
-- the swept parameters decides a grid's order and a random search's draws, so a spec read back and
-- submitted again must list them as the researcher did.
ALTER TABLE sweeps ALTER COLUMN spec TYPE json USING spec::json;
