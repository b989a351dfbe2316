-- Sweeps, their trials (the work queue), training metrics and evaluation results.

CREATE TABLE sweeps (
  id          bigserial PRIMARY KEY,
  name        text        NOT NULL,
  spec        jsonb       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE trials (
  id               bigserial PRIMARY KEY,
  sweep_id         bigint      NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
  params           jsonb       NOT NULL,
  params_hash      text        NOT NULL,
  status           text        NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'diverged',
                                     'cancelled', 'pruned')),
  priority         integer     NOT NULL DEFAULT 0,
  -- Incremented by every claim; a write carrying an older attempt is refused.
  attempt          integer     NOT NULL DEFAULT 0,
  max_attempts     integer     NOT NULL DEFAULT 3,
  lease_holder     text,
  lease_expires_at timestamptz,
  error            text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  finished_at      timestamptz,
  UNIQUE (sweep_id, params_hash)
);

-- The claim query scans queued trials by priority, then age.
CREATE INDEX trials_queued ON trials (priority DESC, id) WHERE status = 'queued';
CREATE INDEX trials_running_lease ON trials (lease_expires_at) WHERE status = 'running';
CREATE INDEX trials_by_sweep ON trials (sweep_id, id);

CREATE TABLE metrics (
  trial_id    bigint           NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  name        text             NOT NULL,
  step        bigint           NOT NULL,
  value       double precision NOT NULL,
  attempt     integer          NOT NULL,
  recorded_at timestamptz      NOT NULL DEFAULT now(),
  PRIMARY KEY (trial_id, name, step)
);

CREATE TABLE evaluations (
  trial_id    bigint           NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  phase       text             NOT NULL,
  task        text             NOT NULL,
  metric      text             NOT NULL,
  value       double precision NOT NULL,
  attempt     integer          NOT NULL,
  recorded_at timestamptz      NOT NULL DEFAULT now(),
  PRIMARY KEY (trial_id, phase, task, metric)
);

CREATE TABLE checkpoints (
  trial_id    bigint      NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  epoch       integer     NOT NULL,
  step        bigint      NOT NULL,
  path        text        NOT NULL,
  attempt     integer     NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (trial_id, epoch)
);
