-- Claiming that honours each sweep's state and concurrency limit, wake-ups for idle workers, and
-- notifications of sweep and worker state changes.

-- How often the worker renews its heartbeat; a heartbeat older than three of these marks it lost.
ALTER TABLE workers ADD COLUMN heartbeat_ms integer NOT NULL DEFAULT 5000;

-- Claims the queued trial with the highest priority, oldest first, of an active sweep that is under
-- its max_concurrent, for holder; returns no row when there is none.
--
-- A claim takes a transaction-level advisory lock keyed by the trial's sweep id: exclusive for a
-- sweep with a concurrency limit, so that claimers of that sweep count its running trials one at
-- a time, and shared otherwise; pausing, resuming and cancelling a sweep take it exclusively, so a
-- claim never starts a trial of a sweep that was paused or cancelled before the claim committed.
-- The check after the lock runs as a new query of this volatile function, so it sees every claim
-- committed while this one waited. Only the first lock of a claim waits; later ones are tried and a
-- sweep whose lock is taken is passed over, so two claimers never wait on each other in a cycle.
--
-- The claim commits without waiting for its WAL flush: a flush costs more than the claim itself,
-- and a claim lost in a database crash is one the database never made, which its worker learns at
-- its first lease renewal (the holder no longer matches) and stops training.
CREATE FUNCTION cliplab_claim(holder text, lease_ms bigint) RETURNS SETOF trials
LANGUAGE plpgsql AS $$
DECLARE
  candidate record;
  passed bigint[] := '{}';
  waited boolean := false;
  got boolean;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  -- Sweeps already full as of now are passed over without queueing for their lock.
  SELECT coalesce(array_agg(s.id), '{}') INTO passed
  FROM sweeps s
  WHERE s.status = 'active' AND s.max_concurrent IS NOT NULL
    AND s.max_concurrent <= (SELECT count(*) FROM trials r
                             WHERE r.sweep_id = s.id AND r.status = 'running');
  LOOP
    SELECT t.id, t.sweep_id, s.max_concurrent INTO candidate
    FROM trials t JOIN sweeps s ON s.id = t.sweep_id
    WHERE t.status = 'queued' AND s.status = 'active' AND t.sweep_id <> ALL (passed)
    ORDER BY t.priority DESC, t.id
    LIMIT 1
    FOR UPDATE OF t SKIP LOCKED;
    IF NOT FOUND THEN
      RETURN;
    END IF;

    IF waited THEN
      got := CASE WHEN candidate.max_concurrent IS NULL
                  THEN pg_try_advisory_xact_lock_shared(candidate.sweep_id)
                  ELSE pg_try_advisory_xact_lock(candidate.sweep_id) END;
    ELSE
      IF candidate.max_concurrent IS NULL THEN
        PERFORM pg_advisory_xact_lock_shared(candidate.sweep_id);
      ELSE
        PERFORM pg_advisory_xact_lock(candidate.sweep_id);
      END IF;
      got := true;
      waited := true;
    END IF;

    IF got AND EXISTS (
        SELECT 1 FROM sweeps s
        WHERE s.id = candidate.sweep_id AND s.status = 'active'
          AND (s.max_concurrent IS NULL
               OR s.max_concurrent > (SELECT count(*) FROM trials r
                                      WHERE r.sweep_id = s.id AND r.status = 'running'))) THEN
      RETURN QUERY
        UPDATE trials t
        SET status = 'running', attempt = t.attempt + 1, lease_holder = holder,
            lease_expires_at = now() + lease_ms * interval '1 millisecond',
            started_at = coalesce(t.started_at, now()), error = NULL
        WHERE t.id = candidate.id
        RETURNING t.*;
      RETURN;
    END IF;
    passed := passed || candidate.sweep_id;
  END LOOP;
END $$;

-- A trial that becomes queued again (lease reaped, handed back, retried) wakes idle workers, as new
-- trials do; identical notifications in one transaction are delivered once.
CREATE FUNCTION cliplab_trial_queued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cliplab_trials', '');
  RETURN NULL;
END $$;

CREATE TRIGGER trials_queued_again
  AFTER UPDATE OF status ON trials
  FOR EACH ROW WHEN (NEW.status = 'queued' AND OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION cliplab_trial_queued();

CREATE TRIGGER trials_queued_new
  AFTER INSERT ON trials
  FOR EACH ROW WHEN (NEW.status = 'queued')
  EXECUTE FUNCTION cliplab_trial_queued();

-- Sweep state changes for live views; a sweep that becomes active again also wakes idle workers.
CREATE FUNCTION cliplab_sweep_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cliplab_events', json_build_object(
    'type', 'sweep', 'sweep_id', NEW.id, 'status', NEW.status)::text);
  IF NEW.status = 'active' THEN
    PERFORM pg_notify('cliplab_trials', '');
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER sweeps_status_changed
  AFTER UPDATE OF status ON sweeps
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION cliplab_sweep_status_changed();

CREATE FUNCTION cliplab_worker_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cliplab_events', json_build_object(
    'type', 'worker', 'worker_id', NEW.id, 'status', NEW.status)::text);
  RETURN NULL;
END $$;

CREATE TRIGGER workers_registered
  AFTER INSERT ON workers
  FOR EACH ROW EXECUTE FUNCTION cliplab_worker_status_changed();

CREATE TRIGGER workers_status_changed
  AFTER UPDATE OF status ON workers
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION cliplab_worker_status_changed();

CREATE INDEX workers_by_status ON workers (status, id);
