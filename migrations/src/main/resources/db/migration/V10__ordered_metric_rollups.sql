-- Two statements writing points of the same trial (a lapsed attempt's last flush racing the new
-- attempt's first) upserted their summaries in hash order and could deadlock; summaries are now
-- locked in key order, so one statement waits for the other instead.
CREATE OR REPLACE FUNCTION cliplab_roll_up_metrics() RETURNS trigger LANGUAGE plpgsql AS $$
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
  ORDER BY b.trial_id, b.name, b.bucket
  ON CONFLICT (trial_id, name, bucket) DO UPDATE SET
    points = excluded.points,
    first_step = excluded.first_step, first_value = excluded.first_value,
    last_step = excluded.last_step, last_value = excluded.last_value,
    min_step = excluded.min_step, min_value = excluded.min_value,
    max_step = excluded.max_step, max_value = excluded.max_value;
  RETURN NULL;
END $$;
