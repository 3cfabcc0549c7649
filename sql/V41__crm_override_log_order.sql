-- The override log's own order: entries of the same instant (a set and its lift in one millisecond, or
-- an imported batch) come out in the order the lifecycle wrote them, newest first.
ALTER TABLE lead_overrides ADD COLUMN IF NOT EXISTS logged bigint GENERATED ALWAYS AS IDENTITY;
CREATE INDEX IF NOT EXISTS lead_overrides_logged ON lead_overrides (at DESC, logged DESC);
