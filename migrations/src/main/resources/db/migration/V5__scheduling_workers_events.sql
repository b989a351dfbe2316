-- Sweep-level scheduling (pause, cancel, priority, concurrency), the metric a sweep optimises,
-- ASHA rungs, the registry of workers, and change notifications for live views.

ALTER TABLE sweeps
  ADD COLUMN status text NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'paused', 'cancelled')),
  ADD COLUMN priority integer NOT NULL DEFAULT 0,
  -- At most this many of the sweep's trials run at once; null means no limit.
  ADD COLUMN max_concurrent integer CHECK (max_concurrent IS NULL OR max_concurrent > 0),
  -- The metric the sweep optimises ('epoch_loss', or '<phase>.<task>.<metric>' for an
  -- evaluation such as 'final.voc07.map') and whether higher or lower is better.
  ADD COLUMN metric text,
  ADD COLUMN goal text CHECK (goal IS NULL OR goal IN ('maximize', 'minimize')),
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- ASHA: the highest rung (0, 1, ...) the trial has passed, or the rung where it was pruned.
ALTER TABLE trials ADD COLUMN rung integer;

-- Claims filter on the sweep's state; running trials are counted per sweep for concurrency.
CREATE INDEX trials_running_by_sweep ON trials (sweep_id) WHERE status = 'running';
CREATE INDEX trials_by_sweep_status ON trials (sweep_id, status);

CREATE TABLE workers (
  -- The name it takes leases under: pid@host/device.
  id                   text        PRIMARY KEY,
  host                 text        NOT NULL,
  device               text        NOT NULL,
  -- Which libtorch, flavour and device it runs, as it reported them at start.
  runtime              jsonb,
  status               text        NOT NULL DEFAULT 'idle'
                       CHECK (status IN ('idle', 'busy', 'quarantined', 'stopped')),
  current_trial_id     bigint      REFERENCES trials (id) ON DELETE SET NULL,
  -- Trials that ended failed in a row; reset by a success. Too many quarantines the worker.
  consecutive_failures integer     NOT NULL DEFAULT 0,
  quarantine_reason    text,
  started_at           timestamptz NOT NULL DEFAULT now(),
  heartbeat_at         timestamptz NOT NULL DEFAULT now()
);

-- Every change a live view cares about is announced on one channel as a small JSON object, by
-- the database itself, whichever process made the change.
CREATE FUNCTION cliplab_trial_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cliplab_events', json_build_object(
    'type', 'trial', 'trial_id', NEW.id, 'sweep_id', NEW.sweep_id, 'status', NEW.status,
    'attempt', NEW.attempt, 'rung', NEW.rung)::text);
  RETURN NULL;
END $$;

CREATE TRIGGER trials_status_changed
  AFTER UPDATE OF status ON trials
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION cliplab_trial_status_changed();

-- One notification per trial per inserted batch of metric points, carrying the last step.
CREATE FUNCTION cliplab_metrics_written() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT trial_id, max(step) AS step, count(*) AS points
           FROM written GROUP BY trial_id LOOP
    PERFORM pg_notify('cliplab_events', json_build_object(
      'type', 'metrics', 'trial_id', r.trial_id, 'step', r.step, 'points', r.points)::text);
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER metrics_written
  AFTER INSERT ON metrics REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION cliplab_metrics_written();

CREATE FUNCTION cliplab_checkpoint_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cliplab_events', json_build_object(
    'type', 'checkpoint', 'trial_id', NEW.trial_id, 'epoch', NEW.epoch, 'step', NEW.step)::text);
  RETURN NULL;
END $$;

CREATE TRIGGER checkpoints_written
  AFTER INSERT OR UPDATE ON checkpoints
  FOR EACH ROW EXECUTE FUNCTION cliplab_checkpoint_written();

CREATE FUNCTION cliplab_evaluations_written() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT DISTINCT trial_id FROM written LOOP
    PERFORM pg_notify('cliplab_events', json_build_object(
      'type', 'evaluations', 'trial_id', r.trial_id)::text);
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER evaluations_written
  AFTER INSERT ON evaluations REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION cliplab_evaluations_written();
