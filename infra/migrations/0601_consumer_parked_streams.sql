-- Up Migration

-- Streams a consumer has parked (docs/adr/0071-parked-streams-per-consumer.md): an event it could
-- not apply, with the error, and every later event of that stream it has held back since, so a
-- stream is never applied out of order. Written in the consumer's checkpoint transaction; the
-- operator's retry and skip change `next_attempt_at` and the held events, nothing else.
CREATE TABLE consumer_parked_streams (
  consumer         text NOT NULL,
  stream_id        text NOT NULL,
  tenant_id        text NOT NULL,
  -- The event that failed last (the first one held).
  event_id         uuid NOT NULL,
  event_type       text NOT NULL,
  error            text NOT NULL,
  attempts         integer NOT NULL DEFAULT 1,
  parked_at        timestamptz NOT NULL DEFAULT now(),
  last_attempt_at  timestamptz NOT NULL DEFAULT now(),
  next_attempt_at  timestamptz NOT NULL,
  PRIMARY KEY (consumer, stream_id)
);
CREATE INDEX consumer_parked_streams_due ON consumer_parked_streams (consumer, next_attempt_at);

CREATE TABLE consumer_parked_events (
  consumer        text NOT NULL,
  stream_id       text NOT NULL,
  stream_revision bigint NOT NULL,
  event_id        uuid NOT NULL,
  PRIMARY KEY (consumer, stream_id, stream_revision),
  FOREIGN KEY (consumer, stream_id) REFERENCES consumer_parked_streams (consumer, stream_id) ON DELETE CASCADE
);

-- Down Migration

DROP TABLE consumer_parked_events;
DROP TABLE consumer_parked_streams;
