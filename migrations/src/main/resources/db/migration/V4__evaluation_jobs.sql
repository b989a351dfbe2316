-- Evaluation-only jobs: rows of the same queue (leases, attempts, the reaper all apply) that score
-- a stored checkpoint of another trial instead of training.
ALTER TABLE trials
  ADD COLUMN kind text NOT NULL DEFAULT 'train' CHECK (kind IN ('train', 'evaluate')),
  ADD COLUMN source_trial_id bigint REFERENCES trials (id);

CREATE INDEX trials_source ON trials (source_trial_id) WHERE source_trial_id IS NOT NULL;
