-- What explains each phase's evaluation results (per-class AP and chosen costs, recipes, prompt
-- templates, a retrieval gallery), as the worker reported it; fenced by attempt like the results.
CREATE TABLE evaluation_details (
  trial_id    bigint      NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  phase       text        NOT NULL,
  report      jsonb       NOT NULL,
  attempt     integer     NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (trial_id, phase)
);
