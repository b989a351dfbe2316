-- The hash of a trial's parameters with every default resolved (the trainer's canonical form), so
-- that a trial's CLIP baseline is found among all trials however their sweeps spelled the point.
ALTER TABLE trials ADD COLUMN spec_hash text;

CREATE INDEX trials_spec_hash ON trials (spec_hash, status);
