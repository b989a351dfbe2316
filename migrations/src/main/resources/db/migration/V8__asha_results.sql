-- ASHA's rung results: the value each trial of an asha sweep had at each rung it reached and what
-- was decided there, so that a trial arriving at a rung is ranked against every earlier arrival and
-- a resumed trial gets the decision it was given before instead of a new one.
CREATE TABLE asha_results (
  sweep_id    bigint           NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
  trial_id    bigint           NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  rung        integer          NOT NULL CHECK (rung >= 0),
  value       double precision NOT NULL,
  promoted    boolean          NOT NULL,
  -- How many results the rung held when this one was judged, this one included.
  competitors integer          NOT NULL,
  attempt     integer          NOT NULL,
  recorded_at timestamptz      NOT NULL DEFAULT now(),
  PRIMARY KEY (trial_id, rung)
);

CREATE INDEX asha_results_by_rung ON asha_results (sweep_id, rung);
