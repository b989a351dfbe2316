-- Which host, libtorch build and device ran a trial's latest attempt, as its worker reported it.
ALTER TABLE trials ADD COLUMN runtime jsonb;
