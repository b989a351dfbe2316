-- Per (trial, metric) summaries of every 1,000 steps, so that a chart of a million points is drawn
-- from a thousand rows, and the latest value of each metric is found without scanning its history.
-- Kept by the database itself in the statement that writes the points, whichever process writes
-- them.

CREATE TABLE metric_rollups (
  trial_id    bigint           NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  name        text             NOT NULL,
  -- step / 1000: the bucket holds steps [bucket * 1000, bucket * 1000 + 999].
  bucket      bigint           NOT NULL,
  points      integer          NOT NULL,
  first_step  bigint           NOT NULL,
  first_value double precision NOT NULL,
  last_step   bigint           NOT NULL,
  last_value  double precision NOT NULL,
  -- The earliest step holding the bucket's smallest and largest value; NaN orders above every
  -- number, as PostgreSQL orders double precision, so a bucket holding NaN shows it as its max.
  min_step    bigint           NOT NULL,
  min_value   double precision NOT NULL,
  max_step    bigint           NOT NULL,
  max_value   double precision NOT NULL,
  PRIMARY KEY (trial_id, name, bucket)
);

-- Recomputes the touched buckets from the points themselves rather than folding the new points
-- in, so that a rewritten step (a retried attempt) leaves no stale minimum or maximum behind.
CREATE FUNCTION cliplab_roll_up_metrics() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO metric_rollups AS r
    (trial_id, name, bucket, points, first_step, first_value, last_step, last_value,
     min_step, min_value, max_step, max_value)
  SELECT b.trial_id, b.name, b.bucket, s.points, f.step, f.value, l.step, l.value,
         lo.step, lo.value, hi.step, hi.value
  FROM (SELECT DISTINCT trial_id, name, step / 1000 AS bucket FROM written) b
  CROSS JOIN LATERAL (
    SELECT count(*)::int AS points FROM metrics m
    WHERE m.trial_id = b.trial_id AND m.name = b.name
      AND m.step BETWEEN b.bucket * 1000 AND b.bucket * 1000 + 999) s
  CROSS JOIN LATERAL (
    SELECT m.step, m.value FROM metrics m
    WHERE m.trial_id = b.trial_id AND m.name = b.name
      AND m.step BETWEEN b.bucket * 1000 AND b.bucket * 1000 + 999
    ORDER BY m.step LIMIT 1) f
  CROSS JOIN LATERAL (
    SELECT m.step, m.value FROM metrics m
    WHERE m.trial_id = b.trial_id AND m.name = b.name
      AND m.step BETWEEN b.bucket * 1000 AND b.bucket * 1000 + 999
    ORDER BY m.step DESC LIMIT 1) l
  CROSS JOIN LATERAL (
    SELECT m.step, m.value FROM metrics m
    WHERE m.trial_id = b.trial_id AND m.name = b.name
      AND m.step BETWEEN b.bucket * 1000 AND b.bucket * 1000 + 999
    ORDER BY m.value, m.step LIMIT 1) lo
  CROSS JOIN LATERAL (
    SELECT m.step, m.value FROM metrics m
    WHERE m.trial_id = b.trial_id AND m.name = b.name
      AND m.step BETWEEN b.bucket * 1000 AND b.bucket * 1000 + 999
    ORDER BY m.value DESC, m.step LIMIT 1) hi
  ON CONFLICT (trial_id, name, bucket) DO UPDATE SET
    points = excluded.points,
    first_step = excluded.first_step, first_value = excluded.first_value,
    last_step = excluded.last_step, last_value = excluded.last_value,
    min_step = excluded.min_step, min_value = excluded.min_value,
    max_step = excluded.max_step, max_value = excluded.max_value;
  RETURN NULL;
END $$;

CREATE TRIGGER metrics_rolled_up_on_insert
  AFTER INSERT ON metrics REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION cliplab_roll_up_metrics();

CREATE TRIGGER metrics_rolled_up_on_update
  AFTER UPDATE ON metrics REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION cliplab_roll_up_metrics();

-- Points written before this migration.
INSERT INTO metric_rollups
  (trial_id, name, bucket, points, first_step, first_value, last_step, last_value,
   min_step, min_value, max_step, max_value)
SELECT trial_id, name, step / 1000, count(*),
       (array_agg(step ORDER BY step))[1], (array_agg(value ORDER BY step))[1],
       (array_agg(step ORDER BY step DESC))[1], (array_agg(value ORDER BY step DESC))[1],
       (array_agg(step ORDER BY value, step))[1], (array_agg(value ORDER BY value, step))[1],
       (array_agg(step ORDER BY value DESC, step))[1],
       (array_agg(value ORDER BY value DESC, step))[1]
FROM metrics GROUP BY trial_id, name, step / 1000;

-- Evaluation values are looked up by metric across a sweep's trials (sorting, the best trial).
CREATE INDEX evaluations_by_metric ON evaluations (phase, task, metric, trial_id);

-- Live views filter events by sweep: every event on cliplab_events now carries its sweep_id.
CREATE OR REPLACE FUNCTION cliplab_metrics_written() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT w.trial_id, t.sweep_id, max(w.step) AS step, count(*) AS points
           FROM written w JOIN trials t ON t.id = w.trial_id
           GROUP BY w.trial_id, t.sweep_id LOOP
    PERFORM pg_notify('cliplab_events', json_build_object(
      'type', 'metrics', 'trial_id', r.trial_id, 'sweep_id', r.sweep_id, 'step', r.step,
      'points', r.points)::text);
  END LOOP;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION cliplab_checkpoint_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cliplab_events', json_build_object(
    'type', 'checkpoint', 'trial_id', NEW.trial_id,
    'sweep_id', (SELECT sweep_id FROM trials WHERE id = NEW.trial_id),
    'epoch', NEW.epoch, 'step', NEW.step)::text);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION cliplab_evaluations_written() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT DISTINCT w.trial_id, t.sweep_id
           FROM written w JOIN trials t ON t.id = w.trial_id LOOP
    PERFORM pg_notify('cliplab_events', json_build_object(
      'type', 'evaluations', 'trial_id', r.trial_id, 'sweep_id', r.sweep_id)::text);
  END LOOP;
  RETURN NULL;
END $$;
